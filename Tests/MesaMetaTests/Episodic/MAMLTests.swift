import MesaCore
@testable import MesaMeta
import MesaNN
import MesaTestSupport
import XCTest

final class MAMLTests: XCTestCase {
    /// A linear model `y = w·x` with squared loss: the support Hessian is `(2/n) XᵀX`, so one
    /// step's exact meta-gradient is `(I − α (2/n) XᵀX) · (2/m) Uᵀ(U w′ − v)` with
    /// `w′ = w − α (2/n) Xᵀ(X w − y)`. Computed here in Double, independently of the autodiff.
    func testSecondOrderMetaGradientEqualsTheHandDerivedExpression() {
        var generator = RandomGenerator(seed: 3)
        let model = Linear(inputSize: 3, outputSize: 1, bias: false, using: &generator)
        let episode = Episode(
            support: ExampleSet(inputs: .randomNormal([4, 3], using: &generator), targets: .randomNormal([4, 1], using: &generator)),
            query: ExampleSet(inputs: .randomNormal([5, 3], using: &generator), targets: .randomNormal([5, 1], using: &generator)))
        let alpha: Float = 0.1
        let maml = MAML(model: model, loss: .meanSquaredError, innerLearningRate: alpha, innerSteps: 1, order: .second)
        maml.metaLoss(on: [episode]).backward()
        let analytic = model.weight.gradient!.scalars

        let w = model.weight.value.scalars.map(Double.init)
        let x = matrix(episode.support.inputs), y = episode.support.targets.scalars.map(Double.init)
        let u = matrix(episode.query.inputs), v = episode.query.targets.scalars.map(Double.init)
        let residual = (0..<4).map { i in dot(x[i], w) - y[i] }
        let supportGradient = (0..<3).map { j in 2.0 / 4 * (0..<4).reduce(0.0) { $0 + x[$1][j] * residual[$1] } }
        let adapted = (0..<3).map { w[$0] - Double(alpha) * supportGradient[$0] }
        let queryResidual = (0..<5).map { i in dot(u[i], adapted) - v[i] }
        let queryGradient = (0..<3).map { j in 2.0 / 5 * (0..<5).reduce(0.0) { $0 + u[$1][j] * queryResidual[$1] } }
        let expected = (0..<3).map { row in
            (0..<3).reduce(0.0) { sum, column in
                let hessian = 2.0 / 4 * (0..<4).reduce(0.0) { $0 + x[$1][row] * x[$1][column] }
                return sum + ((row == column ? 1 : 0) - Double(alpha) * hessian) * queryGradient[column]
            }
        }
        XCTAssertEqual(analytic.count, expected.count, "paired lengths")
        for (a, e) in zip(analytic, expected) { XCTAssertEqual(Double(a), e, accuracy: 1e-4 * (1 + abs(e))) }
        // The Hessian term matters here: the first-order answer differs.
        let firstOrderDistance = zip(queryGradient, expected).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(firstOrderDistance, 1e-2)
    }

