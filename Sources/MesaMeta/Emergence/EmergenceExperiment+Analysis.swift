import Foundation
import MesaCore

extension EmergenceExperiment {
    /// The final accuracies of one trained run and its learning curves.
    public struct Outcome: Sendable {
        /// The run.
        public var run: Run
        /// In-context accuracy (novel classes, 2-way; chance 1/2) at the last evaluation.
        public var inContext: Double
        /// In-weights accuracy (trained classes absent from the context; chance about 1/L) at the last evaluation.
        public var inWeights: Double
        /// The in-weights accuracy of always answering the label most frequent under the class
        /// distribution (``BurstyClassificationTasks/majorityLabelRate``): the in-weights chance level.
        public var inWeightsChance: Double = .nan
        /// In-weights accuracy at the end on queries of common classes (those holding half of `p`) and of rare ones
        /// (``EmergenceTrainer/inWeightsAccuracyByFrequency()``).
        public var inWeightsByFrequency: (common: Double, rare: Double) = (.nan, .nan)
        /// `(step, in-context, in-weights)` at every evaluation.
        public var curve: [(step: Int, inContext: Double, inWeights: Double)]
        /// Parameters of the model.
        public var parameterCount: Int
        /// Training wall time in seconds.
        public var seconds: Double
    }

    /// A paired difference between two arms of the experiment over seeds.
    public struct Effect: Sendable {
        /// Which of Chan et al.'s claims it measures.
        public var claim: String
        /// What is subtracted from what, e.g. `IC(B=4) − IC(non-bursty)`.
        public var comparison: String
        /// The per-seed differences.
        public var differences: [Double]
        /// Their mean.
        public var mean: Double { differences.reduce(0, +) / Double(max(differences.count, 1)) }
        /// The standard error of the mean over seeds (`nan` with one seed).
        public var standardError: Double {
            let n = Double(differences.count)
            guard differences.count > 1 else { return .nan }
            let variance = differences.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
            return (variance / n).squareRoot()
        }
    }

    /// Reads every trained run's last evaluation and learning curve from its `metrics.jsonl`.
    public static func outcomes(runs: [Run], trainers: [EmergenceTrainer]) throws -> [Outcome] {
        try zip(runs, trainers).map { run, trainer in
            let curve = try MetricsLog.read(trainer.metricsURL).compactMap { record -> (step: Int, inContext: Double, inWeights: Double)? in
                guard let step = record["step"], let ic = record["inContextAccuracy"], let iw = record["inWeightsAccuracy"] else { return nil }
                return (Int(step), ic, iw)
            }
            guard let last = curve.last else {
                throw InContextError.invalidCheckpoint("\(trainer.metricsURL.path) holds no evaluation; train the run first")
            }
            return Outcome(run: run, inContext: last.inContext, inWeights: last.inWeights,
                           inWeightsChance: trainer.tasks.majorityLabelRate, inWeightsByFrequency: trainer.inWeightsAccuracyByFrequency(), curve: curve,
                           parameterCount: trainer.learner.parameterCount, seconds: trainer.trainingSeconds)
        }
    }

    /// The paired effects that decide Chan et al.'s four claims (differences of final accuracies between arms with the same seed).
    public static func effects(_ outcomes: [Outcome]) -> [Effect] {
        func value(_ factor: Factor, _ x: Double, seed: Int, _ metric: KeyPath<Outcome, Double>) -> Double? {
            outcomes.first { $0.run.seed == seed && $0.run.memberships[factor] == x }?[keyPath: metric]
        }
        let seeds = Set(outcomes.map(\.run.seed)).sorted()
        func effect(_ claim: String, _ comparison: String, _ a: (Factor, Double, KeyPath<Outcome, Double>),
                    minus b: (Factor, Double, KeyPath<Outcome, Double>)) -> Effect {
            Effect(claim: claim, comparison: comparison, differences: seeds.compactMap { seed in
                guard let first = value(a.0, a.1, seed: seed, a.2), let second = value(b.0, b.1, seed: seed, b.2) else { return nil }
                return first - second
            })
        }
        let iw = 1 / Double(outcomes.first?.run.configuration.tasks.labelCount ?? 32)
        return [
            effect("1 burstiness", "IC(B=4) − IC(non-bursty)", (.burstiness, 4, \.inContext), minus: (.burstiness, 0, \.inContext)),
            effect("1 burstiness", "IC(B=1) − IC(non-bursty)", (.burstiness, 1, \.inContext), minus: (.burstiness, 0, \.inContext)),
            effect("2 many rare classes", "IC(K=1024) − IC(K=64)", (.classes, 1024, \.inContext), minus: (.classes, 64, \.inContext)),
            effect("2 trade-off", "IW(K=64) − IW(K=1024)", (.classes, 64, \.inWeights), minus: (.classes, 1024, \.inWeights)),
            effect("2 within-class variation", "IC(ε=0.5) − IC(ε=0.1)", (.noise, 0.5, \.inContext), minus: (.noise, 0.1, \.inContext)),
            effect("2 dynamic meaning", "IC(per-sequence labels) − IC(fixed)", (.labels, 1, \.inContext), minus: (.labels, 0, \.inContext)),
            effect("3 Zipf", "IC(α=0) − IC(α=1.5)", (.zipf, 0, \.inContext), minus: (.zipf, 1.5, \.inContext)),
            effect("3 Zipf", "IW(α=1.5) − IW(α=0)", (.zipf, 1.5, \.inWeights), minus: (.zipf, 0, \.inWeights)),
            Effect(claim: "3 Zipf coexistence", comparison: "IC(α=1) − 1/2", differences: seeds.compactMap { value(.zipf, 1, seed: $0, \.inContext).map { $0 - 0.5 } }),
            Effect(claim: "3 Zipf coexistence", comparison: "IW(α=1) − 1/L", differences: seeds.compactMap { value(.zipf, 1, seed: $0, \.inWeights).map { $0 - iw } }),
            effect("3 Zipf coexistence", "IW(α=1) − majority-label rate(α=1)", (.zipf, 1, \.inWeights), minus: (.zipf, 1, \.inWeightsChance)),
            effect("3 Zipf coexistence", "IW(α=1) − IW(α=0)", (.zipf, 1, \.inWeights), minus: (.zipf, 0, \.inWeights)),
            effect("3 Zipf coexistence", "IC(α=0) − IC(α=1)", (.zipf, 0, \.inContext), minus: (.zipf, 1, \.inContext)),
            effect("4 architecture", "IC(Transformer) − IC(LSTM)", (.architecture, 0, \.inContext), minus: (.architecture, 1, \.inContext)),
        ]
    }

