import Foundation

/// An objective given as a command line: each evaluation runs the command with `{name}`
/// placeholders replaced by the parameters' values, and the objective is the last number the
/// command prints on standard output.
///
/// ```swift
/// let command = try BlackBoxCommand(arguments: ["./objective.sh", "{x}", "--lr={lr}"], space: space)
/// let loss = try command.evaluate([.real(0.3), .real(0.001)])   // runs ./objective.sh 0.3 --lr=0.001
/// ```
///
/// A placeholder is `{` + a parameter name + `}` anywhere inside an argument; braces around
/// anything else (`awk '{print $1}'`) are left alone. The command runs directly (no shell) in
/// the current folder, with standard input closed; its standard output and error are captured,
/// and their last lines are quoted when it fails. The "last number" is the last token of standard
/// output that reads as a number once split at spaces and `,;:=()[]{}<>"'` and stripped of a
/// trailing `.` or `%` (`loss=0.25.` gives 0.25).
public struct BlackBoxCommand: Sendable {
    /// The command line with its placeholders.
    public let arguments: [String]
    /// The parameter names, in the space's order.
    public let names: [String]

    /// A command for `space`.
    ///
    /// - Throws: ``OptimizationError/evaluationFailed(_:)`` when there is no command, a
    ///   placeholder names no parameter, a parameter appears in no placeholder, or the program is
    ///   not an executable file (a path) or not on `PATH` (a bare name).
    public init(arguments: [String], space: SearchSpace) throws {
        guard let program = arguments.first, !program.isEmpty else {
            throw OptimizationError.evaluationFailed("no objective command: give it after --, e.g. -- ./objective.sh \(space.names.map { "{\($0)}" }.joined(separator: " "))")
        }
        let used = Set(arguments.flatMap(Self.placeholders))
        for name in used.sorted() where !space.names.contains(name) {
            throw OptimizationError.evaluationFailed("the objective command uses the placeholder {\(name)}, which names no parameter; the parameters are \(space.names.joined(separator: ", "))")
        }
        for name in space.names where !used.contains(name) {
            throw OptimizationError.evaluationFailed("the objective command never uses {\(name)}; put every parameter in the command as a {name} placeholder so that the command sees its value")
        }
        _ = try Self.executable(program)
        self.arguments = arguments
        names = space.names
    }

    /// The placeholder names in `argument`, in order.
    static func placeholders(in argument: String) -> [String] {
        var names: [String] = []
        var rest = Substring(argument)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            let candidate = String(after[..<close])
            if SearchSpace.isValidName(candidate) { names.append(candidate); rest = after[after.index(after: close)...] } else { rest = after }
        }
        return names
    }

    /// The command line for `values` (one per parameter, in the space's order).
    public func arguments(for values: [ParameterValue]) -> [String] {
        let table = Dictionary(uniqueKeysWithValues: zip(names, values.map(\.description)))
        return arguments.map { argument in
            var result = argument
            for name in Self.placeholders(in: argument) {
                if let value = table[name] { result = result.replacingOccurrences(of: "{\(name)}", with: value) }
            }
            return result
        }
    }

    /// The command line for `values` as one string, arguments with spaces quoted: for messages.
    public func displayed(for values: [ParameterValue]) -> String {
        arguments(for: values).map { $0.contains(where: \.isWhitespace) || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ")
    }

    /// Runs the command for `values` and returns the objective (the last number it printed).
    ///
    /// - Throws: ``OptimizationError/evaluationFailed(_:)`` when the command cannot start, exits
    ///   with a non-zero status or a signal, or prints no finite number; the message quotes the
    ///   command line and the last lines of its output.
    public func evaluate(_ values: [ParameterValue]) throws -> Double {
        let line = arguments(for: values)
        let shown = displayed(for: values)
        let process = Process()
        process.executableURL = try Self.executable(line[0])
        process.arguments = Array(line.dropFirst())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-objective-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputURL = folder.appendingPathComponent("stdout"), errorURL = folder.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil),
              FileManager.default.createFile(atPath: errorURL.path, contents: nil) else {
            throw OptimizationError.evaluationFailed("cannot create the files that capture the objective command's output in \(folder.path)")
        }
        let output = try FileHandle(forWritingTo: outputURL), error = try FileHandle(forWritingTo: errorURL)
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw OptimizationError.evaluationFailed("could not start the objective command `\(shown)`: \(error.localizedDescription)")
        }
        process.waitUntilExit()
        try? output.close()
        try? error.close()
        let printed = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        let complaints = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
        func tail() -> String {
            let lines = (complaints + "\n" + printed).split(whereSeparator: \.isNewline).suffix(5)
            return lines.isEmpty ? " (it printed nothing)" : "; its last output:\n" + lines.map { "    \($0)" }.joined(separator: "\n")
        }
        guard process.terminationReason == .exit else {
            throw OptimizationError.evaluationFailed("the objective command `\(shown)` was killed by signal \(process.terminationStatus)\(tail())")
        }
        guard process.terminationStatus == 0 else {
            throw OptimizationError.evaluationFailed("the objective command `\(shown)` exited with status \(process.terminationStatus)\(tail())")
        }
        guard let objective = Self.lastNumber(in: printed) else {
            throw OptimizationError.evaluationFailed("the objective command `\(shown)` printed no number on standard output; it must print the objective as its last number\(tail())")
        }
        guard objective.isFinite else {
            throw OptimizationError.evaluationFailed("the objective command `\(shown)` printed \(objective) as its last number; the objective must be finite\(tail())")
        }
        return objective
    }

    /// The last number in `output` (see the type's discussion), finite or not; `nil` when none.
    public static func lastNumber(in output: String) -> Double? {
        let separators = Set(",;:=()[]{}<>\"'")
        let tokens = output.split { $0.isWhitespace || separators.contains($0) }
        for token in tokens.reversed() {
            var text = Substring(token)
            while let last = text.last, last == "." || last == "%" { text = text.dropLast() }
            if let value = Double(text) { return value }
        }
        return nil
    }

    /// The executable file of `program`: a path as given (relative to the current folder), or a
    /// bare name looked up on `PATH`.
    static func executable(_ program: String) throws -> URL {
        let manager = FileManager.default
        if program.contains("/") {
            var isFolder: ObjCBool = false
            let permissions = (try? manager.attributesOfItem(atPath: program)[.posixPermissions] as? Int) ?? 0
            guard manager.fileExists(atPath: program, isDirectory: &isFolder), !isFolder.boolValue, manager.isExecutableFile(atPath: program),
                  permissions & 0o111 != 0 else {
                throw OptimizationError.evaluationFailed(manager.fileExists(atPath: program)
                    ? "the objective command \(program) is not an executable file; make it executable (chmod +x \(program)) or run it through its interpreter (-- sh \(program) …)"
                    : "the objective command \(program) does not exist (looked in \(manager.currentDirectoryPath))")
            }
            return URL(fileURLWithPath: program)
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if manager.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw OptimizationError.evaluationFailed("the objective command \(program) is not a program on PATH; for a file in this folder write ./\(program)")
    }
}
