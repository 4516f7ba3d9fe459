import Foundation
import MesaCore

// libFuzzer target: arbitrary bytes through the safetensors reader (`scripts/fuzz`). Beyond
// "no crash, no hang", a file that reads must write out again, and the written bytes must read
// back to the same names, shapes, metadata and element bits, and write out byte for byte the
// same (so reading and writing agree on the format).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let file = try? SafeTensors(data: Data(bytes: data, count: size)) else { return 0 }
    let written: Data
    do { written = try file.serializedData() } catch { fail("a file that reads does not write: \(error)") }
    let reread: SafeTensors
    do { reread = try SafeTensors(data: written) } catch { fail("a written file does not read back: \(error)") }
    guard reread.names == file.names, reread.metadata == file.metadata else {
        fail("read back as \(reread.names) with \(reread.metadata.count) metadata keys, not \(file.names) with \(file.metadata.count)")
    }
    for name in file.names {
        guard let tensor = file[name], let copy = reread[name], tensor.shape == copy.shape,
              tensor.scalars.map(\.bitPattern) == copy.scalars.map(\.bitPattern) else {
            fail("tensor '\(name)' does not read back with the same shape and elements")
        }
    }
    let rewritten: Data
    do { rewritten = try reread.serializedData() } catch { fail("a file read back does not write: \(error)") }
    if rewritten != written { fail("writing the file read back gives other bytes (\(rewritten.count) against \(written.count))") }
    return 0
}

/// Stops the fuzzer with `message` (libFuzzer reports the input that got here).
func fail(_ message: String) -> Never {
    fatalError("fuzz invariant: \(message)")
}
