import Foundation

extension CSVColumn {
    /// Builds a column one field at a time from UTF-8 bytes (the CSV reader's inner loop).
    ///
    /// Each field is looked up in a hash table of the column's levels by its bytes; only a new
    /// text is judged, parsed and turned into a `String`. Once the column has more than
    /// ``maximumNumericLevels`` distinct numbers it switches to ``Storage/values``, after which a
    /// plain number is parsed straight into the cell and skips the table.
    struct Builder {
        /// The most distinct numbers a column keeps as levels (with their exact texts).
        static let maximumNumericLevels = 4096

        private var levels: [String] = [""]
        private var levelKinds: [CSVCellKind] = [.empty]
        private var levelNumbers: [Double] = [.nan]
        private var table = CSVLevelTable()
        private var codes: [UInt32] = []
        private var values: [Double] = []
        private var usesValues = false
        private var numericLevels = 0
        private let capacity: Int

        /// A builder expecting about `capacity` cells.
        init(capacity: Int) {
            self.capacity = capacity
            codes.reserveCapacity(capacity)
            let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            table.insert(empty, hash: CSVLevelTable.hash(empty), level: 0)
        }

        /// Appends the field `bytes` (trimmed of surrounding spaces unless `quoted`); `false`
        /// when its bytes are not UTF-8.
        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, quoted: Bool) -> Bool {
            let field = quoted ? bytes : CSVCell.trimmed(bytes)
            if usesValues {
                if field.isEmpty { values.append(CSVColumn.boxed(0)); return true }
                // A number's text is not kept here, so quoted numbers skip the table too.
                if let number = CSVNumber.plain(quoted ? CSVCell.trimmed(field) : field) { values.append(number); return true }
                guard let level = level(of: field) else { return false }
                values.append(levelKinds[level] == .number ? levelNumbers[level] : CSVColumn.boxed(UInt32(level)))
                return true
            }
            guard let level = level(of: field) else { return false }
            codes.append(UInt32(level))
            if numericLevels > Self.maximumNumericLevels { switchToValues() }
            return true
        }

        /// The level of `field`, added if new; `nil` when a new field is not UTF-8.
        private mutating func level(of field: UnsafeBufferPointer<UInt8>) -> Int? {
            let hash = CSVLevelTable.hash(field)
            if let level = table.find(field, hash: hash) { return level }
            guard let text = String(validating: field, as: UTF8.self) else { return nil }
            let (kind, number) = CSVCellKind.classify(field)
            let level = levels.count
            levels.append(text)
            levelKinds.append(kind)
            levelNumbers.append(number ?? .nan)
            if kind == .number { numericLevels += 1 }
            table.insert(field, hash: hash, level: level)
            return level
        }

        /// Turns the codes into values: numbers as themselves, other levels boxed.
        private mutating func switchToValues() {
            values.reserveCapacity(Swift.max(capacity, codes.count))
            for code in codes {
                values.append(levelKinds[Int(code)] == .number ? levelNumbers[Int(code)] : CSVColumn.boxed(code))
            }
            codes = []
            usesValues = true
        }

        /// The finished column.
        func column() -> CSVColumn {
            CSVColumn(levels: levels, levelKinds: levelKinds, levelNumbers: levelNumbers,
                      storage: usesValues ? .values(values) : .codes(codes))
        }
    }
}

/// An open-addressing hash table from byte strings to level numbers, keeping the bytes of every
/// level in one array (no allocation per lookup, unlike a `Dictionary` keyed by `[UInt8]`).
struct CSVLevelTable {
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt64] = []
    private var slots = [Int32](repeating: -1, count: 64)

    /// FNV-1a, 64 bits.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// The level stored for `key`, if any.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let level = Int(slots[slot])
            if level < 0 { return nil }
            if hashes[level] == hash, starts[level + 1] - starts[level] == key.count {
                let equal = bytes.withUnsafeBufferPointer { stored in
                    key.count == 0 || memcmp(stored.baseAddress! + starts[level], key.baseAddress!, key.count) == 0
                }
                if equal { return level }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Stores `key` as `level` (the next level number; `key` must be absent).
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, level: Int) {
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
        hashes.append(hash)
        if hashes.count * 2 > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            for (stored, storedHash) in hashes.enumerated() { place(stored, hash: storedHash) }
        } else {
            place(level, hash: hash)
        }
    }

    private mutating func place(_ level: Int, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(level)
    }
}
