import MesaCore
import Foundation

/// Turns table columns into the numbers the tabular in-context model reads, the same way at
/// pre-training time (synthetic tables) and at prediction time (users' tables).
///
/// - Column kinds (``detectedKind(_:)``): a column is numeric when its present values are all
///   numbers, or nearly all: at least 2 numbers making up at least 95 % of its present values (a
///   typo such as `12..5` in a numeric column does not turn it categorical); the odd values then
///   count as missing, and ``readingNote(for:declared:)`` reports them. Numbers with thousands
///   separators (`1,234`, `1,234,567.5`) are numbers when no value of the column uses commas
///   otherwise. `kinds` overrides the detection by name.
/// - Numeric columns: robust scaling `(x − median) / s` with `s` the interquartile range ÷ 1.349
///   (the standard deviation when that is 0, 1 when both are negligible next to the values'
///   magnitude: ``robustCenterAndScale(_:)``), clipped to `±clip`. Infinite values clip to the
///   ends.
/// - Categorical columns: levels coded by descending training frequency (ties by name) and
///   spread evenly over `[−1, 1]`; a level unseen in training counts as missing.
/// - Missing values (``TabularTable/isMissing(_:)``, and the odd values of a numeric column)
///   become 0, and every column with a missing value among the training or test rows gets an
///   indicator feature (1 where missing).
///
/// Statistics come from the training rows only, and do not depend on their order.
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
        /// Whether numbers with thousands separators (`1,234`) are numbers in this column.
        public var thousandsSeparators = false
    }

    /// The fitted columns, in feature order.
    public var columns: [Column]
    /// The clipping bound for scaled numeric values.
    public var clip: Double

    /// The number of features produced: one per column plus the indicators.
    public var featureCount: Int { columns.count + columns.filter(\.hasIndicator).count }

    /// The least share of a column's present values that must be numbers for it to be read as
    /// numeric when some are not.
    public static let numericShare = 0.95

    /// Fits on the training rows of `train`; `test` (if given) only decides which columns get
    /// missing-value indicators.
    public init(fitting train: TabularTable, test: TabularTable? = nil, kinds: [String: ColumnKind] = [:], clip: Double = 6) throws {
        guard train.count > 0 else { throw TabularError.invalidTable("the training table has a header but no rows") }
        if let unknown = kinds.keys.sorted().first(where: { !train.featureNames.contains($0) }) {
            throw TabularError.invalidTable("column '\(unknown)' given as numeric or categorical is not a feature of the training table (features: \(train.featureNames.joined(separator: ", ")))")
        }
        self.clip = clip
        columns = try zip(train.featureNames, train.columns).map { name, column in
            let census = column.census
            guard census.present > 0 else {
                throw TabularError.invalidTable("column '\(name)' has no values in any training row; drop it from the table (or pass --ignore \(name))")
            }
            let thousands = census.thousandsSeparators
            let kind = kinds[name] ?? Self.detectedKind(census)
            let numbers = census.numbers(thousandsSeparators: thousands)
            let testMissing = test.map { table in
                table.featureNames.firstIndex(of: name).map { j in
                    let testCensus = table.columns[j].census
                    return testCensus.missing > 0 || (kind == .numeric && testCensus.numbers(thousandsSeparators: thousands) < testCensus.present)
                } ?? false
            } ?? false
            let hasIndicator = census.missing > 0 || (kind == .numeric && numbers < census.present) || testMissing
            switch kind {
            case .numeric:
                guard numbers > 0 else {
                    let example = (0..<column.count).first { column.kind(at: $0).isPresent }.map { column.text(at: $0) } ?? ""
                    throw TabularError.invalidTable("column '\(name)' was declared numeric but none of its values is a number (e.g. '\(example)'); declare it categorical or fix the values")
                }
                var finite: [Double] = []
                finite.reserveCapacity(numbers)
                for row in 0..<column.count {
                    if let value = column.number(at: row, thousandsSeparators: thousands), value.isFinite { finite.append(value) }
                }
                let (center, scale) = Self.robustCenterAndScale(selectingIn: &finite)
                return Column(name: name, kind: .numeric, center: center, scale: scale, levels: [], hasIndicator: hasIndicator,
                              thousandsSeparators: thousands)
            case .categorical:
                var counts: [String: Int] = [:]
                let trimmed = column.trimmedLevels
                for (level, occurrences) in census.levelCounts.enumerated() where occurrences > 0 && column.levelKinds[level].isPresent {
                    counts[trimmed[level], default: 0] += occurrences
                }
                if case .values(let values) = column.storage {
                    for value in values where CSVColumn.unboxed(value) == nil { counts[CSVColumn.spelling(value), default: 0] += 1 }
                }
                let levels = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
                return Column(name: name, kind: .categorical, center: 0, scale: 1, levels: levels, hasIndicator: hasIndicator)
            }
        }
    }

    /// The kind a column is read as without an override: numeric when all its present values
    /// are numbers, or at least 2 are and they make up at least ``numericShare`` of them.
    public static func detectedKind(_ census: CSVColumn.Census) -> ColumnKind {
        let numbers = census.numbers(thousandsSeparators: census.thousandsSeparators)
        if numbers == census.present { return .numeric }
        return numbers >= 2 && Double(numbers) >= numericShare * Double(census.present) ? .numeric : .categorical
    }

    /// The features of `table`'s rows, row-major `[rows, featureCount]`: of the rows `rows`, in
    /// that order, when given (the predictors' canonical order, without copying the table).
    ///
    /// `table`'s columns are matched to the training columns by name (order may differ; extra
    /// columns are ignored); a training column absent from `table` is an error naming it.
    public func transform(_ table: TabularTable, rows: [Int]? = nil) throws -> [Float] {
        let positions = try columns.map { column -> Int in
            guard let index = table.featureNames.firstIndex(of: column.name) else {
                let missing = columns.map(\.name).filter { !table.featureNames.contains($0) }
                throw TabularError.invalidTable("the table to predict lacks the training column\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'" }.joined(separator: ", ")); add \(missing.count > 1 ? "them" : "it") (empty values count as missing) or drop \(missing.count > 1 ? "them" : "it") from the training table")
            }
            return index
        }
        let width = featureCount, rowCount = rows?.count ?? table.count
        var output = [Float](repeating: 0, count: rowCount * width)
        var indicator = columns.count
        output.withUnsafeMutableBufferPointer { output in
            for (j, fitted) in columns.enumerated() {
                let column = table.columns[positions[j]]
                let target = fitted.hasIndicator ? indicator : nil
                if fitted.hasIndicator { indicator += 1 }
                @inline(__always) func write(_ row: Int, _ value: Double?) {
                    output[row * width + j] = Float(value ?? 0)
                    if let target { output[row * width + target] = value == nil ? 1 : 0 }
                }
                let byLevel = encodedLevels(column, as: fitted)
                switch column.storage {
                case .codes(let codes):
                    for row in 0..<rowCount { write(row, byLevel[Int(codes[rows?[row] ?? row])]) }
                case .values(let values):
                    let index = fitted.kind == .categorical ? Dictionary(uniqueKeysWithValues: fitted.levels.enumerated().map { ($1, $0) }) : [:]
                    for row in 0..<rowCount {
                        let value = values[rows?[row] ?? row]
                        if let level = CSVColumn.unboxed(value) {
                            write(row, byLevel[level])
                        } else if fitted.kind == .numeric {
                            write(row, scaled(value, fitted))
                        } else {
                            write(row, index[CSVColumn.spelling(value)].map { levelValue($0, fitted) })
                        }
                    }
                }
            }
        }
        return output
    }

    /// The encoded value of each level of `column` read as `fitted` (`nil`: missing).
    private func encodedLevels(_ column: CSVColumn, as fitted: Column) -> [Double?] {
        switch fitted.kind {
        case .numeric:
            return zip(column.levelKinds, column.levelNumbers).map { kind, number in
                kind == .number || (kind == .groupedNumber && fitted.thousandsSeparators) ? scaled(number, fitted) : nil
            }
        case .categorical:
            let index = Dictionary(uniqueKeysWithValues: fitted.levels.enumerated().map { ($1, $0) })
            return zip(column.levelKinds, column.trimmedLevels).map { kind, text in
                kind.isPresent ? index[text].map { levelValue($0, fitted) } : nil
            }
        }
    }

    /// `number` robust-scaled and clipped.
    @inline(__always)
    private func scaled(_ number: Double, _ fitted: Column) -> Double {
        Swift.min(Swift.max((number - fitted.center) / fitted.scale, -clip), clip)
    }

    /// Categorical level `code` spread over `[−1, 1]`.
    private func levelValue(_ code: Int, _ fitted: Column) -> Double {
        fitted.levels.count > 1 ? 2 * Double(code) / Double(fitted.levels.count - 1) - 1 : 0
    }
}
