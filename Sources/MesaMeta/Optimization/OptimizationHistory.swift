import Foundation
import MesaCore

/// The evaluations of a black-box optimisation, kept in a CSV file as they are made, so that an
/// interrupted run loses nothing and resumes from the file.
///
/// The file has one column per parameter, named and ordered as in the ``SearchSpace``, then
/// `objective`:
///
/// ```
/// lr,layers,act,objective
/// 0.0031,4,gelu,0.4127
/// ```
///
/// Each evaluation is appended (and flushed to disk) as soon as it is made. Values are written
/// as the shortest text that reads back as the same number; categories containing commas or
/// quotes are quoted (RFC 4180). Reading checks the header against the space and every value
/// against its parameter's domain, and names the line of the first problem.
public struct OptimizationHistory: Sendable {
    /// One evaluation: a value per parameter (in the space's order) and the objective there.
    public struct Evaluation: Sendable, Equatable {
        /// The parameters' values.
        public var values: [ParameterValue]
        /// The objective's value (finite).
        public var objective: Double

        /// Creates an evaluation.
        public init(values: [ParameterValue], objective: Double) {
            self.values = values
            self.objective = objective
        }
    }

    /// The space the values belong to.
    public let space: SearchSpace
    /// The file the history is kept in (`nil`: memory only).
    public let url: URL?
    /// The evaluations, oldest first.
    public private(set) var evaluations: [Evaluation]

    /// An empty history in memory.
    public init(space: SearchSpace) {
        self.space = space
        url = nil
        evaluations = []
    }

    /// The history kept at `url`: read when the file exists, otherwise created (with its folder)
    /// holding just the header.
    ///
    /// - Throws: ``OptimizationError/invalidHistory(_:)`` when the file does not fit `space`.
    public init(space: SearchSpace, url: URL) throws {
        self.space = space
        self.url = url
        if FileManager.default.fileExists(atPath: url.path) {
            evaluations = try Self.read(from: url, space: space)
        } else {
            evaluations = []
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try OutputFile(url, contents: "the optimisation history", option: "--history").write(Self.header(for: space) + "\n")
        }
    }

    /// The header line: the parameters' names, then `objective`.
    public static func header(for space: SearchSpace) -> String {
        (space.names + [SearchSpace.objectiveColumn]).map(quoted).joined(separator: ",")
    }

    /// The CSV line of `evaluation` (no newline).
    public static func line(for evaluation: Evaluation) -> String {
        line(for: evaluation.values) + ",\(evaluation.objective)"
    }

    /// The CSV fields of `values` (one per parameter; no objective, no newline): a row of `mesa suggest`.
    public static func line(for values: [ParameterValue]) -> String {
        values.map { quoted($0.description) }.joined(separator: ",")
    }

    /// `field` quoted if it holds a comma, a quote, a line break or surrounding spaces.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) || field.trimmingCharacters(in: .whitespaces) != field else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Records `evaluation`, appending it to the file at once (when there is one).
    public mutating func append(_ evaluation: Evaluation) throws {
        if let url {
            let handle = try FileHandle(forUpdating: url)
            defer { try? handle.close() }
            let end = try handle.seekToEnd()
            var text = Self.line(for: evaluation) + "\n"
            if end > 0 {
                try handle.seek(toOffset: end - 1)
                if handle.readData(ofLength: 1) != Data("\n".utf8) { text = "\n" + text }
                try handle.seekToEnd()
            }
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
        }
        evaluations.append(evaluation)
    }

    /// The evaluation with the lowest objective (the highest when `maximize`), if any.
    public func best(maximize: Bool = false) -> Evaluation? {
        maximize ? evaluations.max { $0.objective < $1.objective } : evaluations.min { $0.objective < $1.objective }
    }

    /// The evaluations in the CSV file at `url`.
    ///
    /// - Throws: ``OptimizationError/invalidHistory(_:)`` when the file is unreadable, its header
    ///   is not the space's, or a value or objective does not parse.
    public static func read(from url: URL, space: SearchSpace) throws -> [Evaluation] {
        let name = url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw OptimizationError.invalidHistory("cannot read the history \(name)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !lines.isEmpty else { return [] }
        // A header-only file is a history with no evaluations yet; CSVTable wants a data row.
        let table: CSVTable
        do {
            table = try CSVTable(text: lines.count == 1 ? "\(lines[0])\n\(lines[0])" : text, source: name)
        } catch {
            throw OptimizationError.invalidHistory("\(error)".replacingOccurrences(of: "invalid data: ", with: ""))
        }
        let expected = space.names + [SearchSpace.objectiveColumn]
        guard table.header == expected else {
            throw OptimizationError.invalidHistory(
                "\(name): the header is \"\(table.header.joined(separator: ","))\", but the space needs \"\(expected.joined(separator: ","))\" (one column per parameter, in the space's order, then objective); use another --history file or fix the header")
        }
        guard lines.count > 1 else { return [] }
        return try table.rows.enumerated().map { index, row in
            let place = "\(name), line \(index + 2)"
            let values = try zip(space.parameters, row).map { parameter, cell in
                guard let value = parameter.value(parsing: cell) else {
                    throw OptimizationError.invalidHistory("\(place): \(parameter.name) = \"\(cell)\" is not a value of the space (\(parameter.domainDescription)); fix the row or widen the space")
                }
                return value
            }
            let cell = row[row.count - 1]
            guard let objective = Double(cell.trimmingCharacters(in: .whitespaces)), objective.isFinite else {
                throw OptimizationError.invalidHistory("\(place): the objective \"\(cell)\" is not a finite number; fix or delete the row")
            }
            return Evaluation(values: values, objective: objective)
        }
    }
}
