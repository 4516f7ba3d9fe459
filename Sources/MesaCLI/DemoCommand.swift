import ArgumentParser
import Foundation
import Mesa

/// `mesa demo`: trains a small network on a built-in problem (two interleaved spirals) and
/// shows the loss falling. Until the in-context learner lands, this is Mesa's main job.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train a small MLP on the two-spirals problem, with a progress bar, metrics and a loss plot."
    )

    @Option(help: "Training steps (full-batch Adam).") var steps = 1500
    @Option(help: "Points per spiral.") var points = 200
    @Option(help: "Hidden units per layer (two hidden layers).") var hidden = 64
    @Option(help: "Adam learning rate.") var learningRate: Float = 0.01
    @Option(help: "Random seed (data and initialisation).") var seed: UInt64 = 0
    @Option(help: "Directory for metrics.jsonl and loss.svg.") var output = "runs/demo"

    func validate() throws {
        guard steps > 0, points > 1, hidden > 0 else { throw ValidationError("steps, points and hidden must be positive") }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be positive, got \(learningRate)") }
    }

    func run() throws {
        var generator = RandomGenerator(seed: seed)
        let (inputs, labels) = Self.twoSpirals(pointsPerClass: points, using: &generator)
        var heldOutGenerator = generator.split()
        let (testInputs, testLabels) = Self.twoSpirals(pointsPerClass: points, using: &heldOutGenerator)
        let model = MLP(sizes: [2, hidden, hidden, 2], activation: .tanh, using: &generator)
        let optimizer = Adam(parameters: model.parameters, learningRate: learningRate)
        print("mesa demo: MLP 2-\(hidden)-\(hidden)-2 (\(model.parameterCount) parameters) on two spirals (\(2 * points) points), \(steps) Adam steps")

        let directory = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var metrics = ""
        var curve: [(x: Double, y: Double)] = []
        var progress = ProgressBar(total: steps, label: "demo")
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
            progress.update(completed: step, metrics: ["loss": lastLoss])
        }
        func accuracy(_ x: Tensor, _ y: [Int]) -> Double {
            let predictions = withoutGradients { model(x) }.argmax(alongAxis: 1).indices
            return Double(zip(predictions, y).filter { $0 == $1 }.count) / Double(y.count)
        }
        try metrics.write(to: directory.appendingPathComponent("metrics.jsonl"), atomically: true, encoding: .utf8)
        let plot = LinePlot(title: "mesa demo: two spirals, MLP 2-\(hidden)-\(hidden)-2", xLabel: "step", yLabel: "cross-entropy loss",
                            series: [.init(name: "training loss", points: curve)], logarithmicY: true)
        try plot.svg().write(to: directory.appendingPathComponent("loss.svg"), atomically: true, encoding: .utf8)
        print(String(format: "loss %.4f → %.4f; accuracy %.1f %% on the training points, %.1f %% on %d fresh held-out points",
                     firstLoss, lastLoss, 100 * accuracy(inputs, labels), 100 * accuracy(testInputs, testLabels), testLabels.count))
        print("wrote \(output)/metrics.jsonl and \(output)/loss.svg")
    }

    /// Two interleaved spirals in the plane (the classic hard toy problem of Lang & Witbrock 1988),
    /// with a little Gaussian noise: `[2n, 2]` inputs and labels 0/1.
    static func twoSpirals(pointsPerClass n: Int, using generator: inout RandomGenerator) -> (Tensor, [Int]) {
        var coordinates: [Float] = [], labels: [Int] = []
        for label in 0..<2 {
            for index in 0..<n {
                let t = Float(index) / Float(n) * 3 * .pi + 0.3
                let sign: Float = label == 0 ? 1 : -1
                coordinates.append(sign * t * Foundation.cos(t) / 4 + 0.05 * generator.nextNormal())
                coordinates.append(sign * t * Foundation.sin(t) / 4 + 0.05 * generator.nextNormal())
                labels.append(label)
            }
        }
        return (Tensor(shape: [2 * n, 2], scalars: coordinates), labels)
    }
}
