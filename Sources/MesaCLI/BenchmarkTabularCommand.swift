import ArgumentParser
import Foundation
import Mesa

/// `mesa benchmark-tabular DIR`: Mesa's in-context predictors beside the baselines on every CSV
/// of a folder, five seeded 50/50 splits each (``TabularBenchmark``).
struct BenchmarkTabularCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark-tabular",
        abstract: "Score mesa predict beside logistic regression / ridge and k-NN on every CSV of a folder (5 seeded stratified 50/50 splits).",
        discussion: "Uses the folder's manifest.json (task, categorical columns) when present; otherwise detects them. Writes a Markdown table, a CSV of every split and an SVG chart."
    )

    @Argument(help: "A folder of CSV files (target in the last column).") var directory: String
    @Option(help: "Where to write tabular-benchmark.{md,csv,svg}.") var output = "runs/tabular-benchmark"
    @Option(help: "Splits per dataset.") var splits = 5
    @Option(help: "Ensemble members (default: 8 when the labelled rows fit in one context, 4 for larger tables).") var ensemble: Int?
    @Option(help: "Only datasets whose name contains this.") var filter: String?
    @Option(help: "A classification checkpoint of `mesa pretrain` instead of the shipped one.") var model: String?
    @Option(help: "A regression checkpoint of `mesa pretrain` instead of the shipped one.") var regressionModel: String?
    @OptionGroup var threads: ThreadsOption

    func run() throws {
        threads.apply()
        let benchmark = TabularBenchmark(splitCount: splits, ensembleSize: ensemble, filter: filter,
                                         classifierModel: model.map { URL(fileURLWithPath: $0) },
                                         regressorModel: regressionModel.map { URL(fileURLWithPath: $0) })
        print(try benchmark.run(on: URL(fileURLWithPath: directory), writingTo: URL(fileURLWithPath: output),
                                progress: ProgressBar.handler(label: "benchmark")))
    }
}
