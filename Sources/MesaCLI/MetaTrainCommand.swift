import ArgumentParser
import Foundation
import Mesa

/// `mesa meta-train`: meta-trains MAML, Meta-SGD, ANIL, Reptile or a Prototypical Network on
/// episodes, with a progress bar, metrics as JSON lines, resumable checkpoints and an SVG of
/// the meta-training curve.
struct MetaTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta-train",
        abstract: "Meta-train a gradient-based or metric meta-learner (MAML, Meta-SGD, ANIL, Reptile, ProtoNets) on episodes.",
        discussion: "Presets: \(MetaLearningPresets.names.joined(separator: ", ")). A run folder holds config.json, checkpoint.safetensors, metrics.jsonl and training-curve.svg; --resume continues it exactly."
    )

    @Option(help: "A shipped preset (see `mesa meta-presets`).") var preset: String?
    @Option(help: "A JSON configuration file (the format `--print-config` shows).") var config: String?
    @Option(help: "The run folder (default: runs/<name>).") var output: String?
    @Flag(help: "Continue the run in the output folder from its last checkpoint.") var resume = false
    @Option(help: "Override iterations.") var iterations: Int?
    @Option(help: "Stop (after checkpointing) once this many minutes have passed; resume later with --resume.") var timeLimit: Double?
    @Flag(help: "Print the resolved configuration as JSON and exit.") var printConfig = false
    @Option(help: "Threads for tensor kernels.") var threads = 2

    func validate() throws {
        try validateRunArguments(resume: resume, preset: preset, config: config, output: output, timeLimit: timeLimit, threads: threads)
    }

    func run() throws {
        Parallelism.threadCount = threads
        let trainer: EpisodicTrainer
        if resume, let output {
            trainer = try EpisodicTrainer(resumingFrom: URL(fileURLWithPath: output))
            print("mesa meta-train: resuming \(output) at iteration \(trainer.iteration) of \(trainer.configuration.iterations)")
        } else {
            var configuration = try MetaLearningPresets.load(preset: preset, file: config)
            if let iterations { configuration.iterations = iterations }
            try configuration.validate()
            if printConfig {
                print(String(decoding: try configuration.jsonData(), as: UTF8.self))
                return
            }
            trainer = try EpisodicTrainer(configuration: configuration, directory: URL(fileURLWithPath: output ?? "runs/\(configuration.name)"))
        }
        let c = trainer.configuration
        let task = c.isClassification ? "\(c.ways)-way \(c.shots)-shot \(c.source.rawValue)" : "sinusoid K=\(c.supportCount)"
        print("mesa meta-train: \(c.name): \(c.algorithm.rawValue)\(c.algorithm == .prototypicalNetwork || c.algorithm == .reptile ? "" : " (\(c.order.rawValue) order\(c.algorithm == .maml && c.batched ? ", batched" : ""))") on \(task); \(trainer.parameters.parameterCount) parameters; \(c.iterations) iterations of \(c.metaBatchSize) tasks → \(trainer.directory.path)")
        var progress = ProgressBar(total: c.iterations, label: "meta-train", initial: trainer.iteration)
        var lastLoss: Float = .nan
        let deadline = timeLimit.map { Date().addingTimeInterval($0 * 60) }
        try trainer.run(deadline: deadline) { event in
            switch event {
            case .step(let iteration, let loss):
                lastLoss = loss
                progress.update(completed: iteration, metrics: ["loss": loss])
            case .validation(let iteration, let result):
                progress.note("iteration \(iteration): meta-validation " + MetaTestCommand.describe(result))
            case .checkpoint:
                break
            }
        }
        try writeCurve(trainer)
        let done = trainer.iteration >= c.iterations
        print(String(format: "%@ at iteration %d (meta-loss %.4f, %.1f min of training in all); checkpoint %@; curve %@",
                     done ? "finished" : "stopped", trainer.iteration, lastLoss, trainer.trainingSeconds / 60, trainer.checkpointURL.path,
                     trainer.directory.appendingPathComponent("training-curve.svg").path))
        print(done ? "next: mesa meta-test --run \(trainer.directory.path)" : "continue with: mesa meta-train --resume --output \(trainer.directory.path)")
    }

    /// The meta-training loss and the meta-validation loss from `metrics.jsonl`, as an SVG.
    private func writeCurve(_ trainer: EpisodicTrainer) throws {
        let text = (try? String(contentsOf: trainer.metricsURL, encoding: .utf8)) ?? ""
        var training: [(x: Double, y: Double)] = [], validation: [(x: Double, y: Double)] = []
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let step = object["step"] as? Double else { continue }
            if let loss = object["loss"] as? Double { training.append((step, loss)) }
            if let loss = object["validationLoss"] as? Double { validation.append((step, loss)) }
        }
        let c = trainer.configuration
        let plot = SVGChart.lines(title: "\(c.name): \(c.algorithm.rawValue) meta-training", xLabel: "iteration",
                            yLabel: c.isClassification ? "query cross-entropy" : "query MSE",
                            series: [.init(name: "meta-training batch", points: training),
                                     .init(name: "meta-validation", points: validation)],
                            logarithmicY: true)
        try plot.svg().write(to: trainer.directory.appendingPathComponent("training-curve.svg"), atomically: true, encoding: .utf8)
    }
}

