import Foundation
import MesaCore
import MesaNN
import XCTest

/// A two-layer network declared the way users write modules.
private final class TwoLayer: Layer {
    let hidden: Linear
    let output: Linear

    init(inputSize: Int = 3, hiddenSize: Int = 5, outputSize: Int = 2, seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        hidden = Linear(inputSize: inputSize, outputSize: hiddenSize, using: &generator)
        output = Linear(inputSize: hiddenSize, outputSize: outputSize, using: &generator)
    }

    func callAsFunction(_ input: Tensor) -> Tensor { output(hidden(input).relu()) }
}

/// Just the first layer of ``TwoLayer``, to load a backbone out of a larger checkpoint.
private final class HiddenOnly: Module {
    let hidden: Linear

    init(seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        hidden = Linear(inputSize: 3, outputSize: 5, using: &generator)
    }
}

final class ModuleCheckpointTests: XCTestCase {
    func makeTemporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ModuleCheckpointTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        return directory
    }

    func values(of module: some Module) -> [[Float]] { module.parameters.map(\.value.scalars) }

    /// Asserts that `body` throws a ``CheckpointError`` of `kind` mentioning every fragment.
    func assertThrows(
        _ kind: CheckpointError.Kind, mentioning fragments: [String], _ body: () throws -> Void,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let error = error as? CheckpointError else { return XCTFail("not a CheckpointError: \(error)", file: file, line: line) }
            XCTAssertEqual(error.kind, kind, error.message, file: file, line: line)
            for fragment in fragments {
                XCTAssertTrue(error.message.contains(fragment), "'\(fragment)' not in: \(error.message)", file: file, line: line)
            }
        }
    }

    func testStateTensorsUseDottedNamesInDeclarationOrder() {
        let model = TwoLayer(seed: 1)
        let state = model.stateTensors()
        XCTAssertEqual(state.map(\.name), ["hidden.weight", "hidden.bias", "output.weight", "output.bias"])
        XCTAssertEqual(state.map(\.tensor.shape), [[5, 3], [5], [2, 5], [2]])
        XCTAssertTrue(state.allSatisfy { !$0.tensor.requiresGradient })
    }

    func testSaveLoadRoundTripRestoresParametersPredictionsAndMetadata() throws {
        let url = try makeTemporaryDirectory().appendingPathComponent("two-layer.safetensors")
        let original = TwoLayer(seed: 1)
        try original.save(to: url, metadata: ["architecture": "TwoLayer", "steps": "100"])

        let restored = TwoLayer(seed: 2)
        XCTAssertNotEqual(values(of: restored), values(of: original))
        let metadata = try restored.load(from: url)
        XCTAssertEqual(metadata, ["architecture": "TwoLayer", "steps": "100"])
        XCTAssertEqual(values(of: restored), values(of: original))

        var generator = RandomGenerator(seed: 9)
        let input = Tensor.randomNormal([4, 3], using: &generator)
        XCTAssertEqual(restored(input).scalars, original(input).scalars)

        // Loaded parameters are fresh leaves that train.
        XCTAssertTrue(restored.parameters.allSatisfy { $0.value.requiresGradient })
        restored(input).sum().backward()
        XCTAssertTrue(restored.parameters.allSatisfy { $0.gradient != nil })
    }

    func testLinearRoundTripsThroughAnInMemoryCheckpoint() throws {
        var generator = RandomGenerator(seed: 4)
        let source = Linear(inputSize: 2, outputSize: 3, using: &generator)
        let target = Linear(inputSize: 2, outputSize: 3, using: &generator)
        let checkpoint = try source.checkpoint(metadata: ["k": "v"])
        XCTAssertEqual(checkpoint.names, ["weight", "bias"])
        XCTAssertEqual(checkpoint.metadata, ["k": "v"])
        try target.restore(from: SafeTensors(data: checkpoint.serializedData()))
        XCTAssertEqual(values(of: target), values(of: source))
    }

    func testShapeMismatchThrowsNamingTheTensorAndChangesNothing() throws {
        let url = try makeTemporaryDirectory().appendingPathComponent("wide.safetensors")
        try TwoLayer(hiddenSize: 6, seed: 1).save(to: url)
        let model = TwoLayer(hiddenSize: 5, seed: 2)
        let before = values(of: model)
        assertThrows(.stateMismatch, mentioning: [url.path, "'hidden.weight' is [6, 3] in the file but [5, 3] in the module",
                                                  "'hidden.bias'", "'output.weight'", "No parameter was changed"]) {
            try model.load(from: url)
        }
        XCTAssertEqual(values(of: model), before)
    }

    func testMissingAndUnexpectedNamesThrowAndChangeNothing() throws {
        let directory = try makeTemporaryDirectory()
        let linearURL = directory.appendingPathComponent("linear.safetensors")
        var generator = RandomGenerator(seed: 5)
        try Linear(inputSize: 3, outputSize: 5, using: &generator).save(to: linearURL)

        let model = TwoLayer(seed: 2)
        let before = values(of: model)
        assertThrows(.stateMismatch, mentioning: ["missing tensors: 'hidden.weight', 'hidden.bias', 'output.weight', 'output.bias'",
                                                  "unexpected tensors: 'weight', 'bias'"]) {
            try model.load(from: linearURL)
        }
        // Non-strict loading ignores extra tensors but still requires every parameter.
        assertThrows(.stateMismatch, mentioning: ["missing tensors"]) { try model.load(from: linearURL, strict: false) }
        XCTAssertEqual(values(of: model), before)

        // One missing parameter among present ones still changes nothing.
        var partial = try model.checkpoint()
        partial["output.bias"] = nil
        partial["hidden.weight"] = Tensor(repeating: 7, shape: [5, 3])
        assertThrows(.stateMismatch, mentioning: ["missing tensors: 'output.bias'"]) { try model.restore(from: partial) }
        XCTAssertEqual(values(of: model), before)
    }

    func testNonStrictLoadingIgnoresExtraTensors() throws {
        let url = try makeTemporaryDirectory().appendingPathComponent("two-layer.safetensors")
        let full = TwoLayer(seed: 1)
        try full.save(to: url, metadata: ["architecture": "TwoLayer"])

        let backbone = HiddenOnly(seed: 3)
        let before = values(of: backbone)
        assertThrows(.stateMismatch, mentioning: ["unexpected tensors: 'output.weight', 'output.bias'", "strict: false"]) {
            try backbone.load(from: url)
        }
        XCTAssertEqual(values(of: backbone), before)

        XCTAssertEqual(try backbone.load(from: url, strict: false), ["architecture": "TwoLayer"])
        XCTAssertEqual(values(of: backbone), values(of: full.hidden))
    }

    func testCorruptFileThrowsAndChangesNothing() throws {
        let url = try makeTemporaryDirectory().appendingPathComponent("model.safetensors")
        let model = TwoLayer(seed: 1)
        try model.save(to: url)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count - 1).write(to: url)

        let target = TwoLayer(seed: 2)
        let before = values(of: target)
        assertThrows(.malformed, mentioning: [url.path, "'output.bias'", "extend past the end"]) { try target.load(from: url) }
        XCTAssertEqual(values(of: target), before)
    }
}
