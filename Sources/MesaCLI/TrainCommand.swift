import ArgumentParser
import Foundation
import Mesa

/// `mesa train`: meta-trains an in-context learner from a preset or a configuration file, with
/// a progress bar, metrics as JSON lines and resumable checkpoints.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Meta-train an in-context learner (Transformer, LSTM or linear self-attention) on a task distribution.",
        discussion: "Presets: \(Presets.names.joined(separator: ", ")). A run folder holds config.json, checkpoint.safetensors and metrics.jsonl; --resume continues it exactly."
    )

    @Option(help: "A shipped preset (see `mesa presets`).") var preset: String?
    @Option(help: "A JSON configuration file (the format `--print-config` shows).") var config: String?
    @Option(help: "The run folder (default: runs/<name>).") var output: String?
    @Flag(help: "Continue the run in the output folder from its last checkpoint.") var resume = false
    @Option(help: "Override training.steps (with --resume: extend the run to this many; the schedule is stretched).") var steps: Int?
    @Option(help: "Override training.seed.") var seed: UInt64?
    @Option(help: "Stop (after checkpointing) once this many minutes have passed; resume later with --resume.") var timeLimit: Double?
    @Flag(help: "Print the resolved configuration as JSON and exit.") var printConfig = false
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        try validateRunArguments(resume: resume, preset: preset, config: config, output: output, timeLimit: timeLimit)
    }

    func run() throws {
        threads.apply()
        let trainer: InContextTrainer
        if resume, let output {
            trainer = try InContextTrainer(resumingFrom: URL(fileURLWithPath: output), extendingTo: steps)
            print("mesa train: resuming \(output) at step \(trainer.step) of \(trainer.configuration.training.steps)")
        } else {
            var configuration = try Presets.load(preset: preset, file: config)
            if let steps { configuration.training.steps = steps }
            if let seed { configuration.training.seed = seed }
            try configuration.validate()
            try configuration.validateBaselines()
            if printConfig {
                print(String(decoding: try configuration.jsonData(), as: UTF8.self))
                return
            }
            let folder = output ?? "runs/\(configuration.name)"
            trainer = try InContextTrainer(configuration: configuration, directory: URL(fileURLWithPath: folder))
        }
        let configuration = trainer.configuration
        print("mesa train: \(configuration.name): \(trainer.distribution.name); \(type(of: trainer.learner)) \(configuration.learner.resolvedEncoding.rawValue), \(trainer.learner.parameterCount) parameters; \(configuration.training.steps) steps of batch \(configuration.training.batchSize) → \(trainer.directory.path)")
        let kind = trainer.distribution.kind
        let lastLoss = try runWithProgress(trainer, label: "train", minutes: timeLimit,
                                           shown: [(name: "points", key: "points"), (name: "d", key: "dimensions")]) { step, metrics in
            "step \(step): held-out loss \(String(format: "%.4f", metrics["evaluationLoss"] ?? .nan)), \(ErrorCurve.metricName(for: kind)) at the last point \(String(format: "%.4f", metrics["lastPointMetric"] ?? .nan))"
        }
        let done = trainer.step >= configuration.training.steps
        print(String(format: "%@ at step %d (loss %.4f, %.1f min of training in all); checkpoint %@",
                     done ? "finished" : "stopped", trainer.step, lastLoss, trainer.trainingSeconds / 60, trainer.checkpointURL.path))
        print(done ? "next: mesa eval --run \(trainer.directory.path)" : "continue with: mesa train --resume --output \(trainer.directory.path)")
    }
}
