import Foundation
import MesaCore

/// The generating mechanisms ``TabularPrior/sample(rowCount:trainCount:using:)`` draws from: the
/// random-MLP causal graph, and the linear, tree, cluster and Gaussian-process targets.
extension TabularPrior {
    /// The values of every node of a random MLP over `rows` rows (causes first), or, with
    /// probability ``treeGraphProbability``, of a random tree graph (``treeGraph(rows:using:)``).
    func causalGraph(rows: Int, using generator: inout RandomGenerator) -> [[Double]] {
        if treeGraphProbability > 0, generator.nextDouble() < treeGraphProbability { return treeGraph(rows: rows, using: &generator) }
        var layer = causes(rows: rows, using: &generator)
        var nodes = layer
        let depth = 1 + generator.nextIndex(below: 4)
        let (low, high) = (nodeNoiseRange.lowerBound, nodeNoiseRange.upperBound)
        let noise = exp(log(low) + generator.nextDouble() * (log(high) - log(low)))
        let gain = 0.5 + 1.5 * generator.nextDouble()
        for _ in 0..<depth {
            let width = 4 + generator.nextIndex(below: 29)
            let activation = generator.nextIndex(below: 5)
            let scale = gain / Double(layer.count).squareRoot()
            var next: [[Double]] = []
            for _ in 0..<width {
                let weights = layer.map { _ in Double(generator.nextNormal()) * scale }
                let bias = Double(generator.nextNormal()) * 0.5
                next.append((0..<rows).map { i in
                    var z = bias
                    for (k, w) in weights.enumerated() { z += w * layer[k][i] }
                    let a: Double = switch activation {
                    case 0: tanh(z)
                    case 1: Swift.max(z, 0)
                    case 2: sin(z)
                    case 3: abs(z)
                    default: z
                    }
                    return a + noise * Double(generator.nextNormal())
                })
            }
            nodes += next
            layer = next
        }
        return nodes
    }

    /// `Σⱼ wⱼ zⱼ + ε` over the standardised feature columns `z`, `w ~ N(0, I)`, small noise.
    func linearTarget(_ columns: [[Double]], using generator: inout RandomGenerator) -> [Double] {
        let n = columns[0].count
        var target = [Double](repeating: 0, count: n)
        for column in columns {
            let mean = column.reduce(0, +) / Double(n)
            let sd = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot()
            let weight = Double(generator.nextNormal()) / (sd > 1e-9 ? sd : 1)
            for i in 0..<n { target[i] += weight * (column[i] - mean) }
        }
        let noise = 0.05 * generator.nextDouble()
        let spread = (target.map { $0 * $0 }.reduce(0, +) / Double(n)).squareRoot()
        return target.map { $0 + noise * spread * Double(generator.nextNormal()) }
    }

    /// The root nodes of a causal graph: ``causeCountRange`` (1–12) causes over `rows` rows, all `N(0, 1)` or (in 30 %
    /// of graphs) all uniform on `[−1, 1]`.
    func causes(rows: Int, using generator: inout RandomGenerator) -> [[Double]] {
        let count = causeCountRange.lowerBound + generator.nextIndex(below: causeCountRange.count)
        let uniform = generator.nextDouble() < 0.3
        return (0..<count).map { _ in
            (0..<rows).map { _ in uniform ? Double(generator.nextUniform()) * 2 - 1 : Double(generator.nextNormal()) }
        }
    }

    /// A causal graph whose edges are trees instead of an MLP's layers (the tree-based structural
    /// causal models of TabICL's prior, Qu et al. 2025): causes as in the MLP graph, then 1–4
    /// layers of 4–32 nodes, each node a ``treeTarget(_:maximumDepth:using:)`` of the previous
    /// layer (1–4 trees of depth 1–4 plus noise). Features drawn from such a graph are nearly
    /// piecewise constant in their causes, with ties and steps, and relate to each other and to
    /// the target through thresholds, the structure that tree ensembles exploit in real tables.
    func treeGraph(rows: Int, using generator: inout RandomGenerator) -> [[Double]] {
        var layer = causes(rows: rows, using: &generator)
        var nodes = layer
        for _ in 0..<(1 + generator.nextIndex(below: 4)) {
            let previous = layer
            layer = (0..<(4 + generator.nextIndex(below: 29))).map { _ in treeTarget(previous, maximumDepth: 4, using: &generator) }
            nodes += layer
        }
        return nodes
    }

