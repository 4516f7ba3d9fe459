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
        Benchmarks.selectedVariant = variant
        // On standard error, so that the JSON lines stay alone on standard output.
        FileHandle.standardError.write(Data("mesa bench: \(threads.count) threads, BLAS kernels \(OpenBLASKernels.selection)\n".utf8))
        let emit: (BenchmarkResult) -> Void = { result in
            if json { print(result.jsonLine) } else {
                print(String(format: "%@ %@: median %.3f ms (min %.3f, max %.3f, n %d)%@", result.workload, result.variant,
                             result.median, result.minimum, result.maximum, result.count, result.extraDescription))
            }
        }
        switch workload {
        case .matmul: Benchmarks.matmul(quick: quick, emit: emit)
        case .encoderTrain: Benchmarks.encoderTrain(large: false, quick: quick, emit: emit)
        case .encoderTrainLarge: Benchmarks.encoderTrain(large: true, quick: quick, emit: emit)
        case .encoderInfer: Benchmarks.encoderInfer(quick: quick, emit: emit)
        case .inContextLinearTrain: Benchmarks.inContextLinearTrain(quick: quick, emit: emit)
        case .mamlSine: Benchmarks.mamlSine(quick: quick, emit: emit)
        }
    }
}

/// The workloads `mesa bench` knows, named as in the reference.
enum BenchmarkWorkload: String, CaseIterable, ExpressibleByArgument {
    case matmul
    case encoderTrain = "encoder-train"
    case encoderTrainLarge = "encoder-train-large"
    case encoderInfer = "encoder-infer"
    case inContextLinearTrain = "icl-linear-train"
    case mamlSine = "maml-sine"
}

/// One measured variant: milliseconds per unit of work.
struct BenchmarkResult {
    var workload: String
    var variant: String
    var samples: [Double]
    var extra: [String: Double] = [:]

    var median: Double {
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
    var minimum: Double { samples.min() ?? .nan }
    var maximum: Double { samples.max() ?? .nan }
    var count: Int { samples.count }

    var jsonLine: String {
        var fields: [String] = [
            "\"workload\": \"\(workload)\"", "\"variant\": \"\(variant)\"", "\"impl\": \"mesa-\(MesaVersion.current)\"",
            "\"unit\": \"ms\"", "\"median\": \(median)", "\"min\": \(minimum)", "\"max\": \(maximum)", "\"n\": \(count)",
        ]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { fields.append("\"\(key)\": \(value)") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    var extraDescription: String {
        extra.isEmpty ? "" : "  " + extra.sorted(by: { $0.key < $1.key }).map { "\($0.key) \(String(format: "%.4g", $0.value))" }.joined(separator: " ")
    }
}

/// Mesa's version string, as reported by the benchmarks.
enum MesaVersion {
    static let current = "0.1.0"
}

/// Wall-clock timing in milliseconds, as the reference's `time_ms`: `warmup` untimed calls,
/// then `steps` timed ones.
func timeMilliseconds(warmup: Int, steps: Int, _ body: () -> Void) -> [Double] {
    for _ in 0..<warmup { body() }
    return (0..<steps).map { _ in
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }
}
