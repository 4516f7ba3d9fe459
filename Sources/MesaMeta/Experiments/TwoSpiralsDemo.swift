import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// `mesa demo --spirals`: a seconds-long check of the engine (autodiff, an MLP, Adam) on the
/// classic hard toy problem of Lang & Witbrock 1988, two interleaved spirals in the plane.
///
/// A tanh MLP `2-h-h-2` is trained full-batch with Adam on the cross-entropy of `2n` noisy
/// spiral points (``twoSpirals(pointsPerClass:using:)``), then scored on its training points and
/// on `2n` fresh points drawn from a split of the same generator. ``run(writingTo:progress:)``
/// writes the loss every 10 steps to `metrics.jsonl` and plots it in `loss.svg`.
///
/// ```swift
/// let result = try TwoSpiralsDemo(steps: 300).run(writingTo: URL(fileURLWithPath: "runs/spirals"))
/// print(result.heldOutAccuracy)
/// ```
public struct TwoSpiralsDemo: Sendable, CustomStringConvertible {
    /// Points per spiral (class), `n`.
    public var pointsPerClass: Int
    /// Units of each of the two hidden layers, `h`.
    public var hiddenUnits: Int
    /// Adam's learning rate.
    public var learningRate: Float
    /// Full-batch training steps.
    public var steps: Int
    /// Seeds the points, the held-out points and the initial weights.
    public var seed: UInt64

    /// A demo with the given settings (the defaults are `mesa demo --spirals`'s).
    public init(pointsPerClass: Int = 200, hiddenUnits: Int = 64, learningRate: Float = 0.01, steps: Int = 1500, seed: UInt64 = 0) {
        self.pointsPerClass = pointsPerClass
        self.hiddenUnits = hiddenUnits
        self.learningRate = learningRate
        self.steps = steps
        self.seed = seed
    }

    /// What training reached.
    public struct Result: Sendable, CustomStringConvertible {
        /// The cross-entropy at the first step.
        public var firstLoss: Float
        /// The cross-entropy at the last step.
        public var lastLoss: Float
        /// Accuracy on the training points.
        public var trainingAccuracy: Double
        /// Accuracy on fresh held-out points.
        public var heldOutAccuracy: Double
        /// The number of held-out points.
        public var heldOutCount: Int
        /// `(step, loss)` at step 1, every 10th step and the last, as logged.
        public var curve: [(x: Double, y: Double)]
        /// The folder written to (`metrics.jsonl`, `loss.svg`).
        public var folder: URL

        /// The losses, the accuracies and the files written.
        public var description: String {
            String(format: "loss %.4f → %.4f; accuracy %.1f %% on the training points, %.1f %% on %d fresh held-out points",
                   firstLoss, lastLoss, 100 * trainingAccuracy, 100 * heldOutAccuracy, heldOutCount)
                + "\nwrote \(folder.relativePath)/metrics.jsonl and \(folder.relativePath)/loss.svg"
        }
    }

    /// The MLP's number of parameters: `3h + (h + 1)h + 2(h + 1)`.
    public var parameterCount: Int {
        var generator = RandomGenerator(seed: 0)
        return makeModel(using: &generator).parameterCount
    }

    /// One line: the model, its size, the data and the training.
    public var description: String {
        "MLP 2-\(hiddenUnits)-\(hiddenUnits)-2 (\(parameterCount) parameters) on two spirals (\(2 * pointsPerClass) points), \(steps) Adam steps"
    }

