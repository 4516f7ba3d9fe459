import Foundation

extension BBOBBenchmark {
    /// What the report says about one method in one dimension.
    public struct Summary: Sendable {
        /// The method.
        public var method: String
        /// The dimension.
        public var dimension: Int
        /// The number of runs.
        public var runs: Int
        /// The ECDF: `(log10(evaluations / d), fraction of (function, instance, target) triples reached)`.
        public var ecdf: [(x: Double, y: Double)]
        /// The mean optimiser time per generation, seconds (function evaluations excluded).
        public var overheadPerGeneration: Double
        /// The mean over functions of each function's average rank (filled by ``report``).
        public var averageRank: Double

        /// The ECDF's value at the largest `x ≤ log10(evaluations / d)` of its grid.
        public func fraction(atEvaluationsPerDimension budget: Double) -> Double {
            ecdf.last { $0.x <= log10(budget) + 1e-9 }?.y ?? 0
        }

        /// The area under the ECDF divided by the width of its grid (1: every target at once).
        public var area: Double { ecdf.map(\.y).reduce(0, +) / Double(Swift.max(1, ecdf.count)) }
    }

    /// The x grid of the ECDF: `log10(evaluations / d)` from 0 to `log10(budgetMultiplier)` in steps of 0.1.
    static func grid(budgetMultiplier: Int) -> [Double] {
        let top = log10(Double(budgetMultiplier))
        return stride(from: 0.0, through: top + 1e-9, by: 0.1).map { $0 }
    }

    /// The expected running time to `target` (index into ``targets``) over `runs`: all evaluations
    /// spent (up to the hit, or the whole run) divided by the number of runs that reached it; `∞` if none.
    public static func expectedRunningTime(_ runs: [BBOBRun], target: Int) -> Double {
        let successes = runs.filter { $0.hits[target] != nil }.count
        guard successes > 0 else { return .infinity }
        return Double(runs.reduce(0) { $0 + ($1.hits[target] ?? $1.evaluations) }) / Double(successes)
    }

    /// The summaries of `runs` per method and dimension (methods in order of appearance), with
    /// average ranks over functions by the median over instances of `log10(max(best f − f_opt, 10⁻⁸))`.
    public static func summaries(_ runs: [BBOBRun], budgetMultiplier: Int) -> [Summary] {
        let methods = runs.map(\.method).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let dimensions = Set(runs.map(\.dimension)).sorted()
        let x = grid(budgetMultiplier: budgetMultiplier)
        var result: [Summary] = []
        for dimension in dimensions {
            // Average ranks: per function, rank the methods by their median final precision.
            var rankSums = [String: Double](), rankCounts = [String: Int]()
            let functions = Set(runs.filter { $0.dimension == dimension }.map(\.function)).sorted()
            for function in functions {
                var scores: [(String, Double)] = []
                for method in methods {
                    let finals = runs.filter { $0.method == method && $0.dimension == dimension && $0.function == function }
                        .map { log10(Swift.max($0.bestDelta, 1e-8)) }.sorted()
                    if !finals.isEmpty { scores.append((method, finals.count % 2 == 1 ? finals[finals.count / 2] : (finals[finals.count / 2 - 1] + finals[finals.count / 2]) / 2)) }
                }
                for (method, score) in scores {
                    let better = scores.filter { $0.1 < score }.count, tied = scores.filter { $0.1 == score }.count
                    rankSums[method, default: 0] += Double(better) + Double(tied + 1) / 2
                    rankCounts[method, default: 0] += 1
                }
            }
            for method in methods {
                let selected = runs.filter { $0.method == method && $0.dimension == dimension }
                guard !selected.isEmpty else { continue }
                let total = Double(selected.count * targets.count)
                let ecdf = x.map { point -> (x: Double, y: Double) in
                    let limit = pow(10, point) * Double(dimension) + 1e-9
                    let reached = selected.reduce(0) { sum, run in sum + run.hits.filter { $0.map { Double($0) <= limit } ?? false }.count }
                    return (point, Double(reached) / total)
                }
                let generations = selected.reduce(0) { $0 + $1.generations }
                let overhead = selected.reduce(0) { $0 + $1.overheadSeconds } / Double(Swift.max(1, generations))
                result.append(Summary(method: method, dimension: dimension, runs: selected.count, ecdf: ecdf, overheadPerGeneration: overhead,
                                      averageRank: rankSums[method, default: 0] / Double(Swift.max(1, rankCounts[method, default: 0]))))
            }
        }
        return result
    }

