import ArgumentParser
import Foundation
import Mesa

/// `mesa train`: meta-trains an in-context learner from a preset or a configuration file, with
/// a progress bar, metrics as JSON lines and resumable checkpoints.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Meta-train an in-context learner (Transformer, LSTM or linear self-attention) on a task distribution.",
        discussion: "Presets: \(Presets.names.joined(separator: ", ")). A run folder holds config.json, checkpoint.safetensors and metrics.jsonl; --resume continues it exactly. --seed overrides training.seed (initialisation and task sampling)."
    )

    @OptionGroup var source: ConfigurationSourceOptions
    @OptionGroup var runOptions: RunOptions
    @Option(help: "Override training.steps (with --resume: extend the run to this many; the schedule is stretched).") var steps: Int?
    @OptionGroup var seed: SeedOption
    @OptionGroup var threads: ThreadsOption
    @OptionGroup var distributed: DistributedOption

    func validate() throws {
        try runOptions.validate(source)
        if let steps, steps <= 0 { throw ValidationError("--steps must be positive, got \(steps)") }
    }

    func run() throws {
        threads.apply()
        try distributed.train(command: "train", makeLeader: makeTrainer) { trainer in
            let configuration = trainer.configuration
            if trainer.state.isLeader {
                print("mesa train: \(configuration.name): \(trainer.distribution.name); \(type(of: trainer.learner)) \(configuration.learner.resolvedEncoding.rawValue), \(trainer.learner.parameterCount) parameters; \(configuration.training.steps) steps of batch \(configuration.training.batchSize)\(PretrainCommand.ranks(trainer)) → \(trainer.directory.path)")
            }
            let kind = trainer.distribution.kind
            let lastLoss = try runWithProgress(trainer, label: "train", deadline: runOptions.timeLimit.deadline,
                                               shown: [(name: "points", key: "points"), (name: "d", key: "dimensions")]) { step, metrics in
                "step \(step): held-out loss \(String(format: "%.4f", metrics["evaluationLoss"] ?? .nan)), \(ErrorCurve.metricName(for: kind)) at the last point \(String(format: "%.4f", metrics["lastPointMetric"] ?? .nan))"
            }
            guard trainer.state.isLeader else { return }
            let done = trainer.step >= configuration.training.steps
            print(String(format: "%@ at step %d (loss %.4f, %.1f min of training in all); checkpoint %@",
                         done ? "finished" : "stopped", trainer.step, lastLoss, trainer.trainingSeconds / 60, trainer.checkpointURL.path))
            print(done ? "next: mesa eval --run \(trainer.directory.path)"
                       : "continue with: mesa train --resume --output \(trainer.directory.path)\(distributed.distributed ? " --distributed" : "")")
        }
    }

    /// The run, new or resumed; `nil` when there is nothing to train (a finished run, --print-config).
    private func makeTrainer() throws -> InContextTrainer? {
        if let folder = runOptions.resumedFolder {
            let trainer = try InContextTrainer(resumingFrom: folder, extendingTo: steps)
            print("mesa train: resuming \(folder.path) at step \(trainer.step) of \(trainer.configuration.training.steps)")
            return reportFinished(trainer, command: "train", option: "--steps") ? nil : trainer
        }
        var configuration = try Presets.load(preset: source.preset, file: source.config)
        if let steps { configuration.training.steps = steps }
        if let seed = seed.value { configuration.training.seed = seed }
        try configuration.validate()
        try configuration.validateBaselines()
        if runOptions.printConfig {
            print(String(decoding: try configuration.jsonData(), as: UTF8.self))
            return nil
        }
        return try InContextTrainer(configuration: configuration, directory: runOptions.folder(named: configuration.name))
    }
}
