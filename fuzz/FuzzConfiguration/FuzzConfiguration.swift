import Foundation
import MesaMeta

// libFuzzer target: arbitrary bytes decoded as each JSON configuration type (`scripts/fuzz`):
// pre-training (`mesa pretrain --config`), in-context training (`mesa train --config`),
// episodic meta-training (`mesa meta-train --config`) and the query policy's training
// (`mesa train-query-policy --config`). Beyond "no crash, no hang", a
// configuration that decodes and validates must write out as JSON (runs save it beside their
// checkpoints), and the written JSON must decode to an equal configuration that writes the
// same bytes.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let json = Data(bytes: data, count: size)
    checkRoundTrip(json, { try TabularPretrainingConfiguration(json: $0, source: "fuzz.json") }, { try $0.jsonData() })
    checkRoundTrip(json, { data in
        // Validating a projectedDataset task loads its data set (Fashion-MNIST, or a CSV file the
        // configuration names): reading files, not decoding, and slower than an input may take.
        // Such configurations are decoded but not validated.
        let decoded = try JSONDecoder().decode(InContextTrainingConfiguration.self, from: data)
        return decoded.task.family == .projectedDataset ? decoded : try InContextTrainingConfiguration(json: data, source: "fuzz.json")
    }, { try $0.jsonData() })
    checkRoundTrip(json, { try EpisodicConfiguration(json: $0, source: "fuzz.json") }, { try $0.jsonData() })
    checkRoundTrip(json, { try QueryPolicyConfiguration(json: $0, source: "fuzz.json") }, { try $0.jsonData() })
    return 0
}

func checkRoundTrip<Configuration: Equatable>(_ json: Data, _ decode: (Data) throws -> Configuration, _ encode: (Configuration) throws -> Data) {
    guard let configuration = try? decode(json) else { return }
    let name = String(describing: Configuration.self)
    let written: Data
    do { written = try encode(configuration) } catch { fail("a \(name) that decodes does not encode: \(error)") }
    let reread: Configuration
    do { reread = try decode(written) } catch {
        fail("a \(name) does not decode from its own JSON: \(error)\n\(String(decoding: written, as: UTF8.self))")
    }
    guard reread == configuration else { fail("a \(name) decodes from its own JSON to another value") }
    let rewritten: Data
    do { rewritten = try encode(reread) } catch { fail("a \(name) read back does not encode: \(error)") }
    if rewritten != written { fail("a \(name) read back encodes to other JSON") }
}

/// Stops the fuzzer with `message` (libFuzzer reports the input that got here).
func fail(_ message: String) -> Never {
    fatalError("fuzz invariant: \(message)")
}