    /// Writes `runs.csv`, `ecdf-dNN.svg` per dimension and `bbob.md` into `folder` and returns the
    /// Markdown. `reference` names a method (e.g. `pycma`) to compare Mesa's `cmaes` with: the
    /// largest gap between their ECDFs and the ratio of their overheads per generation.
    @discardableResult
    public static func writeReport(_ runs: [BBOBRun], budgetMultiplier: Int, to folder: URL, reference: String? = nil) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try ([BBOBRun.header] + runs.map(\.csvRow)).joined(separator: "\n").appending("\n")
            .write(to: folder.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
        let summaries = Self.summaries(runs, budgetMultiplier: budgetMultiplier)
        let instances = Set(runs.map(\.instance)).sorted().map(String.init).joined(separator: ",")
        var lines = ["# BBOB benchmark", "",
                     "Functions \(Set(runs.map(\.function)).count) of 24, instances \(instances), budget \(budgetMultiplier) × d evaluations, " +
                     "51 targets 10² … 10⁻⁸ on f − f_opt. ECDF: fraction of (function, instance, target) triples reached.", ""]
        var budgets = [1.0, 10, 100, 1000, 10_000, 100_000].filter { $0 < Double(budgetMultiplier) }
        budgets.append(Double(budgetMultiplier))
        for dimension in Set(summaries.map(\.dimension)).sorted() {
            let group = summaries.filter { $0.dimension == dimension }
            lines.append("## Dimension \(dimension)")
            lines.append("")
            lines.append("| method | runs | " + budgets.map { "ECDF @\(Int($0))d" }.joined(separator: " | ") + " | ECDF area | average rank | overhead µs / generation |")
            lines.append("|---|---|" + budgets.map { _ in "---|" }.joined() + "---|---|---|")
            for summary in group {
                lines.append("| \(summary.method) | \(summary.runs) | " + budgets.map { String(format: "%.3f", summary.fraction(atEvaluationsPerDimension: $0)) }.joined(separator: " | ")
                             + String(format: " | %.3f | %.2f | %.1f |", summary.area, summary.averageRank, summary.overheadPerGeneration * 1e6))
            }
            if let reference, let mine = group.first(where: { $0.method == EvolutionMethod.cmaes.rawValue }), let theirs = group.first(where: { $0.method == reference }) {
                let gap = zip(mine.ecdf, theirs.ecdf).map { abs($0.y - $1.y) }.max() ?? 0
                lines.append("")
                lines.append(String(format: "Mesa's cmaes against %@: largest ECDF gap over the budget %.3f; overhead per generation ratio %.3f (Mesa ÷ %@).",
                                    reference, gap, mine.overheadPerGeneration / theirs.overheadPerGeneration, reference))
            }
            lines.append("")
            lines.append("Median final log10(f − f_opt) over instances (floored at −8):")
            lines.append("")
            lines.append("| f | " + group.map(\.method).joined(separator: " | ") + " |")
            lines.append("|---|" + group.map { _ in "---|" }.joined())
            for function in Set(runs.filter { $0.dimension == dimension }.map(\.function)).sorted() {
                let cells = group.map { summary -> String in
                    let finals = runs.filter { $0.method == summary.method && $0.dimension == dimension && $0.function == function }
                        .map { log10(Swift.max($0.bestDelta, 1e-8)) }.sorted()
                    return finals.isEmpty ? "" : String(format: "%.2f", finals[finals.count / 2])
                }
                lines.append("| f\(function) | " + cells.joined(separator: " | ") + " |")
            }
            lines.append("")
            let series = group.map { SVGChart.Series(name: $0.method, points: $0.ecdf) }
            try SVGChart.lines(title: "BBOB f1–f24, d = \(dimension): runtime ECDF (51 targets 10² … 10⁻⁸)", xLabel: "log10(evaluations / dimension)",
                               yLabel: "fraction of (function, instance, target) reached", series: series)
                .write(to: folder.appendingPathComponent(String(format: "ecdf-d%02d.svg", dimension)))
        }
        let markdown = lines.joined(separator: "\n")
        try markdown.write(to: folder.appendingPathComponent("bbob.md"), atomically: true, encoding: .utf8)
        return markdown
    }
}
