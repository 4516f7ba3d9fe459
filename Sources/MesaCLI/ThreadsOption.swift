import ArgumentParser
import Mesa

/// `--threads N`, the option every command that computes shares: the threads of Mesa's tensor
/// kernels (``Parallelism/threadCount``), 1 to 256, default 2.
struct ThreadsOption: ParsableArguments {
    @Option(name: .customLong("threads"), help: ArgumentHelp("Threads for tensor kernels.", valueName: "threads"))
    var count = 2

    func validate() throws {
        guard (1...256).contains(count) else { throw ValidationError("--threads must be in 1...256") }
    }

    /// Sets the kernels' thread count.
    func apply() {
        Parallelism.threadCount = count
    }
}
