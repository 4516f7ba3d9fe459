import Foundation
import MesaCore

extension BayesianOptimizationBenchmark {
    /// The summary of one method on one group of problems.
    public struct Summary: Sendable {
        /// The group (a named function, or `gp-prior-d<d>`).
        public var group: String
        /// The method.
        public var method: String
        /// The runs summarised.
        public var runCount: Int
        /// Per checkpoint (``checkpoints(budget:)``): the first quartile,
        /// median and third quartile of log10 simple regret over runs.
        public var logRegret: [(evaluations: Int, lower: Double, median: Double, upper: Double)]
        /// The mean rank among the methods by final regret (1 = best; ties share their ranks).
        public var averageRank: Double
        /// The mean wall time per suggestion, in milliseconds.
        public var millisecondsPerSuggestion: Double
    }

    /// What the benchmark wrote.
    public struct Report: Sendable, CustomStringConvertible {
        /// One summary per group and method.
        public var summaries: [Summary]
        /// The Markdown written to `bo-benchmark.md`.
        public var markdown: String
        /// The folder written to.
        public var folder: URL

        /// The Markdown and the files written.
        public var description: String { markdown + "\nwrote \(folder.path)/bo-benchmark.{md,csv} and bo-benchmark-<group>.svg" }
    }

    /// The evaluation counts at which regret is reported: 10, 25 and 50 (the protocol's), those
    /// below `budget`, then `budget` itself.
    public static func checkpoints(budget: Int) -> [Int] {
        [10, 25, 50].filter { $0 < budget } + [budget]
    }

