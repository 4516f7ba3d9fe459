import Foundation

/// A table read for prediction: named feature columns (compact ``CSVColumn``s) and the target
/// column's texts.
///
/// Built from a ``CSVTable``: the target is the column named `target` (default: the last);
/// every other column is a feature. Missing values are the usual spellings (see
/// ``isMissing(_:)``), in features and numeric targets alike; in a class-label target only an
/// empty cell is missing (``isMissingLabel(_:)``).
public struct TabularTable: Sendable {
    /// The feature column names, in file order.
    public var featureNames: [String]
    /// The feature columns, parallel to ``featureNames``.
    public var columns: [CSVColumn]
    /// The target column's name.
    public var targetName: String
    /// The target values (empty strings or other missing spellings where unknown, e.g. in a
    /// table of rows to predict).
    public var targets: [String]
    /// The file's data row of each row, once rows were selected (`nil`: row `i` is data row `i`).
    var sourceRows: [Int]?
    /// Where the file's data rows start.
    var lines = CSVTable.LineMap()

    /// Splits `table` into features and the target column.
    ///
    /// - Parameter target: the target column's name; `nil` takes the last column.
    /// - Parameter requireTarget: `false` lets a table to predict omit the target column.
    public init(_ table: CSVTable, target: String? = nil, requireTarget: Bool = true, source: String = "table") throws {
        guard table.header.count >= 1 else { throw TabularError.invalidTable("\(source) has no columns") }
        var index: Int?
        if let target {
            index = table.header.firstIndex(of: target)
            if index == nil && requireTarget {
                throw TabularError.invalidTable("\(source) has no column named '\(target)'; its columns are: \(table.header.joined(separator: ", ")). Choose the target with --target NAME")
            }
        } else if requireTarget {
            index = table.header.count - 1
        }
        if let duplicate = Dictionary(grouping: table.header, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw TabularError.invalidTable("\(source): the column name '\(duplicate)' appears twice; column names must be unique")
        }
        let features = table.header.indices.filter { $0 != index }
        featureNames = features.map { table.header[$0] }
        columns = features.map { table.columns[$0] }
        targetName = index.map { table.header[$0] } ?? (target ?? "target")
        targets = index.map { table.columns[$0].texts } ?? Array(repeating: "", count: table.rowCount)
        lines = table.lines
        guard !featureNames.isEmpty else {
            throw TabularError.invalidTable("\(source) has only the target column '\(targetName)'; at least one feature column is needed")
        }
    }

    /// Creates a table from rows of strings, `rows[i][j]` for row `i`, feature `j`.
    public init(featureNames: [String], rows: [[String]], targetName: String, targets: [String]) {
        self.featureNames = featureNames
        self.columns = featureNames.indices.map { j in CSVColumn(rows.map { $0[j] }) }
        self.targetName = targetName
        self.targets = targets
    }

    /// The number of rows.
    public var count: Int { targets.count }

    /// The feature values as strings, `rows[i][j]` for row `i`, feature `j` (convenient for small
    /// tables; the table itself stores columns).
    public var rows: [[String]] { (0..<count).map { row in columns.map { $0.text(at: row) } } }

    /// The file line on which row `row` starts (the header is line 1).
    public func line(ofRow row: Int) -> Int { lines.line(ofRow: sourceRows?[row] ?? row) }

    /// The rows at `indices`.
    public func selecting(_ indices: [Int]) -> TabularTable {
        var copy = self
        copy.columns = columns.map { $0.selecting(indices) }
        copy.targets = indices.map { targets[$0] }
        copy.sourceRows = indices.map { sourceRows?[$0] ?? $0 }
        return copy
    }

    /// The rows at `first` and those at `second` (a split), taken apart one column at a time:
    /// the table is consumed, and each of its columns is freed once copied, so a split never
    /// holds the table twice.
    public consuming func partitioned(_ first: [Int], _ second: [Int]) -> (TabularTable, TabularTable) {
        var columns = self.columns
        self.columns = []
        var firstColumns: [CSVColumn] = [], secondColumns: [CSVColumn] = []
        while let column = columns.popLast() {
            firstColumns.append(column.selecting(first))
            secondColumns.append(column.selecting(second))
        }
        let targets = self.targets, sourceRows = self.sourceRows
        var a = copy self
        var b = self
        a.columns = firstColumns.reversed()
        b.columns = secondColumns.reversed()
        a.targets = first.map { targets[$0] }
        b.targets = second.map { targets[$0] }
        a.sourceRows = first.map { sourceRows?[$0] ?? $0 }
        b.sourceRows = second.map { sourceRows?[$0] ?? $0 }
        return (a, b)
    }

    /// The table without the named feature columns.
    public func removingColumns(_ names: Set<String>) -> TabularTable {
        guard !names.isEmpty else { return self }
        let keep = featureNames.indices.filter { !names.contains(featureNames[$0]) }
        var copy = self
        copy.featureNames = keep.map { featureNames[$0] }
        copy.columns = keep.map { columns[$0] }
        return copy
    }

    /// Whether `field` spells a missing value: empty, `NA`, `N/A`, `NaN`, `-nan`, `null`, `None`,
    /// `<NA>`, `?` (any case, surrounding spaces ignored; ``CSVCellKind/missingSpelling``).
    public static func isMissing(_ field: String) -> Bool {
        var field = field
        return field.withUTF8 { bytes in
            let trimmed = CSVCell.trimmed(bytes)
            return trimmed.isEmpty || CSVCell.isMissingSpelling(trimmed)
        }
    }

    /// Whether a class label is missing: only an empty (or blank) cell. Labels such as `None`,
    /// `NA` or `null` are classes of their own (an ordinal target `None`, `Some`, `Marked`), unlike
    /// in feature and numeric target columns (``isMissing(_:)``).
    public static func isMissingLabel(_ field: String) -> Bool {
        field.trimmingSpaces().isEmpty
    }

    /// The number in `field`, `nil` for a missing value, and `.none` marking a non-number
    /// (``CSVNumber``'s plain numbers). Infinities (`inf`, `Infinity`, `-inf`) are numbers here
    /// and are clipped later.
    static func number(_ field: String) -> Double?? {
        if isMissing(field) { return .some(nil) }
        var trimmed = field.trimmingSpaces()
        guard let value = trimmed.withUTF8({ CSVNumber.plain($0) }) else { return .none }
        return .some(value)
    }
}
