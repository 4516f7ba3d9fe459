import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class TabularCellEmbeddingTests: XCTestCase {
    /// A small model with a front end whose output projection is not zero (as after training).
    private func model(kind: TabularTaskKind = .classification) -> TabularTransformer {
        var c = TabularModelConfiguration(kind: kind)
        c.modelSize = 16
        c.layerCount = 1
        c.headCount = 2
        c.feedForwardSize = 16
        c.maximumFeatures = 6
        var cells = TabularCellConfiguration()
        cells.size = 8
        cells.inducingPoints = 3
        cells.rowLayers = 1
        c.cells = cells
        var generator = RandomGenerator(seed: 5)
        let model = TabularTransformer(configuration: c, using: &generator)
        let output = model.cells!.output
        output.weight.assign(.randomNormal(output.weight.shape, standardDeviation: 0.5, using: &generator))
        return model
    }

    /// Rows `[labelled…, unlabelled…]` of `featureCount` features, padded into a batch of one.
    private func input(_ rows: [[Float]], model: TabularTransformer) -> Tensor {
        Tensor(shape: [1, rows.count, model.configuration.maximumFeatures],
               scalars: model.paddedFeatures(rows.flatMap { $0 }, rows: rows.count, featureCount: rows[0].count))
    }

    private func table(seed: UInt64, rows: Int = 9, features: Int = 4) -> [[Float]] {
        var generator = RandomGenerator(seed: seed)
        return (0..<rows).map { _ in (0..<features).map { _ in Float(generator.nextDouble() * 4 - 2) } }
    }

    /// An unlabelled row's logits depend on the labelled rows and on itself only: not on the
    /// other unlabelled rows, nor on the labelled rows' order.
    func testUnlabelledRowsReadTheLabelledRowsOnly() {
        let model = model(), rows = table(seed: 1), labels: [Float] = [0, 1, 2, 1, 0]
        let logits = { (rows: [[Float]], labels: [Float]) in
            withoutGradients { model.logits(features: self.input(rows, model: model), trainTargets: labels, trainCount: 5, featureCounts: [4]) }
        }
        let base = logits(rows, labels)
        XCTAssertEqual(base.shape, [1, 4, model.configuration.outputCount])
        var changed = rows
        changed[8] = [1.5, -0.5, 0.25, 2]
        let other = logits(changed, labels)
        XCTAssertTrue(other.slice(alongAxis: 1, from: 0, to: 3).isApproximatelyEqual(to: base.slice(alongAxis: 1, from: 0, to: 3), tolerance: 1e-5))
        XCTAssertFalse(other.slice(alongAxis: 1, from: 3).isApproximatelyEqual(to: base.slice(alongAxis: 1, from: 3), tolerance: 1e-4))
        let order = [3, 0, 4, 1, 2]
        let shuffled = logits(order.map { rows[$0] } + rows[5...], order.map { labels[$0] })
        XCTAssertTrue(shuffled.isApproximatelyEqual(to: base, tolerance: 1e-4))
    }

    /// The front end reads the labels (target-aware columns): relabelling a labelled row changes
    /// the unlabelled rows' logits even though the row tokens' path is unchanged.
    func testTheFrontEndReadsTheLabels() {
        for kind in [TabularTaskKind.classification, .regression] {
            let model = model(kind: kind), rows = table(seed: 2)
            let labels: [Float] = [0, 1, 0, 1, 1]
            let input = self.input(rows, model: model)
            let base = withoutGradients { model.cells!(features: input, featureCounts: [4], trainTargets: labels, trainCount: 5) }
            let relabelled = withoutGradients { model.cells!(features: input, featureCounts: [4], trainTargets: [1, 1, 0, 1, 1], trainCount: 5) }
            XCTAssertEqual(base.shape, [1, 9, 16])
            XCTAssertFalse(relabelled.slice(alongAxis: 1, from: 5).isApproximatelyEqual(to: base.slice(alongAxis: 1, from: 5), tolerance: 1e-4), "\(kind)")
        }
    }

    /// The padding scale is undone: a table gives the same cells whatever the padded width's
    /// scale, so a table of 4 features padded as 4 features is one table of 4 cells per row.
    func testBatchesOfDifferentWidthsMatchTablesAlone() {
        let model = model(), narrow = table(seed: 3, features: 2), wide = table(seed: 4, features: 5)
        let labels: [Float] = [0, 1, 0, 1, 1, 0, 1, 0, 1, 1]
        let batch = Tensor.concatenate([input(narrow, model: model), input(wide, model: model)], alongAxis: 0)
        let together = withoutGradients { model.logits(features: batch, trainTargets: labels, trainCount: 5, featureCounts: [2, 5]) }
        let alone = withoutGradients { model.logits(features: input(wide, model: model), trainTargets: Array(labels[5...]), trainCount: 5, featureCounts: [5]) }
        XCTAssertTrue(together.slice(alongAxis: 0, from: 1).isApproximatelyEqual(to: alone, tolerance: 1e-5))
        // With gradients recorded (the composed operations) the values are the same.
        let recorded = model.logits(features: batch, trainTargets: labels, trainCount: 5, featureCounts: [2, 5])
        XCTAssertTrue(recorded.isApproximatelyEqual(to: together, tolerance: 1e-4))
    }

    func testConfigurationDecodingAndProblems() throws {
        let decoded = try JSONDecoder().decode(TabularModelConfiguration.self, from: Data(#"{"cells": {"size": 16}}"#.utf8))
        XCTAssertEqual(decoded.cells?.size, 16)
        XCTAssertEqual(decoded.cells?.inducingPoints, TabularCellConfiguration().inducingPoints)
        let plain = try JSONDecoder().decode(TabularModelConfiguration.self, from: Data("{}".utf8))
        XCTAssertNil(plain.cells)
        XCTAssertFalse(String(decoding: try JSONEncoder().encode(plain), as: UTF8.self).contains("cells"), "older files stay unchanged")
        XCTAssertThrowsError(try JSONDecoder().decode(TabularModelConfiguration.self, from: Data(#"{"cells": {"width": 16}}"#.utf8))) { error in
            XCTAssertTrue("\(error)".contains("width") && "\(error)".contains("inducingPoints"), "\(error)")
        }
        var cells = TabularCellConfiguration()
        XCTAssertNil(cells.problem)
        cells.headCount = 3
        XCTAssertTrue(cells.problem?.contains("not a multiple of headCount 3") == true)
        cells.headCount = 0
        XCTAssertTrue(cells.problem?.contains("at least 1") == true)
        var run = TabularPretrainingConfiguration()
        run.model.cells = cells
        XCTAssertThrowsError(try TabularPretrainingConfiguration(json: try JSONEncoder().encode(run), source: "run.json")) { error in
            XCTAssertTrue("\(error)".contains("model.cells"), "\(error)")
        }
    }
}
