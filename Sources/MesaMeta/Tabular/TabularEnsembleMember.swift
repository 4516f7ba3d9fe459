import Foundation
import MesaCore

/// Shared machinery of ``TabularClassifier`` and ``TabularRegressor``: one member's view of
/// the training and test rows, and the forward pass.
struct TabularEnsembleMember {
    /// How a member transforms the encoded features before the model reads them.
    enum Variant: CaseIterable {
        /// The preprocessor's robust scaling as it is.
        case plain
        /// `sign(x) · log(1 + |x|)`: heavy tails pulled in.
        case squashed
        /// Gram–Schmidt decorrelation on the context rows: `z = L⁻¹(x − μ)`, clipped to ±6, with
        /// `L Lᵀ` the features' covariance plus a ridge of `10⁻³ ·` its mean diagonal, so each
        /// feature becomes the standardised residual of its regression on the features before it
        /// in the member's order. A class that lives in a low-variance direction of correlated
        /// features (a shape difference under a dominant size factor) becomes a feature of full
        /// variance. Only for members with at least ``minimumRowsPerFeature`` context rows per
        /// feature: with fewer, the covariance is rank-deficient, context rows would be white in
        /// directions where new rows are blown up by the ridge, and the member stays plain.
        case decorrelated
        /// Each feature through the normal quantile of its rank among the context rows,
        /// `z = Φ⁻¹((rank + ½) / n)` with ties sharing their mid-rank and values between context
        /// values interpolated linearly (scikit-learn's `QuantileTransformer(output_distribution=
        /// "normal")` fitted on the context; TabPFN v2 ensembles over such transforms): the
        /// marginals become Gaussian whatever their scale, skew or outliers. Constant features
        /// map to 0.
        case quantile
    }

    /// Context rows per feature that ``Variant/decorrelated`` needs.
    static let minimumRowsPerFeature = 2

    let featureOrder: [Int]
    let variant: Variant
    let contextRows: [Int]

    /// The map a variant fits on the context rows.
    enum FittedMap {
        /// ``Variant/decorrelated``'s: the context rows' mean and the Cholesky factor of their
        /// covariance plus the ridge.
        case decorrelation(mean: [Double], factor: CholeskyFactor)
        /// ``Variant/quantile``'s: each feature's context values, sorted.
        case quantiles([[Float]])
    }

    /// The member's features of `row` of `source` (row-major, `width` per row), in its order.
    private func ordered(_ source: [Float], _ row: Int, width: Int) -> [Float] {
        featureOrder.map { source[row * width + $0] }
    }

    /// The map of ``Variant/decorrelated`` or ``Variant/quantile`` fitted on the context rows
    /// (`nil` for the other variants). Decorrelation: their mean and the Cholesky factor of their
    /// covariance plus `10⁻³ ·` its mean diagonal (floored at 10⁻⁹). Quantiles: each feature's
    /// context values, sorted.
    func fittedMap(train: [Float], width: Int) -> FittedMap? {
        switch variant {
        case .plain, .squashed: return nil
        case .quantile:
            return .quantiles(featureOrder.map { j in contextRows.map { train[$0 * width + j] }.sorted() })
        case .decorrelated:
            let used = featureOrder.count, n = Double(contextRows.count)
            let rows = contextRows.map { ordered(train, $0, width: width).map(Double.init) }
            let mean = (0..<used).map { j in rows.reduce(0) { $0 + $1[j] } / n }
            var covariance = [Double](repeating: 0, count: used * used)
            for row in rows {
                for a in 0..<used { for b in 0...a { covariance[a * used + b] += (row[a] - mean[a]) * (row[b] - mean[b]) / n } }
            }
            let ridge = 1e-3 * Swift.max((0..<used).map { covariance[$0 * used + $0] }.reduce(0, +) / Double(Swift.max(used, 1)), 1e-6)
            for j in 0..<used { covariance[j * used + j] += ridge }
            return .decorrelation(mean: mean, factor: CholeskyFactor(matrix: covariance, size: used, minimumPivot: ridge * 1e-3))
        }
    }

    /// This member's view of the context rows then the test rows `testRows`: features in the
    /// member's order and variant, row-major, unpadded. `map` is ``fittedMap(train:width:)``
    /// (computed here when not given).
    func features(train: [Float], test: [Float], width: Int, testRows: Range<Int>, map: FittedMap? = nil) -> [Float] {
        var rows: [Float] = []
        rows.reserveCapacity((contextRows.count + testRows.count) * featureOrder.count)
        let map = map ?? fittedMap(train: train, width: width)
        for row in contextRows { rows += transformed(train, row, width: width, map: map) }
        for row in testRows { rows += transformed(test, row, width: width, map: map) }
        return rows
    }

    /// `row` of `source` (row-major, `width` per row) as this member reads it: its features in
    /// the member's order, through its variant (``Variant/decorrelated`` and
    /// ``Variant/quantile`` need `map`; without one the row stays plain).
    func transformed(_ source: [Float], _ row: Int, width: Int, map: FittedMap?) -> [Float] {
        let values = ordered(source, row, width: width)
        switch (variant, map) {
        case (.squashed, _): return values.map { $0 < 0 ? -log1p(-$0) : log1p($0) }
        case (.decorrelated, .decorrelation(let mean, let factor)?):
            let z = factor.solveLower(zip(values, mean).map { Double($0) - $1 })
            return z.map { Float(Swift.min(Swift.max($0, -6), 6)) }
        case (.quantile, .quantiles(let sorted)?):
            return zip(values, sorted).map { normalScore($0, among: $1) }
        default: return values
        }
    }

