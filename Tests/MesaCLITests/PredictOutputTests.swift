import Foundation
import XCTest
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// Where `mesa predict --output` writes: standard output, link targets, FIFOs and devices are
/// written, not replaced; inputs, folders, missing or unwritable folders and full devices are
/// refused with one sentence, before any work. Devices are reached through links in a temporary
/// folder, so that a regression could only ever replace the link (the tests may run as root).
final class PredictOutputTests: ScratchFolderTestCase {
    var train: String!

    override func setUpWithError() throws {
        try super.setUpWithError()
        train = directory.appendingPathComponent("train.csv").path
        var csv = "a,b,y\n"
        for i in 0..<12 { csv += "\(i),\(i % 3),\(i % 2 == 0 ? "p" : "q")\n" }
        try csv.write(toFile: train, atomically: true, encoding: .utf8)
    }

    override func tearDown() {
        chmod(directory.appendingPathComponent("readonly").path, 0o755)
        super.tearDown()
    }

    func predict(_ output: String, _ extra: [String] = []) throws -> (status: Int32, output: String, error: String) {
        try MesaProcess.run(["predict", "--train", train, "--ensemble", "1", "--output", output] + extra, in: directory)
    }

    func link(_ name: String, to target: String) -> String {
        let path = directory.appendingPathComponent(name).path
        XCTAssertEqual(symlink(target, path), 0)
        return path
    }

    func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    func testStandardOutputCarriesThePredictionsAloneAndTheMessagesGoToStandardError() throws {
        for output in ["-", link("stdout", to: "/dev/stdout")] {
            let result = try predict(output)
            XCTAssertEqual(result.status, 0, result.error)
            let lines = result.output.split(separator: "\n")
            XCTAssertEqual(lines.first, "prediction,p_p,p_q", "\(output): \(result.output)")
            XCTAssertEqual(lines.count, 7, "a header and the 6 held-out rows: \(result.output)")
            XCTAssertTrue(result.error.contains("mesa predict: ") && result.error.contains("accuracy"), result.error)
        }
        XCTAssertTrue(isLink(directory.appendingPathComponent("stdout").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("-").path), "'-' is no file name")
    }

    func testALinkIsFollowedAndItsTargetReplacedWhereItLies() throws {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        let target = directory.appendingPathComponent("data/predictions.csv").path
        try "old".write(toFile: target, atomically: true, encoding: .utf8)
        let output = link("latest.csv", to: "data/predictions.csv")
        let result = try predict(output)
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(isLink(output), "the link is kept")
        XCTAssertTrue(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("prediction,p_p,p_q\n"))
    }

    func testAFIFOIsWrittenThrough() throws {
        let fifo = directory.appendingPathComponent("pipe").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        XCTAssertGreaterThanOrEqual(reader, 0)
        defer { close(reader) }
        let result = try predict(fifo)
        XCTAssertEqual(result.status, 0, result.error)
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(reader, &buffer, buffer.count)
        XCTAssertTrue(String(decoding: buffer[..<max(count, 0)], as: UTF8.self).hasPrefix("prediction,p_p,p_q\n"))
        var info = stat()
        XCTAssertEqual(lstat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "the FIFO stays a FIFO")
    }

    func testAFullDeviceIsAnError() throws {
        let full = link("full", to: "/dev/full")
        let result = try predict(full)
        XCTAssertNotEqual(result.status, 0, "a full device is no success")
        XCTAssertTrue(result.error.contains("cannot write predictions to \(full): the device is full (no space left); free some space or choose another --output"),
                      result.error)
        XCTAssertTrue(isLink(full))
    }

    func testAnInputIsNeverOverwritten() throws {
        let test = directory.appendingPathComponent("test.csv").path
        try "a,b\n1,2\n".write(toFile: test, atomically: true, encoding: .utf8)
        let before = try String(contentsOfFile: train, encoding: .utf8)
        for (output, role) in [(train!, "--train"), ("./sub/../train.csv", "--train"), (test, "--test")] {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
            let result = try predict(output, ["--test", test])
            XCTAssertNotEqual(result.status, 0, "\(output) must be refused")
            XCTAssertTrue(result.error.contains("cannot write predictions to \(output): it is the \(role) file, which would be overwritten; choose another --output"),
                          result.error)
        }
        XCTAssertEqual(try String(contentsOfFile: train, encoding: .utf8), before)
        XCTAssertEqual(try String(contentsOfFile: test, encoding: .utf8), "a,b\n1,2\n")
    }

    /// Each is refused before the tables are read (no summary line), in one sentence.
    func testUnwritableOutputsAreExplainedBeforeTheWork() throws {
        var cases: [(output: String, message: String)] = [
            (directory.path, "cannot write predictions to \(directory.path): it is a folder; give the path of a file (e.g. inside that folder) or choose another --output"),
            ("missing/out.csv", "cannot write predictions to missing/out.csv: the folder \(directory.path)/missing does not exist; create it or choose another --output"),
            ("train.csv/out.csv", "cannot write predictions to train.csv/out.csv: \(directory.path)/train.csv is not a folder; choose another --output"),
        ]
        #if os(Linux)
        cases.append(("/proc/mesa-predictions.csv", "cannot write predictions to /proc/mesa-predictions.csv: the folder /proc does not accept new files; choose another --output"))
        #endif
        let readOnly = directory.appendingPathComponent("readonly")
        try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(readOnly.path, 0o555), 0)
        if access(readOnly.path, W_OK) != 0 {   // not root, who ignores permissions
            cases.append(("readonly/out.csv", "cannot write predictions to readonly/out.csv: the folder \(readOnly.path) is not writable (permission denied); change its permissions or choose another --output"))
        }
        for (output, message) in cases {
            let result = try predict(output)
            XCTAssertNotEqual(result.status, 0, output)
            XCTAssertEqual(result.error, "Error: \(message)\n")
            XCTAssertFalse(result.output.contains("labelled rows"), "refused before the work: \(result.output)")
        }
    }
}
