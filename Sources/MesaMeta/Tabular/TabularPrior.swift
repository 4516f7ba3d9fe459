import Foundation
import MesaCore

/// The prior over tables that the tabular in-context model is pre-trained on (in the spirit of
/// Müller et al. 2022's prior-data fitted networks and TabPFN's structural-causal-model prior,
/// Hollmann et al. 2023), generated on the fly; no real table is ever used.
///
/// One dataset:
/// 1. A random MLP as a structural causal model: causes `z ~ N(0, I)` (or uniform), then 1–4
///    layers `h ← act(W h + b) + ε` with `W ~ N(0, g²/fan-in)`, activations drawn from tanh,
///    ReLU, sine, absolute value and identity, and Gaussian noise `ε` of a log-uniform scale;
///    with probability ``treeGraphProbability``, layers of random decision trees instead.
/// 2. The target is one node of the graph, the features are other nodes (a few replaced by pure
///    noise: irrelevant features); for regression, with probability ``gaussianProcessProbability``
///    the target is instead a Gaussian-process function of the features (RBF kernel, random
///    length-scale) plus noise.
///    Classification: with probability ``linearProbability`` the target is a random linear
///    function of the features instead, and with ``clusterProbability`` the whole table is a
///    mixture of Gaussian clusters (one class each) seen through a random linear map, in some
///    tables beside large nuisance factors (``nuisanceProbability``). Either kind: with
///    probability ``treeProbability`` the target is a sum of random axis-aligned decision trees
///    over the features (the threshold structure that tree ensembles exploit in real tables, as
///    in the tree-based structural causal models of TabPFN v2 and TabICL).
/// 3. Classification: the target is cut at random quantiles into 2–10 classes, randomly
///    relabelled, or (with probability ``argmaxTargetProbability``) the class is the largest of
///    as many shifted scores as classes. Regression: it is standardised on the training rows.
/// 4. Categorical features: some features are discretised into 2–10 levels with shuffled codes.
///    Discrete numeric features (with probability ``discreteProbability``): some numeric
///    features are put on 2–16 ordered levels, order kept.
///    Missing values: in some datasets, cells go missing completely at random.
/// 5. Encoding exactly as ``TabularPreprocessor``: robust scaling on the training rows and
///    clipping, categorical codes by training frequency over `[−1, 1]`, missing as 0 with an
///    indicator feature.
public struct TabularPrior: Sendable, Codable, Equatable {
    /// Classification or regression.
    public var kind = TabularTaskKind.classification
    /// The most encoded features a dataset may have (the model's input width).
    public var maximumFeatures = 100
    /// Raw features per dataset are drawn log-uniformly from this range (capped so indicators
    /// fit; default `1...100` for classification, `1...40` for regression). The tabular models
    /// read at most its upper bound of features per ensemble member.
    public var featureRange = 1...100
    /// The most classes.
    public var maximumClasses = 10
    /// The probability that a dataset has categorical features.
    public var categoricalProbability = 0.3
    /// The probability that a dataset has missing values.
    public var missingProbability = 0.25
    /// Regression: the probability of a Gaussian-process target.
    public var gaussianProcessProbability = 0.3
    /// The probability that the target is a random linear function of the (standardised)
    /// features instead of a node of the graph: boundaries along any direction, including the
    /// low-variance directions of correlated features (default 0.25 for classification, 0 for
    /// regression).
    public var linearProbability = 0.25
    /// Classification: the probability that the table is a mixture of Gaussian clusters (one
    /// class per cluster) seen through a random linear map, instead of a causal graph (default
    /// 0.25).
    public var clusterProbability = 0.25
    /// Classification, cluster tables: the probability that 1–3 nuisance factors unrelated to
    /// the class, with 2–20 times the spread of the class centres (log-uniform), are mixed into
    /// the features with the clusters. The nuisance then typically dominates every feature and
    /// the class lives in a low-variance direction of strongly correlated features, as species
    /// do in body measurements dominated by size (default 0.5; a saved configuration without
    /// this field predates it and still gets the default).
    public var nuisanceProbability = 0.5
    /// The probability that the target is a sum of 1–4 random axis-aligned decision trees of depth
    /// 1–5 over the features (thresholds at the values of random rows, leaves `N(0, 1)`, a little
    /// noise) instead of a node of the graph (default 0: the shipped models were trained without
    /// it, and a saved configuration without this field gets 0).
    public var treeProbability = 0.0
    /// The probability that a dataset has discrete numeric features: a share (20–80 %) of its
    /// numeric features is put on 2–16 ordered levels by ``discretised(_:using:)`` — counts,
    /// rating scales, pixel intensities, whose ties and point masses at the bottom a continuous
    /// prior never shows (TabPFN's prior discretises some features too, Hollmann et al. 2023).
    /// Default 0: the shipped models were trained without it, and a saved configuration without
    /// this field gets 0 (sampling is then unchanged draw for draw).
    public var discreteProbability = 0.0
    /// The probability that the causal graph is a tree graph (``treeGraph(rows:using:)``: every
    /// node a sum of random decision trees of the previous layer, as in TabICL's tree-based
    /// structural causal models) instead of a random MLP. Default 0: the shipped models were
    /// trained without it, and a saved configuration without this field gets 0 (sampling is
    /// then unchanged draw for draw).
    public var treeGraphProbability = 0.0
    /// Classification: the probability that the class is the **argmax of several scores** instead
    /// of a single target cut at quantiles: as many standardised scores as classes (the target
    /// and other nodes of the graph, or, for a linear target, as many random linear functions of
    /// the features: a multinomial logistic structure), each shifted by a random offset so that
    /// class sizes vary, and the row's class the largest. Quantile cuts of one variable make
    /// every class a neighbour of the next, so a row near a cut is ambiguous between two classes
    /// and many-class tables are mostly that; species, digits or diagnoses are not ordered. Default
    /// 0, so a saved configuration without this field draws the tables it drew before, draw for
    /// draw; the shipped classifier's last stage used 0.5 (`benchmarks/tabular/classifier-stage5.json`,
    /// docs/tabular.md).
    public var argmaxTargetProbability = 0.0
    /// The number of root causes of a causal graph, drawn uniformly from this range (default
    /// `1...12`). Features and the target are functions of the causes, so with more causes than
    /// features the target is mostly unpredictable from them.
    public var causeCountRange = 1...12
    /// The noise added at every node of the random MLP, its scale drawn log-uniformly from this
    /// range once per graph (default `0.01...0.5`). With the defaults most prior tables are barely
    /// learnable: a random forest's accuracy gain over the majority class, as a share of what is
    /// left to gain, has median 0.14 on 300 tables of the shipped classifier's prior, against 0.8
    /// and more on 7 of the 10 development tables (docs/tabular.md, "How learnable are the prior's
    /// tables?").
    public var nodeNoiseRange = 0.01...0.5

