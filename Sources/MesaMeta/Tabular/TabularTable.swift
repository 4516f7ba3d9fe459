import Foundation

/// A table read for prediction: named columns of raw strings, with the target column split off.
///
/// Built from a ``CSVTable``: the target is the column named `target` (default: the last);
/// every other column is a feature. Missing values are the usual spellings (see
/// ``isMissing(_:)``), in features and targets alike.
public struct TabularTable: Sendable {
    /// The feature column names, in file order.
    public var featureNames: [String]
    /// The feature values, `rows[i][j]` for row `i`, feature `j`.
    public var rows: [[String]]
    /// The target column's name.
    public var targetName: String
    /// The target values (empty strings or other missing spellings where unknown, e.g. in a
    /// table of rows to predict).
    public var targets: [String]

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
        featureNames = table.header.enumerated().filter { $0.offset != index }.map(\.element)
        rows = table.rows.map { row in row.enumerated().filter { $0.offset != index }.map(\.element) }
        targetName = index.map { table.header[$0] } ?? (target ?? "target")
        targets = index.map { i in table.rows.map { $0[i] } } ?? Array(repeating: "", count: table.rows.count)
        guard !featureNames.isEmpty else {
            throw TabularError.invalidTable("\(source) has only the target column '\(targetName)'; at least one feature column is needed")
        }
    }

    /// Creates a table from columns of strings.
    public init(featureNames: [String], rows: [[String]], targetName: String, targets: [String]) {
        self.featureNames = featureNames
        self.rows = rows
        self.targetName = targetName
        self.targets = targets
    }

    /// The number of rows.
    public var count: Int { rows.count }

    /// The rows at `indices`.
    public func selecting(_ indices: [Int]) -> TabularTable {
        TabularTable(featureNames: featureNames, rows: indices.map { rows[$0] }, targetName: targetName, targets: indices.map { targets[$0] })
    }

    /// The table without the named feature columns.
    public func removingColumns(_ names: Set<String>) -> TabularTable {
        guard !names.isEmpty else { return self }
        let keep = featureNames.indices.filter { !names.contains(featureNames[$0]) }
        return TabularTable(featureNames: keep.map { featureNames[$0] }, rows: rows.map { row in keep.map { row[$0] } },
                            targetName: targetName, targets: targets)
    }

    /// Whether `field` spells a missing value: empty, `NA`, `N/A`, `NaN`, `null`, `None`, `?`
    /// (any case, surrounding spaces ignored).
    public static func isMissing(_ field: String) -> Bool {
        let trimmed = field.trimmingSpaces()
        // Every missing spelling has at most 5 characters: longer fields skip the lowercasing.
        return trimmed.isEmpty || (trimmed.utf8.count <= 5 && missingSpellings.contains(trimmed.lowercased()))
    }

    /// Whether a class label is missing: only an empty (or blank) cell. Labels such as `None`,
    /// `NA` or `null` are classes of their own (an ordinal target `None`, `Some`, `Marked`), unlike
    /// in feature and numeric target columns (``isMissing(_:)``).
    public static func isMissingLabel(_ field: String) -> Bool {
        field.trimmingSpaces().isEmpty
    }

    static let missingSpellings: Set<String> = ["na", "n/a", "nan", "null", "none", "?", "-nan", "<na>"]

    /// The number in `field`, `nil` for a missing value, and `.nan` marking a non-number.
    /// Infinities (`inf`, `Infinity`, `-inf`) are numbers here and are clipped later.
    static func number(_ field: String) -> Double?? {
        if isMissing(field) { return .some(nil) }
        let trimmed = field.trimmingSpaces()
        if let value = Double(trimmed) { return .some(value) }
        switch trimmed.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": return .some(.infinity)
        case "-inf", "-infinity": return .some(-.infinity)
        default: return .none
        }
    }
}
