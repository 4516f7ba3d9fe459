import ArgumentParser
import Foundation
import Mesa

/// `mesa pretrain`: pre-trains the tabular in-context model on its synthetic prior, resumable.
struct PretrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pre-train the tabular in-context model (mesa predict's) on synthetic tables from its prior.",
        discussion: "Without --config, the defaults for --kind. A configuration with a functionPrior section pre-trains the PFN surrogate of Bayesian optimisation instead (mesa optimize --surrogate pfn; benchmarks/optimize/pfn-surrogate.json). A run folder holds config.json, checkpoint.safetensors and metrics.jsonl; --resume continues it exactly, so a long run can be done in pieces (--time-limit)."
    )

    @Option(help: "A JSON configuration file (the format --print-config shows).") var config: String?
    @Option(help: "classification or regression (when no --config is given).") var kind = TabularTaskKind.classification
    @OptionGroup var runOptions: RunOptions
    @Option(help: "Override steps (with --resume: extend the run to this many; the schedule is stretched).") var steps: Int?
    @Option(help: "Write the run's model (no optimizer state) to this file and exit: the form shipped in Sources/MesaMeta/Models.") var export: String?
    @Option(help: "Start from this model's weights (a shipped model or an export) instead of random ones: continued pre-training. A run whose model has more layers, adds a per-cell front end (a cells section) or has a whole multiple of a regressor's bins, otherwise the same sizes, starts from the model grown: the added parts begin inert (layers as the identity, cells adding zero, each bin's probability shared by its sub-bins).") var initializeFrom: String?
    @Option(help: "Print this model's held-out prior loss (the 16 fixed batches of the --config prior, or of the default one) and exit: compare models on one prior, or one model on several.") var evaluate: String?
    @Option(help: "Write this many tables of the --config prior (or the default one) as train.csv/test.csv pairs into --output (default runs/prior-tables) and exit: look at the prior, or score other learners on it.") var sampleTables: Int?
    @OptionGroup var threads: ThreadsOption
    @OptionGroup var distributed: DistributedOption

    func validate() throws {
        if distributed.distributed && export != nil { throw ValidationError("--export reads a run folder: drop --distributed") }
        if evaluate != nil && (export != nil || runOptions.resume || distributed.distributed) {
            throw ValidationError("--evaluate only reads a model and a prior: drop --export/--resume/--distributed")
        }
        if runOptions.resume && (initializeFrom != nil || config != nil) {
            throw ValidationError("--resume continues the run in --output with its saved configuration and weights: drop --config/--initialize-from")
        }
        if let steps, steps <= 0 { throw ValidationError("--steps must be positive, got \(steps)") }
        if let sampleTables {
            guard sampleTables > 0 else { throw ValidationError("--sample-tables must be positive, got \(sampleTables)") }
            if evaluate != nil || export != nil || runOptions.resume || distributed.distributed {
                throw ValidationError("--sample-tables only draws tables from a prior: drop --evaluate/--export/--resume/--distributed")
            }
        }
    }

    func run() throws {
        threads.apply()
        if let export {
            guard let output = runOptions.output else { throw ValidationErrorMessage("--export needs --output FOLDER (the run to export)") }
            try TabularModelFile.export(from: URL(fileURLWithPath: output).appendingPathComponent("checkpoint.safetensors"),
                                        to: URL(fileURLWithPath: export))
            print("mesa pretrain: exported \(output) to \(export)")
            return
        }
        if let sampleTables {
            let configuration = try loadConfiguration()
            let folder = URL(fileURLWithPath: runOptions.output ?? "runs/prior-tables")
            try TabularSample.write(TabularSample.draw(sampleTables, from: configuration, seed: configuration.seed), to: folder)
            print("mesa pretrain: wrote \(sampleTables) tables of \(configuration.name)'s prior to \(folder.path) (table-NNNN/train.csv, test.csv; tables.csv)")
            return
        }
        if let evaluate {
            let configuration = try loadConfiguration()
            let loaded = try TabularModelFile.load(URL(fileURLWithPath: evaluate), kind: configuration.model.kind)
            let loss: Float
            do { loss = try TabularPretrainer.heldOutLoss(of: loaded.model, configuration: configuration) } catch {
                throw ValidationErrorMessage("\(evaluate): \(error)")
            }
            print(String(format: "mesa pretrain: %@: held-out prior loss %.4f (16 batches of %@'s prior)", evaluate, loss, configuration.name))
            return
        }
        try distributed.train(command: "pretrain", makeLeader: makeTrainer) { trainer in
            let c = trainer.configuration
            if trainer.state.isLeader {
                print("mesa pretrain: \(c.name): \(c.model.kind.rawValue) TabularTransformer d\(c.model.modelSize) L\(c.model.layerCount), \(trainer.model.parameterCount) parameters; \(c.steps) steps of \(c.batchSize) synthetic tables (\(c.minimumRows)–\(c.maximumRows) rows)\(Self.ranks(trainer)) → \(trainer.directory.path)")
            }
            try runWithProgress(trainer, label: "pretrain", deadline: runOptions.timeLimit.deadline) { step, metrics in
                "step \(step): held-out prior loss \(String(format: "%.4f", metrics["evaluationLoss"] ?? .nan))"
            }
            guard trainer.state.isLeader else { return }
            let done = trainer.step >= c.steps
            print(String(format: "%@ at step %d (%.1f min of training in all); checkpoint %@", done ? "finished" : "stopped",
                         trainer.step, trainer.trainingSeconds / 60, trainer.checkpointURL.path))
            if !done { print("continue with: mesa pretrain --resume --output \(trainer.directory.path)\(distributed.distributed ? " --distributed" : "")") }
        }
    }

    /// The run, new or resumed; `nil` when there is nothing to train (a finished run, --print-config).
    private func makeTrainer() throws -> TabularPretrainer? {
        if let folder = runOptions.resumedFolder {
            let trainer = try TabularPretrainer(resumingFrom: folder, extendingTo: steps)
            print("mesa pretrain: resuming \(folder.path) at step \(trainer.step) of \(trainer.configuration.steps)")
            return reportFinished(trainer, command: "pretrain", option: "--steps") ? nil : trainer
        }
        var configuration = try loadConfiguration()
        if let steps { configuration.steps = steps }
        if let initializeFrom { configuration.initialModel = initializeFrom }
        if runOptions.printConfig {
            print(String(decoding: try configuration.jsonData(), as: UTF8.self))
            return nil
        }
        return try TabularPretrainer(configuration: configuration, directory: runOptions.folder(named: configuration.name))
    }

    /// The --config file's configuration, or the defaults of --kind.
    private func loadConfiguration() throws -> TabularPretrainingConfiguration {
        guard let config else { return TabularPretrainingConfiguration(kind: kind) }
        guard let data = FileManager.default.contents(atPath: config) else { throw ValidationErrorMessage("cannot read '\(config)'") }
        return try TabularPretrainingConfiguration(json: data, source: config)
    }

    /// `", data-parallel over N ranks"` for a data-parallel run.
    static func ranks(_ trainer: some TrainingRun) -> String {
        trainer.state.dataParallel.map { ", data-parallel over \($0.communicator.size) rank\($0.communicator.size == 1 ? "" : "s")" } ?? ""
    }
}
