import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class GaussianProcessPredictorTests: XCTestCase {
    /// Inputs 0, 1, 0.5 with targets 1, −1; ℓ = 1, s² = 2, σ = 0.1. With a = 2e^{−1/2} (the
    /// kernel between 0 and 1), b = 2e^{−1/8} (between 0.5 and either), K + σ²I = [[2.01, a], [a, 2.01]]:
    /// ŷ₂ = (b, b) (K + σ²I)⁻¹ (1, −1) = 0 by symmetry; ŷ₁ = a · 1/2.01. And a third check
    /// with unequal targets, solved by hand. Tolerance 1e-5.
    func testMatchesTheClosedFormOnATinyExample() throws {
        let gp = try GaussianProcessPredictor(lengthScale: 1, signalVariance: 2, noise: 0.1)
        let a = 2 * exp(-0.5), b = 2 * exp(-0.125), diagonal = 2.01
        let symmetric = gp.predictions(for: TaskBatch.fixture(inputs: [[[0], [1], [0.5]]], targets: [[1, -1, 0]]))
        XCTAssertEqual(symmetric[0, 0], 0)
        XCTAssertEqual(Double(symmetric[0, 1]), a / diagonal, accuracy: 1e-5)
        XCTAssertEqual(Double(symmetric[0, 2]), 0, accuracy: 1e-5)
        // Targets (3, 1): α = (K + σ²I)⁻¹ y by the 2 × 2 inverse, ŷ₂ = b (α₀ + α₁).
        let determinant = diagonal * diagonal - a * a
        let alpha0 = (diagonal * 3 - a * 1) / determinant, alpha1 = (-a * 3 + diagonal * 1) / determinant
        let unequal = gp.predictions(for: TaskBatch.fixture(inputs: [[[0], [1], [0.5]]], targets: [[3, 1, 0]]))
        XCTAssertEqual(Double(unequal[0, 2]), b * (alpha0 + alpha1), accuracy: 1e-5)
    }

    /// Noise-free: querying an input seen before returns its target (the posterior mean
    /// interpolates). Tolerance 1e-4 (the documented jitter is 1e-10 s²).
    func testInterpolatesNoiseFreeData() throws {
        var generator = RandomGenerator(seed: 9)
        let points = (0..<6).map { _ in (0..<2).map { _ in generator.nextNormal() } }
        let targets = (0..<6).map { _ in generator.nextNormal() }
        // Points 6…11 repeat points 0…5 (in another order) with the same targets.
        let order = [3, 0, 5, 1, 4, 2]
        let batch = TaskBatch.fixture(inputs: [points + order.map { points[$0] }], targets: [targets + order.map { targets[$0] }])
        let predictions = try GaussianProcessPredictor(lengthScale: 0.8).predictions(for: batch)
        for (offset, source) in order.enumerated() {
            XCTAssertEqual(predictions[0, 6 + offset], targets[source], accuracy: 1e-4)
        }
    }
}
