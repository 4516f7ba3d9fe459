import ArgumentParser
import Foundation
import Mesa

/// `mesa experiment NAME`: the in-context learning experiments, each training its runs
/// (resumable: run the same command again to continue) and writing CSV and SVG results: Kirsch
/// et al. 2022's general-purpose in-context learning on projected Fashion-MNIST
/// (``GPICLExperiment``, ``GeneralisationReport``), the emergence grid after Chan et al. 2022
/// (``EmergenceExperiment``) and Dai et al. 2023's dual form measured on a trained run
/// (``DualFormComparison``).
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run an in-context learning experiment (Kirsch et al. 2022's general-purpose ICL, Chan et al. 2022's emergence grid, Dai et al. 2023's dual form) and write CSV and SVG results.",
        discussion: """
        Experiments: \(ExperimentCommand.names.joined(separator: ", ")).
        The training experiments derive their runs from a base configuration (default preset gpicl-small) and keep them in
        sub-folders of --output; run the same command again to resume. gpicl-generalisation evaluates a trained run
        (--run, default runs/gpicl-fashion-mnist) on Fashion-MNIST test images, scikit-learn digits and the tables of --tables.
        emergence trains Chan et al. 2022's data-dependence grid on bursty, Zipfian classification sequences (Reddy 2024),
        one factor at a time around a base run (--config FILE: an emergence run configuration), for --seeds seeds
        (--factors zipf: the base and the Zipf arms only).
        dual-form measures Dai et al. 2023's dual form on a trained run (--run FOLDER): for a Transformer, in-context learning
        against fine-tuning of the key/value projections on the same demonstrations (Rec2FTP, SimAOU, SimAM, with baselines)
        and the relaxed linear-attention form; for linear self-attention, the identity ΔW = Σᵢ vᵢkᵢᵀ on its trained weights.
        """)

    /// Every experiment name.
    static var names: [String] { GPICLExperiment.allCases.map(\.rawValue) + ["emergence", "dual-form"] }

    @Argument(help: "The experiment.") var name: String
    @OptionGroup var source: ConfigurationSourceOptions
    @Option(help: "Experiment folder (default: runs/<experiment>).") var output: String?
    @Option(help: "Override training.steps of every run.") var steps: Int?
    @OptionGroup var timeLimit: TimeLimitOption
    @Option(help: "Evaluation prompts per dataset.") var prompts = 512
    @Option(name: .customLong("run"), help: "gpicl-generalisation (default runs/gpicl-fashion-mnist), dual-form: the trained run folder.")
    var runFolder: String?
    @Option(help: "gpicl-generalisation: a folder of CSV tables (last column the class); tables with 2–10 classes and enough rows are used.")
    var tables: String?
    @Option(help: "emergence: seeds per run (effects are paired over seeds).") var seeds = 2
    @Flag(help: "emergence: train nothing; analyse the runs already finished in --output.") var analyseFinished = false
    @Option(help: "emergence: the factors to vary around the base, comma-separated (burstiness, classes, zipf, noise, labels, architecture), or all.")
    var factors = "all"
    @Option(help: "dual-form: demonstrations per held-out task (default: the run's prompt length minus the query part).") var demonstrations: Int?
    @Option(help: "dual-form: points of the query part (1: the query alone; more adds labelled points every setting sees).") var queryPoints = 1
    @Option(help: "dual-form: the fine-tuning SGD learning rate.") var learningRate: Float = 0.01
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        if let steps, steps <= 0 { throw ValidationError("--steps must be positive") }
        guard seeds > 0 else { throw ValidationError("--seeds must be positive") }
        if name != "emergence", factors != "all" { throw ValidationError("--factors applies to the emergence experiment only") }
        if name == "dual-form" {
            if analyseFinished { throw ValidationError("--analyse-finished applies to the emergence experiment only") }
            guard runFolder != nil else { throw ValidationError("dual-form measures a trained run: give --run FOLDER (a run of mesa train)") }
            if source.isGiven || steps != nil { throw ValidationError("dual-form measures a trained run (--run FOLDER); it takes no --preset, --config or --steps") }
            guard prompts > 1 else { throw ValidationError("--prompts must be at least 2 for dual-form (the FT-other baseline pairs tasks)") }
            if let demonstrations, demonstrations <= 0 { throw ValidationError("--demonstrations must be positive") }
            guard queryPoints > 0 else { throw ValidationError("--query-points must be positive") }
            guard learningRate >= 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be finite and ≥ 0") }
            return
        }
        if name == "emergence" {
            if source.preset != nil { throw ValidationError("emergence takes --config FILE (an emergence run configuration), not --preset") }
            do { _ = try EmergenceExperiment.factors(parsing: factors) } catch let InContextError.invalidConfiguration(message) { throw ValidationError("--factors: \(message)") }
            return
        }
        if analyseFinished { throw ValidationError("--analyse-finished applies to the emergence experiment only") }
        guard let experiment = GPICLExperiment(rawValue: name) else {
            throw ValidationError("unknown experiment '\(name)'; known: \(Self.names.joined(separator: ", "))")
        }
        if source.preset != nil, source.config != nil { throw ValidationError("give at most one of --preset and --config") }
        if experiment == .generalisation, source.isGiven || steps != nil {
            throw ValidationError("gpicl-generalisation evaluates a trained run (--run FOLDER); it takes no --preset, --config or --steps")
        }
        guard prompts > 0 else { throw ValidationError("--prompts must be positive") }
    }

    func run() throws {
        threads.apply()
        if name == "emergence" { return try runEmergence() }
        if name == "dual-form" { return try runDualForm() }
        let experiment = GPICLExperiment(rawValue: name)!
        let folder = URL(fileURLWithPath: output ?? "runs/\(experiment.rawValue)")
        try OutputFile.prepareFolder(folder, contents: "the experiment's results", option: "--output")
        if experiment == .generalisation {
            let report = GeneralisationReport(runFolder: URL(fileURLWithPath: runFolder ?? "runs/gpicl-fashion-mnist"), tablesFolder: tables.map { URL(fileURLWithPath: $0) },
                                              promptCount: prompts)
            print(try report.write(to: folder, progress: ProgressBar.handler(label: "datasets")))
            return
        }
        var base = try Presets.load(preset: source.config == nil ? (source.preset ?? "gpicl-small") : nil, file: source.config)
        if let steps { base.training.steps = steps }
        let runs = try experiment.runs(base: base)
        var bars: [Int: ProgressBar] = [:]
        let trainers = try GPICLExperiment.trainAll(runs, in: folder, deadline: timeLimit.deadline) { index, event in
            var progress = bars[index] ?? ProgressBar(total: runs[index].configuration.training.steps, label: "\(index + 1)/\(runs.count) \(runs[index].name)")
            if case .step(let step, let loss, _) = event { progress.update(completed: step, metrics: ["loss": loss]) }
            if case .evaluation(let step, let metrics) = event {
                progress.note("step \(step): held-out loss \(String(format: "%.3f", metrics["evaluationLoss"] ?? .nan)), accuracy at the last point \(String(format: "%.3f", metrics["lastPointMetric"] ?? .nan))")
            }
            bars[index] = progress
        }
        guard GPICLExperiment.finished(runs, trainers: trainers) else {
            print("stopped at the time limit; continue with the same command (finished runs are kept)")
            return
        }
        print(try experiment.analyse(runs: runs, trainers: trainers, base: base, promptCount: prompts, to: folder))
    }
}

