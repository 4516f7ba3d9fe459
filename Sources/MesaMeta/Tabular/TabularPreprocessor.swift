import MesaCore
import Foundation

/// Turns table columns into the numbers the tabular in-context model reads, the same way at
/// pre-training time (synthetic tables) and at prediction time (users' tables).
///
/// - Column kinds: a column is numeric when every present value parses as a number (infinities
///   included), categorical otherwise; `kinds` overrides the detection by name.
/// - Numeric columns: robust scaling `(x − median) / s` with `s` the interquartile range ÷ 1.349
///   (the standard deviation when that is 0, 1 when both are), clipped to `±clip`. Infinite
///   values clip to the ends.
/// - Categorical columns: levels coded by descending training frequency (ties by name) and
///   spread evenly over `[−1, 1]`; a level unseen in training counts as missing.
/// - Missing values (``TabularTable/isMissing(_:)``) become 0, and every column with a missing
///   value among the training or test rows gets an indicator feature (1 where missing).
///
/// Statistics come from the training rows only.
public struct TabularPreprocessor: Sendable, Codable, Equatable {
    /// How a column is read.
    public enum ColumnKind: String, ConfigurationChoice {
        /// Numbers.
        case numeric
        /// Labels from a finite set.
        case categorical
    }

    /// One fitted column.
    public struct Column: Sendable, Codable, Equatable {
        /// The column name.
        public var name: String
        /// Numeric or categorical.
        public var kind: ColumnKind
        /// The median (numeric).
        public var center: Double
        /// The robust scale (numeric).
        public var scale: Double
        /// The levels in code order (categorical).
        public var levels: [String]
        /// Whether the column gets a missing-value indicator feature.
        public var hasIndicator: Bool
    }

    /// The fitted columns, in feature order.
    public var columns: [Column]
    /// The clipping bound for scaled numeric values.
    public var clip: Double

    /// The number of features produced: one per column plus the indicators.
    public var featureCount: Int { columns.count + columns.filter(\.hasIndicator).count }

    /// Fits on the training rows of `train`; `test` (if given) only decides which columns get
    /// missing-value indicators.
    public init(fitting train: TabularTable, test: TabularTable? = nil, kinds: [String: ColumnKind] = [:], clip: Double = 6) throws {
        guard train.count > 0 else { throw TabularError.invalidTable("the training table has a header but no rows") }
        if let unknown = kinds.keys.first(where: { !train.featureNames.contains($0) }) {
            throw TabularError.invalidTable("column '\(unknown)' given as numeric or categorical is not a feature of the training table (features: \(train.featureNames.joined(separator: ", ")))")
        }
        self.clip = clip
        columns = try train.featureNames.enumerated().map { index, name in
            let values = train.rows.map { $0[index] }
            let present = values.filter { !TabularTable.isMissing($0) }
            guard !present.isEmpty else {
                throw TabularError.invalidTable("column '\(name)' has no values in any training row; drop it from the table (or pass --ignore \(name))")
            }
            let numbers = present.map { TabularTable.number($0) }
            let parsesAsNumbers = numbers.allSatisfy { $0 != nil }
            let kind = kinds[name] ?? (parsesAsNumbers ? .numeric : .categorical)
            let testMissing = test.map { table in
                table.featureNames.firstIndex(of: name).map { j in table.rows.contains { TabularTable.isMissing($0[j]) } } ?? false
            } ?? false
            let hasIndicator = present.count < values.count || testMissing
            switch kind {
            case .numeric:
                guard parsesAsNumbers else {
                    let bad = present.first { TabularTable.number($0) == nil } ?? ""
                    throw TabularError.invalidTable("column '\(name)' was declared numeric but holds '\(bad)'; declare it categorical or fix the value")
                }
                let finite = numbers.compactMap { $0! }.filter(\.isFinite).sorted()
                let (center, scale) = Self.robustCenterAndScale(finite)
                return Column(name: name, kind: .numeric, center: center, scale: scale, levels: [], hasIndicator: hasIndicator)
            case .categorical:
                let counts = Dictionary(present.map { ($0.trimmingSpaces(), 1) }, uniquingKeysWith: +)
                let levels = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
                return Column(name: name, kind: .categorical, center: 0, scale: 1, levels: levels, hasIndicator: hasIndicator)
            }
        }
    }

    /// Median and interquartile range ÷ 1.349 (falling back to the standard deviation, then 1).
    static func robustCenterAndScale(_ sorted: [Double]) -> (Double, Double) {
        guard !sorted.isEmpty else { return (0, 1) }
        func quantile(_ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
            return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
        }
        let center = quantile(0.5)
        var scale = (quantile(0.75) - quantile(0.25)) / 1.349
        if !(scale > 1e-12) {
            let mean = sorted.reduce(0, +) / Double(sorted.count)
            scale = (sorted.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(sorted.count)).squareRoot()
        }
        return (center, scale > 1e-12 ? scale : 1)
    }

    /// The features of `table`'s rows, row-major `[rows, featureCount]`.
    ///
    /// `table`'s columns are matched to the training columns by name (order may differ; extra
    /// columns are ignored); a training column absent from `table` is an error naming it.
    public func transform(_ table: TabularTable) throws -> [Float] {
        let positions = try columns.map { column -> Int in
            guard let index = table.featureNames.firstIndex(of: column.name) else {
                let missing = columns.map(\.name).filter { !table.featureNames.contains($0) }
                throw TabularError.invalidTable("the table to predict lacks the training column\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'" }.joined(separator: ", ")); add \(missing.count > 1 ? "them" : "it") (empty values count as missing) or drop \(missing.count > 1 ? "them" : "it") from the training table")
            }
            return index
        }
        let width = featureCount
        var output = [Float](repeating: 0, count: table.count * width)
        for (rowIndex, row) in table.rows.enumerated() {
            var indicator = columns.count
            for (j, column) in columns.enumerated() {
                let field = row[positions[j]]
                var value: Double?
                if !TabularTable.isMissing(field) {
                    switch column.kind {
                    case .numeric:
                        if case .some(.some(let number)) = TabularTable.number(field) {
                            value = number.isNaN ? nil : Swift.min(Swift.max((number - column.center) / column.scale, -clip), clip)
                        }
                    case .categorical:
                        if let code = column.levels.firstIndex(of: field.trimmingSpaces()) {
                            value = column.levels.count > 1 ? 2 * Double(code) / Double(column.levels.count - 1) - 1 : 0
                        }
                    }
                }
                output[rowIndex * width + j] = Float(value ?? 0)
                if column.hasIndicator {
                    output[rowIndex * width + indicator] = value == nil ? 1 : 0
                    indicator += 1
                }
            }
        }
        return output
    }
}
