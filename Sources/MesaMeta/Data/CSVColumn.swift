import Foundation

/// One column of a ``CSVTable``, stored compactly instead of as one `String` per cell.
///
/// The distinct texts of the column are its **levels** (level 0 is the empty text), each judged
/// once (``CSVCellKind``: blank, missing spelling, number, grouped number, text) and parsed once.
/// The cells are stored one of two ways:
/// - **codes**: one `UInt32` level per cell (4 bytes a cell), while the column has few distinct
///   numbers (at most ``Builder/maximumNumericLevels``): categorical columns, class labels,
///   small integers. Every cell's text is kept exactly.
/// - **values**: one `Double` per cell (8 bytes a cell) once the column has more distinct
///   numbers than that: numeric columns. A cell that is not a plain number holds its level in the
///   payload of a quiet NaN (no parsed number is ever NaN: `nan` is a missing spelling), so a
///   NaN-aware reader sees it as "not a number" by construction. A number's text is not kept: it
///   reads back as its shortest spelling (`007` as `7`, `1.50` as `1.5`).
public struct CSVColumn: Sendable {
    /// The distinct cell texts kept, in order of first appearance; level 0 is `""`.
    public private(set) var levels: [String]
    /// Each level's kind.
    var levelKinds: [CSVCellKind]
    /// Each level's number (``CSVCellKind/number`` and ``CSVCellKind/groupedNumber``), NaN otherwise.
    var levelNumbers: [Double]
    /// The cells.
    var storage: Storage

    /// How the cells are stored.
    enum Storage: Sendable {
        /// A level per cell.
        case codes([UInt32])
        /// A number per cell, or a NaN-boxed level (``CSVColumn/boxed(_:)``).
        case values([Double])
    }

    /// One cell: its kind, its number (NaN when it has none) and its level (`-1` for a number
    /// whose text is not kept).
    struct Cell {
        var kind: CSVCellKind
        var number: Double
        var level: Int
    }

    /// The number of cells.
    public var count: Int {
        switch storage {
        case .codes(let codes): codes.count
        case .values(let values): values.count
        }
    }

    /// The column of `texts`, read as a CSV file's fields would be (unquoted: surrounding spaces
    /// do not count, except that the text is kept as given).
    public init(_ texts: [String]) {
        var builder = Builder(capacity: texts.count)
        for text in texts {
            var text = text
            // A Swift string is valid UTF-8, so `append` cannot fail here.
            _ = text.withUTF8 { builder.append($0, quoted: true) }
        }
        self = builder.column()
    }

    init(levels: [String], levelKinds: [CSVCellKind], levelNumbers: [Double], storage: Storage) {
        self.levels = levels
        self.levelKinds = levelKinds
        self.levelNumbers = levelNumbers
        self.storage = storage
    }

    /// Cell `row`.
    @inline(__always)
    func cell(at row: Int) -> Cell {
        switch storage {
        case .codes(let codes):
            let level = Int(codes[row])
            return Cell(kind: levelKinds[level], number: levelNumbers[level], level: level)
        case .values(let values):
            let value = values[row]
            if let level = Self.unboxed(value) { return Cell(kind: levelKinds[level], number: levelNumbers[level], level: level) }
            return Cell(kind: .number, number: value, level: -1)
        }
    }

    /// What cell `row` spells.
    public func kind(at row: Int) -> CSVCellKind { cell(at: row).kind }

    /// The text of cell `row`, as in the file (a number of a ``Storage/values`` column: its
    /// shortest spelling).
    public func text(at row: Int) -> String {
        let cell = cell(at: row)
        return cell.level >= 0 ? levels[cell.level] : Self.spelling(cell.number)
    }

    /// The number in cell `row`: plain numbers, and numbers with thousands separators when
    /// `thousandsSeparators`; `nil` for anything else.
    public func number(at row: Int, thousandsSeparators: Bool = false) -> Double? {
        let cell = cell(at: row)
        switch cell.kind {
        case .number: return cell.number
        case .groupedNumber where thousandsSeparators: return cell.number
        default: return nil
        }
    }

    /// Every cell's text (``text(at:)``).
    public var texts: [String] { (0..<count).map(text(at:)) }

    /// The cells at `rows`, in that order (the levels are shared).
    public func selecting(_ rows: [Int]) -> CSVColumn {
        var copy = self
        switch storage {
        case .codes(let codes): copy.storage = .codes(rows.map { codes[$0] })
        case .values(let values): copy.storage = .values(rows.map { values[$0] })
        }
        return copy
    }

    /// The text of each level without surrounding spaces (what categorical levels and class
    /// labels compare).
    var trimmedLevels: [String] { levels.map { $0.trimmingSpaces() } }

    /// `level` in the payload of a quiet NaN: sign 0, exponent all ones, mantissa bits 51 (quiet)
    /// and 50 (Mesa's tag) set, the level in the low 32 bits.
    @inline(__always)
    static func boxed(_ level: UInt32) -> Double { Double(bitPattern: boxTag | UInt64(level)) }

    /// The level boxed in `value`, or `nil` for a number.
    @inline(__always)
    static func unboxed(_ value: Double) -> Int? {
        guard value.isNaN, value.bitPattern & 0xFFFF_FFFF_0000_0000 == boxTag else { return nil }
        return Int(value.bitPattern & 0xFFFF_FFFF)
    }

    static let boxTag: UInt64 = 0x7FFC_0000_0000_0000

    /// The shortest spelling of `number` (integers without a fractional part).
    static func spelling(_ number: Double) -> String {
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }
}
