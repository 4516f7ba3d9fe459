import Foundation
import MesaCore
import MesaMeta
import XCTest

final class ProximalPolicyObjectiveTests: XCTestCase {
    /// Four hand-made cases, each hitting one branch of `min(ρA, clip(ρ, 1 − ε, 1 + ε)A)` with ε = 0.2.
    func testTheClippedObjectiveMatchesItsFormulaAndGradient() {
        let new: [Float] = [log(0.5), log(0.3), log(0.2), log(0.05)]
        let old: [Float] = [log(0.4), log(0.3), log(0.1), log(0.1)]
        let advantages: [Float] = [1, -1, 1, -2]
        // ρ = 1.25, 1, 2, 0.5:
        // 1.25 × 1 vs 1.2 × 1 → 1.2 (clipped); 1 × −1 → −1; 2 × 1 vs 1.2 × 1 → 1.2 (clipped);
        // 0.5 × −2 = −1 vs 0.8 × −2 = −1.6 → −1.6 (clipped: a worse action is not pushed below 1 − ε for free).
        let logProbabilities = Tensor(shape: [4, 1], scalars: new).requiringGradient()
        let objective = ProximalPolicyObjective.clipped(logProbabilities: logProbabilities, oldLogProbabilities: old,
                                                        advantages: advantages, clipRange: 0.2)
        XCTAssertEqual(objective.scalar, (1.2 - 1 + 1.2 - 1.6) / 4, accuracy: 1e-5)
        objective.backward()
        // ∂/∂log π = ρA/4 where the unclipped term is the minimum, 0 where the clipped one is.
        let gradient = try! XCTUnwrap(logProbabilities.gradient).scalars
        XCTAssertEqual(gradient[0], 0, accuracy: 1e-6)
        XCTAssertEqual(gradient[1], -0.25, accuracy: 1e-5)
        XCTAssertEqual(gradient[2], 0, accuracy: 1e-6)
        XCTAssertEqual(gradient[3], 0, accuracy: 1e-6)
    }

    func testAtTheCollectingPolicyItIsThePolicyGradient() {
        // ρ = 1: the objective is the mean advantage and its gradient A/T.
        let logs: [Float] = [log(0.2), log(0.7), log(0.1)]
        let advantages: [Float] = [0.5, -1.5, 2]
        let logProbabilities = Tensor(shape: [3], scalars: logs).requiringGradient()
        let objective = ProximalPolicyObjective.clipped(logProbabilities: logProbabilities, oldLogProbabilities: logs,
                                                        advantages: advantages, clipRange: 0.1)
        XCTAssertEqual(objective.scalar, 1.0 / 3, accuracy: 1e-6)
        objective.backward()
        for (g, a) in zip(try! XCTUnwrap(logProbabilities.gradient).scalars, advantages) { XCTAssertEqual(g, a / 3, accuracy: 1e-6) }
    }
}
