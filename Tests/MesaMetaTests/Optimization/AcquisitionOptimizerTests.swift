import Foundation
import MesaCore
import MesaMeta
import XCTest

final class AcquisitionOptimizerTests: XCTestCase {
    /// A posterior without gradients whose acquisition peaks at `peak`, counting its batched calls.
    private final class PeakedPosterior: SurrogatePosterior, @unchecked Sendable {
        let peak: [Double]
        var batches = 0
        init(peak: [Double]) { self.peak = peak }
        var dimension: Int { peak.count }
        var providesGradients: Bool { false }
        func acquisitionValue(_ acquisition: Acquisition, at x: [Double], withGradient: Bool) -> (value: Double, gradient: [Double]?) {
            (-zip(x, peak).map { ($0 - $1) * ($0 - $1) }.reduce(0, +), nil)
        }
        func acquisitionValues(_ acquisition: Acquisition, at points: [[Double]]) -> [Double] {
            batches += 1
            return points.map { acquisitionValue(acquisition, at: $0, withGradient: false).value }
        }
        func conditionedOnFantasy(at x: [Double]) -> any SurrogatePosterior { self }
    }

    func testWithoutGradientsTheSamplingRefinementClosesInOnThePeak() {
        let posterior = PeakedPosterior(peak: [0.3712, 0.8123, 0.5551])
        var generator = RandomGenerator(seed: 1)
        let coarse = AcquisitionOptimizer(rawSampleCount: 64, localSampleCount: 0, restartCount: 4)
        var unrefined = coarse
        unrefined.samplingRounds = 0
        let refined = coarse.maximize(.logExpectedImprovement, over: posterior, incumbents: [], observed: [], snap: { [$0] }, using: &generator)
        var again = RandomGenerator(seed: 1)
        let raw = unrefined.maximize(.logExpectedImprovement, over: posterior, incumbents: [], observed: [], snap: { [$0] }, using: &again)
        XCTAssertGreaterThan(refined.value, raw.value)
        XCTAssertGreaterThan(refined.value, -5e-3, "refined to \(refined.point)")
        // Samples, each refinement round and the snapped ends: one batch each.
        XCTAssertEqual(posterior.batches, 1 + 3 + 1 + 1 + 1)
    }
}
