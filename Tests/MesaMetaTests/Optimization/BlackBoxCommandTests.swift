import Foundation
import MesaMeta
import XCTest

final class BlackBoxCommandTests: XCTestCase {
    private let space = try! SearchSpace(parameters: [
        SearchParameter(name: "x", domain: .continuous(low: -1, high: 1, logarithmic: false)),
        SearchParameter(name: "lr", domain: .continuous(low: 1e-4, high: 1, logarithmic: true)),
    ])

    func testPlaceholdersAreFilledInsideArgumentsAndOtherBracesLeftAlone() throws {
        let command = try BlackBoxCommand(arguments: ["/bin/sh", "-c", "echo {x} | awk '{print $1}'", "--lr={lr}"], space: space)
        XCTAssertEqual(command.arguments(for: [.real(0.5), .real(0.001)]), ["/bin/sh", "-c", "echo 0.5 | awk '{print $1}'", "--lr=0.001"])
    }

    func testTheObjectiveIsTheLastNumberPrinted() {
        XCTAssertEqual(BlackBoxCommand.lastNumber(in: "epoch 3\nloss=0.25.\n"), 0.25)
        XCTAssertEqual(BlackBoxCommand.lastNumber(in: "val: 1e-3, acc 97%\ndone\n"), 97)
        XCTAssertEqual(BlackBoxCommand.lastNumber(in: "-4.5"), -4.5)
        XCTAssertEqual(BlackBoxCommand.lastNumber(in: "(0.125)"), 0.125)
        XCTAssertNil(BlackBoxCommand.lastNumber(in: "no numbers here\n"))
        XCTAssertTrue(BlackBoxCommand.lastNumber(in: "loss nan")!.isNaN)
    }

    func testRunsTheCommandAndReadsItsOutput() throws {
        let command = try BlackBoxCommand(arguments: ["/bin/sh", "-c", "echo step 1; echo loss: {x} # {lr}"], space: space)
        XCTAssertEqual(try command.evaluate([.real(-0.75), .real(0.01)]), -0.75)
    }

    func testFailingCommandsAreClearErrors() throws {
        func failure(_ script: String) throws -> String {
            let command = try BlackBoxCommand(arguments: ["/bin/sh", "-c", script + " # {x} {lr}"], space: space)
            do {
                _ = try command.evaluate([.real(0.5), .real(0.1)])
                XCTFail("\(script) should fail")
                return ""
            } catch {
                return "\(error)"
            }
        }
        let status = try failure("echo 'out of memory' >&2; exit 3")
        XCTAssertTrue(status.contains("exited with status 3") && status.contains("out of memory") && status.contains("# 0.5 0.1"), status)
        XCTAssertTrue(try failure("echo hello").contains("printed no number on standard output"))
        XCTAssertTrue(try failure("echo loss nan").contains("printed nan as its last number; the objective must be finite"))
        XCTAssertTrue(try failure("kill -9 $$").contains("killed by signal 9"))
    }

    func testBadCommandLinesAreRefusedBeforeAnyEvaluation() throws {
        let plain = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-not-executable-\(UUID()).sh")
        try "echo 1\n".write(to: plain, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: plain.path)
        defer { try? FileManager.default.removeItem(at: plain) }
        let cases: [([String], String)] = [
            ([], "no objective command: give it after --, e.g. -- ./objective.sh {x} {lr}"),
            (["/bin/echo", "{x}", "{rate}", "{lr}"], "the placeholder {rate}, which names no parameter; the parameters are x, lr"),
            (["/bin/echo", "{x}"], "never uses {lr}"),
            (["./no-such-objective.sh", "{x}", "{lr}"], "does not exist"),
            ([plain.path, "{x}", "{lr}"], "is not an executable file; make it executable (chmod +x"),
            (["no-such-program-anywhere", "{x}", "{lr}"], "is not a program on PATH; for a file in this folder write ./no-such-program-anywhere"),
        ]
        for (arguments, expected) in cases {
            XCTAssertThrowsError(try BlackBoxCommand(arguments: arguments, space: space), "\(arguments)") { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error) should contain \(expected)")
            }
        }
    }
}