/// `mesa meta-test`: the meta-learner's query loss and accuracy on held-out episodes, with 95 %
/// confidence intervals.
struct MetaTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta-test",
        abstract: "Meta-test a run of `mesa meta-train` on held-out episodes (classes never seen in meta-training).",
        discussion: "Prints the mean query loss (MSE for regression) and accuracy with 95 % confidence intervals, and writes meta-test.json in the run folder."
    )

    @Option(name: .customLong("run"), help: "The run folder of `mesa meta-train`.") var runFolder: String
    @Option(help: "Episodes (default: the configuration's testEpisodes, 600).") var episodes: Int?
    @Option(help: "Inner adaptation steps (default: the configuration's testInnerSteps).") var innerSteps: Int?
    @Option(help: "The split to test on: test or validation.") var split = "test"
    @Option(help: "The seed of the test episodes.") var seed: UInt64 = 2026
    @Option(help: "Threads for tensor kernels.") var threads = 2

    func validate() throws {
        guard ["test", "validation"].contains(split) else { throw ValidationError("--split must be test or validation, got \(split)") }
        if let episodes, episodes < 1 { throw ValidationError("--episodes must be ≥ 1") }
        if let innerSteps, innerSteps < 0 { throw ValidationError("--inner-steps must be ≥ 0") }
    }

    func run() throws {
        Parallelism.threadCount = threads
        let trainer = try EpisodicTrainer.load(from: URL(fileURLWithPath: runFolder))
        let c = trainer.configuration
        let count = episodes ?? c.testEpisodes
        let steps = innerSteps ?? c.testInnerSteps ?? c.innerSteps
        let start = Date()
        let result = trainer.evaluate(split: split == "test" ? .test : .validation, episodeCount: count, innerSteps: steps, seed: seed)
        let seconds = Date().timeIntervalSince(start)
        let task = c.isClassification ? "\(c.ways)-way \(c.shots)-shot" : "K=\(c.supportCount)"
        print("mesa meta-test: \(c.name) (\(c.algorithm.rawValue), iteration \(trainer.iteration)), \(task), \(steps) inner step(s), \(count) \(split) episodes: \(Self.describe(result)) [\(String(format: "%.1f", seconds)) s]")
        let report: [String: Any] = [
            "run": runFolder, "iteration": trainer.iteration, "split": split, "episodes": count, "innerSteps": steps, "seed": seed,
            "loss": ["mean": result.loss.mean, "ci95": result.loss.halfWidth95],
            "accuracy": result.accuracy.map { ["mean": $0.mean, "ci95": $0.halfWidth95] } ?? NSNull(),
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: runFolder).appendingPathComponent("meta-test-\(split)-steps\(steps).json"), options: .atomic)
    }

    /// `loss 0.3512 ± 0.0270, accuracy 71.20 % ± 0.85`.
    static func describe(_ result: MetaTestResult) -> String {
        var text = String(format: "loss %.4f ± %.4f", result.loss.mean, result.loss.halfWidth95)
        if let accuracy = result.accuracy {
            text += String(format: ", accuracy %.2f %% ± %.2f", accuracy.mean * 100, accuracy.halfWidth95 * 100)
        }
        return text
    }
}

/// `mesa meta-presets`: lists the shipped episodic meta-learning presets.
struct MetaPresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "meta-presets", abstract: "List the shipped meta-learning presets (mesa meta-train).")

    func run() throws {
        for name in MetaLearningPresets.names {
            let c = try MetaLearningPresets.load(preset: name, file: nil)
            let task = c.isClassification ? "\(c.ways)-way \(c.shots)-shot \(c.source.rawValue)" : "sinusoid K=\(c.supportCount)"
            print("\(name.padding(toLength: max(28, name.count + 1), withPad: " ", startingAt: 0))\(c.algorithm.rawValue) on \(task); \(c.iterations) iterations")
        }
    }
}