extension ExperimentCommand {
    /// `mesa experiment emergence`: trains (or resumes) the grid of ``EmergenceExperiment`` and writes its tables and plots.
    func runEmergence() throws {
        let folder = URL(fileURLWithPath: output ?? "runs/emergence")
        try OutputFile.prepareFolder(folder, contents: "the experiment's results", option: "--output")
        var base = EmergenceExperiment.standardBase
        if let file = source.config {
            let url = URL(fileURLWithPath: file)
            guard let data = FileManager.default.contents(atPath: url.path) else { throw ValidationError("cannot read the configuration file \(file)") }
            base = try EmergenceRunConfiguration(json: data, source: file)
        }
        if let steps { base.training.steps = steps }
        let runs = try EmergenceExperiment.runs(base: base, seeds: seeds, factors: try EmergenceExperiment.factors(parsing: factors))
        if analyseFinished {
            let finished = try EmergenceExperiment.finishedRuns(runs, in: folder)
            guard !finished.runs.isEmpty else { throw ValidationError("no run of the grid is finished in \(folder.path); train first (drop --analyse-finished)") }
            print("analysing \(finished.runs.count) of \(runs.count) runs")
            return print(try EmergenceExperiment.analyse(runs: finished.runs, trainers: finished.trainers, to: folder))
        }
        var bars: [Int: ProgressBar] = [:]
        let trainers = try EmergenceExperiment.trainAll(runs, in: folder, deadline: timeLimit.deadline) { index, event in
            var progress = bars[index] ?? ProgressBar(total: runs[index].configuration.training.steps, label: "\(index + 1)/\(runs.count) \(runs[index].name)")
            if case .step(let step, let loss, _) = event { progress.update(completed: step, metrics: ["loss": loss]) }
            if case .evaluation(let step, let metrics) = event {
                progress.note("step \(step): in-context \(String(format: "%.3f", metrics["inContextAccuracy"] ?? .nan)), in-weights \(String(format: "%.3f", metrics["inWeightsAccuracy"] ?? .nan))")
            }
            bars[index] = progress
        }
        guard trainers.count == runs.count, trainers.allSatisfy(\.isFinished) else {
            print("stopped at the time limit; continue with the same command (finished runs are kept)")
            return
        }
        print(try EmergenceExperiment.analyse(runs: runs, trainers: trainers, to: folder))
    }
}

extension ExperimentCommand {
    /// `mesa experiment dual-form --run FOLDER`: ``DualFormComparison/measure(runFolder:taskCount:demonstrationCount:queryPointCount:learningRate:seed:to:progress:)``.
    func runDualForm() throws {
        let run = URL(fileURLWithPath: runFolder!)
        let folder = URL(fileURLWithPath: output ?? run.appendingPathComponent("dual-form").path)
        try OutputFile.prepareFolder(folder, contents: "the experiment's results", option: "--output")
        var bar = ProgressBar(total: prompts, label: "tasks")
        print(try DualFormComparison.measure(runFolder: run, taskCount: prompts, demonstrationCount: demonstrations, queryPointCount: queryPoints,
                                             learningRate: learningRate, to: folder) { bar.update(completed: $0.completed) })
        print("wrote \(folder.appendingPathComponent("dual-form.csv").path) and dual-form.md")
    }
}
