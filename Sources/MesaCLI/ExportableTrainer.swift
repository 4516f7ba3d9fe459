import Foundation
import Mesa

/// A trainer whose run folder a training command starts, resumes and exports the same way
/// (`--config`, `--steps`, `--print-config`, `--resume`, `--export`): ``LearnedEvolutionTrainer``
/// (`mesa train-les`) and ``QueryPolicyTrainer`` (`mesa train-query-policy`).
protocol ExportableTrainer: TrainingRun {
    /// The run's configuration.
    associatedtype Recipe: TrainingRecipe
    /// The default configuration.
    static var defaultRecipe: Recipe { get }
    /// The run folder's name under `runs/` when `--output` is not given.
    static func folderName(of recipe: Recipe) -> String
    /// A new run.
    init(configuration: Recipe, directory: URL) throws
    /// The run in `directory`, extended to `steps` when given.
    init(resumingFrom directory: URL, extendingTo steps: Int?) throws
    /// The run's configuration.
    var configuration: Recipe { get }
    /// Writes the trained network alone (no optimizer state).
    func export(to url: URL) throws
}

extension LearnedEvolutionTrainer: ExportableTrainer {
    static var defaultRecipe: LearnedEvolutionConfiguration { LearnedEvolutionConfiguration() }
    static func folderName(of recipe: LearnedEvolutionConfiguration) -> String { recipe.name }
}

extension QueryPolicyTrainer: ExportableTrainer {
    static var defaultRecipe: QueryPolicyConfiguration { QueryPolicyConfiguration() }
    static func folderName(of recipe: QueryPolicyConfiguration) -> String { recipe.name }
}

/// The trainer a training command goes on with, or `nil` when the command is done: `--export`
/// wrote the network, `--print-config` printed the configuration, or a resumed run is finished.
func startOrResume<Trainer: ExportableTrainer>(_: Trainer.Type, command: String, options: ExportableRunOptions) throws -> Trainer? {
    let (config, steps, export, runOptions) = (options.config, options.steps, options.export, options.runOptions)
    if let export {
        guard let output = runOptions.output else { throw ValidationErrorMessage("--export needs --output FOLDER (the run to export)") }
        let trainer = try Trainer(resumingFrom: URL(fileURLWithPath: output), extendingTo: nil)
        try trainer.export(to: URL(fileURLWithPath: export))
        print("mesa \(command): exported \(output) (step \(trainer.step)) to \(export)")
        return nil
    }
    if let folder = runOptions.resumedFolder {
        let trainer = try Trainer(resumingFrom: folder, extendingTo: steps)
        print("mesa \(command): resuming \(folder.path) at step \(trainer.step) of \(trainer.totalSteps)")
        return reportFinished(trainer, command: command, option: "--steps") ? nil : trainer
    }
    var configuration = Trainer.defaultRecipe
    if let config {
        guard let data = FileManager.default.contents(atPath: config) else { throw ValidationErrorMessage("cannot read '\(config)'") }
        configuration = try Trainer.Recipe(json: data, source: config)
    }
    if let steps { configuration.totalSteps = steps }
    if runOptions.printConfig {
        print(String(decoding: try configuration.jsonData(), as: UTF8.self))
        return nil
    }
    return try Trainer(configuration: configuration, directory: runOptions.folder(named: Trainer.folderName(of: configuration)))
}
