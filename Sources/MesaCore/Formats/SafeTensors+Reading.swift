import Foundation

extension SafeTensors {
    /// The largest header accepted (100 MB, the limit of the reference implementation), so a
    /// corrupt length cannot make the reader parse or allocate without bound.
    public static let maximumHeaderByteCount = 100_000_000

    /// Reads the safetensors file at `url`, converting every tensor to `Float`.
    ///
    /// - Throws: ``CheckpointError`` of kind `fileAccess` when the file cannot be read,
    ///   `malformed` when its bytes are not a valid safetensors file, and
    ///   `unsupportedDataType` for a dtype that is not a ``DataType``.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw CheckpointError(.fileAccess, "cannot read safetensors file '\(url.path)': \(error.localizedDescription)")
        }
        self = try data.withUnsafeBytes { try Self.parse($0, source: "safetensors file '\(url.path)'") }
    }

    /// Reads safetensors bytes held in memory; see ``init(contentsOf:)``.
    public init(data: Data) throws {
        self = try data.withUnsafeBytes { try Self.parse($0, source: "safetensors data") }
    }

    /// A validated header entry: where a tensor's bytes are and how to read them.
    private struct Entry {
        let name: String
        let dataType: DataType
        let shape: [Int]
        let scalarCount: Int
        let begin: Int
        let end: Int
        /// The position in the header, to order entries that share offsets deterministically.
        let headerIndex: Int
    }

    /// Parses a whole file; `source` names it in error messages.
    private static func parse(_ file: UnsafeRawBufferPointer, source: String) throws -> SafeTensors {
        func malformed(_ message: String) -> CheckpointError { CheckpointError(.malformed, "\(source): \(message)") }

        guard file.count >= 8 else {
            throw malformed("\(file.count) bytes are too few to hold the 8-byte header length (truncated file?)")
        }
        let declaredLength = UInt64(littleEndian: file.loadUnaligned(as: UInt64.self))
        let available = file.count - 8
        guard declaredLength <= UInt64(available) else {
            throw malformed("the header length \(declaredLength) exceeds the \(available) bytes that follow it (truncated file?)")
        }
        let headerLength = Int(declaredLength)  // fits: it is at most `available`
        guard headerLength <= maximumHeaderByteCount else {
            throw malformed("the header length \(headerLength) exceeds the limit of \(maximumHeaderByteCount) bytes")
        }

        let header: JSONValue
        do throws(JSONValue.ParseError) {
            header = try JSONValue.parse(Array(file[8 ..< 8 + headerLength]))
        } catch {
            throw malformed("invalid JSON header at header byte \(error.offset): \(error.reason)")
        }
        guard case .object(let members) = header else {
            throw malformed("the header is \(header.typeName), not a JSON object")
        }

        let data = UnsafeRawBufferPointer(rebasing: file[(8 + headerLength)...])
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (index, member) in members.enumerated() {
            if member.key == "__metadata__" {
                metadata = try parseMetadata(member.value, malformed: malformed)
            } else {
                entries.append(try parseEntry(member, headerIndex: index, dataByteCount: data.count, source: source, malformed: malformed))
            }
        }

        // The tensors must tile the data buffer exactly: sorted by offsets, each one starts
        // where the previous one ended, and the last one ends at the end of the file.
        entries.sort { ($0.begin, $0.end, $0.headerIndex) < ($1.begin, $1.end, $1.headerIndex) }
        var covered = 0
        var lastNonEmpty: Entry?
        for entry in entries {
            if entry.begin < covered {
                // `covered` > 0, so a non-empty tensor ending there was seen.
                let previous = lastNonEmpty.map { "'\($0.name)' (data_offsets [\($0.begin), \($0.end)])" } ?? "an earlier tensor"
                throw malformed("tensors \(previous) and '\(entry.name)' (data_offsets [\(entry.begin), \(entry.end)]) overlap")
            }
            if entry.begin > covered {
                throw malformed("bytes \(covered)..<\(entry.begin) of the data buffer belong to no tensor (the next tensor, '\(entry.name)', starts at \(entry.begin))")
            }
            if entry.end > entry.begin { lastNonEmpty = entry }
            covered = entry.end
        }
        guard covered == data.count else {
            throw malformed("the data buffer has \(data.count) bytes, but the tensors account for only \(covered) (trailing bytes)")
        }

        var result = SafeTensors(metadata: metadata)
        for entry in entries {
            let storage = TensorStorage(uninitializedCount: entry.scalarCount)
            entry.dataType.decode(UnsafeRawBufferPointer(rebasing: data[entry.begin ..< entry.end]), into: storage.mutableBuffer)
            result[entry.name] = Tensor(shape: entry.shape, storage: storage)
        }
        return result
    }

    /// Reads `__metadata__`: an object whose values are all strings.
    private static func parseMetadata(_ value: JSONValue, malformed: (String) -> CheckpointError) throws -> [String: String] {
        guard case .object(let members) = value else {
            throw malformed("__metadata__ is \(value.typeName), not an object of strings")
        }
        var metadata: [String: String] = [:]
        for (key, value) in members {
            guard case .string(let text) = value else {
                throw malformed("__metadata__ value for key '\(key)' is \(value.typeName), not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    /// Reads and checks one tensor's header entry against itself and the data buffer's size.
    private static func parseEntry(
        _ member: (key: String, value: JSONValue), headerIndex: Int, dataByteCount: Int,
        source: String, malformed: (String) -> CheckpointError
    ) throws -> Entry {
        let name = member.key
        guard case .object(let fields) = member.value else {
            throw malformed("the header entry of tensor '\(name)' is \(member.value.typeName), not an object")
        }
        func field(_ key: String) throws -> JSONValue {
            guard let value = fields.first(where: { $0.key == key })?.value else {
                throw malformed("tensor '\(name)' has no \"\(key)\" field")
            }
            return value
        }
        /// The elements of an array of non-negative integers, e.g. a shape.
        func naturalNumbers(_ key: String) throws -> [Int] {
            let value = try field(key)
            guard case .array(let elements) = value else {
                throw malformed("the \(key) of tensor '\(name)' is \(value.typeName), not an array")
            }
            return try elements.enumerated().map { index, element in
                guard let number = element.naturalNumberValue else {
                    if case .number(let text) = element, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                        throw malformed("element \(index) of the \(key) of tensor '\(name)' is \(text), larger than the largest Int \(Int.max)")
                    }
                    throw malformed("element \(index) of the \(key) of tensor '\(name)' is \(element.typeName), not a non-negative integer")
                }
                return number
            }
        }

        let dataTypeValue = try field("dtype")
        guard case .string(let dataTypeName) = dataTypeValue else {
            throw malformed("the dtype of tensor '\(name)' is \(dataTypeValue.typeName), not a string")
        }
        guard let dataType = DataType(rawValue: dataTypeName) else {
            let supported = DataType.allCases.map(\.rawValue).joined(separator: ", ")
            throw CheckpointError(.unsupportedDataType, "\(source): tensor '\(name)' has dtype '\(dataTypeName)', which Mesa cannot read (supported: \(supported))")
        }

        let shape = try naturalNumbers("shape")
        var scalarCount = 1
        for dimension in shape {
            let (product, overflow) = scalarCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw malformed("the shape \(shape) of tensor '\(name)' has more elements than Int can count") }
            scalarCount = product
        }
        let (byteCount, overflow) = scalarCount.multipliedReportingOverflow(by: dataType.byteCount)
        guard !overflow else { throw malformed("tensor '\(name)' of shape \(shape) would need more bytes than Int can count") }

        let offsets = try naturalNumbers("data_offsets")
        guard offsets.count == 2 else {
            throw malformed("the data_offsets of tensor '\(name)' have \(offsets.count) elements, not 2 ([begin, end])")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else {
            throw malformed("the data_offsets [\(begin), \(end)] of tensor '\(name)' end before they begin")
        }
        guard end <= dataByteCount else {
            throw malformed("the data_offsets [\(begin), \(end)] of tensor '\(name)' extend past the end of the \(dataByteCount)-byte data buffer (truncated file?)")
        }
        guard end - begin == byteCount else {
            throw malformed("tensor '\(name)' of dtype \(dataTypeName) and shape \(shape) needs \(byteCount) bytes, but its data_offsets [\(begin), \(end)] span \(end - begin)")
        }
        return Entry(name: name, dataType: dataType, shape: shape, scalarCount: scalarCount, begin: begin, end: end, headerIndex: headerIndex)
    }
}
