import Foundation
import MesaCore

extension BayesianOptimizationBenchmark {
    /// `designs.json`: what another tool needs to run the same problems from the same designs.
    struct DesignFile: Codable {
        struct Fourier: Codable {
            var frequencies: [[Double]]
            var phases: [Double]
            var weights: [Double]
            var amplitude: Double
        }
        struct Run: Codable {
            var seed: UInt64
            var initialPoints: [[Double]]
            var initialValues: [Double]
        }
        struct Problem: Codable {
            var name: String
            var group: String
            var kind: String
            var dimension: Int
            var lowerBounds: [Double]
            var upperBounds: [Double]
            var minimum: Double
            var fourier: Fourier?
            var runs: [Run]
        }
        var initialPointCount: Int
        var evaluationCount: Int
        var problems: [Problem]
    }

    /// Writes `designs.json` for `problems` (snake_case keys; unit-cube design points).
    func writeDesigns(_ problems: [Problem], to url: URL) throws {
        let entries = problems.map { problem -> DesignFile.Problem in
            let function = problem.function
            var fourier: DesignFile.Fourier?
            if case .sampled(let features) = function.definition {
                let d = features.dimension
                fourier = DesignFile.Fourier(frequencies: (0..<features.featureCount).map { Array(features.frequencies[($0 * d)..<($0 * d + d)]) },
                                             phases: features.phases, weights: features.weights, amplitude: features.amplitude)
            }
            let runs = problem.seeds.map { seed in
                let design = initialDesign(for: function, seed: seed)
                return DesignFile.Run(seed: seed, initialPoints: design, initialValues: design.map { function.value(atUnitPoint: $0) })
            }
            let kind: String = if case .named = function.definition { "named" } else { "fourier" }
            return DesignFile.Problem(name: function.name, group: problem.group, kind: kind, dimension: function.dimension,
                                      lowerBounds: function.lowerBounds, upperBounds: function.upperBounds, minimum: function.minimum,
                                      fourier: fourier, runs: runs)
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        try OutputFile(url, contents: "the initial designs").write(encoder.encode(DesignFile(initialPointCount: initialPointCount, evaluationCount: evaluationCount, problems: entries)))
    }

    /// Reads the problems' groups and minima back from `designs.json`.
    static func readDesigns(_ url: URL) throws -> DesignFile {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw OptimizationError.invalidHistory("cannot read \(url.path); run mesa benchmark-bo without --report-only first (it writes the designs)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(DesignFile.self, from: data)
        } catch {
            throw OptimizationError.invalidHistory("\(url.path) is not a designs file of mesa benchmark-bo: \(error)")
        }
    }

    /// The header of a traces file.
    public static let tracesHeader = "method,problem,seed,evaluation,value,best,seconds"

    /// Writes `traces` as CSV.
    static func writeTraces(_ traces: [Trace], to url: URL) throws {
        var text = tracesHeader + "\n"
        for t in traces { text += "\(t.method),\(t.problem),\(t.seed),\(t.evaluation),\(t.value),\(t.best),\(t.seconds)\n" }
        try OutputFile(url, contents: "the traces").write(text)
    }

    /// Reads a traces file (Mesa's or another tool's in the same format).
    public static func readTraces(_ url: URL) throws -> [Trace] {
        let table: CSVTable
        do {
            table = try CSVTable(contentsOf: url)
        } catch {
            throw OptimizationError.invalidHistory("cannot read the traces \(url.path): \(error)")
        }
        guard table.header == tracesHeader.split(separator: ",").map(String.init) else {
            throw OptimizationError.invalidHistory("\(url.path): the header must be \(tracesHeader), got \(table.header.joined(separator: ","))")
        }
        return try table.rows.enumerated().map { index, row in
            guard let seed = UInt64(row[2]), let evaluation = Int(row[3]), let value = Double(row[4]), let best = Double(row[5]),
                  let seconds = Double(row[6]) else {
                throw OptimizationError.invalidHistory("\(url.path), line \(index + 2): expected numbers in seed, evaluation, value, best and seconds")
            }
            return Trace(method: row[0], problem: row[1], seed: seed, evaluation: evaluation, value: value, best: best, seconds: seconds)
        }
    }
}
