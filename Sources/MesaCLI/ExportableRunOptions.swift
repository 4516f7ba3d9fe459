import ArgumentParser
import Foundation

/// The options of the commands whose run folder ``startOrResume(_:command:options:)`` starts,
/// resumes and exports (`train-les`, `train-query-policy`): `--config FILE`, the run folder's
/// options, `--steps N`, `--export FILE` and `--threads`.
struct ExportableRunOptions: ParsableArguments {
    @Option(help: "A JSON configuration file (the format --print-config shows).") var config: String?
    @OptionGroup var runOptions: RunOptions
    @Option(help: "Override the steps (with --resume: extend the run to this many).") var steps: Int?
    @Option(help: "Write the run's trained network (no optimizer state) to this file and exit.") var export: String?
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        if runOptions.resume && config != nil { throw ValidationError("--resume continues the run in --output with its saved configuration: drop --config") }
        if let steps, steps <= 0 { throw ValidationError("--steps must be positive, got \(steps)") }
    }
}
