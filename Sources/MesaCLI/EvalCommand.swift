import ArgumentParser
import Foundation
import Mesa

/// `mesa eval`: error-versus-examples curves of a meta-trained learner beside the baselines of
/// its configuration, in distribution and under the out-of-distribution probes, as CSV and SVG
/// (``InContextEvaluation``).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Error versus number of in-context examples for a trained learner and baselines (CSV + SVG).",
        discussion: "With --run, evaluates the learner of that run folder and also writes differences.csv: the learner minus each baseline on the same prompts, with paired standard errors. With --preset/--config alone, only the baselines. --seed: the seed of the evaluation prompts (default: the configuration's evaluation.seed); another seed draws an independent set."
    )

    @Option(name: .customLong("run"), help: "A run folder written by `mesa train` (its checkpoint.safetensors is evaluated).") var runFolder: String?
    @OptionGroup var source: ConfigurationSourceOptions
    @Option(help: "Where to write curves.csv and the plots (default: <run>/eval or runs/<name>/eval).") var output: String?
    @Option(help: "Baselines, comma-separated (default: the configuration's evaluation.baselines).") var baselines: String?
    @Option(help: "Evaluation prompts (default: the configuration's evaluation.promptCount).") var prompts: Int?
    @Option(help: "Points per prompt (default: the configuration's).") var points: Int?
    @OptionGroup var seed: SeedOption
    @Flag(help: "Skip the out-of-distribution probes.") var noProbes = false
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        let sources = [runFolder, source.preset, source.config].compactMap { $0 }.count
        guard sources == 1 else { throw ValidationError("give exactly one of --run FOLDER, --preset NAME or --config FILE") }
        if let prompts, prompts <= 0 { throw ValidationError("--prompts must be positive") }
        if let points, points <= 0 { throw ValidationError("--points must be positive") }
    }

    func run() throws {
        threads.apply()
        var evaluation: InContextEvaluation
        let folder: String
        if let runFolder {
            evaluation = try InContextEvaluation(checkpoint: URL(fileURLWithPath: runFolder).appendingPathComponent("checkpoint.safetensors"))
            folder = output ?? "\(runFolder)/eval"
        } else {
            evaluation = InContextEvaluation(configuration: try Presets.load(preset: source.preset, file: source.config))
            folder = output ?? "runs/\(evaluation.configuration.name)/eval"
        }
        if let baselines {
            evaluation.configuration.evaluation.baselines = baselines.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        if let prompts { evaluation.configuration.evaluation.promptCount = prompts }
        if let points { evaluation.configuration.evaluation.pointCount = points }
        if let seed = seed.value { evaluation.configuration.evaluation.seed = seed }
        if noProbes { evaluation.configuration.evaluation.probes = false }
        let report = try evaluation.run(to: URL(fileURLWithPath: folder), progress: ProgressBar.handler(label: "eval"))
        print("mesa eval: \(report)")
    }
}
