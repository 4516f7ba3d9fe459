import CZlib
import Foundation
import MesaCore

/// The IDX format of LeCun's MNIST files: magic `0x00 0x00 type rank`, `rank` big-endian
/// 32-bit dimensions, then unsigned bytes (type `0x08`, the only one MNIST-like data uses).
public enum IDXFile {
    /// Reads an IDX file, gunzipping it first when its name ends in `.gz`.
    public static func read(_ url: URL) throws -> (dimensions: [Int], bytes: [UInt8]) {
        var data = try Data(contentsOf: url)
        if url.pathExtension == "gz" { data = try gunzip(data, source: url.lastPathComponent) }
        return try parse(data, source: url.lastPathComponent)
    }

    /// Parses the bytes of an (uncompressed) IDX file.
    public static func parse(_ data: Data, source: String) throws -> (dimensions: [Int], bytes: [UInt8]) {
        let bytes = [UInt8](data)
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw MetaLearningError.invalidData("\(source) is not an IDX file (bad magic number)")
        }
        guard bytes[2] == 0x08 else {
            throw MetaLearningError.invalidData("\(source): IDX element type 0x\(String(bytes[2], radix: 16)) is not unsigned bytes (0x08)")
        }
        let rank = Int(bytes[3])
        guard bytes.count >= 4 + 4 * rank else { throw MetaLearningError.invalidData("\(source): truncated IDX header") }
        let dimensions = (0..<rank).map { axis in
            (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + 4 * axis + $1]) }
        }
        let expected = dimensions.reduce(1, *), start = 4 + 4 * rank
        guard bytes.count - start == expected else {
            throw MetaLearningError.invalidData("\(source): \(bytes.count - start) data bytes for dimensions \(dimensions) (\(expected) expected); the file is truncated or corrupt")
        }
        return (dimensions, Array(bytes[start...]))
    }

    /// Decompresses gzip data with zlib.
    static func gunzip(_ data: Data, source: String) throws -> Data {
        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip header.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw MetaLearningError.invalidData("\(source): zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var input = [UInt8](data)
        var status: Int32 = Z_OK
        try input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            repeat {
                status = chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                guard status == Z_OK || status == Z_STREAM_END else {
                    throw MetaLearningError.invalidData("\(source): not valid gzip data (zlib status \(status))")
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                if status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0 {
                    throw MetaLearningError.invalidData("\(source): the gzip stream is truncated")
                }
            } while status != Z_STREAM_END
        }
        return output
    }
}
