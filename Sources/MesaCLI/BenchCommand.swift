import ArgumentParser
import Foundation
import Mesa

/// `mesa bench WORKLOAD`: runs one of the reference workloads of `shared/bench/README.md` and
/// prints one JSON line per variant in the reference's schema (milliseconds per unit of work),
/// so `compare.py` can put Mesa and PyTorch side by side.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time a reference workload (matmul, encoder-train, encoder-train-large, encoder-infer, icl-linear-train, maml-sine).",
        discussion: "The reference uses 2 threads, the --threads default."
    )

    @Argument(help: "The workload: \(BenchmarkWorkload.allCases.map(\.rawValue).joined(separator: ", ")).")
    var workload: BenchmarkWorkload
    @Flag(help: "Print JSON lines only (the schema compare.py reads).") var json = false
    @Flag(help: "Fewer repetitions, for a smoke run.") var quick = false
    @OptionGroup var threads: ThreadsOption
    @Option(help: "Run only this variant (e.g. B1, n512); all when omitted.") var variant: String?

    func run() throws {
        threads.apply()
        // On standard error, so that the JSON lines stay alone on standard output.
        FileHandle.standardError.write(Data("mesa bench: \(threads.count) threads, BLAS kernels \(OpenBLASKernels.selection)\n".utf8))
        let emit: (BenchmarkResult) -> Void = { result in
            if json { print(result.jsonLine) } else {
                print(String(format: "%@ %@: median %.3f ms (min %.3f, max %.3f, n %d)%@", result.workload, result.variant,
                             result.median, result.minimum, result.maximum, result.count, result.extraDescription))
            }
        }
        Benchmarks(variant: variant, quick: quick).run(workload, emit: emit)
    }
}
