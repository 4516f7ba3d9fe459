import Foundation

extension TabularPreprocessor {
    /// One sentence for the user on how the preprocessor reads `table`'s feature columns: how
    /// many are numeric and categorical, then, column by column, what a user would not expect:
    /// - a numeric column's cells that are not numbers, which count as missing (how many, and
    ///   the first three with their file lines);
    /// - numbers read with thousands separators;
    /// - a categorical column most of whose values are numbers (unless it was `declared`), with
    ///   the option that reads it as numbers.
    ///
    /// ```
    /// read 12 numeric and 3 categorical columns; column 'x': 2 cells that are not numbers
    /// treated as missing (line 17 '12..5', line 40 'abc')
    /// ```
    public func readingNote(for table: TabularTable, declared: [String: ColumnKind] = [:]) -> String {
        let numeric = columns.filter { $0.kind == .numeric }.count
        var clauses = ["read \(numeric) numeric and \(columns.count - numeric) categorical columns"]
        for fitted in columns {
            guard let index = table.featureNames.firstIndex(of: fitted.name) else { continue }
            let column = table.columns[index], census = column.census
            switch fitted.kind {
            case .numeric:
                if fitted.thousandsSeparators, let row = (0..<column.count).first(where: { column.kind(at: $0) == .groupedNumber }) {
                    clauses.append("column '\(fitted.name)': numbers with thousands separators ('\(column.text(at: row))')")
                }
                if let odd = oddCells(of: column, in: table, as: fitted) { clauses.append("column '\(fitted.name)': \(odd)") }
            case .categorical:
                let numbers = census.numbers(thousandsSeparators: census.thousandsSeparators)
                guard declared[fitted.name] == nil, numbers > 0, 2 * numbers >= census.present else { continue }
                let others = census.present - numbers
                let examples = Self.examples(in: table, column: column, count: others, matching: { kind in
                    kind == .text || kind == .commaNumber || (kind == .groupedNumber && !census.thousandsSeparators)
                })
                clauses.append("column '\(fitted.name)' read as categorical: \(others) of its \(census.present) values are not numbers (\(examples)); --numeric \(fitted.name) reads it as numbers, those as missing")
            }
        }
        return clauses.joined(separator: "; ")
    }

    /// The cells of `table`'s numeric columns that are not numbers (they count as missing), one
    /// clause per column, or `nil` when there are none: the note for a table of rows to predict.
    public func oddCellsNote(for table: TabularTable) -> String? {
        let clauses = columns.compactMap { fitted -> String? in
            guard fitted.kind == .numeric, let index = table.featureNames.firstIndex(of: fitted.name) else { return nil }
            return oddCells(of: table.columns[index], in: table, as: fitted).map { "column '\(fitted.name)': \($0)" }
        }
        return clauses.isEmpty ? nil : clauses.joined(separator: "; ")
    }

    /// "2 cells that are not numbers treated as missing (line 17 '12..5', line 40 'abc')", or
    /// `nil` when every present cell of the numeric `column` is a number.
    private func oddCells(of column: CSVColumn, in table: TabularTable, as fitted: Column) -> String? {
        let census = column.census
        let count = census.present - census.numbers(thousandsSeparators: fitted.thousandsSeparators)
        guard count > 0 else { return nil }
        let examples = Self.examples(in: table, column: column, count: count, matching: { kind in
            kind.isPresent && kind != .number && !(kind == .groupedNumber && fitted.thousandsSeparators)
        })
        return count == 1 ? "1 cell that is not a number treated as missing (\(examples))"
            : "\(count) cells that are not numbers treated as missing (\(examples))"
    }

    /// The first three cells of `column` whose kind passes `matches`, as `line 17 '12..5'`, with
    /// an ellipsis when `count` says there are more.
    private static func examples(in table: TabularTable, column: CSVColumn, count: Int, matching matches: (CSVCellKind) -> Bool) -> String {
        var found: [String] = []
        for row in 0..<column.count where matches(column.kind(at: row)) {
            var text = column.text(at: row)
            if text.count > 30 { text = String(text.prefix(29)) + "…" }
            found.append("line \(table.line(ofRow: row)) '\(text)'")
            if found.count == 3 { break }
        }
        return found.joined(separator: ", ") + (count > found.count ? ", …" : "")
    }
}
