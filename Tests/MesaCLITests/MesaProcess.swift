import Foundation
import XCTest

/// Runs the built `mesa` executable as a user would, for the command tests.
enum MesaProcess {
    /// The `mesa` binary beside the test bundle in the build folder. Missing, the command tests
    /// are skipped on a developer's machine but fail under CI (`CI=true`), where a skip would hide
    /// that no command was tested.
    static var executable: URL {
        get throws {
            let candidates = [Bundle.main.bundleURL, Bundle(for: MesaCommandTests.self).bundleURL.deletingLastPathComponent()]
                .map { $0.appendingPathComponent("mesa") }
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
                let message = "the mesa executable was not found beside the tests (looked in \(candidates.map(\.path)))"
                if ProcessInfo.processInfo.environment["CI"] == "true" { throw MissingExecutable(message: message) }
                throw XCTSkip(message)
            }
            return found
        }
    }

    /// Runs `mesa` with `arguments` (in `folder`, if given) to its end.
    static func run(_ arguments: [String], in folder: URL? = nil) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        if let folder { process.currentDirectoryURL = folder }
        // Under scripts/sanitize, `mesa` checks itself for leaks while the test runner does not
        // (XCTest keeps every test case alive): the runner's ASAN_OPTIONS are replaced for it.
        if let options = ProcessInfo.processInfo.environment["MESA_COMMAND_ASAN_OPTIONS"] {
            process.environment = ProcessInfo.processInfo.environment.merging(["ASAN_OPTIONS": options]) { $1 }
        }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile(), err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

/// The `mesa` executable is missing where it must be present (under CI).
struct MissingExecutable: Error, CustomStringConvertible {
    let message: String
    var description: String { "\(message); under CI the command tests must run" }
}
