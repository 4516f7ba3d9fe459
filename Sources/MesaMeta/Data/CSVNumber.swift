import Foundation

/// Numbers read straight from a CSV field's UTF-8 bytes, without making a `String`.
///
/// Two spellings are numbers:
/// - **plain**: `[+-]? (digits [. digits] | . digits) ([eE] [+-]? digits)?`, and the infinities
///   `inf`, `infinity` (any case, optional sign). Hexadecimal and `nan` are not numbers here
///   (`nan` is a missing value, see ``CSVCellKind``).
/// - **grouped** (thousands separators): `[+-]? d{1,3} (, d{3})+ (. digits)?`, e.g. `1,234` or
///   `-1,234,567.5`. Whether a column's grouped cells count as numbers is the column's decision
///   (``TabularPreprocessor``), so they are parsed separately.
///
/// Speed: a field of at most 19 significant digits whose value is `m · 10^e` with `m ≤ 2⁵³` and
/// `|e| ≤ 22` is exact in one multiplication or division (both operands are exact doubles, so
/// the one rounding is the correct one: Clinger 1990, "How to read floating point numbers
/// accurately"). Everything else (17-digit mantissas, large exponents) goes to the C library's
/// correctly rounded conversion.
enum CSVNumber {
    /// The plain number spelled by `bytes` (already trimmed), or `nil`.
    static func plain(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        guard n > 0 else { return nil }
        var i = 0, negative = false
        if bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") { negative = bytes[0] == UInt8(ascii: "-"); i = 1 }
        guard i < n else { return nil }
        if bytes[i] | 0x20 == UInt8(ascii: "i") { return infinity(bytes, from: i, negative: negative) }
        var mantissa: UInt64 = 0, significant = 0, exponent = 0, digits = 0
        // Integer part: leading zeros carry no significance.
        while i < n, bytes[i] &- 48 < 10 {
            let digit = UInt64(bytes[i] &- 48)
            if mantissa != 0 || digit != 0 { significant += 1 }
            if significant <= 19 { mantissa = mantissa &* 10 &+ digit } else { exponent += 1 }
            digits += 1; i += 1
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, bytes[i] &- 48 < 10 {
                let digit = UInt64(bytes[i] &- 48)
                if mantissa != 0 || digit != 0 { significant += 1 }
                if significant <= 19 { mantissa = mantissa &* 10 &+ digit; exponent -= 1 }
                digits += 1; i += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { exponentNegative = bytes[i] == UInt8(ascii: "-"); i += 1 }
            var written = 0, exponentDigits = 0
            while i < n, bytes[i] &- 48 < 10 {
                if written < 100_000 { written = written * 10 + Int(bytes[i] &- 48) }
                exponentDigits += 1; i += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard i == n else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0 }
        if significant <= 19, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let value = exponent < 0 ? Double(mantissa) / powersOfTen[-exponent] : Double(mantissa) * powersOfTen[exponent]
            return negative ? -value : value
        }
        // The grammar is checked: the library conversion reads the whole field.
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// The number spelled with thousands separators (`1,234`, `1,234,567.5`), or `nil`.
    static func grouped(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        var i = 0
        if n > 0, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") { i = 1 }
        let start = i
        while i < n, bytes[i] &- 48 < 10 { i += 1 }
        guard i - start >= 1, i - start <= 3, i < n, bytes[i] == UInt8(ascii: ",") else { return nil }
        while i < n, bytes[i] == UInt8(ascii: ",") {
            guard i + 4 <= n else { return nil }
            for k in 1...3 where bytes[i + k] &- 48 >= 10 { return nil }
            i += 4
        }
        if i < n {
            guard bytes[i] == UInt8(ascii: "."), i + 1 < n else { return nil }
            for k in (i + 1)..<n where bytes[k] &- 48 >= 10 { return nil }
        }
        // Without the commas (at most the field's length, on the stack).
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { buffer in
            var count = 0
            for byte in bytes where byte != UInt8(ascii: ",") { buffer[count] = byte; count += 1 }
            return plain(UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// `inf` or `infinity` (any case) from position `i`, the sign already read.
    private static func infinity(_ bytes: UnsafeBufferPointer<UInt8>, from i: Int, negative: Bool) -> Double? {
        let rest = bytes.count - i
        guard rest == 3 || rest == 8 else { return nil }
        let spelling: StaticString = "infinity"
        for k in 0..<rest where bytes[i + k] | 0x20 != spelling.utf8Start[k] { return nil }
        return negative ? -.infinity : .infinity
    }

    /// 10⁰ … 10²², each exact in a `Double`.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }
}
