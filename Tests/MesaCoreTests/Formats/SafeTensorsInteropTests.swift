import Foundation
import MesaCore
import XCTest

/// Files written by Mesa read by Python's `safetensors` and NumPy, and the other way round,
/// compared bit for bit. Skipped (with the reason printed) when `python3` or its `safetensors`
/// and `numpy` packages are not installed.
final class SafeTensorsInteropTests: XCTestCase {
    /// Runs `python3`, found through `PATH`, with `arguments`; returns its exit status and its
    /// standard output and error combined.
    func runPython(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()  // read before waiting: a full pipe would block Python
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Skips the test unless `python3` can import `safetensors` and `numpy`.
    func requirePythonSafeTensors() throws {
        let reason: String
        do {
            let result = try runPython(["-c", "import safetensors, numpy"])
            if result.status == 0 { return }
            reason = "python3 cannot import safetensors and numpy: \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))"
        } catch {
            reason = "cannot run python3 through /usr/bin/env: \(error)"
        }
        print("SafeTensorsInteropTests skipped: \(reason)")
        throw XCTSkip(reason)
    }

    /// Runs `script` with `arguments` and returns the JSON object it wrote to the file named by
    /// its last argument.
    func runScript(_ script: String, _ arguments: [String], in directory: URL) throws -> [String: Any] {
        let report = directory.appendingPathComponent("report.json")
        let result = try runPython(["-c", script] + arguments + [report.path])
        guard result.status == 0 else { throw PythonFailure(status: result.status, output: result.output) }
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: report))
        return try XCTUnwrap(object as? [String: Any])
    }

    struct PythonFailure: Error, CustomStringConvertible {
        let status: Int32
        let output: String
        var description: String { "python3 exited with status \(status):\n\(output)" }
    }

    func makeTemporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("SafeTensorsInteropTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    /// Checks `tensors` against the report's `{name: {"shape": [...], "bits": [UInt32 ...]}}`.
    func assertMatches(_ tensors: [(name: String, tensor: Tensor)], report: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try XCTUnwrap(report["tensors"] as? [String: [String: Any]], file: file, line: line)
        XCTAssertEqual(Set(expected.keys), Set(tensors.map(\.name)), file: file, line: line)
        for (name, tensor) in tensors {
            let entry = try XCTUnwrap(expected[name], name, file: file, line: line)
            XCTAssertEqual(entry["shape"] as? [Int], tensor.shape, name, file: file, line: line)
            XCTAssertEqual(entry["bits"] as? [Int], tensor.scalars.map { Int($0.bitPattern) }, name, file: file, line: line)
        }
    }

    func testPythonReadsWhatMesaWrites() throws {
        try requirePythonSafeTensors()
        var generator = RandomGenerator(seed: 3)
        let tensors: [(name: String, tensor: Tensor)] = [
            ("layers.1.weight", .randomNormal([8, 5], using: &generator)),
            ("layers.0.bias", Tensor([-0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, 1e38])),
            ("scalar", Tensor(-1.5)),
            ("empty", Tensor(shape: [4, 0], scalars: [])),
            ("naïve \"ünïcode\" 🎲", Tensor(shape: [1, 1, 1], scalars: [2])),
        ]
        let metadata = ["architecture": "TwoLayer", "config": #"{"width": 8}"#, "ünïcode": "🎲 \"quoted\"\n"]
        let directory = try makeTemporaryDirectory()
        let url = directory.appendingPathComponent("mesa.safetensors")
        try SafeTensors(tensors, metadata: metadata).write(to: url)

        let script = """
        import json, sys
        import numpy as np
        from safetensors import safe_open
        from safetensors.numpy import load_file
        path, out = sys.argv[1], sys.argv[2]
        arrays = load_file(path)
        with safe_open(path, framework="np") as f:
            metadata = f.metadata()
        assert all(a.dtype == np.float32 for a in arrays.values()), [a.dtype for a in arrays.values()]
        tensors = {name: {"shape": list(a.shape), "bits": a.view(np.uint32).ravel().tolist()} for name, a in arrays.items()}
        json.dump({"metadata": metadata, "tensors": tensors}, open(out, "w"))
        """
        let report = try runScript(script, [url.path], in: directory)
        XCTAssertEqual(report["metadata"] as? [String: String], metadata)
        try assertMatches(tensors, report: report)
    }

    func testMesaReadsWhatPythonWrites() throws {
        try requirePythonSafeTensors()
        let directory = try makeTemporaryDirectory()
        let url = directory.appendingPathComponent("python.safetensors")
        let script = """
        import json, sys
        import numpy as np
        from safetensors.numpy import save_file
        path, out = sys.argv[1], sys.argv[2]
        rng = np.random.default_rng(0)
        arrays = {
            "encoder.weight": rng.standard_normal((3, 4)).astype(np.float32),
            "encoder.bias": np.array([1.5, -0.0, np.inf, np.nan], dtype=np.float32),
            "scalar": np.array(3.25, dtype=np.float32),
            "empty": np.zeros((2, 0), dtype=np.float32),
            "half": (rng.standard_normal(7) * 1000).astype(np.float16),
            "double": rng.standard_normal((2, 2)) * 1e10,
            "int64": np.arange(-3, 3, dtype=np.int64).reshape(2, 3),
            "int32": np.array([7, -8], dtype=np.int32),
            "uint8": np.array([0, 255], dtype=np.uint8),
            "naïve ünïcode": np.array([1], dtype=np.float32),
        }
        metadata = {"architecture": "mlp", "note": "written by Python, ünïcode \\"quoted\\""}
        save_file(arrays, path, metadata=metadata)
        tensors = {name: {"shape": list(a.shape), "bits": np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).ravel().tolist()}
                   for name, a in arrays.items()}
        json.dump({"metadata": metadata, "tensors": tensors}, open(out, "w"))
        """
        let report = try runScript(script, [url.path], in: directory)
        let loaded = try SafeTensors(contentsOf: url)
        XCTAssertEqual(loaded.metadata, report["metadata"] as? [String: String])
        XCTAssertEqual(loaded.metadata["architecture"], "mlp")
        try assertMatches(loaded.tensors, report: report)
    }
}
