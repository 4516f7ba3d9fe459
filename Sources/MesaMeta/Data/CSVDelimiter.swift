import Foundation

/// The byte that separates a CSV file's fields: comma, semicolon (spreadsheets in locales with
/// a decimal comma), tab or pipe.
public enum CSVDelimiter: String, CaseIterable, Sendable {
    /// `,`
    case comma = ","
    /// `;`
    case semicolon = ";"
    /// A tab character.
    case tab = "\t"
    /// `|`
    case pipe = "|"

    /// The delimiter's name, for messages.
    public var name: String {
        switch self {
        case .comma: "comma"
        case .semicolon: "semicolon"
        case .tab: "tab"
        case .pipe: "pipe"
        }
    }

    /// The delimiter's byte.
    var byte: UInt8 { rawValue.utf8.first! }

    /// A delimiter from a user's spelling: the character itself (`,` `;` `|`), `tab` or `\t`, or
    /// a name (`comma`, `semicolon`, `pipe`).
    public init?(argument: String) {
        let spelling = argument.lowercased()
        if let found = Self.allCases.first(where: { $0.rawValue == argument || $0.name == spelling }) {
            self = found
        } else if spelling == "\\t" {
            self = .tab
        } else {
            return nil
        }
    }

    /// The delimiter that splits the header line and the first data rows (up to 20)
    /// consistently into the most fields: the header must have at least two, and every sampled
    /// row as many as the header. When none does, the one giving the header the most fields
    /// (comma on ties), so that the ragged row or the empty column name is what gets reported.
    static func detect(in bytes: UnsafeBufferPointer<UInt8>) -> CSVDelimiter {
        var best: (delimiter: CSVDelimiter, fields: Int)?
        var widest: (delimiter: CSVDelimiter, fields: Int) = (.comma, 0)
        for candidate in allCases {
            var reader = CSVReader(bytes: bytes, delimiter: candidate.byte, source: "")
            var counts: [Int] = []
            while counts.count < 21, let record = try? reader.readRecord({ _, _, _ in }) { counts.append(record.fields) }
            guard let header = counts.first else { return .comma }
            if header > widest.fields { widest = (candidate, header) }
            if header >= 2, counts.allSatisfy({ $0 == header }), header > (best?.fields ?? 0) { best = (candidate, header) }
        }
        return best?.delimiter ?? widest.delimiter
    }
}
