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
        discussion: "The in-context demo is `mesa train --preset demo` followed by `mesa eval` without probes; it writes its run to --output (default runs/demo), replacing an earlier demo run there. --seed (default 0) seeds initialisation and sampling."
    )

    @Flag(help: "Train an MLP on the two-spirals problem instead (full-batch Adam).") var spirals = false
    @Option(help: "Training steps (default: the demo preset's 6000 meta-training steps; 1500 with --spirals).") var steps: Int?
    @Option(help: "Points per spiral (--spirals).") var points = 200
    @Option(help: "Hidden units per layer, two hidden layers (--spirals).") var hidden = 64
    @Option(help: "Adam learning rate (--spirals).") var learningRate: Float = 0.01
    @OptionGroup var seed: SeedOption
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
        var arguments = ["--preset", "demo", "--output=\(output)", "--seed", String(seed.value ?? 0), "--threads", String(threads.count)]
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

    /// The two-spirals MLP demo (``TwoSpiralsDemo``).
    func runSpirals(steps: Int) throws {
        let demo = TwoSpiralsDemo(pointsPerClass: points, hiddenUnits: hidden, learningRate: learningRate, steps: steps, seed: seed.value ?? 0)
        print("mesa demo: \(demo)")
        var progress = ProgressBar(total: steps, label: "demo")
        let result = try demo.run(writingTo: URL(fileURLWithPath: output)) { step, loss in
            progress.update(completed: step, metrics: ["loss": loss])
        }
        print(result)
    }
}
