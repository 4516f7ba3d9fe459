import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class TabularTransformerGrowthTests: XCTestCase {
    private func configuration(kind: TabularTaskKind) -> TabularModelConfiguration {
        var c = TabularModelConfiguration()
        c.kind = kind
        c.modelSize = 16
        c.layerCount = 2
        c.headCount = 2
        c.feedForwardSize = 24
        c.maximumFeatures = 12
        return c
    }

    private func model(kind: TabularTaskKind, seed: UInt64) -> TabularTransformer {
        var generator = RandomGenerator(seed: seed)
        return TabularTransformer(configuration: configuration(kind: kind), using: &generator)
    }

    private var smallCells: TabularCellConfiguration {
        var cells = TabularCellConfiguration()
        cells.size = 8
        cells.inducingPoints = 3
        cells.rowLayers = 1
        return cells
    }

    /// The grown model computes the same logits as the original, in inference (the fused
    /// kernel) and with gradients recorded (the composed operations), and its added parts are
    /// trainable: their zeroed output projections get gradients.
    func testGrowingPreservesTheFunction() throws {
        for kind in [TabularTaskKind.classification, .regression] {
            for (layers, cells) in [(5, nil), (2, smallCells), (3, smallCells)] as [(Int, TabularCellConfiguration?)] {
                let original = model(kind: kind, seed: 1)
                var target = original.configuration
                target.layerCount = layers
                target.cells = cells
                let larger = try original.grown(to: target, seed: 9)
                XCTAssertEqual(larger.configuration, target)
                XCTAssertEqual(larger.encoder.layers.count, layers)
                var generator = RandomGenerator(seed: 2)
                let features = Tensor.randomNormal([2, 9, original.configuration.maximumFeatures], using: &generator)
                let targets: [Float] = (0..<12).map { kind == .classification ? Float($0 % 3) : Float($0) / 6 - 1 }
                let counts = [12, 5]
                let expected = withoutGradients { original.logits(features: features, trainTargets: targets, trainCount: 6) }
                let fused = withoutGradients { larger.logits(features: features, trainTargets: targets, trainCount: 6, featureCounts: counts) }
                let context = "\(kind), \(layers) layers, cells \(cells != nil)"
                XCTAssertTrue(fused.isApproximatelyEqual(to: expected, tolerance: 1e-5), context)
                let recorded = larger.logits(features: features, trainTargets: targets, trainCount: 6, featureCounts: counts)
                XCTAssertTrue(recorded.isApproximatelyEqual(to: expected, tolerance: 1e-5), "\(context), with gradients")
                (recorded * recorded).sum().backward()
                let added = cells != nil ? try XCTUnwrap(larger.cells).output.weight : larger.encoder.layers[layers - 1].attention.output.weight
                XCTAssertTrue(added.value.scalars.allSatisfy { $0 == 0 }, context)
                XCTAssertTrue(try XCTUnwrap(added.gradient).scalars.contains { $0 != 0 }, "a zero projection still learns: \(context)")
            }
        }
    }

    func testGrowingNeedsALargerModelOtherwiseTheSame() throws {
        let original = model(kind: .classification, seed: 3)
        var wider = original.configuration
        wider.modelSize = 32
        var fewer = original.configuration
        fewer.layerCount = 1
        var targets = [original.configuration, wider, fewer]
        var withCells = original.configuration
        withCells.cells = smallCells
        let grown = try original.grown(to: withCells, seed: 0)
        var otherCells = withCells
        otherCells.cells?.size = 16
        var noCells = withCells
        noCells.cells = nil
        noCells.layerCount = 3
        for bad in targets {
            XCTAssertThrowsError(try original.grown(to: bad, seed: 0)) { XCTAssertTrue("\($0)".contains("needs more layers, cells added"), "\($0)") }
        }
        targets = [otherCells, noCells, withCells]
        for bad in targets {
            XCTAssertThrowsError(try grown.grown(to: bad, seed: 0)) { XCTAssertTrue("\($0)".contains("with cells needs more layers"), "\($0)") }
        }
    }

    /// Finer bins keep the regression density: each old bin's probability is shared equally by
    /// its sub-bins, and the layers are untouched; a head that is not a whole multiple, or fewer
    /// bins, is refused.
    func testFinerBinsSplitEachBinsProbability() throws {
        let original = model(kind: .regression, seed: 4)
        var target = original.configuration
        target.binCount = 4 * original.configuration.binCount
        target.layerCount = 3
        let finer = try original.grown(to: target, seed: 1)
        XCTAssertEqual(finer.configuration, target)
        var generator = RandomGenerator(seed: 6)
        let features = Tensor.randomNormal([1, 10, original.configuration.maximumFeatures], using: &generator)
        let targets: [Float] = (0..<6).map { Float($0) / 3 - 1 }
        let old = withoutGradients { original.logits(features: features, trainTargets: targets, trainCount: 6) }.softmax().scalars
        let new = withoutGradients { finer.logits(features: features, trainTargets: targets, trainCount: 6) }.softmax().scalars
        let bins = original.configuration.binCount
        XCTAssertEqual(new.count, 4 * old.count)
        for (index, probability) in old.enumerated() {
            let shares = new[(4 * index)..<(4 * index + 4)]
            XCTAssertEqual(shares.reduce(0, +), probability, accuracy: 1e-6, "bin \(index % bins)")
            XCTAssertEqual(shares.max()! - shares.min()!, 0, accuracy: 1e-7)
        }
        for count in [original.configuration.binCount / 2, original.configuration.binCount * 3 / 2] {
            var bad = original.configuration
            bad.binCount = count
            XCTAssertThrowsError(try original.grown(to: bad, seed: 0)) { XCTAssertTrue("\($0)".contains("or a whole multiple of its bins"), "\($0)") }
        }
        var classifier = model(kind: .classification, seed: 4).configuration
        classifier.binCount *= 2
        XCTAssertThrowsError(try model(kind: .classification, seed: 4).grown(to: classifier, seed: 0))
    }
}