    /// Writes `emergence-runs.csv` (one row per run), `emergence.csv` (per factor value: mean and
    /// standard error over seeds of both accuracies), `emergence-effects.csv` (``effects(_:)``),
    /// `emergence-curves.csv` (every evaluation of every run), one `emergence-<factor>.svg` per
    /// factor with runs, for each factor with two or more values the first seed's learning curves
    /// of every value (`emergence-<factor>-in-context-curves.svg`, `…-in-weights-curves.svg`) and,
    /// when the grid has the LSTM arm, `emergence-curves.svg` (the first seed's base Transformer
    /// and LSTM) into `folder`; returns the report lines and the files.
    public static func analyse(runs: [Run], trainers: [EmergenceTrainer], to folder: URL) throws -> GPICLExperiment.Analysis {
        let outcomes = try outcomes(runs: runs, trainers: trainers)
        func f(_ value: Double) -> String { String(format: "%.4f", value) }
        var runRows = "run,seed,burstiness,bursty_fraction,classes,zipf_exponent,noise,labels,architecture,in_context_accuracy,in_weights_accuracy,in_weights_majority_label,in_weights_common,in_weights_rare,parameters,steps,seconds\n"
        var curveRows = "run,step,in_context_accuracy,in_weights_accuracy\n"
        for o in outcomes {
            let c = o.run.configuration
            runRows += "\(o.run.name),\(o.run.seed),\(c.tasks.burstiness),\(c.tasks.burstyFraction),\(c.tasks.classCount),\(c.tasks.zipfExponent),\(c.tasks.withinClassNoise),\(c.tasks.labelMapping.rawValue),\(c.learner.architecture.rawValue),\(f(o.inContext)),\(f(o.inWeights)),\(f(o.inWeightsChance)),\(f(o.inWeightsByFrequency.common)),\(f(o.inWeightsByFrequency.rare)),\(o.parameterCount),\(c.training.steps),\(f(o.seconds))\n"
            for point in o.curve { curveRows += "\(o.run.name),\(point.step),\(f(point.inContext)),\(f(point.inWeights))\n" }
        }
        var factorRows = "factor,x,seeds,in_context_mean,in_context_se,in_weights_mean,in_weights_se,in_weights_common_mean,in_weights_common_se,in_weights_rare_mean,in_weights_rare_se\n"
        var files: [URL] = []
        var lines: [String] = []
        let firstSeed = outcomes.map(\.run.seed).min()
        for factor in Factor.allCases {
            let xs = Set(outcomes.compactMap { $0.run.memberships[factor] }).sorted()
            guard !xs.isEmpty else { continue }
            var ic: [(x: Double, y: Double)] = [], iw: [(x: Double, y: Double)] = []
            for x in xs {
                let arm = outcomes.filter { $0.run.memberships[factor] == x }
                let a = MeanAndError(arm.map(\.inContext)), b = MeanAndError(arm.map(\.inWeights))
                let common = MeanAndError(arm.map { $0.inWeightsByFrequency.common }), rare = MeanAndError(arm.map { $0.inWeightsByFrequency.rare })
                factorRows += "\(factor.rawValue),\(x),\(arm.count),\(f(a.mean)),\(f(a.standardError)),\(f(b.mean)),\(f(b.standardError)),"
                    + "\(f(common.mean)),\(f(common.standardError)),\(f(rare.mean)),\(f(rare.standardError))\n"
                lines.append("\(factor.rawValue) = \(x): in-context \(f(a.mean)) ± \(f(a.standardError)), in-weights \(f(b.mean)) ± \(f(b.standardError)) "
                             + "(common classes \(f(common.mean)) ± \(f(common.standardError)), rare \(f(rare.mean)) ± \(f(rare.standardError))) (\(arm.count) seeds)")
                ic.append((x, a.mean))
                iw.append((x, b.mean))
            }
            let url = folder.appendingPathComponent("emergence-\(factor.rawValue).svg")
            try SVGChart.lines(title: "In-context and in-weights accuracy against \(factor.rawValue) (mean over seeds)", xLabel: factor.axisLabel,
                               yLabel: "accuracy", series: [.init(name: "in-context (novel classes, chance 0.5)", points: ic),
                                                             .init(name: "in-weights (trained classes, chance 1/L)", points: iw)]).write(to: url)
            files.append(url)
            // Learning curves of every value of the factor (the first seed), in-context and in-weights in separate charts.
            let arms = xs.compactMap { x in outcomes.first { $0.run.seed == firstSeed && $0.run.memberships[factor] == x }.map { (x, $0) } }
            if arms.count > 1 {
                let metrics: [(name: String, title: String, value: (Double, Double) -> Double)] = [
                    ("in-context", "in-context accuracy (novel classes, chance 0.5)", { ic, _ in ic }),
                    ("in-weights", "in-weights accuracy (trained classes)", { _, iw in iw }),
                ]
                for (metric, title, value) in metrics {
                    let chart = SVGChart.lines(title: "Learning curves against \(factor.rawValue), seed \(firstSeed ?? 0): \(title)", xLabel: "step", yLabel: "accuracy",
                                               series: arms.map { x, o in
                                                   .init(name: factor.seriesLabel(x), points: o.curve.map { (Double($0.step), value($0.inContext, $0.inWeights)) })
                                               })
                    let curves = folder.appendingPathComponent("emergence-\(factor.rawValue)-\(metric)-curves.svg")
                    try chart.write(to: curves)
                    files.append(curves)
                }
            }
        }
        var effectRows = "claim,comparison,seeds,mean_difference,standard_error\n"
        for effect in effects(outcomes) where !effect.differences.isEmpty {
            effectRows += "\(effect.claim),\(effect.comparison),\(effect.differences.count),\(f(effect.mean)),\(f(effect.standardError))\n"
            lines.append("effect \(effect.claim): \(effect.comparison) = \(f(effect.mean)) ± \(f(effect.standardError)) (\(effect.differences.count) seeds)")
        }
        var curveSeries: [SVGChart.Series] = []
        for o in outcomes where o.run.seed == firstSeed && o.run.memberships[.architecture] != nil {
            let label = o.run.memberships[.architecture] == 0 ? "Transformer" : "LSTM"
            curveSeries.append(.init(name: "\(label) in-context", points: o.curve.map { (Double($0.step), $0.inContext) }))
            curveSeries.append(.init(name: "\(label) in-weights", points: o.curve.map { (Double($0.step), $0.inWeights) }))
        }
        let curvesSVG = folder.appendingPathComponent("emergence-curves.svg")
        if !curveSeries.isEmpty {
            try SVGChart.lines(title: "Learning curves of the base run (seed \(firstSeed ?? 0))", xLabel: "step", yLabel: "accuracy", series: curveSeries).write(to: curvesSVG)
        }
        for (name, contents) in [("emergence-runs", runRows), ("emergence", factorRows), ("emergence-effects", effectRows), ("emergence-curves", curveRows)] {
            let url = folder.appendingPathComponent("\(name).csv")
            try OutputFile(url, contents: "the \(name) table").write(contents)
            files.append(url)
        }
        if !curveSeries.isEmpty { files.append(curvesSVG) }
        lines.append("wrote \(files.count) files in \(folder.path)")
        return GPICLExperiment.Analysis(lines: lines, files: files)
    }

