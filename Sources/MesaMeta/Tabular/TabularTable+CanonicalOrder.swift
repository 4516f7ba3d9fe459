import Foundation

/// The canonical order in which the predictors read a labelled table, so that a prediction
/// depends on the table, not on the order of its file's columns and rows: the feature columns
/// sorted by name, the rows sorted by their contents (the target, then each column in name order).
///
/// Order matters to a prediction in three ways: the model reads features by position and the
/// ensemble's members draw feature orders as permutations of the positions; members draw row
/// subsamples by position, and ties among nearest rows go to the first; and floating-point sums
/// (attention, statistics) round differently in another order. Rows that sort as equal hold equal
/// texts and numbers, so they are interchangeable and the result is the same whatever the file's
/// order. The rows are not copied: the predictors keep the order and encode the rows in it
/// (``TabularPreprocessor/transform(_:rows:)``).
extension TabularTable {
    /// The table with its feature columns sorted by name (their cells are shared, not copied).
    func sortingColumnsByName() -> TabularTable {
        var copy = self
        let byName = featureNames.indices.sorted { featureNames[$0] < featureNames[$1] }
        copy.featureNames = byName.map { featureNames[$0] }
        copy.columns = byName.map { columns[$0] }
        return copy
    }

    /// The rows sorted by target text, then by each feature column in table order: by text
    /// (string order), except that numbers held as values (``CSVColumn/Storage/values``) sort
    /// by value, before the column's texts.
    func canonicalRowOrder() -> [Int] {
        let targetRanks = Self.ranks(of: targets)
        let keys = columns.map(CellKeys.init)
        // Through buffer pointers: a million rows take some twenty million comparisons, and copying
        // a column's keys out of the array would retain and release them in each.
        return targetRanks.withUnsafeBufferPointer { targetRanks in
            keys.withUnsafeBufferPointer { keys in
                (0..<count).sorted { a, b in
                    if targetRanks[a] != targetRanks[b] { return targetRanks[a] < targetRanks[b] }
                    for column in keys.indices {
                        if let ascending = keys[column].compare(a, b) { return ascending }
                    }
                    return false
                }
            }
        }
    }

    /// The rank of each text among the distinct texts of `texts` in string order (equal strings
    /// share a rank). Distinct texts are few in a target or a column's levels, so they are hashed
    /// and only they are sorted.
    static func ranks(of texts: [String]) -> [Int] {
        let rank = Dictionary(uniqueKeysWithValues: Set(texts).sorted().enumerated().map { ($1, $0) })
        return texts.map { rank[$0]! }
    }

    /// A column's cells as sort keys: a level by the rank of its text, a number stored as a value
    /// (``CSVColumn/Storage/values``) by the number itself, before the levels.
    private struct CellKeys {
        /// The cells' levels (``CSVColumn/Storage/codes``), or empty.
        let codes: [UInt32]
        /// The cells' numbers and boxed levels (``CSVColumn/Storage/values``), or empty.
        let values: [Double]
        let levelRanks: [Int]

        init(_ column: CSVColumn) {
            switch column.storage {
            case .codes(let codes): (self.codes, values) = (codes, [])
            case .values(let values): (codes, self.values) = ([], values)
            }
            levelRanks = TabularTable.ranks(of: column.levels)
        }

        /// `nil` when cells `a` and `b` are equal, else whether `a` comes first.
        @inline(__always)
        func compare(_ a: Int, _ b: Int) -> Bool? {
            if values.isEmpty {
                let (x, y) = (levelRanks[Int(codes[a])], levelRanks[Int(codes[b])])
                return x == y ? nil : x < y
            }
            let (x, y) = (values[a], values[b])
            switch (CSVColumn.unboxed(x), CSVColumn.unboxed(y)) {
            case let (p?, q?): return levelRanks[p] == levelRanks[q] ? nil : levelRanks[p] < levelRanks[q]
            case (nil, _?): return true
            case (_?, nil): return false
            case (nil, nil): return x.bitPattern == y.bitPattern ? nil : x.isTotallyOrdered(belowOrEqualTo: y)
            }
        }
    }
}
