import Foundation

extension CSVColumn {
    /// How many cells of each kind a column holds, and how often each level occurs: what column
    /// kind detection and the reading notes count.
    public struct Census: Sendable {
        /// Occurrences of each level (``CSVColumn/levels``).
        var levelCounts: [Int]
        /// Cells of each ``CSVCellKind``, by raw value.
        private var kindCounts: [Int]

        /// The cells of `kind`.
        public func count(_ kind: CSVCellKind) -> Int { kindCounts[Int(kind.rawValue)] }

        /// Cells holding a value (neither blank nor a missing spelling).
        public var present: Int { kindCounts.reduce(0, +) - missing }
        /// Blank cells and missing spellings.
        public var missing: Int { count(.empty) + count(.missingSpelling) }

        /// Whether the column's numbers with thousands separators (`1,234`) read as numbers: it
        /// has some, and no number-like text with commas in other places (`1,5`, a decimal comma
        /// or a list), which would make `1,234` ambiguous.
        public var thousandsSeparators: Bool { count(.groupedNumber) > 0 && count(.commaNumber) == 0 }

        /// The cells that are numbers (grouped ones too when `thousandsSeparators`).
        public func numbers(thousandsSeparators: Bool) -> Int {
            count(.number) + (thousandsSeparators ? count(.groupedNumber) : 0)
        }

        init(column: CSVColumn) {
            levelCounts = [Int](repeating: 0, count: column.levels.count)
            kindCounts = [Int](repeating: 0, count: Int(CSVCellKind.text.rawValue) + 1)
            var unkeptNumbers = 0
            switch column.storage {
            case .codes(let codes):
                for code in codes { levelCounts[Int(code)] += 1 }
            case .values(let values):
                for value in values {
                    if let level = CSVColumn.unboxed(value) { levelCounts[level] += 1 } else { unkeptNumbers += 1 }
                }
            }
            for (level, occurrences) in levelCounts.enumerated() { kindCounts[Int(column.levelKinds[level].rawValue)] += occurrences }
            kindCounts[Int(CSVCellKind.number.rawValue)] += unkeptNumbers
        }
    }

    /// The column's census.
    public var census: Census { Census(column: self) }
}