    /// A mean and its standard error over seeds.
    struct MeanAndError {
        var mean: Double, standardError: Double
        init(_ values: [Double]) {
            let n = Double(values.count)
            mean = values.reduce(0, +) / max(n, 1)
            let m = mean
            standardError = values.count > 1 ? (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / (n - 1) / n).squareRoot() : .nan
        }
    }
}

extension EmergenceExperiment.Factor {
    /// The x-axis label of its plot.
    var axisLabel: String {
        switch self {
        case .burstiness: "burstiness B (0: non-bursty)"
        case .classes: "number of classes K"
        case .zipf: "Zipf exponent α"
        case .noise: "within-class noise ε"
        case .labels: "labels (0: fixed, 1: per sequence)"
        case .architecture: "architecture (0: Transformer, 1: LSTM)"
        }
    }

    /// The legend entry of the arm at `x`, e.g. `α = 1.5`.
    func seriesLabel(_ x: Double) -> String {
        let value = x == x.rounded() ? String(Int(x)) : String(x)
        switch self {
        case .burstiness: return x == 0 ? "non-bursty" : "B = \(value)"
        case .classes: return "K = \(value)"
        case .zipf: return "α = \(value)"
        case .noise: return "ε = \(value)"
        case .labels: return x == 0 ? "fixed labels" : "labels per sequence"
        case .architecture: return x == 0 ? "Transformer" : "LSTM"
        }
    }
}
