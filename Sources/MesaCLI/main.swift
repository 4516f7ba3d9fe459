import ArgumentParser
import Mesa

/// `mesa`: the command-line face of the Mesa library.
struct MesaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mesa",
        abstract: "Mesa: meta-learning and in-context learning in Swift.",
        subcommands: [DemoCommand.self, TrainCommand.self, EvalCommand.self, PresetsCommand.self, MetaTrainCommand.self, MetaTestCommand.self, MetaPresetsCommand.self, PretrainCommand.self, PredictCommand.self, ActiveLearnCommand.self, OptimizeCommand.self, SuggestCommand.self, BenchmarkTabularCommand.self, BenchmarkActiveLearningCommand.self, BenchmarkBOCommand.self, BenchmarkBBOBCommand.self, TrainQueryPolicyCommand.self, TrainLESCommand.self, TrainNAPCommand.self, ExperimentCommand.self, BenchCommand.self, DistributedCheckCommand.self],
        defaultSubcommand: PredictCommand.self
    )
}

// Settle OpenBLAS's kernel set on the main thread before any other thread exists (it may switch
// sets through an environment variable; see `OpenBLASKernels`).
_ = OpenBLASKernels.selection
MesaCommand.main()