    /// The `q`-quantile of sorted `values` (linear interpolation between order statistics).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = Swift.min(low + 1, sorted.count - 1)
        return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }

    /// Reads `designs.json` and `traces.csv` in `folder` and the traces files `including`, and
    /// writes `bo-benchmark.md`, `bo-benchmark.csv` and the SVG charts there.
    ///
    /// When both `mesa` and `botorch` traces are present, the Markdown adds their ratios per
    /// group: median regret after the last evaluation (Mesa ÷ BoTorch, from the medians of log10
    /// regret) and mean time per suggestion.
    public static func report(in folder: URL, including: [URL] = []) throws -> Report {
        let designs = try readDesigns(folder.appendingPathComponent("designs.json"))
        var traces = try readTraces(folder.appendingPathComponent("traces.csv"))
        for url in including { traces += try readTraces(url) }
        let problems = Dictionary(uniqueKeysWithValues: designs.problems.map { ($0.name, $0) })
        let groups = designs.problems.map(\.group).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let methods = traces.map(\.method).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let budget = designs.evaluationCount

        // (method, problem, seed) → best values by evaluation; suggestion times.
        struct RunKey: Hashable { var method: String, problem: String, seed: UInt64 }
        var bests: [RunKey: [Int: Double]] = [:]
        var times: [String: [String: [Double]]] = [:]  // group → method → seconds
        for trace in traces {
            guard let problem = problems[trace.problem] else {
                throw OptimizationError.invalidHistory("the traces name the problem \(trace.problem), which \(folder.path)/designs.json does not define; compare runs of the same designs")
            }
            bests[RunKey(method: trace.method, problem: trace.problem, seed: trace.seed), default: [:]][trace.evaluation] = trace.best
            if trace.evaluation > designs.initialPointCount { times[problem.group, default: [:]][trace.method, default: []].append(trace.seconds) }
        }
        func logRegret(_ key: RunKey, after evaluations: Int) -> Double? {
            guard let best = bests[key]?[evaluations], let problem = problems[key.problem] else { return nil }
            return log10(Swift.max(best - problem.minimum, BenchmarkFunction.regretFloor))
        }

        var summaries: [Summary] = []
        var curves: [String: [SVGChart.Series]] = [:]
        for group in groups {
            let runs = designs.problems.filter { $0.group == group }.flatMap { problem in problem.runs.map { (problem.name, $0.seed) } }
            // Ranks by final regret, per run, among the methods that completed it.
            var rankSums: [String: Double] = [:], rankCounts: [String: Int] = [:]
            for (problem, seed) in runs {
                let finals = methods.compactMap { method in logRegret(RunKey(method: method, problem: problem, seed: seed), after: budget).map { (method, $0) } }
                for (method, value) in finals {
                    let better = finals.filter { $0.1 < value }.count, tied = finals.filter { $0.1 == value }.count
                    rankSums[method, default: 0] += Double(better) + Double(tied + 1) / 2
                    rankCounts[method, default: 0] += 1
                }
            }
            for method in methods {
                let keys = runs.map { RunKey(method: method, problem: $0.0, seed: $0.1) }.filter { bests[$0] != nil }
                guard !keys.isEmpty else { continue }
                let checkpoints = Self.checkpoints(budget: budget)
                let quartiles = checkpoints.map { count -> (Int, Double, Double, Double) in
                    let values = keys.compactMap { logRegret($0, after: count) }.sorted()
                    return (count, quantile(values, 0.25), quantile(values, 0.5), quantile(values, 0.75))
                }
                let seconds = times[group]?[method] ?? []
                summaries.append(Summary(group: group, method: method, runCount: keys.count, logRegret: quartiles,
                                         averageRank: rankSums[method, default: .nan] / Double(rankCounts[method, default: 0]),
                                         millisecondsPerSuggestion: seconds.isEmpty ? .nan : 1000 * seconds.reduce(0, +) / Double(seconds.count)))
                let curve = (1...budget).compactMap { count -> (x: Double, y: Double)? in
                    let values = keys.compactMap { logRegret($0, after: count) }.sorted()
                    return values.isEmpty ? nil : (Double(count), quantile(values, 0.5))
                }
                curves[group, default: []].append(SVGChart.Series(name: method, points: curve))
            }
        }

        let markdown = Self.markdown(summaries, designs: designs, groups: groups)
        try OutputFile(folder.appendingPathComponent("bo-benchmark.md"), contents: "the benchmark report").write(markdown)
        var csv = "group,method,runs," + Self.checkpoints(budget: budget)
            .map { "log10_regret_\($0)_q1,log10_regret_\($0)_median,log10_regret_\($0)_q3" }.joined(separator: ",") + ",average_rank,ms_per_suggestion\n"
        for s in summaries {
            csv += "\(s.group),\(s.method),\(s.runCount)," + s.logRegret.map { "\($0.lower),\($0.median),\($0.upper)" }.joined(separator: ",")
                + ",\(s.averageRank),\(s.millisecondsPerSuggestion)\n"
        }
        try OutputFile(folder.appendingPathComponent("bo-benchmark.csv"), contents: "the benchmark table").write(csv)
        for group in groups {
            guard let series = curves[group] else { continue }
            try SVGChart.lines(title: "\(group): median log10 simple regret", xLabel: "evaluations", yLabel: "log10 regret", series: series)
                .write(to: folder.appendingPathComponent("bo-benchmark-\(group).svg"))
        }
        return Report(summaries: summaries, markdown: markdown, folder: folder)
    }

    /// The Markdown tables of ``report(in:including:)``.
    static func markdown(_ summaries: [Summary], designs: DesignFile, groups: [String]) -> String {
        func f(_ value: Double, _ digits: Int = 2) -> String { value.isFinite ? String(format: "%.\(digits)f", value) : "–" }
        let checkpoints = summaries.first?.logRegret.map(\.evaluations) ?? []
        var text = "# mesa benchmark-bo\n\n"
        text += "\(designs.initialPointCount) Latin-hypercube points, then \(designs.evaluationCount - designs.initialPointCount) suggestions. "
        text += "log10 simple regret (floored at \(BenchmarkFunction.regretFloor)): median [first quartile, third quartile] over runs; "
        text += "rank by final regret among the methods (1 = best); milliseconds per suggestion (fit + acquisition).\n\n"
        text += "| problem | method | runs | " + checkpoints.map { "@\($0)" }.joined(separator: " | ") + " | avg rank | ms / suggestion |\n"
        text += "|---|---|---|" + String(repeating: "---|", count: checkpoints.count) + "---|---|\n"
        for s in summaries {
            text += "| \(s.group) | \(s.method) | \(s.runCount) | "
                + s.logRegret.map { "\(f($0.median)) [\(f($0.lower)), \(f($0.upper))]" }.joined(separator: " | ")
                + " | \(f(s.averageRank)) | \(f(s.millisecondsPerSuggestion, 1)) |\n"
        }
        let mesa = summaries.filter { $0.method == "mesa" }, botorch = summaries.filter { $0.method == "botorch" }
        if !mesa.isEmpty && !botorch.isEmpty {
            text += "\n## Mesa ÷ BoTorch\n\nRatio of median simple regret after \(designs.evaluationCount) evaluations "
            text += "(10^(median log10 regret of Mesa − that of BoTorch); ≤ 2 is the issue's target) and of mean time per suggestion (target ≤ 0.25).\n\n"
            text += "| problem | regret ratio | time ratio |\n|---|---|---|\n"
            var withinTwo = 0, namedCount = 0
            for group in groups {
                guard let m = mesa.first(where: { $0.group == group }), let b = botorch.first(where: { $0.group == group }),
                      let mRegret = m.logRegret.last?.median, let bRegret = b.logRegret.last?.median else { continue }
                let ratio = pow(10, mRegret - bRegret)
                if !group.hasPrefix("gp-prior") {
                    namedCount += 1
                    if ratio <= 2 { withinTwo += 1 }
                }
                text += "| \(group) | \(String(format: "%.3g", ratio)) | \(String(format: "%.3g", m.millisecondsPerSuggestion / b.millisecondsPerSuggestion)) |\n"
            }
            text += "\nRegret within a factor of 2 of BoTorch's or better on \(withinTwo) of \(namedCount) named functions.\n"
        }
        return text
    }
}
