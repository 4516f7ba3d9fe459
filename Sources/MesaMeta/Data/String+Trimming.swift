import Foundation

extension StringProtocol {
    /// The text without leading and trailing horizontal white space: exactly
    /// `trimmingCharacters(in: .whitespaces)` (tab and the Unicode space separators, category Zs),
    /// with a fast path for the common text that has none at either end (Foundation's version is
    /// slow on Linux). The CSV reader trims bytes instead: ``CSVCell/trimmed(_:)``.
    func trimmingSpaces() -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return "" }
        if !Self.isSpace(first) && !Self.isSpace(last) { return String(self) }
        return trimmingCharacters(in: .whitespaces)
    }

    /// Whether `scalar` belongs to `CharacterSet.whitespaces`: tab or a space separator (Zs).
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || (scalar.value > 0x7F && scalar.properties.generalCategory == .spaceSeparator)
    }
}
