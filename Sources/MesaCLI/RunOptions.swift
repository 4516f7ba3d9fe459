import ArgumentParser
import Foundation

/// The options of the commands that train in a run folder (`train`, `meta-train`, `pretrain`):
/// `--output FOLDER`, `--resume`, `--time-limit MINUTES` and `--print-config`.
struct RunOptions: ParsableArguments {
    @Option(help: "The run folder (default: runs/<name>).") var output: String?
    @Flag(help: "Continue the run in --output from its last checkpoint (exactly, bit for bit).") var resume = false
    @OptionGroup var timeLimit: TimeLimitOption
    @Flag(help: "Print the resolved configuration as JSON and exit.") var printConfig = false

    func validate() throws {
        if resume && output == nil { throw ValidationError("--resume needs --output FOLDER (the run to continue)") }
    }

    /// The run to continue, when `--resume` was given.
    var resumedFolder: URL? { resume ? output.map { URL(fileURLWithPath: $0) } : nil }

    /// The folder of a new run: `--output`, or `runs/<name>`.
    func folder(named name: String) -> URL { URL(fileURLWithPath: output ?? "runs/\(name)") }

    /// The checks of a command that reads a preset or a configuration file: a resume reads its
    /// configuration from the run folder, a new run needs exactly one of the two.
    func validate(_ source: ConfigurationSourceOptions) throws {
        if resume {
            guard !source.isGiven else { throw ValidationError("--resume reads the configuration saved in the run folder: drop --preset/--config") }
        } else {
            guard (source.preset == nil) != (source.config == nil) else { throw ValidationError("give exactly one of --preset NAME or --config FILE") }
        }
    }
}
