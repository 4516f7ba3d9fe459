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
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        try validateRunArguments(resume: resume, preset: preset, config: config, output: output, timeLimit: timeLimit)
    }

    func run() throws {
        threads.apply()
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
        let lastLoss = try runWithProgress(trainer, label: "meta-train", minutes: timeLimit) { step, metrics in
            var text = String(format: "iteration %d: meta-validation loss %.4f ± %.4f", step, metrics["validationLoss"] ?? .nan,
                              metrics["validationLossCI95"] ?? .nan)
            if let accuracy = metrics["validationAccuracy"] {
                text += String(format: ", accuracy %.2f %% ± %.2f", accuracy * 100, (metrics["validationAccuracyCI95"] ?? .nan) * 100)
            }
            return text
        }
        try trainer.writeTrainingCurve()
        let done = trainer.iteration >= c.iterations
        print(String(format: "%@ at iteration %d (meta-loss %.4f, %.1f min of training in all); checkpoint %@; curve %@",
                     done ? "finished" : "stopped", trainer.iteration, lastLoss, trainer.trainingSeconds / 60, trainer.checkpointURL.path,
                     trainer.directory.appendingPathComponent("training-curve.svg").path))
        print(done ? "next: mesa meta-test --run \(trainer.directory.path)" : "continue with: mesa meta-train --resume --output \(trainer.directory.path)")
    }
}
