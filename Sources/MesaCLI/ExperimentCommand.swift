import ArgumentParser
import Foundation
import Mesa

/// `mesa experiment NAME`: the general-purpose in-context learning experiments of Kirsch et al.
/// 2022 on projected Fashion-MNIST (``GPICLExperiment``), each training its runs (resumable:
/// run the same command again to continue) and writing CSV and SVG results.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run a general-purpose in-context learning experiment (Kirsch et al. 2022) and write CSV and SVG results.",
        discussion: """
        Experiments: \(GPICLExperiment.allCases.map(\.rawValue).joined(separator: ", ")).
        The training experiments derive their runs from a base configuration (default preset gpicl-small) and keep them in
        sub-folders of --output; run the same command again to resume. gpicl-generalisation evaluates a trained run
        (--run, default runs/gpicl-fashion-mnist) on Fashion-MNIST test images, scikit-learn digits and the tables of --tables.
        """)

    @Argument(help: "The experiment.") var name: String
    @Option(help: "Base preset of the training experiments.") var preset: String?
    @Option(help: "Base configuration file of the training experiments.") var config: String?
    @Option(help: "Experiment folder (default: runs/<experiment>).") var output: String?
    @Option(help: "Override training.steps of every run.") var steps: Int?
    @Option(help: "Stop (after checkpointing) once this many minutes have passed; run again to resume.") var timeLimit: Double?
    @Option(help: "Evaluation prompts per dataset.") var prompts = 512
    @Option(name: .customLong("run"), help: "gpicl-generalisation: the trained run folder.") var runFolder = "runs/gpicl-fashion-mnist"
    @Option(help: "gpicl-generalisation: a folder of CSV tables (last column the class); tables with 2–10 classes and enough rows are used.")
    var tables: String?
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        guard let experiment = GPICLExperiment(rawValue: name) else {
            throw ValidationError("unknown experiment '\(name)'; known: \(GPICLExperiment.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if preset != nil, config != nil { throw ValidationError("give at most one of --preset and --config") }
        if experiment == .generalisation, preset != nil || config != nil || steps != nil {
            throw ValidationError("gpicl-generalisation evaluates a trained run (--run FOLDER); it takes no --preset, --config or --steps")
        }
        if let steps, steps <= 0 { throw ValidationError("--steps must be positive") }
        if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit must be a positive number of minutes") }
        guard prompts > 0 else { throw ValidationError("--prompts must be positive") }
    }

    func run() throws {
        threads.apply()
        let experiment = GPICLExperiment(rawValue: name)!
        let folder = URL(fileURLWithPath: output ?? "runs/\(experiment.rawValue)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if experiment == .generalisation {
            try GeneralisationReport(runFolder: URL(fileURLWithPath: runFolder), tablesFolder: tables.map { URL(fileURLWithPath: $0) },
                                     promptCount: prompts).write(to: folder)
            return
        }
        var base = try Presets.load(preset: config == nil ? (preset ?? "gpicl-small") : nil, file: config)
        if let steps { base.training.steps = steps }
        let runs = try experiment.runs(base: base)
        let deadline = timeLimit.map { Date().addingTimeInterval($0 * 60) }
        var trainers: [InContextTrainer] = []
        for (index, run) in runs.enumerated() {
            if let deadline, Date() >= deadline { break }
            let total = run.configuration.training.steps
            var progress = ProgressBar(total: total, label: "\(index + 1)/\(runs.count) \(run.name)")
            let trainer = try GPICLExperiment.train(run, in: folder, deadline: deadline) { event in
                if case .step(let step, let loss, _, _, _) = event { progress.update(completed: step, metrics: ["loss": loss]) }
                if case .evaluation(let step, let loss, let accuracy) = event {
                    progress.note("step \(step): held-out loss \(String(format: "%.3f", loss)), accuracy at the last point \(String(format: "%.3f", accuracy))")
                }
            }
            progress.update(completed: trainer.step)
            trainers.append(trainer)
        }
        guard trainers.count == runs.count, trainers.allSatisfy({ $0.step >= $0.configuration.training.steps }) else {
            print("stopped at the time limit; continue with the same command (finished runs are kept)")
            return
        }
        // Every run shares the base dataset: its unseen tasks use the test images, loaded once.
        var testImages: LabelledDataset?
        if experiment != .plateau, base.task.dataset == "fashion-mnist" {
            var testTask = base.task
            testTask.datasetSplit = "test"
            testImages = try testTask.loadDataset().0
        }
        switch experiment {
        case .transition: try writeTransition(runs: runs, trainers: trainers, testImages: testImages, to: folder)
        case .plateau: try writePlateau(runs: runs, trainers: trainers, to: folder)
        case .stateSize: try writeStateSize(runs: runs, trainers: trainers, testImages: testImages, to: folder)
        case .generalisation: break
        }
    }

    /// Seen- and unseen-task accuracy with 10 examples and at the last point for every pool size,
    /// and the regime each run is in (``GPICLExperiment/regime(seen:unseen:chance:)``).
    func writeTransition(runs: [GPICLExperiment.Run], trainers: [InContextTrainer], testImages: LabelledDataset?, to folder: URL) throws {
        var csv = "architecture,tasks,seen_accuracy,seen_se,unseen_accuracy,unseen_se,seen_accuracy_10,unseen_accuracy_10,regime,parameters,steps,training_seconds\n"
        var series: [String: [(x: Double, y: Double)]] = [:]
        let infiniteX = 2.0 + Double(runs.compactMap(\.x).max() ?? 14)
        for (run, trainer) in zip(runs, trainers) {
            let (seenCurve, unseenCurve) = try seenAndUnseenCurves(trainer, testImages: testImages)
            let (seen, unseen) = (seenCurve.points.last!, unseenCurve.points.last!)
            let early = min(10, seenCurve.points.count - 1)
            let regime = GPICLExperiment.regime(seen: seen.mean, unseen: unseen.mean, chance: 1 / Double(run.configuration.task.classCount))
            let tasks = run.configuration.task.poolSize.map(String.init) ?? "infinite"
            csv += "\(run.series),\(tasks),\(fourDecimals(seen.mean)),\(fourDecimals(seen.standardError)),\(fourDecimals(unseen.mean)),\(fourDecimals(unseen.standardError)),"
                + "\(fourDecimals(seenCurve.points[early].mean)),\(fourDecimals(unseenCurve.points[early].mean)),\(regime.rawValue),"
                + "\(trainer.learner.parameterCount),\(trainer.step),\(fourDecimals(trainer.trainingSeconds))\n"
            let x = run.x ?? infiniteX
            series["\(run.series), training tasks", default: []].append((x, seen.mean))
            series["\(run.series), unseen tasks", default: []].append((x, unseen.mean))
            print("\(run.name): seen \(fourDecimals(seen.mean)) ± \(fourDecimals(seen.standardError)), unseen \(fourDecimals(unseen.mean)) ± \(fourDecimals(unseen.standardError)): \(regime.rawValue)")
        }
        let plot = SVGChart.lines(title: "Memorisation → general learning (infinite pool at x = \(Int(infiniteX)))",
                            xLabel: "log₂ number of training tasks", yLabel: "accuracy at the last point",
                            series: series.keys.sorted().map { SVGChart.Series(name: $0, points: series[$0]!) })
        try write(csv: csv, plot: plot, name: "transition", to: folder)
    }

    /// Held-out loss and accuracy curves, and the step at which each run leaves the plateau.
    func writePlateau(runs: [GPICLExperiment.Run], trainers: [InContextTrainer], to folder: URL) throws {
        var curves = "run,step,heldout_loss,heldout_accuracy\n"
        var summary = "run,batch_size,epsilon,unpermuted_fraction,encoding,architecture,plateau_end_step,plateau_end_seconds,seconds_per_step,final_accuracy\n"
        var accuracySeries: [SVGChart.Series] = [], lossSeries: [SVGChart.Series] = []
        for (run, trainer) in zip(runs, trainers) {
            let points = try evaluationPoints(trainer.metricsURL)
            for point in points { curves += "\(run.name),\(point.step),\(fourDecimals(point.loss)),\(fourDecimals(point.accuracy))\n" }
            let chance = 1 / Double(run.configuration.task.classCount)
            let end = points.first { $0.accuracy >= 2 * chance }?.step
            let secondsPerStep = trainer.trainingSeconds / Double(max(trainer.step, 1))
            let c = run.configuration
            summary += "\(run.name),\(c.training.batchSize),\(c.training.epsilon),\(c.task.unpermutedFraction),\(c.learner.resolvedEncoding.rawValue),\(c.learner.architecture),\(end.map(String.init) ?? "not left"),\(end.map { fourDecimals(Double($0) * secondsPerStep) } ?? ""),\(fourDecimals(secondsPerStep)),\(fourDecimals(points.last?.accuracy ?? .nan))\n"
            accuracySeries.append(SVGChart.Series(name: run.name, points: points.map { (Double($0.step), $0.accuracy) }))
            lossSeries.append(SVGChart.Series(name: run.name, points: points.map { (Double($0.step), $0.loss) }))
            print("\(run.name): plateau left at step \(end.map(String.init) ?? "—"), final accuracy \(fourDecimals(points.last?.accuracy ?? .nan)), \(fourDecimals(secondsPerStep)) s/step")
        }
        try curves.write(to: folder.appendingPathComponent("plateau-curves.csv"), atomically: true, encoding: .utf8)
        try write(csv: summary, plot: SVGChart.lines(title: "Held-out accuracy at the last point (unseen tasks)", xLabel: "step",
                                               yLabel: "accuracy", series: accuracySeries), name: "plateau", to: folder)
        try SVGChart.lines(title: "Held-out loss", xLabel: "step", yLabel: "cross-entropy", series: lossSeries).svg()
            .write(to: folder.appendingPathComponent("plateau-loss.svg"), atomically: true, encoding: .utf8)
    }

    /// Unseen-task accuracy at the last point against state size.
    func writeStateSize(runs: [GPICLExperiment.Run], trainers: [InContextTrainer], testImages: LabelledDataset?, to folder: URL) throws {
        var csv = "architecture,size,parameters,state_size,unseen_accuracy,unseen_se\n"
        var series: [String: [(x: Double, y: Double)]] = [:]
        for (run, trainer) in zip(runs, trainers) {
            let unseen = try seenAndUnseenCurves(trainer, testImages: testImages).unseen.points.last!
            let state = GPICLExperiment.stateSize(of: run.configuration.learner, pointCount: run.configuration.training.pointCount)
            csv += "\(run.series),\(run.configuration.learner.modelSize),\(trainer.learner.parameterCount),\(state),\(fourDecimals(unseen.mean)),\(fourDecimals(unseen.standardError))\n"
            series[run.series, default: []].append((Foundation.log2(Double(state)), unseen.mean))
            print("\(run.name): state \(state), \(trainer.learner.parameterCount) parameters, unseen accuracy \(fourDecimals(unseen.mean)) ± \(fourDecimals(unseen.standardError))")
        }
        let plot = SVGChart.lines(title: "Accuracy against state size", xLabel: "log₂ state size (numbers)", yLabel: "unseen-task accuracy at the last point",
                            series: series.keys.sorted().map { SVGChart.Series(name: $0, points: series[$0]!) })
        try write(csv: csv, plot: plot, name: "state-size", to: folder)
    }

    /// Accuracy curves on the run's training tasks (training images) and on unseen tasks (fresh
    /// projections and permutations of `testImages`; of the same rows for a CSV base dataset, which
    /// has no test split and passes `nil`).
    func seenAndUnseenCurves(_ trainer: InContextTrainer, testImages: LabelledDataset?) throws -> (seen: ErrorCurve, unseen: ErrorCurve) {
        guard let tasks = trainer.distribution as? ProjectedDatasetTasks else {
            throw ValidationErrorMessage("the experiment needs projectedDataset tasks, got \(trainer.distribution.name)")
        }
        let task = trainer.configuration.task
        let seen = tasks.heldOut
        var unseen = try seen.with(taskCount: .some(nil), seed: task.poolSeed &+ 0x5EED)
        if let testImages { unseen = try unseen.with(dataset: testImages, datasetName: "Fashion-MNIST test") }
        let points = trainer.configuration.training.pointCount
        return (GPICLExperiment.accuracy(of: [trainer.learner], on: seen, promptCount: prompts, pointCount: points, seed: 101)[0],
                GPICLExperiment.accuracy(of: [trainer.learner], on: unseen, promptCount: prompts, pointCount: points, seed: 202)[0])
    }

    func evaluationPoints(_ metrics: URL) throws -> [(step: Int, loss: Double, accuracy: Double)] {
        let text = try String(contentsOf: metrics, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Double],
                  let step = object["step"], let loss = object["evaluationLoss"], let accuracy = object["lastPointMetric"] else { return nil }
            return (Int(step), loss, accuracy)
        }
    }

    func write(csv: String, plot: SVGChart, name: String, to folder: URL) throws {
        try csv.write(to: folder.appendingPathComponent("\(name).csv"), atomically: true, encoding: .utf8)
        try plot.svg().write(to: folder.appendingPathComponent("\(name).svg"), atomically: true, encoding: .utf8)
        print("wrote \(folder.appendingPathComponent("\(name).csv").path) and \(name).svg")
    }
}

/// Four significant decimals for CSV cells.
func fourDecimals(_ value: Double) -> String { String(format: "%.4f", value) }
