import Foundation

extension SafeTensors {
    /// The file's bytes: header length, header, and every tensor as `F32`, in ``names`` order.
    ///
    /// - Throws: ``CheckpointError`` of kind `invalidName` for a tensor named `__metadata__`.
    public func serializedData() throws -> Data {
        let header = try encodedHeader()
        var data = Data(capacity: header.count + tensors.reduce(0) { $0 + $1.tensor.scalarCount * 4 })
        data.append(contentsOf: header)
        for (_, tensor) in tensors {
            Self.withLittleEndianBytes(of: tensor) { bytes in
                if let base = bytes.baseAddress { data.append(base.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
            }
        }
        return data
    }

    /// Writes the file to `url` as ``OutputFile`` writes: a regular file (or a new one) is
    /// replaced atomically, a link is followed, a device is written through.
    ///
    /// The bytes go to a hidden temporary file in the destination's folder, are flushed to disk,
    /// and the temporary file is then renamed over `url` (`rename(2)` replaces atomically within
    /// a file system) and the folder flushed. Readers see the old file or the complete new one,
    /// never a partial write; on failure the temporary file is removed and `url` is untouched.
    ///
    /// - Throws: ``CheckpointError`` of kind `invalidName` for a tensor named `__metadata__`
    ///   (before touching the disk), `fileAccess` (with the ``OutputFileError``'s message) when
    ///   the file cannot be written.
    public func write(to url: URL) throws {
        do {
            try write(to: OutputFile(url, contents: "the safetensors file"))
        } catch let error as OutputFileError {
            throw CheckpointError(.fileAccess, error.description)
        }
    }

    /// Writes the file to `output` (see ``OutputFile``), tensor after tensor.
    ///
    /// - Throws: ``CheckpointError`` of kind `invalidName` for a tensor named `__metadata__`
    ///   (before touching the disk), ``OutputFileError`` when the file cannot be written.
    public func write(to output: OutputFile) throws {
        let header = try encodedHeader()
        try output.write { writer in
            try header.withUnsafeBytes { try writer.write($0) }
            for (_, tensor) in tensors {
                try Self.withLittleEndianBytes(of: tensor) { try writer.write($0) }
            }
        }
    }

    /// The 8-byte length followed by the JSON header, padded with spaces to a multiple of 8.
    func encodedHeader() throws -> [UInt8] {
        var members: [(key: String, value: JSONValue)] = []
        if !metadata.isEmpty {
            let sorted = metadata.sorted { $0.key < $1.key }  // deterministic bytes
            members.append(("__metadata__", .object(sorted.map { ($0.key, .string($0.value)) })))
        }
        var offset = 0
        for (name, tensor) in tensors {
            guard name != "__metadata__" else {
                throw CheckpointError(.invalidName, "cannot write a tensor named '__metadata__': the name is reserved for the header's metadata")
            }
            let end = offset + tensor.scalarCount * MemoryLayout<Float>.size
            let entry: [(key: String, value: JSONValue)] = [
                ("dtype", .string(DataType.float32.rawValue)),
                ("shape", .array(tensor.shape.map { .number(String($0)) })),
                ("data_offsets", .array([.number(String(offset)), .number(String(end))])),
            ]
            members.append((name, .object(entry)))
            offset = end
        }
        var json: [UInt8] = []
        JSONValue.object(members).write(to: &json)
        // Pad so the data starts 8-byte aligned (8 + json.count ≡ 0 mod 8), as the reference does.
        json += repeatElement(UInt8(ascii: " "), count: (8 - json.count % 8) % 8)
        return withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) } + json
    }

    /// Calls `body` with the tensor's elements as little-endian `F32` bytes.
    private static func withLittleEndianBytes<Result>(
        of tensor: Tensor, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        #if _endian(little)
        try tensor.withUnsafeBufferPointer { try body(UnsafeRawBufferPointer($0)) }
        #else
        try tensor.scalars.map { $0.bitPattern.littleEndian }.withUnsafeBytes(body)
        #endif
    }
}
