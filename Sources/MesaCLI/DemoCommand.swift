import ArgumentParser
import Foundation
import Mesa

/// `mesa demo`, Mesa's main job on embedded defaults: meta-trains a small Transformer on linear
/// regression tasks (the `demo` preset: d = 3, prompts of 12 examples, about a minute on two
/// cores), then shows how well it learns new tasks in context, with no gradient step, beside
/// least squares (the Bayes-optimal predictor here), averaging and nearest neighbours: a table,
/// `curves.csv` and an SVG plot. `--spirals` instead trains a small MLP on two spirals (a
/// seconds-long check of the engine).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Meta-train a small in-context learner and compare it with least squares (or, with --spirals, train an MLP on two spirals).",
        discussion: "The in-context demo is `mesa train --preset demo` followed by `mesa eval` without probes; it writes its run to --output (default runs/demo), replacing an earlier demo run there."
    )

    @Flag(help: "Train an MLP on the two-spirals problem instead (full-batch Adam).") var spirals = false
    @Option(help: "Training steps (default: the demo preset's 6000 meta-training steps; 1500 with --spirals).") var steps: Int?
    @Option(help: "Points per spiral (--spirals).") var points = 200
    @Option(help: "Hidden units per layer, two hidden layers (--spirals).") var hidden = 64
    @Option(help: "Adam learning rate (--spirals).") var learningRate: Float = 0.01
    @Option(help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Output folder (default: runs/demo).") var output = "runs/demo"
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        if let steps, steps <= 0 { throw ValidationError("--steps must be positive, got \(steps)") }
        guard points > 1, hidden > 0 else { throw ValidationError("--points must be at least 2 and --hidden must be positive") }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be positive, got \(learningRate)") }
        guard !output.isEmpty else { throw ValidationError("--output must name a folder") }
    }

    func run() throws {
        threads.apply()
        if spirals { try runSpirals(steps: steps ?? 1500) } else { try runInContext() }
    }

    /// `mesa train --preset demo`, then `mesa eval` of that run without the probes.
    func runInContext() throws {
        print("mesa demo: meta-training a Transformer to learn linear functions in context (the `demo` preset; --spirals for the MLP demo)")
        try removeEarlierDemoRun()
        var arguments = ["--preset", "demo", "--output=\(output)", "--seed", String(seed), "--threads", String(threads.count)]
        if let steps { arguments += ["--steps", String(steps)] }
        let train = try TrainCommand.parse(arguments)
        try train.run()
        let evaluate = try EvalCommand.parse(["--run=\(output)", "--no-probes", "--threads", String(threads.count)])
        try evaluate.run()
        print("Each row: the error on a new task after that many examples in the prompt. The Transformer's weights never change")
        print("between tasks: it learned, across the meta-training tasks, how to fit a line from the examples it is shown.")
    }

    /// A fresh demo each time: removes what an earlier demo run wrote in the output folder (its
    /// configuration, checkpoint, metrics and evaluation), and only when the folder's
    /// `config.json` names the `demo` preset; any other run there is an error, never deleted.
    func removeEarlierDemoRun() throws {
        let folder = URL(fileURLWithPath: output)
        let configuration = folder.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configuration.path) else { return }
        guard let data = FileManager.default.contents(atPath: configuration.path),
              let saved = try? InContextTrainingConfiguration(json: data, source: configuration.path), saved.name == "demo"
        else {
            throw ValidationErrorMessage("\(output) holds a run that is not a demo run; choose another --output (the demo replaces only its own runs)")
        }
        for file in ["config.json", "checkpoint.safetensors", "metrics.jsonl", "eval"] {
            let url = folder.appendingPathComponent(file)
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
        }
    }

    /// The two-spirals MLP demo.
    func runSpirals(steps: Int) throws {
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
        let plot = SVGChart.lines(title: "mesa demo: two spirals, MLP 2-\(hidden)-\(hidden)-2", xLabel: "step", yLabel: "cross-entropy loss",
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
