import MesaCore
@testable import MesaMeta
import MesaNN
import MesaTestSupport
import XCTest

final class PrototypicalNetworkTests: XCTestCase {
    func testPrototypesAreClassMeans() {
        var generator = RandomGenerator(seed: 0)
        let embeddings = Tensor.randomNormal([7, 4], using: &generator)
        let labels = [2, 0, 1, 2, 0, 2, 1]
        let prototypes = PrototypicalNetwork<Linear>.prototypes(of: embeddings, labels: labels, classCount: 3)
        XCTAssertEqual(prototypes.shape, [3, 4])
        let rows = embeddings.scalars
        for c in 0..<3 {
            let members = labels.indices.filter { labels[$0] == c }
            for f in 0..<4 {
                let mean = members.map { rows[$0 * 4 + f] }.reduce(0, +) / Float(members.count)
                XCTAssertEqual(prototypes.scalars[c * 4 + f], mean, accuracy: 1e-6)
            }
        }
    }

    func testLogitsAreNegativeSquaredDistances() {
        var generator = RandomGenerator(seed: 1)
        let queries = Tensor.randomNormal([5, 3], using: &generator), prototypes = Tensor.randomNormal([4, 3], using: &generator)
        let logits = PrototypicalNetwork<Linear>.logits(queries, prototypes: prototypes).scalars
        for q in 0..<5 {
            for c in 0..<4 {
                let distance = (0..<3).map { queries.scalars[q * 3 + $0] - prototypes.scalars[c * 3 + $0] }.map { $0 * $0 }.reduce(0, +)
                XCTAssertEqual(logits[q * 4 + c], -distance, accuracy: 1e-5)
            }
        }
    }

    /// One transductive step against the formula computed by hand.
    func testTransductiveRefinementFollowsTheSoftAssignmentFormula() {
        var generator = RandomGenerator(seed: 2)
        let embedding = Linear(inputSize: 3, outputSize: 2, using: &generator)
        let episode = Episode(
            support: ExampleSet(inputs: .randomNormal([4, 3], using: &generator), targets: Tensor(shape: [4], scalars: [0, 1, 0, 1])),
            query: ExampleSet(inputs: .randomNormal([3, 3], using: &generator), targets: Tensor(shape: [3], scalars: [0, 1, 1])))
        let refined = PrototypicalNetwork(embedding: embedding, refinementSteps: 1).logits(for: episode, classCount: 2)
        let s = embedding(episode.support.inputs).scalars, q = embedding(episode.query.inputs).scalars
        var prototypes = [[Float]](repeating: [0, 0], count: 2)
        for c in 0..<2 { for f in 0..<2 { prototypes[c][f] = (s[(c) * 2 + f] + s[(c + 2) * 2 + f]) / 2 } }
        func distance(_ row: Int, _ p: [Float]) -> Float { (0..<2).map { q[row * 2 + $0] - p[$0] }.map { $0 * $0 }.reduce(0, +) }
        var newPrototypes = prototypes
        var weights = [[Float]]()
        for row in 0..<3 {
            let e = (0..<2).map { exp(-distance(row, prototypes[$0])) }
            weights.append(e.map { $0 / e.reduce(0, +) })
        }
        for c in 0..<2 {
            let mass = 2 + weights.map { $0[c] }.reduce(0, +)
            for f in 0..<2 {
                let sum = s[c * 2 + f] + s[(c + 2) * 2 + f] + (0..<3).map { weights[$0][c] * q[$0 * 2 + f] }.reduce(0, +)
                newPrototypes[c][f] = sum / mass
            }
        }
        for row in 0..<3 { for c in 0..<2 { XCTAssertEqual(refined.scalars[row * 2 + c], -distance(row, newPrototypes[c]), accuracy: 1e-4) } }
    }

    func testLossGradientMatchesFiniteDifferences() {
        var generator = RandomGenerator(seed: 3)
        let embedding = MLP(sizes: [4, 6, 3], activation: .tanh, using: &generator)
        let episode = Episode(
            support: ExampleSet(inputs: .randomNormal([6, 4], using: &generator), targets: Tensor(shape: [6], scalars: [0, 1, 2, 0, 1, 2])),
            query: ExampleSet(inputs: .randomNormal([3, 4], using: &generator), targets: Tensor(shape: [3], scalars: [2, 0, 1])))
        for steps in [0, 2] {
            let network = PrototypicalNetwork(embedding: embedding, refinementSteps: steps)
            GradientCheck.assertMatches({ values in
                embedding(substituting: values) { network.loss(on: [episode], classCount: 3) }
            }, at: embedding.parameters.map(\.value), epsilon: 1e-2, tolerance: 1e-2, "refinement \(steps)")
        }
    }
}
