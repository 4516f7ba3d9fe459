import XCTest
@testable import MesaMeta

final class OpenAIESTests: XCTestCase {
    func testCentredRanksSpanMinusHalfToHalfWithTheBestLowest() {
        XCTAssertEqual(OpenAIES.centredRanks([3, 1, 2, 10, -4]), [0.25, -0.25, 0, 0.5, -0.5])
    }

    func testAntitheticPairsMirrorTheMean() throws {
        let es = try OpenAIES(mean: [1, -1], noiseScale: 0.5, populationSize: 6, update: OptimizerConfiguration(algorithm: .adam, learningRate: 0.1), seed: 1)
        let points = es.ask()
        XCTAssertEqual(points.count, 6)
        for k in 0..<3 { for j in 0..<2 { XCTAssertEqual(points[2 * k][j] + points[2 * k + 1][j], 2 * es.mean[j], accuracy: 1e-12) } }
    }

    func testAdamAndLionUpdatesDescendTheSphere() throws {
        for algorithm in [OptimizerAlgorithm.adam, .lion] {
            let es = try OpenAIES(mean: Array(repeating: 3, count: 5), noiseScale: 0.3, populationSize: 20,
                                  update: OptimizerConfiguration(algorithm: algorithm, learningRate: algorithm == .lion ? 0.02 : 0.1), seed: 2)
            for _ in 0..<150 {
                let points = es.ask()
                try es.tell(points, values: points.map { $0.reduce(0) { $0 + $1 * $1 } })
            }
            XCTAssertLessThan(es.mean.reduce(0) { $0 + $1 * $1 }, 0.5, "\(algorithm): mean \(es.mean)")
        }
    }

    func testRefusesAnOddPopulationAndWeightDecay() {
        XCTAssertThrowsError(try OpenAIES(mean: [0], noiseScale: 1, populationSize: 5, update: OptimizerConfiguration(), seed: 1)) { error in
            XCTAssertEqual("\(error)", "the OpenAI-ES population must be even (antithetic pairs) and at least 2, got 5")
        }
        XCTAssertThrowsError(try OpenAIES(mean: [0], noiseScale: 1, update: OptimizerConfiguration(weightDecay: 0.1), seed: 1))
    }
}
