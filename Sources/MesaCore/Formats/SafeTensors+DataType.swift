extension SafeTensors {
    /// The element types Mesa reads from safetensors files, by their header names, each
    /// converted to `Float` on load. Mesa itself writes only `F32`.
    ///
    /// Conversions are those of a C cast (NumPy's `astype(np.float32)`): `F64` rounds to the
    /// nearest `Float` and overflows to ±infinity; integers above 2²⁴ in magnitude round;
    /// `BOOL` reads any nonzero byte as 1.
    public enum DataType: String, CaseIterable, Sendable {
        /// IEEE 754 binary64 (`double`).
        case float64 = "F64"
        /// IEEE 754 binary32 (`float`), Mesa's own type; read without conversion.
        case float32 = "F32"
        /// IEEE 754 binary16 (half precision).
        case float16 = "F16"
        /// bfloat16: the upper 16 bits of a binary32 (8 exponent, 7 fraction bits).
        case bfloat16 = "BF16"
        /// Signed 64-bit integer.
        case int64 = "I64"
        /// Signed 32-bit integer.
        case int32 = "I32"
        /// Signed 16-bit integer.
        case int16 = "I16"
        /// Signed 8-bit integer.
        case int8 = "I8"
        /// Unsigned 8-bit integer.
        case uint8 = "U8"
        /// One byte per element, 0 for false.
        case bool = "BOOL"

        /// The bytes one element occupies in the file.
        public var byteCount: Int {
            switch self {
            case .float64, .int64: 8
            case .float32, .int32: 4
            case .float16, .bfloat16, .int16: 2
            case .int8, .uint8, .bool: 1
            }
        }

        /// Converts little-endian elements of this type in `source` to `destination`.
        ///
        /// `source` holds exactly `destination.count * byteCount` bytes, at any alignment.
        func decode(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
            precondition(source.count == destination.count * byteCount, "decode: byte count does not match element count")
            func convert<Stored: FixedWidthInteger>(_: Stored.Type, _ transform: (Stored) -> Float) {
                for index in destination.indices {
                    let raw = source.loadUnaligned(fromByteOffset: index * MemoryLayout<Stored>.size, as: Stored.self)
                    destination[index] = transform(Stored(littleEndian: raw))
                }
            }
            switch self {
            case .float32:
                #if _endian(little)
                UnsafeMutableRawBufferPointer(destination).copyMemory(from: source)
                #else
                convert(UInt32.self) { Float(bitPattern: $0) }
                #endif
            case .float64: convert(UInt64.self) { Float(Double(bitPattern: $0)) }
            case .float16: convert(UInt16.self, DataType.float(fromHalfBits:))
            case .bfloat16: convert(UInt16.self) { Float(bitPattern: UInt32($0) << 16) }  // the high half of a Float
            case .int64: convert(Int64.self) { Float($0) }
            case .int32: convert(Int32.self) { Float($0) }
            case .int16: convert(Int16.self) { Float($0) }
            case .int8: convert(Int8.self) { Float($0) }
            case .uint8: convert(UInt8.self) { Float($0) }
            case .bool: convert(UInt8.self) { $0 == 0 ? 0 : 1 }
            }
        }

        /// The value of an IEEE 754 binary16 number (1 sign, 5 exponent, 10 fraction bits).
        ///
        /// Written out rather than using `Float16`, which Swift does not offer on Intel Macs.
        static func float(fromHalfBits bits: UInt16) -> Float {
            let sign: UInt32 = UInt32(bits & 0x8000) << 16
            let exponent = UInt32(bits >> 10) & 0x1F
            let fraction = UInt32(bits & 0x03FF)
            switch exponent {
            case 0:  // zero or subnormal: fraction × 2⁻²⁴
                let magnitude = Float(fraction) * 0x1p-24
                return sign == 0 ? magnitude : -magnitude
            case 0x1F:  // infinity or NaN (payload kept)
                return Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
            default:  // rebias the exponent from 15 to 127
                return Float(bitPattern: sign | (exponent + 112) << 23 | fraction << 13)
            }
        }
    }
}