    func testFirstOrderMetaGradientIsTheQueryGradientAtTheAdaptedWeights() {
        var generator = RandomGenerator(seed: 5)
        let model = MLP(sizes: [1, 8, 1], activation: .tanh, using: &generator)
        let episode = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: 5, queryCount: 6).sample(using: &generator)
        let maml = MAML(model: model, loss: .meanSquaredError, innerLearningRate: 0.02, innerSteps: 3, order: .first)
        maml.metaLoss(on: [episode]).backward()
        let adapted = maml.adapt(on: episode.support).weights.map { $0.detached().requiringGradient() }
        let queryLoss = model(substituting: adapted) { MetaLoss.meanSquaredError(model(episode.query.inputs), episode.query.targets) }
        let expected = gradients(of: queryLoss, withRespectTo: adapted)
        XCTAssertEqual(model.parameters.count, expected.count, "paired lengths")
        for (parameter, gradient) in zip(model.parameters, expected) {
            XCTAssertEqual(parameter.gradient!.scalars.count, gradient.scalars.count, "paired lengths")
            for (a, e) in zip(parameter.gradient!.scalars, gradient.scalars) { XCTAssertEqual(a, e, accuracy: 1e-5 * (1 + abs(e))) }
        }
    }

    /// The meta-loss as a function of θ, differentiated through 2 inner steps, against central
    /// differences (tolerance 1e-2, the shared check's).
    func testSecondOrderMetaGradientMatchesFiniteDifferences() {
        var generator = RandomGenerator(seed: 8)
        let model = MLP(sizes: [1, 6, 6, 1], activation: .tanh, using: &generator)
        let episodes = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: 4, queryCount: 4).sample(count: 2, using: &generator)
        let maml = MAML(model: model, loss: .meanSquaredError, innerLearningRate: 0.05, innerSteps: 2)
        GradientCheck.assertMatches({ values in
            model(substituting: values) { maml.metaLoss(on: episodes) }
        }, at: model.parameters.map(\.value), epsilon: 1e-2, tolerance: 1e-2, differentiatesInside: true)
    }

    /// Second-order meta-gradients through an LSTM (its recurrence differentiated twice)
    /// against central differences, tolerance 1e-2.
    func testSecondOrderMetaGradientThroughAnLSTMMatchesFiniteDifferences() {
        var generator = RandomGenerator(seed: 9)
        let model = SequenceRegressor(using: &generator)
        func set(_ n: Int) -> ExampleSet {
            ExampleSet(inputs: .randomNormal([n, 3, 2], using: &generator), targets: .randomNormal([n, 1], using: &generator))
        }
        let episodes = [Episode(support: set(4), query: set(3)), Episode(support: set(4), query: set(3))]
        let maml = MAML(model: model, loss: .meanSquaredError, innerLearningRate: 0.3, innerSteps: 2)
        GradientCheck.assertMatches({ values in
            model(substituting: values) { maml.metaLoss(on: episodes) }
        }, at: model.parameters.map(\.value), epsilon: 1e-2, tolerance: 1e-2, differentiatesInside: true)
    }

    func testBatchedAdaptationEqualsTheLoopInBothOrders() {
        for order in [DerivativeOrder.second, .first] {
            var generator = RandomGenerator(seed: 11)
            let model = MLP(sizes: [1, 10, 10, 1], using: &generator)
            let episodes = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: 5, queryCount: 5).sample(count: 4, using: &generator)
            let maml = MAML(model: model, loss: .meanSquaredError, innerLearningRate: 0.01, innerSteps: 3, order: order)
            let loopLoss = maml.metaLoss(on: episodes)
            loopLoss.backward()
            let loopGradients = model.parameters.map { $0.gradient!.scalars }
            model.clearGradients()
            let batchedLoss = maml.metaLoss(on: EpisodeBatch(episodes))
            batchedLoss.backward()
            XCTAssertEqual(loopLoss.scalar, batchedLoss.scalar, accuracy: 1e-5 * (1 + abs(loopLoss.scalar)))
            XCTAssertEqual(model.parameters.count, loopGradients.count, "paired lengths")
            for (parameter, expected) in zip(model.parameters, loopGradients) {
                XCTAssertEqual(parameter.gradient!.scalars.count, expected.count, "paired lengths")
                for (a, e) in zip(parameter.gradient!.scalars, expected) {
                    XCTAssertEqual(a, e, accuracy: 1e-4 * (1 + abs(e)), "\(order)")
                }
            }
        }
    }

    /// Memory: second order keeps the inner graph (it needs it); first order keeps none of it,
    /// so its graph does not grow with the number of inner steps.
    func testFirstOrderKeepsNoInnerGraph() {
        var generator = RandomGenerator(seed: 2)
        let model = MLP(sizes: [1, 8, 8, 1], using: &generator)
        let episode = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: 5, queryCount: 5).sample(using: &generator)
        func graphSize(order: DerivativeOrder, steps: Int) -> Int {
            MAML(model: model, loss: .meanSquaredError, innerLearningRate: 0.01, innerSteps: steps, order: order)
                .metaLoss(on: [episode]).recordedGraphSize
        }
        let first1 = graphSize(order: .first, steps: 1), first10 = graphSize(order: .first, steps: 10)
        let second1 = graphSize(order: .second, steps: 1), second10 = graphSize(order: .second, steps: 10)
        // First order: each step adds only the update `w − α g` per weight (6 weights, 2 nodes each).
        XCTAssertLessThanOrEqual(first10 - first1, 9 * 6 * 2)
        // Second order: every step keeps a forward and a recorded backward pass.
        XCTAssertGreaterThan(second10 - second1, 9 * 30)
        XCTAssertGreaterThan(second10, 3 * first10)
    }

    func testZeroInnerStepsIsThePlainQueryLoss() {
        var generator = RandomGenerator(seed: 1)
        let model = MLP(sizes: [1, 4, 1], using: &generator)
        let episode = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: 3, queryCount: 3).sample(using: &generator)
        let maml = MAML(model: model, loss: .meanSquaredError, innerLearningRate: 0.5, innerSteps: 0)
        XCTAssertEqual(maml.metaLoss(on: [episode]).scalar,
                       MetaLoss.meanSquaredError(model(episode.query.inputs), episode.query.targets).scalar)
    }

    private func matrix(_ tensor: Tensor) -> [[Double]] {
        let columns = tensor.shape[1]
        let scalars = tensor.scalars.map(Double.init)
        return (0..<tensor.shape[0]).map { Array(scalars[($0 * columns)..<(($0 + 1) * columns)]) }
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
}

/// An LSTM over a sequence, read out linearly at the last step: `[n, 3, 2]` → `[n, 1]`.
private final class SequenceRegressor: Layer {
    let lstm: LSTM
    let head: Linear
    init(using generator: inout RandomGenerator) {
        lstm = LSTM(inputSize: 2, hiddenSize: 4, using: &generator)
        head = Linear(inputSize: 4, outputSize: 1, using: &generator)
    }
    func callAsFunction(_ input: Tensor) -> Tensor {
        head(lstm(input).slice(alongAxis: 1, from: 2, to: 3).squeezed(at: 1))
    }
}
