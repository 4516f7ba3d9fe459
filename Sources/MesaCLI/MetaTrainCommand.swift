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

    @OptionGroup var source: ConfigurationSourceOptions
    @OptionGroup var runOptions: RunOptions
    @Option(help: "Override iterations (with --resume: extend the run to this many; the schedule is stretched).") var iterations: Int?
    @OptionGroup var threads: ThreadsOption
    @OptionGroup var distributed: DistributedOption

    func validate() throws {
        try runOptions.validate(source)
        if let iterations, iterations <= 0 { throw ValidationError("--iterations must be positive, got \(iterations)") }
    }

    func run() throws {
        threads.apply()
        try distributed.train(command: "meta-train", makeLeader: makeTrainer) { trainer in
            let c = trainer.configuration
            if trainer.state.isLeader {
                let task = c.isClassification ? "\(c.ways)-way \(c.shots)-shot \(c.source.rawValue)" : "sinusoid K=\(c.supportCount)"
                print("mesa meta-train: \(c.name): \(c.algorithm.rawValue)\(c.algorithm == .prototypicalNetwork || c.algorithm == .reptile ? "" : " (\(c.order.rawValue) order\(c.algorithm == .maml && c.batched ? ", batched" : ""))") on \(task); \(trainer.parameters.parameterCount) parameters; \(c.iterations) iterations of \(c.metaBatchSize) tasks\(PretrainCommand.ranks(trainer)) → \(trainer.directory.path)")
            }
            let lastLoss = try runWithProgress(trainer, label: "meta-train", deadline: runOptions.timeLimit.deadline) { step, metrics in
                var text = String(format: "iteration %d: meta-validation loss %.4f ± %.4f", step, metrics["validationLoss"] ?? .nan,
                                  metrics["validationLossCI95"] ?? .nan)
                if let accuracy = metrics["validationAccuracy"] {
                    text += String(format: ", accuracy %.2f %% ± %.2f", accuracy * 100, (metrics["validationAccuracyCI95"] ?? .nan) * 100)
                }
                return text
            }
            guard trainer.state.isLeader else { return }
            try trainer.writeTrainingCurve()
            let done = trainer.iteration >= c.iterations
            print(String(format: "%@ at iteration %d (meta-loss %.4f, %.1f min of training in all); checkpoint %@; curve %@",
                         done ? "finished" : "stopped", trainer.iteration, lastLoss, trainer.trainingSeconds / 60, trainer.checkpointURL.path,
                         trainer.directory.appendingPathComponent("training-curve.svg").path))
            print(done ? "next: mesa meta-test --run \(trainer.directory.path)"
                       : "continue with: mesa meta-train --resume --output \(trainer.directory.path)\(distributed.distributed ? " --distributed" : "")")
        }
    }

    /// The run, new or resumed; `nil` when there is nothing to train (a finished run, --print-config).
    private func makeTrainer() throws -> EpisodicTrainer? {
        if let folder = runOptions.resumedFolder {
            let trainer = try EpisodicTrainer(resumingFrom: folder, extendingTo: iterations)
            print("mesa meta-train: resuming \(folder.path) at iteration \(trainer.iteration) of \(trainer.configuration.iterations)")
            return reportFinished(trainer, command: "meta-train", option: "--iterations") ? nil : trainer
        }
        var configuration = try MetaLearningPresets.load(preset: source.preset, file: source.config)
        if let iterations { configuration.iterations = iterations }
        try configuration.validate()
        if runOptions.printConfig {
            print(String(decoding: try configuration.jsonData(), as: UTF8.self))
            return nil
        }
        return try EpisodicTrainer(configuration: configuration, directory: runOptions.folder(named: configuration.name))
    }
}