    /// `Σₜ treeₜ(x) + ε`: 1–4 random axis-aligned decision trees of depth 1–`maximumDepth` over
    /// the feature columns. Each internal node splits on a random column at the value of a random
    /// row (so splits fall inside the data, as a fitted tree's do); leaves are `N(0, 1)`; the noise
    /// is up to 10 % of the target's spread.
    func treeTarget(_ columns: [[Double]], maximumDepth: Int = 5, using generator: inout RandomGenerator) -> [Double] {
        let n = columns[0].count
        var target = [Double](repeating: 0, count: n)
        for _ in 0..<(1 + generator.nextIndex(below: 4)) {
            let depth = 1 + generator.nextIndex(below: maximumDepth)
            let internalCount = (1 << depth) - 1
            // Heap order: node k has children 2k + 1 and 2k + 2; leaves follow the internal nodes.
            let splitColumns = (0..<internalCount).map { _ in generator.nextIndex(below: columns.count) }
            let thresholds = splitColumns.map { columns[$0][generator.nextIndex(below: n)] }
            let leaves = (0..<(1 << depth)).map { _ in Double(generator.nextNormal()) }
            for i in 0..<n {
                var node = 0
                while node < internalCount { node = 2 * node + (columns[splitColumns[node]][i] > thresholds[node] ? 2 : 1) }
                target[i] += leaves[node - internalCount]
            }
        }
        let noise = 0.1 * generator.nextDouble()
        let mean = target.reduce(0, +) / Double(n)
        let spread = (target.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot()
        return target.map { $0 + noise * spread * Double(generator.nextNormal()) }
    }

    /// `classes` Gaussian clusters in a latent space of 1–6 dimensions (centres `N(0, s²I)`,
    /// unit spread), with probability ``nuisanceProbability`` beside 1–3 nuisance dimensions
    /// `N(0, (r·s)²)`, `r` log-uniform in [2, 20], that no class depends on; mapped to `features`
    /// columns by a random linear map plus noise. Returns the columns and each row's cluster.
    func clusters(rows: Int, features: Int, classes: Int, using generator: inout RandomGenerator) -> ([[Double]], [Int]) {
        let latent = 1 + generator.nextIndex(below: 6)
        let separation = 0.5 + 3 * generator.nextDouble()
        let centres = (0..<classes).map { _ in (0..<latent).map { _ in Double(generator.nextNormal()) * separation } }
        let nuisanceScales: [Double] = nuisanceProbability > 0 && generator.nextDouble() < nuisanceProbability
            ? (0..<(1 + generator.nextIndex(below: 3))).map { _ in exp(log(2.0) + generator.nextDouble() * (log(20.0) - log(2.0))) * separation }
            : []
        let map = (0..<features).map { _ in (0..<(latent + nuisanceScales.count)).map { _ in Double(generator.nextNormal()) } }
        let noise = 0.05 + 0.5 * generator.nextDouble()
        var labels: [Int] = [], columns = [[Double]](repeating: [], count: features)
        for _ in 0..<rows {
            let label = generator.nextIndex(below: classes)
            labels.append(label)
            let point = centres[label].map { $0 + Double(generator.nextNormal()) } + nuisanceScales.map { $0 * Double(generator.nextNormal()) }
            for j in 0..<features {
                var value = 0.0
                for (k, coordinate) in point.enumerated() { value += map[j][k] * coordinate }
                columns[j].append(value + noise * Double(generator.nextNormal()))
            }
        }
        return (columns, labels)
    }

    /// `f(x) ~ GP(0, exp(−‖x − x′‖² / 2ℓ²))` at the rows of the (standardised) feature columns,
    /// plus a little noise; sampled through a Cholesky factor of the kernel matrix.
    func gaussianProcessTarget(_ columns: [[Double]], using generator: inout RandomGenerator) -> [Double] {
        let n = columns[0].count, f = columns.count
        let standardised = columns.map { column -> [Double] in
            let mean = column.reduce(0, +) / Double(n)
            let sd = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot()
            return column.map { ($0 - mean) / (sd > 1e-9 ? sd : 1) }
        }
        let lengthScale = exp(log(0.3) + generator.nextDouble() * (log(3.0) - log(0.3))) * Double(f).squareRoot()
        var kernel = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var distance = 0.0
                for c in 0..<f { let d = standardised[c][i] - standardised[c][j]; distance += d * d }
                let k = exp(-distance / (2 * lengthScale * lengthScale)) + (i == j ? 1e-4 : 0)
                kernel[i * n + j] = k
                kernel[j * n + i] = k
            }
        }
        // f = L u with u ~ N(0, I); squared pivots floored at 10⁻¹² (L[j, j] ≥ 10⁻⁶).
        let factor = CholeskyFactor(matrix: kernel, size: n, minimumPivot: 1e-12, subtractsPivotTermsInOrder: true)
        let u = (0..<n).map { _ in Double(generator.nextNormal()) }
        let noise = 0.02 + 0.2 * generator.nextDouble()
        return factor.lowerTimes(u).map { $0 + noise * Double(generator.nextNormal()) }
    }

    /// The class of every row, the index of its largest score after each score column is
    /// standardised and shifted by an offset `N(0, 0.5²)` (``argmaxTargetProbability``).
    static func argmaxClasses(_ scores: [[Double]], using generator: inout RandomGenerator) -> [Int] {
        let standardised = scores.map { column -> [Double] in
            let mean = column.reduce(0, +) / Double(column.count)
            let sd = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)).squareRoot()
            let offset = 0.5 * Double(generator.nextNormal())
            return column.map { ($0 - mean) / (sd > 1e-9 ? sd : 1) + offset }
        }
        return (0..<(scores.first?.count ?? 0)).map { row in
            standardised.indices.max { standardised[$0][row] < standardised[$1][row] } ?? 0
        }
    }
}
