import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class TabularTransformerDeepeningTests: XCTestCase {
    private func model(kind: TabularTaskKind, seed: UInt64) -> TabularTransformer {
        var c = TabularModelConfiguration()
        c.kind = kind
        c.modelSize = 16
        c.layerCount = 2
        c.headCount = 2
        c.feedForwardSize = 24
        var generator = RandomGenerator(seed: seed)
        return TabularTransformer(configuration: c, using: &generator)
    }

    /// The deeper model computes the same logits as the original, in inference (the fused
    /// kernel) and with gradients recorded (the composed operations), and its added layers are
    /// trainable: their zeroed output projections get gradients.
    func testDeepeningPreservesTheFunction() throws {
        for kind in [TabularTaskKind.classification, .regression] {
            let original = model(kind: kind, seed: 1)
            let deeper = try original.deepened(to: 5, seed: 9)
            XCTAssertEqual(deeper.configuration.layerCount, 5)
            XCTAssertEqual(deeper.encoder.layers.count, 5)
            var generator = RandomGenerator(seed: 2)
            let features = Tensor.randomNormal([2, 9, original.configuration.maximumFeatures], using: &generator)
            let targets: [Float] = (0..<12).map { kind == .classification ? Float($0 % 3) : Float($0) / 6 - 1 }
            let expected = withoutGradients { original.logits(features: features, trainTargets: targets, trainCount: 6) }
            let fused = withoutGradients { deeper.logits(features: features, trainTargets: targets, trainCount: 6) }
            XCTAssertTrue(fused.isApproximatelyEqual(to: expected, tolerance: 1e-5), "\(kind)")
            let recorded = deeper.logits(features: features, trainTargets: targets, trainCount: 6)
            XCTAssertTrue(recorded.isApproximatelyEqual(to: expected, tolerance: 1e-5), "\(kind), with gradients")
            (recorded * recorded).sum().backward()
            let added = deeper.encoder.layers[4].attention.output.weight
            XCTAssertTrue(added.value.scalars.allSatisfy { $0 == 0 })
            XCTAssertTrue(try XCTUnwrap(added.gradient).scalars.contains { $0 != 0 }, "a zero projection still learns")
        }
    }

    func testDeepeningNeedsMoreLayers() {
        let original = model(kind: .classification, seed: 3)
        for bad in [0, 1, 2] {
            XCTAssertThrowsError(try original.deepened(to: bad, seed: 0)) { XCTAssertTrue("\($0)".contains("needs more layers than 2"), "\($0)") }
        }
    }
}
