import Foundation
import MesaMeta

// libFuzzer target: bytes through the black-box optimisation's readers (`scripts/fuzz`): the
// search space (JSON, `mesa optimize --space`) and the history (CSV, `--history`). An input is a
// space, or a space, a line `%%` and a history; when the space does not read, the history is read
// against a fixed space of every kind of parameter. Beyond "no crash, no hang": every value a
// space can produce is in the space, and written as `mesa optimize` writes a history it reads
// back the same; a history that reads, written back (header and lines), reads back the same.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let separator = Array("\n%%\n".utf8)
    let split = (0...max(0, bytes.count - separator.count)).first { bytes[$0...].starts(with: separator) }
    let spaceBytes = split.map { Array(bytes[..<$0]) } ?? bytes
    let space = try? SearchSpace(json: Data(spaceBytes), source: "fuzz.json")
    if let space { checkValues(of: space, seed: bytes) }
    if let split { checkHistory(Data(bytes[(split + separator.count)...]), space: space ?? fallbackSpace) }
    return 0
}

/// The space a history is read against when the input's space does not read.
let fallbackSpace = try! SearchSpace(json: Data(#"""
    {"parameters": [{"name": "lr", "type": "continuous", "low": 1e-5, "high": 0.1, "log": true},
                    {"name": "layers", "type": "integer", "low": 1, "high": 8},
                    {"name": "act", "type": "categorical", "values": ["relu", "gelu", "a, b", "say \"hi\"", " spaced "]}]}
    """#.utf8))

/// The history file of this process.
let historyURL = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-fuzz-history-\(getpid()).csv")

/// Stops the fuzzer with `message` (libFuzzer reports the input that got here).
func fail(_ message: String) -> Never {
    fatalError("fuzz invariant: \(message)")
}

/// `evaluations` written as a history file (header and one line each) and read back.
func writtenAndRead(_ evaluations: [OptimizationHistory.Evaluation], space: SearchSpace) throws -> [OptimizationHistory.Evaluation] {
    let text = ([OptimizationHistory.header(for: space)] + evaluations.map(OptimizationHistory.line(for:))).joined(separator: "\n") + "\n"
    try Data(text.utf8).write(to: historyURL)
    return try OptimizationHistory.read(from: historyURL, space: space)
}

/// Points of the unit cube (its corners, its centre, and some taken from the input's bytes), and
/// their values: in the space, and reading back from a history.
func checkValues(of space: SearchSpace, seed: [UInt8]) {
    let dimension = space.dimension
    var points = [[Double](repeating: 0, count: dimension), [Double](repeating: 1, count: dimension), [Double](repeating: 0.5, count: dimension)]
    for start in stride(from: 0, to: min(seed.count, 64), by: max(dimension, 1)) {
        points.append((0..<dimension).map { Double(seed[(start + $0) % seed.count]) / 255 })
    }
    let evaluations = points.enumerated().map { index, point in
        OptimizationHistory.Evaluation(values: space.values(fromUnit: point), objective: Double(index) - 0.25)
    }
    for evaluation in evaluations {
        do { _ = try space.unitPoint(of: evaluation.values) } catch { fail("a value the space produced is not in it: \(error)") }
    }
    do {
        let read = try writtenAndRead(evaluations, space: space)
        if read != evaluations { fail("values written to a history read back as \(read.map(\.values)), not \(evaluations.map(\.values))") }
    } catch {
        fail("a history of values the space produced does not read back: \(error)")
    }
}

/// A history that reads writes back and reads back the same.
func checkHistory(_ history: Data, space: SearchSpace) {
    guard (try? history.write(to: historyURL)) != nil,
          let evaluations = try? OptimizationHistory.read(from: historyURL, space: space) else { return }
    do {
        let read = try writtenAndRead(evaluations, space: space)
        if read != evaluations { fail("a history read back as \(read.count) other evaluations") }
    } catch {
        fail("a history that read does not read back once written: \(error)")
    }
}
