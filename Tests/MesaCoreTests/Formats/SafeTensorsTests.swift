import Foundation
import MesaCore
import XCTest

final class SafeTensorsTests: XCTestCase {
    // MARK: Helpers

    /// A fresh empty directory, removed after the test.
    func makeTemporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("SafeTensorsTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    /// A file from a header's JSON text (unpadded) and the data buffer's bytes.
    func makeFile(header: String, data: [UInt8] = []) -> Data {
        let json = Array(header.utf8)
        var file = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Data($0) }
        file.append(contentsOf: json)
        file.append(contentsOf: data)
        return file
    }

    /// Little-endian bytes of each value.
    func bytes<Value: FixedWidthInteger>(_ values: [Value]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    }

    /// Asserts that reading `data` throws a ``CheckpointError`` of `kind` whose message contains
    /// every one of `fragments`.
    func assertRejects(
        _ data: Data, _ kind: CheckpointError.Kind, mentioning fragments: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try SafeTensors(data: data), file: file, line: line) { error in
            guard let error = error as? CheckpointError else {
                return XCTFail("expected a CheckpointError, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(error.kind, kind, error.message, file: file, line: line)
            for fragment in fragments {
                XCTAssertTrue(error.message.contains(fragment), "'\(fragment)' not in: \(error.message)", file: file, line: line)
            }
        }
    }

    /// Tensors covering the edge cases: a matrix, a scalar, empty dimensions, special values.
    func sampleTensors() -> [(name: String, tensor: Tensor)] {
        [
            ("layer.weight", Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, 1e-30, 6e20])),
            ("scalar", Tensor(42)),
            ("empty", Tensor(shape: [0], scalars: [])),
            ("empty.middle", Tensor(shape: [3, 0, 2], scalars: [])),
            ("special", Tensor([-0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude])),
            ("quote\"back\\slash\nnewline ünïcödé 🎲", Tensor([7])),
        ]
    }

    func assertBitwiseEqual(_ a: Tensor, _ b: Tensor, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, file: file, line: line)
        XCTAssertEqual(a.scalars.map(\.bitPattern), b.scalars.map(\.bitPattern), file: file, line: line)
    }

    // MARK: Round trips

    func testRoundTripKeepsNamesOrderShapesBitsAndMetadata() throws {
        let metadata = ["architecture": "mlp", "config": #"{"width": 16}"#, "émoji": "🎲\u{0}\t"]
        let original = SafeTensors(sampleTensors(), metadata: metadata)
        let directory = try makeTemporaryDirectory()
        let url = directory.appendingPathComponent("model.safetensors")
        try original.write(to: url)

        for loaded in [try SafeTensors(contentsOf: url), try SafeTensors(data: original.serializedData())] {
            XCTAssertEqual(loaded.names, original.names)
            XCTAssertEqual(loaded.metadata, metadata)
            for (name, tensor) in original.tensors {
                let read = try XCTUnwrap(loaded[name], name)
                assertBitwiseEqual(read, tensor)
            }
        }
        XCTAssertEqual(try Data(contentsOf: url), try original.serializedData())
    }

    func testEmptyCollectionRoundTrips() throws {
        let loaded = try SafeTensors(data: SafeTensors().serializedData())
        XCTAssertEqual(loaded.count, 0)
        XCTAssertEqual(loaded.metadata, [:])
        let withMetadataOnly = try SafeTensors(data: SafeTensors(metadata: ["a": "b"]).serializedData())
        XCTAssertEqual(withMetadataOnly.metadata, ["a": "b"])
    }

    func testLayoutFollowsTheFormat() throws {
        let checkpoint = SafeTensors([("b", Tensor([1, 2])), ("a", Tensor(shape: [1, 1], scalars: [3]))], metadata: ["k": "v"])
        let data = try checkpoint.serializedData()
        let headerLength = Int(data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
        XCTAssertEqual(headerLength % 8, 0, "the data must start 8-byte aligned")
        XCTAssertEqual(data.count, 8 + headerLength + 12)
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: data.subdata(in: 8 ..< 8 + headerLength)) as? [String: Any])
        XCTAssertEqual(header["__metadata__"] as? [String: String], ["k": "v"])
        let b = try XCTUnwrap(header["b"] as? [String: Any])
        XCTAssertEqual(b["dtype"] as? String, "F32")
        XCTAssertEqual(b["shape"] as? [Int], [2])
        XCTAssertEqual(b["data_offsets"] as? [Int], [0, 8])
        let a = try XCTUnwrap(header["a"] as? [String: Any])
        XCTAssertEqual(a["shape"] as? [Int], [1, 1])
        XCTAssertEqual(a["data_offsets"] as? [Int], [8, 12])
        XCTAssertEqual(Array(data.suffix(12)), bytes([Float(1), 2, 3].map(\.bitPattern)))
        XCTAssertFalse(String(decoding: data, as: UTF8.self).contains("__metadata__\":{}"))
        XCTAssertFalse(String(decoding: try SafeTensors().serializedData(), as: UTF8.self).contains("__metadata__"),
                       "empty metadata is omitted, as Python does")
    }

    func testSubscriptKeepsOrderAndDetaches() {
        var checkpoint = SafeTensors()
        checkpoint["x"] = Tensor([1])
        checkpoint["y"] = Tensor([2]).requiringGradient()
        checkpoint["x"] = Tensor([3])
        XCTAssertEqual(checkpoint.names, ["x", "y"])
        XCTAssertEqual(checkpoint["x"]?.scalars, [3])
        XCTAssertFalse(checkpoint["y"]?.requiresGradient ?? true)
        checkpoint["x"] = nil
        XCTAssertEqual(checkpoint.names, ["y"])
        XCTAssertNil(checkpoint["x"])
        XCTAssertEqual(checkpoint.count, 1)
    }

    // MARK: Atomic writes

    func testWriteReplacesAtomicallyAndLeavesNoTemporaryFiles() throws {
        let directory = try makeTemporaryDirectory()
        let url = directory.appendingPathComponent("model.safetensors")
        try SafeTensors([("w", Tensor([1, 2, 3]))]).write(to: url)
        try SafeTensors([("w", Tensor([4, 5]))], metadata: ["step": "2"]).write(to: url)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["model.safetensors"])
        let loaded = try SafeTensors(contentsOf: url)
        XCTAssertEqual(loaded["w"]?.scalars, [4, 5])
        XCTAssertEqual(loaded.metadata, ["step": "2"])
    }

    func testFailedWriteLeavesTheOldFileAndNoTemporaryFiles() throws {
        let directory = try makeTemporaryDirectory()
        let url = directory.appendingPathComponent("model.safetensors")
        try SafeTensors([("w", Tensor([1, 2, 3]))]).write(to: url)
        let before = try Data(contentsOf: url)

        XCTAssertThrowsError(try SafeTensors([("__metadata__", Tensor([1]))]).write(to: url)) { error in
            XCTAssertEqual((error as? CheckpointError)?.kind, .invalidName)
        }
        // Renaming a file over a directory fails after the data was written.
        let blocked = directory.appendingPathComponent("blocked")
        try FileManager.default.createDirectory(at: blocked.appendingPathComponent("child"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try SafeTensors([("w", Tensor([9]))]).write(to: blocked)) { error in
            XCTAssertEqual((error as? CheckpointError)?.kind, .fileAccess)
            XCTAssertTrue("\(error)".contains(blocked.path), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: url), before)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: directory.path)), ["model.safetensors", "blocked"])
    }

    func testUnreadableOrUnwritableLocationsThrowFileAccess() throws {
        let missing = try makeTemporaryDirectory().appendingPathComponent("no/such/dir/model.safetensors")
        let attempts: [() throws -> Void] = [
            { try SafeTensors([("w", Tensor([1]))]).write(to: missing) },
            { _ = try SafeTensors(contentsOf: missing) },
        ]
        for attempt in attempts {
            XCTAssertThrowsError(try attempt()) { error in
                XCTAssertEqual((error as? CheckpointError)?.kind, .fileAccess)
                XCTAssertTrue("\(error)".contains(missing.path), "\(error)")
            }
        }
    }

    // MARK: Other data types

    func testReadsHalfBFloatDoubleAndIntegerTypesAsFloat() throws {
        let half: [UInt16] = [0x3C00, 0xC000, 0x3555, 0x7BFF, 0x0001, 0x8000, 0x7C00, 0xFC00]
        let halfValues: [Float] = [1, -2, 0.333251953125, 65504, 0x1p-24, -0.0, .infinity, -.infinity]
        let bfloat: [UInt16] = [0x3F80, 0xC049, 0x7F80, 0x0001]
        let bfloatValues: [Float] = [1, -3.140625, .infinity, Float(bitPattern: 0x0001_0000)]
        let doubles: [Double] = [0.1, -1e300, 3]
        let int64: [Int64] = [-(1 << 40), 7]
        let int32: [Int32] = [-5, .max]
        let header = """
        {"h":{"dtype":"F16","shape":[2,4],"data_offsets":[0,16]},
         "b":{"dtype":"BF16","shape":[4],"data_offsets":[16,24]},
         "d":{"dtype":"F64","shape":[3,1],"data_offsets":[24,48]},
         "l":{"dtype":"I64","shape":[2],"data_offsets":[48,64]},
         "i":{"dtype":"I32","shape":[2],"data_offsets":[64,72]},
         "s":{"dtype":"I16","shape":[],"data_offsets":[72,74]},
         "c":{"dtype":"I8","shape":[1],"data_offsets":[74,75]},
         "u":{"dtype":"U8","shape":[1],"data_offsets":[75,76]},
         "t":{"dtype":"BOOL","shape":[3],"data_offsets":[76,79]}}
        """
        let data = bytes(half) + bytes(bfloat) + bytes(doubles.map(\.bitPattern)) + bytes(int64) + bytes(int32)
            + bytes([Int16(-300)]) + bytes([Int8(-128)]) + [255] + [0, 1, 2]
        let loaded = try SafeTensors(data: makeFile(header: header, data: data))
        XCTAssertEqual(loaded.names, ["h", "b", "d", "l", "i", "s", "c", "u", "t"])
        assertBitwiseEqual(try XCTUnwrap(loaded["h"]), Tensor(shape: [2, 4], scalars: halfValues))
        assertBitwiseEqual(try XCTUnwrap(loaded["b"]), Tensor(bfloatValues))
        assertBitwiseEqual(try XCTUnwrap(loaded["d"]), Tensor(shape: [3, 1], scalars: [0.1, -.infinity, 3]))
        XCTAssertEqual(loaded["l"]?.scalars, [-0x1p40, 7])
        XCTAssertEqual(loaded["i"]?.scalars, [-5, Float(Int32.max)])
        XCTAssertEqual(loaded["s"]?.shape, [])
        XCTAssertEqual(loaded["s"]?.scalars, [-300])
        XCTAssertEqual(loaded["c"]?.scalars, [-128])
        XCTAssertEqual(loaded["u"]?.scalars, [255])
        XCTAssertEqual(loaded["t"]?.scalars, [0, 1, 1])
    }

    func testHalfPrecisionNaNStaysNaN() throws {
        let loaded = try SafeTensors(data: makeFile(header: #"{"n":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}"#,
                                                    data: bytes([UInt16(0x7E00)])))
        XCTAssertTrue(try XCTUnwrap(loaded["n"]).scalars[0].isNaN)
    }

    func testHeaderMayBePaddedAndTensorsMayBeStoredOutOfOrder() throws {
        let header = #"  {"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}, "a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}   "#
        let loaded = try SafeTensors(data: makeFile(header: header, data: bytes([Float(1).bitPattern, Float(2).bitPattern])))
        XCTAssertEqual(loaded.names, ["a", "b"], "names follow the data order")
        XCTAssertEqual(loaded["a"]?.scalars, [1])
        XCTAssertEqual(loaded["b"]?.scalars, [2])
    }

    // MARK: Corrupt files

    func testTruncatedAtEveryLengthThrows() throws {
        let whole = try SafeTensors(sampleTensors(), metadata: ["a": "b"]).serializedData()
        for length in 0 ..< whole.count {
            XCTAssertThrowsError(try SafeTensors(data: whole.prefix(length)), "prefix of \(length) bytes") { error in
                XCTAssertEqual((error as? CheckpointError)?.kind, .malformed, "\(error)")
            }
        }
        assertRejects(whole.prefix(5), .malformed, mentioning: ["safetensors data", "5 bytes", "8-byte header length"])
        assertRejects(whole.prefix(40), .malformed, mentioning: ["header length", "exceeds the 32 bytes"])
        assertRejects(whole.dropLast(3), .malformed, mentioning: ["ünïcödé", "extend past the end"])
    }

    func testHeaderLengthBeyondTheFileOrLimitThrows() {
        var huge = Data(repeating: 0xFF, count: 8)
        huge.append(contentsOf: Array("{}".utf8))
        assertRejects(huge, .malformed, mentioning: ["header length 18446744073709551615", "exceeds the 2 bytes"])
        var big = withUnsafeBytes(of: UInt64(SafeTensors.maximumHeaderByteCount + 1).littleEndian) { Data($0) }
        big.append(Data(repeating: 0x20, count: SafeTensors.maximumHeaderByteCount + 1))
        assertRejects(big, .malformed, mentioning: ["exceeds the limit"])
    }

    func testInvalidJSONThrows() {
        assertRejects(makeFile(header: ""), .malformed, mentioning: ["invalid JSON header", "unexpected end"])
        assertRejects(makeFile(header: #"{"a": "#), .malformed, mentioning: ["invalid JSON header"])
        assertRejects(makeFile(header: #"{"a": 1,}"#), .malformed, mentioning: ["invalid JSON header"])
        assertRejects(makeFile(header: #"{"a": 01}"#), .malformed, mentioning: ["invalid JSON header"])
        assertRejects(makeFile(header: #"{} x"#), .malformed, mentioning: ["unexpected text after the JSON value"])
        assertRejects(makeFile(header: "{\"a\u{1}\": 1}"), .malformed, mentioning: ["control character"])
        assertRejects(makeFile(header: #"{"\ud800": 1}"#), .malformed, mentioning: ["surrogate"])
        assertRejects(makeFile(header: String(repeating: "[", count: 100_000)), .malformed, mentioning: ["nesting deeper"])
        var invalidUTF8 = makeFile(header: #"{"xx": 1}"#)
        invalidUTF8[10] = 0xFF
        assertRejects(invalidUTF8, .malformed, mentioning: ["invalid UTF-8", "header byte 2"])
        assertRejects(makeFile(header: "[]"), .malformed, mentioning: ["header is an array, not a JSON object"])
    }

    func testJSONEscapesAreDecoded() throws {
        let header = #"{"a\"\\\/\b\f\n\r\t\u00e9\ud83c\udfb2":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}"#
        let loaded = try SafeTensors(data: makeFile(header: header, data: bytes([Float(5).bitPattern])))
        XCTAssertEqual(loaded.names, ["a\"\\/\u{8}\u{c}\n\r\té🎲"])
    }

    func testMissingOrIllTypedFieldsThrow() {
        func entry(_ fields: String) -> Data { makeFile(header: #"{"w":{"#+fields+"}}", data: [0, 0, 0, 0]) }
        assertRejects(entry(#""shape":[1],"data_offsets":[0,4]"#), .malformed, mentioning: ["'w'", #"no "dtype" field"#])
        assertRejects(entry(#""dtype":"F32","data_offsets":[0,4]"#), .malformed, mentioning: ["'w'", #"no "shape" field"#])
        assertRejects(entry(#""dtype":"F32","shape":[1]"#), .malformed, mentioning: ["'w'", #"no "data_offsets" field"#])
        assertRejects(entry(#""dtype":32,"shape":[1],"data_offsets":[0,4]"#), .malformed, mentioning: ["dtype of tensor 'w'", "not a string"])
        assertRejects(entry(#""dtype":"F32","shape":1,"data_offsets":[0,4]"#), .malformed, mentioning: ["shape of tensor 'w'", "not an array"])
        assertRejects(entry(#""dtype":"F32","shape":[1],"data_offsets":[0,4,8]"#), .malformed, mentioning: ["3 elements, not 2"])
        assertRejects(makeFile(header: #"{"w":[1]}"#), .malformed, mentioning: ["entry of tensor 'w' is an array, not an object"])
        assertRejects(makeFile(header: #"{"__metadata__":{"k":1}}"#), .malformed, mentioning: ["'k'", "not a string"])
        assertRejects(makeFile(header: #"{"__metadata__":["k"]}"#), .malformed, mentioning: ["__metadata__ is an array"])
    }

    func testUnknownDataTypeThrows() {
        let file = makeFile(header: #"{"w":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#, data: [0])
        assertRejects(file, .unsupportedDataType, mentioning: ["'w'", "'F8_E4M3'", "F32", "BF16"])
    }

    func testBadShapesThrow() {
        func shape(_ text: String) -> Data {
            makeFile(header: #"{"w":{"dtype":"F32","shape":"# + text + #","data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
        }
        assertRejects(shape("[-1]"), .malformed, mentioning: ["shape of tensor 'w'", "-1", "not a non-negative integer"])
        assertRejects(shape("[2.5]"), .malformed, mentioning: ["2.5", "not a non-negative integer"])
        assertRejects(shape("[1.0]"), .malformed, mentioning: ["1.0", "not a non-negative integer"])
        assertRejects(shape("[1e0]"), .malformed, mentioning: ["1e0"])
        assertRejects(shape(#"["1"]"#), .malformed, mentioning: ["a string"])
        assertRejects(shape("[true]"), .malformed, mentioning: ["true"])
        assertRejects(shape("[null]"), .malformed, mentioning: ["null"])
        assertRejects(shape("[99999999999999999999999]"), .malformed, mentioning: ["99999999999999999999999", "larger than the largest Int"])
        assertRejects(shape("[4294967296, 4294967296]"), .malformed, mentioning: ["more elements than Int can count"])
        assertRejects(shape("[3037000499, 3037000499]"), .malformed, mentioning: ["more bytes than Int can count"])
    }

    func testBadOffsetsThrow() {
        let eight: [UInt8] = Array(repeating: 0, count: 8)
        func file(_ entries: String, data: [UInt8] = eight) -> Data { makeFile(header: "{" + entries + "}", data: data) }
        assertRejects(file(#""w":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}"#), .malformed,
                      mentioning: ["'w'", "[0, 12]", "extend past the end of the 8-byte data buffer"])
        assertRejects(file(#""w":{"dtype":"F32","shape":[2],"data_offsets":[4,0]}"#), .malformed, mentioning: ["[4, 0]", "end before they begin"])
        assertRejects(file(#""w":{"dtype":"F32","shape":[1],"data_offsets":[-1,3]}"#), .malformed,
                      mentioning: ["data_offsets of tensor 'w'", "-1", "not a non-negative integer"])
        assertRejects(file(#""w":{"dtype":"F32","shape":[-0],"data_offsets":[0,0]}"#), .malformed, mentioning: ["-0"])
        assertRejects(file(#""w":{"dtype":"F32","shape":[1],"data_offsets":[0,18446744073709551620]}"#), .malformed,
                      mentioning: ["element 1 of the data_offsets of tensor 'w'", "18446744073709551620", "larger than the largest Int"])
        assertRejects(file(#""w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}"#), .malformed,
                      mentioning: ["'w'", "F32", "[3]", "needs 12 bytes", "[0, 8] span 8"])
        assertRejects(file(#""w":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}"#), .malformed, mentioning: ["needs 16 bytes"])
        assertRejects(file(#""a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}"#),
                      .malformed, mentioning: ["'a'", "'b'", "overlap"])
        assertRejects(file(#""a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#),
                      .malformed, mentioning: ["'a'", "'b'", "overlap"])
        assertRejects(file(#""a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}"#),
                      .malformed, mentioning: ["'a'", "'e'", "overlap"])
        assertRejects(file(#""a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}"#), .malformed,
                      mentioning: ["bytes 0..<4", "belong to no tensor", "'a'"])
        assertRejects(file(#""a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#), .malformed,
                      mentioning: ["8 bytes", "only 4", "trailing"])
        assertRejects(file("", data: [1]), .malformed, mentioning: ["1 bytes", "only 0"])
    }

    func testDuplicateNamesThrow() {
        let header = #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        assertRejects(makeFile(header: header, data: Array(repeating: 0, count: 8)), .malformed, mentioning: [#"duplicate key "w""#])
        assertRejects(makeFile(header: #"{"__metadata__":{"a":"1","a":"2"}}"#), .malformed, mentioning: [#"duplicate key "a""#])
    }

    func testRandomCorruptionNeverCrashes() throws {
        let whole = try SafeTensors(sampleTensors(), metadata: ["architecture": "mlp"]).serializedData()
        var generator = RandomGenerator(seed: 7)
        var failures = 0
        for _ in 0 ..< 2000 {
            var corrupted = whole
            for _ in 0 ..< 1 + Int(generator.next() % 4) {
                let index = Int(generator.next() % UInt64(corrupted.count))
                corrupted[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            do {
                let loaded = try SafeTensors(data: corrupted)
                // Whatever was accepted is self-consistent.
                for (_, tensor) in loaded.tensors { XCTAssertEqual(tensor.scalarCount, tensor.shape.reduce(1, *)) }
            } catch {
                XCTAssertTrue(error is CheckpointError, "\(error)")
                failures += 1
            }
        }
        XCTAssertGreaterThan(failures, 0)
    }

    func testReservedNameCannotBeWritten() {
        XCTAssertThrowsError(try SafeTensors([("__metadata__", Tensor([1]))]).serializedData()) { error in
            XCTAssertEqual((error as? CheckpointError)?.kind, .invalidName)
            XCTAssertTrue("\(error)".contains("__metadata__"))
        }
    }
}
