import Foundation
import MesaCore

/// A learner's score as queries are spent: the budget curve of an active-learning run, and its
/// area (AUBC, Lu et al. 2023).
public struct LearningCurve: Sendable, Equatable {
    /// One measurement.
    public struct Point: Sendable, Equatable {
        /// Queries spent.
        public var queries: Int
        /// Labelled rows (initial set plus queries).
        public var labelled: Int
        /// The score: accuracy (classification) or R² (regression).
        public var score: Double
    }

    /// What ``Point/score`` is: `accuracy` or `r2`.
    public var metric: String
    /// The measurements, by queries spent (the first before any query).
    public var points: [Point]

    /// Creates a curve.
    public init(metric: String, points: [Point] = []) {
        self.metric = metric
        self.points = points
    }

    /// The area under the budget curve, normalised by the budget: the trapezoidal integral of the
    /// score over the queries spent, divided by the queries spent (the mean score over the budget;
    /// an accuracy curve's AUBC lies in `[0, 1]`). A curve of one point: its score.
    public var areaUnderBudgetCurve: Double {
        guard let first = points.first, let last = points.last else { return .nan }
        guard last.queries > first.queries else { return first.score }
        var area = 0.0
        for (a, b) in zip(points, points.dropFirst()) { area += Double(b.queries - a.queries) * (a.score + b.score) / 2 }
        return area / Double(last.queries - first.queries)
    }

    /// The curve as CSV: `queries,labelled,<metric>`.
    public var csv: String {
        "queries,labelled,\(metric)\n" + points.map { "\($0.queries),\($0.labelled),\(String(format: "%.6f", $0.score))" }.joined(separator: "\n") + "\n"
    }

    /// The curve as a line chart (``SVGChart``), named `name` in the legend.
    public func chart(title: String, name: String) -> SVGChart {
        SVGChart.lines(title: title, xLabel: "queries", yLabel: metric,
                       series: [SVGChart.Series(name: name, points: points.map { (Double($0.queries), $0.score) })])
    }
}
