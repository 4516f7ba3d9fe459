import Foundation
@testable import MesaCore
import XCTest
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif

/// Every kind of output path: replaced atomically (regular files, new files, link targets),
/// written through (devices, FIFOs, open descriptors), or refused with a one-sentence reason.
final class OutputFileTests: XCTestCase {
    /// A fresh empty folder, removed (after its permissions are restored) at the end of the test.
    func makeFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("OutputFileTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock {
            chmod(folder.path, 0o755)
            try? FileManager.default.removeItem(at: folder)
        }
        return folder
    }

    func output(_ url: URL) -> OutputFile { OutputFile(url, contents: "predictions", option: "--output") }

    /// The message of the ``OutputFileError`` that `body` throws (a failure if it throws another or none).
    func message(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try body()
            XCTFail("expected an OutputFileError", file: file, line: line)
        } catch let error as OutputFileError {
            return error.description
        } catch {
            XCTFail("expected an OutputFileError, got \(error)", file: file, line: line)
        }
        return ""
    }

    func fileType(_ path: String) -> mode_t {
        var info = stat()
        XCTAssertEqual(lstat(path, &info), 0, path)
        return info.st_mode & S_IFMT
    }

    func testReplacesARegularFileKeepingItsPermissionsAndLeavesNoTemporaryFile() throws {
        let folder = try makeFolder()
        let url = folder.appendingPathComponent("out.csv")
        try "old".write(to: url, atomically: false, encoding: .utf8)
        chmod(url.path, 0o640)
        try output(url).write("new\n")
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "new\n")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int, 0o640)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["out.csv"])

        let fresh = folder.appendingPathComponent("new.csv")
        try output(fresh).write("fresh")
        XCTAssertEqual(try String(contentsOf: fresh, encoding: .utf8), "fresh")
    }

    func testAFailedStreamLeavesTheOldFileAndNoTemporaryFile() throws {
        struct Interrupted: Error {}
        let folder = try makeFolder()
        let url = folder.appendingPathComponent("out.csv")
        try "old".write(to: url, atomically: false, encoding: .utf8)
        XCTAssertThrowsError(try output(url).write { writer in
            try writer.write(Data("half".utf8))
            throw Interrupted()
        }) { XCTAssertTrue($0 is Interrupted) }
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), "old")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["out.csv"])
    }

    func testASymbolicLinkIsFollowedAndItsTargetReplacedKeepingTheLink() throws {
        let folder = try makeFolder()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        let target = folder.appendingPathComponent("data/target.csv")
        try "old".write(to: target, atomically: false, encoding: .utf8)
        let link = folder.appendingPathComponent("link.csv")
        XCTAssertEqual(symlink("data/target.csv", link.path), 0)   // relative to the link's folder
        try output(link).write("new")
        XCTAssertEqual(fileType(link.path), S_IFLNK, "the link stays a link")
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "new")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("data").path), ["target.csv"])

        let dangling = folder.appendingPathComponent("dangling.csv")
        XCTAssertEqual(symlink(folder.appendingPathComponent("data/created.csv").path, dangling.path), 0)
        try output(dangling).write("created")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("data/created.csv"), encoding: .utf8), "created")
    }

    func testAFIFOIsWrittenThroughNotReplaced() throws {
        let folder = try makeFolder()
        let fifo = folder.appendingPathComponent("pipe")
        XCTAssertEqual(mkfifo(fifo.path, 0o600), 0)
        let reader = open(fifo.path, O_RDONLY | O_NONBLOCK)   // a reader, so that opening for writing does not wait
        XCTAssertGreaterThanOrEqual(reader, 0)
        defer { close(reader) }
        try output(fifo).write("a,b\n1,2\n")
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        XCTAssertEqual(String(decoding: buffer[..<max(count, 0)], as: UTF8.self), "a,b\n1,2\n")
        XCTAssertEqual(fileType(fifo.path), S_IFIFO, "the FIFO stays a FIFO")
    }

    /// `/dev/full` is reached through a link, so that a regression can only replace the link,
    /// never the device (the tests may run as root).
    func testAFullDeviceIsAnErrorAndADeviceStaysADevice() throws {
        let folder = try makeFolder()
        let full = folder.appendingPathComponent("full")
        XCTAssertEqual(symlink("/dev/full", full.path), 0)
        let text = message { try output(full).write(String(repeating: "x", count: 100_000)) }
        XCTAssertEqual(text, "cannot write predictions to \(full.path): the device is full (no space left); free some space or choose another --output")
        XCTAssertEqual(fileType(full.path), S_IFLNK)
        let null = folder.appendingPathComponent("null")
        XCTAssertEqual(symlink("/dev/null", null.path), 0)
        try output(null).write("discarded")
        XCTAssertEqual(fileType(null.path), S_IFLNK)
        XCTAssertEqual(fileType("/dev/null"), S_IFCHR)
    }

    func testDescriptorPathsWriteToTheOpenDescriptor() throws {
        XCTAssertEqual(OutputFile.descriptorNumber(of: "/dev/stdout"), 1)
        XCTAssertEqual(OutputFile.descriptorNumber(of: "/dev/stderr"), 2)
        XCTAssertEqual(OutputFile.descriptorNumber(of: "/proc/self/fd/7"), 7)
        XCTAssertEqual(OutputFile.descriptorNumber(of: "/dev/fd/12"), 12)
        XCTAssertNil(OutputFile.descriptorNumber(of: "/dev/null"))
        XCTAssertTrue(OutputFile(path: "-", contents: "predictions").isStandardOutput)
        XCTAssertTrue(OutputFile(path: "/dev/stdout", contents: "predictions").isStandardOutput)

        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        defer { close(ends[0]) }
        let folder = try makeFolder()
        let link = folder.appendingPathComponent("to-pipe")
        XCTAssertEqual(symlink("/dev/fd/\(ends[1])", link.path), 0)
        try output(link).write("through the link\n")
        try OutputFile(path: "/dev/fd/\(ends[1])", contents: "predictions").write("directly\n")
        close(ends[1])
        let received = FileHandle(fileDescriptor: ends[0]).readDataToEndOfFile()
        XCTAssertEqual(String(decoding: received, as: UTF8.self), "through the link\ndirectly\n")
        XCTAssertEqual(fileType(link.path), S_IFLNK)
    }

    func testAFolderAMissingFolderAndAFileInThePathAreExplained() throws {
        let folder = try makeFolder()
        XCTAssertEqual(message { try output(folder).check() },
                       "cannot write predictions to \(folder.path): it is a folder; give the path of a file (e.g. inside that folder) or choose another --output")
        XCTAssertEqual(message { try output(folder).write("x") }, message { try output(folder).check() })
        let missing = folder.appendingPathComponent("no/such/out.csv")
        XCTAssertEqual(message { try output(missing).check() },
                       "cannot write predictions to \(missing.path): the folder \(folder.path)/no/such does not exist; create it or choose another --output")
        let file = folder.appendingPathComponent("file")
        try "x".write(to: file, atomically: false, encoding: .utf8)
        XCTAssertTrue(message { try output(file.appendingPathComponent("out.csv")).write("x") }.contains("\(file.path) is not a folder"))
    }

    /// Root ignores permissions: the read-only case is checked only when `access(2)` says the
    /// folder is really read-only.
    func testAReadOnlyFolderIsExplained() throws {
        let folder = try makeFolder()
        XCTAssertEqual(chmod(folder.path, 0o555), 0)
        guard access(folder.path, W_OK) != 0 else { throw XCTSkip("running as root: a read-only permission does not stop writing") }
        let url = folder.appendingPathComponent("out.csv")
        let expected = "cannot write predictions to \(url.path): the folder \(folder.path) is not writable (permission denied); change its permissions or choose another --output"
        XCTAssertEqual(message { try output(url).check() }, expected)
        XCTAssertEqual(message { try output(url).write("x") }, expected)
    }

    #if os(Linux)
    func testAFolderThatTakesNoNewFilesIsExplained() throws {
        let text = message { try output(URL(fileURLWithPath: "/proc/mesa-output-test.csv")).check() }
        XCTAssertTrue(text.hasPrefix("cannot write predictions to /proc/mesa-output-test.csv: the folder /proc "), text)
        XCTAssertTrue(text.hasSuffix("choose another --output"), text)
    }
    #endif

    func testAnInputIsNeverOverwritten() throws {
        let folder = try makeFolder()
        let train = folder.appendingPathComponent("train.csv")
        try "a,y\n1,p\n".write(to: train, atomically: false, encoding: .utf8)
        let other = folder.appendingPathComponent("other.csv")
        try "x".write(to: other, atomically: false, encoding: .utf8)
        let inputs = [(role: "--test", url: other), (role: "--train", url: train)]
        let respelled = URL(fileURLWithPath: folder.path + "/./sub/../train.csv")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let link = folder.appendingPathComponent("link.csv")
        XCTAssertEqual(symlink(train.path, link.path), 0)
        for url in [train, respelled, link] {
            XCTAssertEqual(message { try output(url).check(notOverwriting: inputs) },
                           "cannot write predictions to \(url.path): it is the --train file, which would be overwritten; choose another --output")
        }
        try output(folder.appendingPathComponent("predictions.csv")).check(notOverwriting: inputs)
        XCTAssertEqual(try String(contentsOf: train, encoding: .utf8), "a,y\n1,p\n")
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: folder.path)), ["train.csv", "other.csv", "sub", "link.csv"],
                       "checking leaves no file behind")
    }

    func testPrepareFolderCreatesParentsAndExplainsAFileInTheWay() throws {
        let folder = try makeFolder()
        let nested = folder.appendingPathComponent("a/b/c")
        try OutputFile.prepareFolder(nested, contents: "the reports", option: "--output")
        XCTAssertTrue(OutputFile.folderExists(nested.path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: nested.path), [])
        let file = folder.appendingPathComponent("file")
        try "x".write(to: file, atomically: false, encoding: .utf8)
        XCTAssertEqual(message { try OutputFile.prepareFolder(file.appendingPathComponent("reports"), contents: "the reports", option: "--output") },
                       "cannot write the reports to \(file.path)/reports: \(file.path) is not a folder; choose another --output")
    }

    /// A Foundation write error (here `FileHandle` on `/dev/full`) is explained by its errno.
    func testAFoundationWriteErrorIsExplainedByItsErrorNumber() throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: "/dev/full"))
        defer { try? handle.close() }
        XCTAssertThrowsError(try handle.write(contentsOf: Data("x".utf8))) { error in
            let explained = OutputFileError(explaining: error, writing: OutputFile(path: "runs/r/metrics.jsonl", contents: "the run's metrics", option: "--output"))
            XCTAssertEqual(explained.code, ENOSPC)
            XCTAssertEqual(explained.description,
                           "cannot write the run's metrics to runs/r/metrics.jsonl: the device is full (no space left); free some space or choose another --output")
        }
    }
}