    /// The model input for this member: ``features(train:test:width:testRows:map:)`` padded.
    func input(train: [Float], test: [Float], width: Int, testRows: Range<Int>, map: FittedMap?, model: TabularTransformer) -> Tensor {
        let count = contextRows.count + testRows.count
        return Tensor(shape: [1, count, model.configuration.maximumFeatures],
                      scalars: model.paddedFeatures(features(train: train, test: test, width: width, testRows: testRows, map: map),
                                                    rows: count, featureCount: featureOrder.count))
    }

    /// This member's logits for every test row, `[testCount, outputs]` row-major. Test rows go
    /// through in chunks of at most `chunk` (they never attend to each other, so chunking changes
    /// nothing but memory: the attention mask is quadratic in the rows of one pass). `map`: the
    /// variant's fitted map (default: fitted on this member's context rows).
    func logits(train: [Float], test: [Float], width: Int, testCount: Int, contextTargets: [Float], model: TabularTransformer,
                chunk: Int = 1000, map: FittedMap? = nil) -> [Float] {
        var result: [Float] = []
        result.reserveCapacity(testCount * model.configuration.outputCount)
        let map = map ?? fittedMap(train: train, width: width)
        for start in stride(from: 0, to: testCount, by: chunk) {
            let input = self.input(train: train, test: test, width: width, testRows: start..<min(start + chunk, testCount), map: map, model: model)
            result += withoutGradients {
                model.logits(features: input, trainTargets: contextTargets, trainCount: contextRows.count, featureCounts: [featureOrder.count])
            }.scalars
        }
        return result
    }

    /// How much each of the `width` features (row-major `features` of the labelled rows) tells
    /// the groups `strata` apart: the ratio of between-group to within-group variance (the
    /// one-way ANOVA F statistic without its degrees of freedom). For classification the groups
    /// are the classes; for regression the target's deciles.
    static func relevance(features: [Float], width: Int, strata: [Int]) -> [Double] {
        let n = strata.count
        let groups = Dictionary(grouping: 0..<n, by: { strata[$0] })
        return (0..<width).map { j in
            let mean = (0..<n).reduce(0.0) { $0 + Double(features[$1 * width + j]) } / Double(max(n, 1))
            var between = 0.0, within = 0.0
            for rows in groups.values {
                let groupMean = rows.reduce(0.0) { $0 + Double(features[$1 * width + j]) } / Double(rows.count)
                between += Double(rows.count) * (groupMean - mean) * (groupMean - mean)
                for row in rows { let d = Double(features[row * width + j]) - groupMean; within += d * d }
            }
            return between / max(within, 1e-12 * max(between, 1e-300))
        }
    }

    /// Draws the members: feature orders (subsets when `featureLimit` is below `width`: with
    /// `relevance`, the first member takes the most relevant features and the others sample
    /// features with probability growing with their relevance, floored at a tenth of the mean so
    /// that every feature is seen; without it, uniform random subsets), preprocessing variants
    /// (plain, squashed, decorrelated in turn; plain instead of decorrelated below
    /// ``minimumRowsPerFeature``), and context rows (all, or `maximumRows` stratified by `strata`).
    static func draw(count: Int, width: Int, featureLimit: Int, trainCount: Int, maximumRows: Int, strata: [Int],
                     relevance: [Double]? = nil, using generator: inout RandomGenerator) -> [TabularEnsembleMember] {
        (0..<count).map { index in
            var order = Array(0..<width)
            if index > 0 || width > featureLimit {
                generator.shuffle(&order)
            }
            if width > featureLimit, let relevance {
                let floor = 0.1 * relevance.reduce(0, +) / Double(max(width, 1))
                // Weighted sampling without replacement (Efraimidis & Spirakis 2006): the largest
                // keys u^(1/w); the first member takes the largest weights outright.
                let keys = order.map { j in
                    let weight = max(relevance[j].isFinite ? relevance[j] : 0, floor, 1e-12)
                    return index == 0 ? weight : log(Double(generator.nextUniform()) + 1e-300) / weight
                }
                let ranked = order.indices.sorted { keys[$0] > keys[$1] }
                order = ranked.map { order[$0] }
            }
            let features = Array(order.prefix(featureLimit))
            var rows = Array(0..<trainCount)
            if trainCount > maximumRows {
                // Stratified: shuffle within each stratum, then take each stratum's share.
                let groups = Dictionary(grouping: rows, by: { strata[$0] })
                rows = []
                for key in groups.keys.sorted() {
                    var members = groups[key]!
                    generator.shuffle(&members)
                    let share = Swift.max(1, Int((Double(members.count) * Double(maximumRows) / Double(trainCount)).rounded()))
                    rows += members.prefix(share)
                }
                rows = Array(rows.prefix(maximumRows)).sorted()
            }
            var variant = Variant.allCases[index % Variant.allCases.count]
            if variant == .decorrelated && rows.count < minimumRowsPerFeature * features.count { variant = .plain }
            return TabularEnsembleMember(featureOrder: features, variant: variant, contextRows: rows)
        }
    }
}