    /// Trains and scores the MLP, writing `metrics.jsonl` and `loss.svg` into `folder` (created
    /// if needed).
    ///
    /// - Parameter progress: called after every step with the step and its loss.
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for fewer than 2 points per class
    ///   or no hidden units, steps or positive finite learning rate; an error when the loss is not
    ///   finite (``Tensor/checkFinite(_:)``) or the files cannot be written.
    public func run(writingTo folder: URL, progress: (_ step: Int, _ loss: Float) -> Void = { _, _ in }) throws -> Result {
        guard pointsPerClass > 1, hiddenUnits > 0, steps > 0, learningRate > 0, learningRate.isFinite else {
            throw InContextError.invalidConfiguration("two spirals: need at least 2 points per class and positive hidden units, steps and learning rate")
        }
        var generator = RandomGenerator(seed: seed)
        let (inputs, labels) = Self.twoSpirals(pointsPerClass: pointsPerClass, using: &generator)
        var heldOutGenerator = generator.split()
        let (testInputs, testLabels) = Self.twoSpirals(pointsPerClass: pointsPerClass, using: &heldOutGenerator)
        let model = makeModel(using: &generator)
        let optimizer = Adam(parameters: model.parameters, learningRate: learningRate)
        try OutputFile.prepareFolder(folder, contents: "the demo's results")
        var metrics = ""
        var curve: [(x: Double, y: Double)] = []
        var firstLoss: Float = .nan, lastLoss: Float = .nan
        for step in 1...steps {
            let logits = model(inputs)
            let loss = Tensor.crossEntropy(logits: logits, labels: labels)
            try loss.checkFinite("loss at step \(step)")
            loss.backward()
            optimizer.step()
            optimizer.clearGradients()
            lastLoss = loss.scalar
            if step == 1 { firstLoss = lastLoss }
            if step == 1 || step % 10 == 0 || step == steps {
                curve.append((Double(step), Double(lastLoss)))
                metrics += "{\"step\": \(step), \"loss\": \(lastLoss)}\n"
            }
            progress(step, lastLoss)
        }
        func accuracy(_ x: Tensor, _ y: [Int]) -> Double {
            let predictions = withoutGradients { model(x) }.argmax(alongAxis: 1).indices
            return Double(zip(predictions, y).filter { $0 == $1 }.count) / Double(y.count)
        }
        try OutputFile(folder.appendingPathComponent("metrics.jsonl"), contents: "the demo's metrics").write(metrics)
        try SVGChart.lines(title: "mesa demo: two spirals, MLP 2-\(hiddenUnits)-\(hiddenUnits)-2", xLabel: "step", yLabel: "cross-entropy loss",
                           series: [SVGChart.Series(name: "training loss", points: curve)], logarithmicY: true)
            .write(to: folder.appendingPathComponent("loss.svg"))
        return Result(firstLoss: firstLoss, lastLoss: lastLoss, trainingAccuracy: accuracy(inputs, labels),
                      heldOutAccuracy: accuracy(testInputs, testLabels), heldOutCount: testLabels.count, curve: curve, folder: folder)
    }

    /// The MLP `2-h-h-2` with tanh activations.
    private func makeModel(using generator: inout RandomGenerator) -> MLP {
        MLP(sizes: [2, hiddenUnits, hiddenUnits, 2], activation: .tanh, using: &generator)
    }

    /// Two interleaved spirals in the plane (Lang & Witbrock 1988), with a little Gaussian noise
    /// (σ = 0.05): point `i` of spiral `c` is `±(t cos t, t sin t)/4` with
    /// `t = 3π·i/n + 0.3` (`+` for class 0, `−` for class 1).
    ///
    /// - Returns: `[2n, 2]` inputs, class 0's points first, and their labels 0/1.
    public static func twoSpirals(pointsPerClass n: Int, using generator: inout RandomGenerator) -> (inputs: Tensor, labels: [Int]) {
        var coordinates: [Float] = [], labels: [Int] = []
        for label in 0..<2 {
            for index in 0..<n {
                let t = Float(index) / Float(n) * 3 * .pi + 0.3
                let sign: Float = label == 0 ? 1 : -1
                coordinates.append(sign * t * cos(t) / 4 + 0.05 * generator.nextNormal())
                coordinates.append(sign * t * sin(t) / 4 + 0.05 * generator.nextNormal())
                labels.append(label)
            }
        }
        return (Tensor(shape: [2 * n, 2], scalars: coordinates), labels)
    }
}
