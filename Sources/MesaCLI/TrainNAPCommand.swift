import ArgumentParser
import Foundation
import Mesa

/// `mesa train-nap`: meta-trains the end-to-end acquisition network of `--surrogate nap` by PPO
/// on Gaussian-process functions (``NAPTrainer``), resumable.
struct TrainNAPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-nap",
        abstract: "Meta-train NAP, the end-to-end acquisition network of --surrogate nap, by reinforcement learning on GP-prior functions.",
        discussion: "PPO (clipped objective, value baseline) on the log-regret improvement, with NAP's auxiliary neural-process loss; the trunk starts from the PFN surrogate. A run folder holds config.json, checkpoint.safetensors, metrics.jsonl and training-curve.svg; --resume continues it exactly. --export writes the policy alone, the form shipped in Sources/MesaMeta/Models/nap.safetensors."
    )

    @Option(help: "A JSON configuration file (the format --print-config shows).") var config: String?
    @OptionGroup var runOptions: RunOptions
    @Option(help: "Override the PPO iterations (with --resume: extend the run to this many).") var iterations: Int?
    @Option(help: "Write the run's policy (no optimizer state) to this file and exit.") var export: String?
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        if runOptions.resume && config != nil { throw ValidationError("--resume continues the run in --output with its saved configuration: drop --config") }
        if let iterations, iterations <= 0 { throw ValidationError("--iterations must be positive, got \(iterations)") }
    }

    func run() throws {
        threads.apply()
        if let export {
            guard let output = runOptions.output else { throw ValidationErrorMessage("--export needs --output FOLDER (the run to export)") }
            let trainer = try NAPTrainer(resumingFrom: URL(fileURLWithPath: output))
            try trainer.export(to: URL(fileURLWithPath: export))
            print("mesa train-nap: exported \(output) (iteration \(trainer.step / trainer.configuration.epochs)) to \(export)")
            return
        }
        let trainer: NAPTrainer
        if let folder = runOptions.resumedFolder {
            trainer = try NAPTrainer(resumingFrom: folder, extendingTo: try iterations.map { try Self.steps(iterations: $0, in: folder) })
            print("mesa train-nap: resuming \(folder.path) at iteration \(trainer.step / trainer.configuration.epochs) of \(trainer.configuration.iterations)")
            if trainer.isFinished {
                print("mesa train-nap: the run in \(folder.path) is finished (\(trainer.configuration.iterations) iterations); nothing to resume. Extend it with: mesa train-nap --resume --output \(folder.path) --iterations \(trainer.configuration.iterations * 2)")
                return
            }
        } else {
            var configuration = NAPConfiguration()
            if let config {
                guard let data = FileManager.default.contents(atPath: config) else { throw ValidationErrorMessage("cannot read '\(config)'") }
                configuration = try NAPConfiguration(json: data, source: config)
            }
            if let iterations { configuration.iterations = iterations }
            if runOptions.printConfig {
                print(String(decoding: try configuration.jsonData(), as: UTF8.self))
                return
            }
            trainer = try NAPTrainer(configuration: configuration, directory: runOptions.folder(named: configuration.name))
        }
        let c = trainer.configuration
        print("mesa train-nap: \(c.iterations) iterations of \(c.episodesPerIteration) episodes (\(c.horizon) decisions among \(c.uniformCandidates + c.localCandidates) candidates, GP functions in \(c.functionPrior.dimensions.lowerBound)–\(c.functionPrior.dimensions.upperBound) dimensions), \(c.epochs) PPO epochs each → \(trainer.directory.path)")
        _ = try runWithProgress(trainer, label: "train-nap", deadline: runOptions.timeLimit.deadline) { step, metrics in
            String(format: "iteration %d: median final log10 regret on validation functions: policy %.3f, its expected improvement alone %.3f",
                   step / c.epochs, metrics["evaluationLogRegret"] ?? .nan, metrics["evaluationLogRegretEI"] ?? .nan)
        }
        try trainer.writeTrainingCurve()
        print(String(format: "%@ at iteration %d (%.1f min of training); checkpoint %@; curves %@", trainer.isFinished ? "finished" : "stopped",
                     trainer.step / c.epochs, trainer.trainingSeconds / 60, trainer.checkpointURL.path, trainer.trainingCurveURL.path))
        if !trainer.isFinished { print("continue with: mesa train-nap --resume --output \(trainer.directory.path)") }
    }

    /// The optimiser steps of `iterations` iterations of the run in `folder` (its epochs per iteration).
    static func steps(iterations: Int, in folder: URL) throws -> Int {
        let url = folder.appendingPathComponent("config.json")
        guard let data = FileManager.default.contents(atPath: url.path) else { throw ValidationErrorMessage("cannot read \(url.path)") }
        return iterations * (try NAPConfiguration(json: data, source: url.path)).epochs
    }
}