    /// The defaults for `kind` (linear targets and clusters are classification-only by default).
    public init(kind: TabularTaskKind = .classification) {
        self.kind = kind
        if kind == .regression {
            featureRange = 1...40
            linearProbability = 0
            clusterProbability = 0
            nuisanceProbability = 0
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, maximumFeatures, featureRange, maximumClasses, categoricalProbability, missingProbability, gaussianProcessProbability
        case linearProbability, clusterProbability, nuisanceProbability, treeProbability, discreteProbability, treeGraphProbability
        case argmaxTargetProbability
        case causeCountRange, nodeNoiseRange
    }

    /// Decodes with defaults for absent fields; unknown fields are an error.
    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "prior")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.value(.kind, default: .classification)
        let d = TabularPrior(kind: kind)
        maximumFeatures = try c.value(.maximumFeatures, default: d.maximumFeatures)
        featureRange = try c.value(.featureRange, default: d.featureRange)
        maximumClasses = try c.value(.maximumClasses, default: d.maximumClasses)
        categoricalProbability = try c.value(.categoricalProbability, default: d.categoricalProbability)
        missingProbability = try c.value(.missingProbability, default: d.missingProbability)
        gaussianProcessProbability = try c.value(.gaussianProcessProbability, default: d.gaussianProcessProbability)
        linearProbability = try c.value(.linearProbability, default: d.linearProbability)
        clusterProbability = try c.value(.clusterProbability, default: d.clusterProbability)
        nuisanceProbability = try c.value(.nuisanceProbability, default: d.nuisanceProbability)
        treeProbability = try c.value(.treeProbability, default: d.treeProbability)
        discreteProbability = try c.value(.discreteProbability, default: d.discreteProbability)
        argmaxTargetProbability = try c.value(.argmaxTargetProbability, default: d.argmaxTargetProbability)
        treeGraphProbability = try c.value(.treeGraphProbability, default: d.treeGraphProbability)
        causeCountRange = try c.value(.causeCountRange, default: d.causeCountRange)
        nodeNoiseRange = try c.value(.nodeNoiseRange, default: d.nodeNoiseRange)
    }

    /// What is wrong with these settings, as a sentence naming the field and its valid values, or
    /// `nil` when they can be sampled.
    public var problem: String? {
        let probabilities: [(String, Double)] = [
            ("categoricalProbability", categoricalProbability), ("missingProbability", missingProbability),
            ("gaussianProcessProbability", gaussianProcessProbability), ("linearProbability", linearProbability),
            ("clusterProbability", clusterProbability), ("nuisanceProbability", nuisanceProbability), ("treeProbability", treeProbability),
            ("discreteProbability", discreteProbability), ("treeGraphProbability", treeGraphProbability),
            ("argmaxTargetProbability", argmaxTargetProbability),
        ]
        if let (name, value) = probabilities.first(where: { !(0...1).contains($0.1) }) {
            return "prior.\(name) must be a probability in [0, 1], got \(value)"
        }
        if maximumClasses < 2 { return "prior.maximumClasses must be at least 2, got \(maximumClasses)" }
        if featureRange.lowerBound < 1 || featureRange.upperBound > maximumFeatures {
            return "prior.featureRange must lie within [1, maximumFeatures = \(maximumFeatures)], got [\(featureRange.lowerBound), \(featureRange.upperBound)]"
        }
        if causeCountRange.lowerBound < 1 {
            return "prior.causeCountRange must start at 1 or more, got [\(causeCountRange.lowerBound), \(causeCountRange.upperBound)]"
        }
        if !(nodeNoiseRange.lowerBound > 0) || !nodeNoiseRange.upperBound.isFinite {
            return "prior.nodeNoiseRange must be positive and finite (scales drawn log-uniformly), got [\(nodeNoiseRange.lowerBound), \(nodeNoiseRange.upperBound)]"
        }
        return nil
    }

    /// Draws one dataset of `rowCount` rows whose first `trainCount` are training rows.
    public func sample(rowCount: Int, trainCount: Int, using generator: inout RandomGenerator) -> TabularSample {
        precondition(rowCount > trainCount && trainCount >= 1, "TabularPrior: need 1 ≤ trainCount < rowCount")
        let n = rowCount
        let lowF = Double(featureRange.lowerBound), highF = Double(featureRange.upperBound)
        var f = Int(exp(log(lowF) + generator.nextDouble() * (log(highF + 1) - log(lowF))).rounded(.down))
        f = Swift.max(1, Swift.min(f, featureRange.upperBound))
        let hasMissing = generator.nextDouble() < missingProbability
        if hasMissing { f = Swift.min(f, maximumFeatures / 2) }

        // 1–2. The causal MLP; every node's values over the n rows.
        var nodes = causalGraph(rows: n, using: &generator)
        let targetIndex = nodes.count - 1 - generator.nextIndex(below: Swift.max(1, nodes.count / 2))
        var target = nodes.remove(at: targetIndex)
        var featureColumns: [[Double]] = (0..<f).map { _ in
            if generator.nextDouble() < 0.15 || nodes.isEmpty { return (0..<n).map { _ in Double(generator.nextNormal()) } }
            return nodes[generator.nextIndex(below: nodes.count)]
        }
        let classCount = kind == .classification ? 2 + generator.nextIndex(below: maximumClasses - 1) : 0
        var clusterLabels: [Int]?
        let mode = generator.nextDouble(), gaussianProcess = kind == .regression ? gaussianProcessProbability : 0
        if mode < gaussianProcess {
            target = gaussianProcessTarget(featureColumns, using: &generator)
        } else if mode < gaussianProcess + linearProbability {
            target = linearTarget(featureColumns, using: &generator)
        } else if kind == .classification && mode < gaussianProcess + linearProbability + clusterProbability {
            (featureColumns, clusterLabels) = clusters(rows: n, features: f, classes: classCount, using: &generator)
        } else if mode < gaussianProcess + linearProbability + (kind == .classification ? clusterProbability : 0) + treeProbability {
            target = treeTarget(featureColumns, using: &generator)
        }

        // 3. Targets.
        var targets: [Float]
        switch kind {
        case .classification:
            if let clusterLabels {
                targets = clusterLabels.map(Float.init)
                break
            }
            if argmaxTargetProbability > 0, generator.nextDouble() < argmaxTargetProbability {
                let linear = mode >= gaussianProcess && mode < gaussianProcess + linearProbability
                let scores = [target] + (1..<classCount).map { _ in
                    linear || nodes.isEmpty ? linearTarget(featureColumns, using: &generator) : nodes[generator.nextIndex(below: nodes.count)]
                }
                targets = Self.argmaxClasses(scores, using: &generator).map(Float.init)
                break
            }
            let sorted = target.sorted()
            let cuts = (0..<(classCount - 1)).map { _ in sorted[Swift.min(n - 1, Int(generator.nextDouble() * Double(n)))] }.sorted()
            var relabel = Array(0..<classCount)
            generator.shuffle(&relabel)
            targets = target.map { value in Float(relabel[cuts.filter { value > $0 }.count]) }
        case .regression:
            let train = target.prefix(trainCount)
            let mean = train.reduce(0, +) / Double(trainCount)
            let sd = (train.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(trainCount)).squareRoot()
            targets = target.map { Float(($0 - mean) / (sd > 1e-9 ? sd : 1)) }
        }

        // 4. Categorical features (as codes) and missing cells (NaN).
        var categorical = [Bool](repeating: false, count: f)
        if generator.nextDouble() < categoricalProbability {
            let share = 0.2 + 0.6 * generator.nextDouble()
            for j in 0..<f where generator.nextDouble() < share {
                categorical[j] = true
                let levels = 2 + generator.nextIndex(below: 9)
                let sorted = featureColumns[j].sorted()
                let cuts = (0..<(levels - 1)).map { _ in sorted[Swift.min(n - 1, Int(generator.nextDouble() * Double(n)))] }.sorted()
                var codes = Array(0..<levels)
                generator.shuffle(&codes)
                featureColumns[j] = featureColumns[j].map { value in Double(codes[cuts.filter { value > $0 }.count]) }
            }
        }
        if discreteProbability > 0, generator.nextDouble() < discreteProbability {
            let share = 0.2 + 0.6 * generator.nextDouble()
            for j in 0..<f where !categorical[j] && generator.nextDouble() < share {
                featureColumns[j] = Self.discretised(featureColumns[j], using: &generator)
            }
        }
        if hasMissing {
            let rate = 0.3 * generator.nextDouble()
            for j in 0..<f {
                for i in 0..<n where generator.nextDouble() < rate { featureColumns[j][i] = .nan }
            }
        }

        // 5. The preprocessor's encoding.
        let (features, width) = Self.encode(featureColumns, categorical: categorical, trainCount: trainCount, clip: 6)
        return TabularSample(features: features, targets: targets, rowCount: n, trainCount: trainCount,
                             featureCount: width, classCount: classCount)
    }
}
