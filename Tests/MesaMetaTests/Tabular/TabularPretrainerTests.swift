import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class TabularPretrainerTests: XCTestCase {
    private func configuration() -> TabularPretrainingConfiguration {
        var c = TabularPretrainingConfiguration()
        c.model.modelSize = 16
        c.model.layerCount = 1
        c.model.headCount = 2
        c.model.feedForwardSize = 32
        c.steps = 12
        c.batchSize = 2
        c.maximumRows = 30
        c.checkpointInterval = 4
        c.evaluationInterval = 6
        c.logInterval = 2
        return c
    }

    /// With and without a per-cell front end (whose tables of different widths go through in groups).
    func testResumeIsExact() throws {
        for cells in [nil, TabularCellConfiguration()] {
            let a = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-pt-a-\(UUID())")
            let b = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-pt-b-\(UUID())")
            defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
            var c = configuration()
            c.model.cells = cells
            c.model.cells?.size = 8
            c.model.cells?.rowLayers = 1
            c.model.cells?.inducingPoints = 4
            c.batchSize = 3
            if cells != nil { (c.minimumRows, c.maximumRows, c.steps) = (8, 20, 8) }
            let whole = try TabularPretrainer(configuration: c, directory: a)
            try whole.run()
            try TabularPretrainer(configuration: c, directory: b).run(stoppingAt: 5)
            let resumed = try TabularPretrainer(resumingFrom: b)
            XCTAssertEqual(resumed.step, 5)
            try resumed.run()
            XCTAssertEqual(resumed.model.parameters.map { $0.value.scalars }, whole.model.parameters.map { $0.value.scalars }, "cells: \(cells != nil)")
        }
    }

    func testExportNeverOverwritesTheRunsCheckpoint() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-pt-export-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try TabularPretrainer(configuration: configuration(), directory: directory).run(stoppingAt: 4)
        let checkpoint = directory.appendingPathComponent("checkpoint.safetensors")
        let before = try Data(contentsOf: checkpoint)
        XCTAssertThrowsError(try TabularModelFile.export(from: checkpoint, to: checkpoint)) {
            XCTAssertEqual("\($0)", "cannot write the exported model to \(checkpoint.path): it is the run's checkpoint file, which would be overwritten; choose another output path")
        }
        XCTAssertEqual(try Data(contentsOf: checkpoint), before)
        let exported = directory.appendingPathComponent("model.safetensors")
        try TabularModelFile.export(from: checkpoint, to: exported)
        XCTAssertNil(try SafeTensors(contentsOf: exported).metadata["mesa.optimizer"])
    }

    func testARunCanBeExtendedButNotShortened() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-pt-extend-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try TabularPretrainer(configuration: configuration(), directory: directory).run()
        XCTAssertThrowsError(try TabularPretrainer(resumingFrom: directory, extendingTo: 12)) { XCTAssertTrue("\($0)".contains("do not extend")) }
        do {   // a session holds the run folder's lock until it ends
            let extended = try TabularPretrainer(resumingFrom: directory, extendingTo: 16)
            try extended.run()
            XCTAssertEqual(extended.step, 16)
        }
        XCTAssertEqual(try TabularPretrainer(resumingFrom: directory).configuration.steps, 16)
    }

    /// A run started from a model file begins with that model's weights (continued pre-training);
    /// a model of other sizes is refused before anything is written.
    func testInitialModelStartsFromItsWeights() throws {
        let first = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-pt-first-\(UUID())")
        let second = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-pt-second-\(UUID())")
        let refused = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-pt-refused-\(UUID())")
        defer { for url in [first, second, refused] { try? FileManager.default.removeItem(at: url) } }
        let trained = try TabularPretrainer(configuration: configuration(), directory: first)
        try trained.run()
        var continued = configuration()
        continued.seed = 7
        continued.initialModel = trained.checkpointURL.path
        let warm = try TabularPretrainer(configuration: continued, directory: second)
        XCTAssertEqual(warm.model.parameters.map { $0.value.scalars }, trained.model.parameters.map { $0.value.scalars })
        var cold = configuration()
        cold.seed = 7
        let fresh = try TabularPretrainer(configuration: cold, directory: refused)
        XCTAssertNotEqual(fresh.model.parameters.map { $0.value.scalars }, trained.model.parameters.map { $0.value.scalars })
        try FileManager.default.removeItem(at: refused)

        // More layers, the other sizes the same: the run starts from the model, grown.
        var grown = continued
        grown.model.layerCount = 3
        let deeper = try TabularPretrainer(configuration: grown, directory: refused)
        XCTAssertEqual(deeper.model.encoder.layers.count, 3)
        XCTAssertEqual(deeper.model.featureEncoder.weight.value.scalars, trained.model.featureEncoder.weight.value.scalars)
        XCTAssertTrue(deeper.model.encoder.layers[2].feedForwardOut.weight.value.scalars.allSatisfy { $0 == 0 })
        try FileManager.default.removeItem(at: refused)

        // A per-cell front end added: the run starts from the model with the front end inert, and trains it.
        var cells = TabularCellConfiguration()
        cells.size = 8
        cells.inducingPoints = 4
        cells.rowLayers = 1
        var withCells = continued
        withCells.model.cells = cells
        withCells.steps = 3
        let cellRun = try TabularPretrainer(configuration: withCells, directory: refused)
        XCTAssertEqual(cellRun.model.featureEncoder.weight.value.scalars, trained.model.featureEncoder.weight.value.scalars)
        let output = try XCTUnwrap(cellRun.model.cells).output.weight
        XCTAssertTrue(output.value.scalars.allSatisfy { $0 == 0 })
        try cellRun.run()
        XCTAssertTrue(output.value.scalars.contains { $0 != 0 }, "the front end trains")
        XCTAssertTrue(cellRun.evaluate().isFinite)
        let exported = try TabularModelFile.load(cellRun.checkpointURL, kind: .classification)
        XCTAssertEqual(exported.recipe.model.cells, cells)
        XCTAssertEqual(exported.model.parameters.map { $0.value.scalars }, cellRun.model.parameters.map { $0.value.scalars })
        try FileManager.default.removeItem(at: refused)

        var mismatched = continued
        mismatched.model.modelSize = 32
        mismatched.model.feedForwardSize = 64
        XCTAssertThrowsError(try TabularPretrainer(configuration: mismatched, directory: refused)) { error in
            XCTAssertTrue("\(error)".contains("other model sizes"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: refused.path), "nothing is written for a refused run")
    }

    /// Any model on any prior of its kind and width; a mismatch is a clear error.
    func testHeldOutLossOfAModelOnAnotherPrior() throws {
        let c = configuration()
        var generator = RandomGenerator(seed: 3)
        let model = TabularTransformer(configuration: c.model, using: &generator)
        var trees = c
        trees.prior.treeProbability = 1
        let (plain, other) = (try TabularPretrainer.heldOutLoss(of: model, configuration: c), try TabularPretrainer.heldOutLoss(of: model, configuration: trees))
        XCTAssertTrue(plain.isFinite && other.isFinite && plain != other)
        XCTAssertEqual(try TabularPretrainer.heldOutLoss(of: model, configuration: c), plain, "the same fixed batches")
        var regression = TabularPretrainingConfiguration(kind: .regression)
        regression.model.maximumFeatures = c.model.maximumFeatures
        XCTAssertThrowsError(try TabularPretrainer.heldOutLoss(of: model, configuration: regression)) {
            XCTAssertTrue("\($0)".contains("the model is a classification model; the prior draws regression tables"), "\($0)")
        }
        var narrow = c
        narrow.model.maximumFeatures = 20
        XCTAssertThrowsError(try TabularPretrainer.heldOutLoss(of: model, configuration: narrow)) {
            XCTAssertTrue("\($0)".contains("reads 100 features; the prior's model section has 20"), "\($0)")
        }
    }

    func testPriorSamplesAreWellFormed() {
        var generator = RandomGenerator(seed: 4)
        for kind in [TabularTaskKind.classification, .regression] {
            let prior = TabularPrior(kind: kind)
            for _ in 0..<30 {
                let sample = prior.sample(rowCount: 50, trainCount: 30, using: &generator)
                XCTAssertEqual(sample.features.count, 50 * sample.featureCount)
                XCTAssertLessThanOrEqual(sample.featureCount, prior.maximumFeatures)
                XCTAssertTrue(sample.features.allSatisfy(\.isFinite))
                XCTAssertTrue(sample.features.allSatisfy { abs($0) <= 6 })
                if kind == .classification {
                    XCTAssertTrue((2...10).contains(sample.classCount))
                    XCTAssertTrue(sample.targets.allSatisfy { $0 >= 0 && Int($0) < sample.classCount && $0 == $0.rounded() })
                } else {
                    let train = sample.targets.prefix(30)
                    XCTAssertEqual(train.reduce(0, +) / 30, 0, accuracy: 1e-3)
                }
            }
        }
    }

    func testDefaultsFollowTheKind() throws {
        let regression = try TabularPretrainingConfiguration(json: Data(#"{"model": {"kind": "regression"}}"#.utf8), source: "c.json")
        XCTAssertEqual(regression, TabularPretrainingConfiguration(kind: .regression))
        XCTAssertEqual(regression.maximumRows, 300)
        XCTAssertEqual(regression.prior, TabularPrior(kind: .regression))
        XCTAssertEqual(try TabularPretrainingConfiguration(json: Data("{}".utf8), source: "c.json"), TabularPretrainingConfiguration())
        XCTAssertEqual(TabularPretrainingConfiguration().maximumRows, 500)
    }

    func testBadConfigurationsAreClearErrors() {
        XCTAssertThrowsError(try TabularPretrainingConfiguration(json: Data(#"{"stepz": 3}"#.utf8), source: "c.json")) { XCTAssertTrue("\($0)".contains("stepz")) }
        XCTAssertThrowsError(try TabularPretrainingConfiguration(json: Data(#"{"minimumRows": 2}"#.utf8), source: "c.json")) { XCTAssertTrue("\($0)".contains("minimumRows")) }
    }
}
