import Foundation
import XCTest

/// Runs the built `mesa` executable as a user would, for the command tests.
enum MesaProcess {
    /// The `mesa` binary beside the test bundle in the build folder.
    static var executable: URL {
        get throws {
            let candidates = [Bundle.main.bundleURL, Bundle(for: MesaCommandTests.self).bundleURL.deletingLastPathComponent()]
                .map { $0.appendingPathComponent("mesa") }
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
                throw XCTSkip("the mesa executable was not found beside the tests (looked in \(candidates.map(\.path)))")
            }
            return found
        }
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile(), err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

}
