import Foundation
import MesaCore

/// A chart as an SVG document that any browser opens: Mesa's one plotting helper, behind every
/// plot the library and `mesa` write (error curves, training curves, experiment results, the
/// tabular benchmark).
///
/// Two kinds of chart share the document, the title, the tick grid, the colours and the escaping
/// of text:
/// - **line charts** (``lines(title:xLabel:yLabel:series:logarithmicY:)``): one polyline per
///   series over a shared x axis, each named in a legend in its colour, on a linear or a
///   logarithmic (base 10) y axis. A logarithmic axis floors values at
///   ``smallestLogarithmicValue``, so zeros and negative values stay drawable.
/// - **grouped horizontal bar charts** (``groupedBars(title:valueLabel:groups:categories:)``):
///   one group of bars per row label (e.g. a dataset), one bar per category (e.g. a method), for
///   values in `[0, 1]` such as accuracies.
///
/// ```swift
/// let chart = SVGChart.lines(title: "Held-out loss", xLabel: "step", yLabel: "cross-entropy",
///                            series: [SVGChart.Series(name: "baseline", points: [(1, 2.3), (100, 1.1)])],
///                            logarithmicY: true)
/// try chart.write(to: folder.appendingPathComponent("loss.svg"))
/// ```
public struct SVGChart: Sendable {
    /// One line of a line chart: a name for the legend and its points, drawn in order.
    public struct Series: Sendable {
        /// The legend entry.
        public var name: String
        /// The points, joined in this order.
        public var points: [(x: Double, y: Double)]

        /// Creates a series.
        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// One group of a bar chart: a row label and one value per category.
    public struct BarGroup: Sendable {
        /// The row label, left of the bars.
        public var label: String
        /// One value in `[0, 1]` per category, in the order of the chart's categories.
        public var values: [Double]

        /// Creates a group.
        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }
    }

    /// What the chart draws.
    public enum Content: Sendable {
        /// Polylines over a shared x axis; a logarithmic y axis when `logarithmicY`.
        case lines([Series], logarithmicY: Bool)
        /// Horizontal bars, one group per row and one bar per category (named in the legend).
        case groupedBars([BarGroup], categories: [String])
    }

    /// The title above the chart.
    public var title: String
    /// The label of the x axis (bar charts: of the value axis; none when empty).
    public var xLabel: String
    /// The label of the y axis (line charts only).
    public var yLabel: String
    /// The series or bars.
    public var content: Content

    /// Creates a chart.
    public init(title: String, xLabel: String = "", yLabel: String = "", content: Content) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.content = content
    }

    /// A line chart of `series` over a shared x axis, 640 × 400 pixels, with five ticks on each
    /// axis; with `logarithmicY`, a base-10 logarithmic y axis (marked "(log scale)").
    public static func lines(title: String, xLabel: String, yLabel: String, series: [Series], logarithmicY: Bool = false) -> SVGChart {
        SVGChart(title: title, xLabel: xLabel, yLabel: yLabel, content: .lines(series, logarithmicY: logarithmicY))
    }

    /// A grouped horizontal bar chart: for each group a bar per category, on a value axis from 0
    /// to 1 with ticks every 0.25; 640 pixels wide, as tall as the groups need.
    public static func groupedBars(title: String, valueLabel: String = "", groups: [BarGroup], categories: [String]) -> SVGChart {
        SVGChart(title: title, xLabel: valueLabel, content: .groupedBars(groups, categories: categories))
    }

    /// The colours of successive series or categories (repeated when there are more).
    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    /// The floor of a logarithmic axis: smaller values, zero and negative ones are drawn here.
    public static let smallestLogarithmicValue = 1e-12

    /// The chart as an SVG document.
    public func svg() -> String {
        switch content {
        case .lines(let series, let logarithmicY): lineChart(series, logarithmicY: logarithmicY)
        case .groupedBars(let groups, let categories): barChart(groups, categories: categories)
        }
    }

    /// Writes ``svg()`` to `url` as UTF-8, as ``OutputFile`` writes (a file is replaced
    /// atomically, a device or FIFO written through).
    ///
    /// - Throws: ``OutputFileError``.
    public func write(to url: URL) throws {
        try OutputFile(url, contents: "the chart").write(svg())
    }

    /// `text` with the characters XML reserves in text content (`&`, `<`, `>`) replaced by
    /// entities. Every title, label and legend entry passes through it.
    public static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    // MARK: - Shared parts

    /// The colour of series or category `index`.
    static func color(_ index: Int) -> String { palette[index % palette.count] }

    /// The fractions of the axis at which ticks stand: 0, ¼, ½, ¾, 1.
    static let tickFractions = (0...4).map { Double($0) / 4 }

    /// The opening of the document (a white background) and its closing tag around `body`.
    static func document(width: Double, height: Double, fontSize: Int, body: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"\(fontSize)\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body + "</svg>\n"
    }

    /// A `<text>` element with `attributes` (already formatted) and escaped `content`.
    static func text(_ content: String, _ attributes: String) -> String {
        "<text \(attributes)>\(escaped(content))</text>\n"
    }

    // MARK: - Line charts

    private func lineChart(_ series: [Series], logarithmicY: Bool, width: Double = 640, height: Double = 400) -> String {
        let margin = (left: 88.0, right: 20.0, top: 40.0, bottom: 50.0)
        let transform: (Double) -> Double = { logarithmicY ? log10(max($0, Self.smallestLogarithmicValue)) : $0 }
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map { transform($0.y) } }
        let (x0, x1) = (xs.min() ?? 0, max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-9))
        let (y0, y1) = (ys.min() ?? 0, max(ys.max() ?? 1, (ys.min() ?? 0) + 1e-9))
        let plotWidth = width - margin.left - margin.right, plotHeight = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + (x - x0) / (x1 - x0) * plotWidth }
        func py(_ y: Double) -> Double { margin.top + (1 - (transform(y) - y0) / (y1 - y0)) * plotHeight }
        var body = Self.text(title, "x=\"\(width / 2)\" y=\"22\" text-anchor=\"middle\" font-size=\"15\"")
        body += "<rect x=\"\(margin.left)\" y=\"\(margin.top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"none\" stroke=\"#444\"/>\n"
        for fraction in Self.tickFractions {
            let fx = x0 + (x1 - x0) * fraction, fy = y0 + (y1 - y0) * fraction
            let yValue = logarithmicY ? pow(10, fy) : fy
            let xPosition = margin.left + plotWidth * fraction, yPosition = margin.top + plotHeight * (1 - fraction)
            body += Self.text(String(format: "%.4g", fx), "x=\"\(xPosition)\" y=\"\(height - margin.bottom + 16)\" text-anchor=\"middle\"")
            body += Self.text(String(format: "%.3g", yValue), "x=\"\(margin.left - 6)\" y=\"\(yPosition + 4)\" text-anchor=\"end\"")
            body += "<line x1=\"\(margin.left)\" x2=\"\(width - margin.right)\" y1=\"\(yPosition)\" y2=\"\(yPosition)\" stroke=\"#eee\"/>\n"
        }
        body += Self.text(xLabel, "x=\"\(width / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\"")
        body += Self.text(yLabel + (logarithmicY ? " (log scale)" : ""), "transform=\"translate(14 \(height / 2)) rotate(-90)\" text-anchor=\"middle\"")
        for (index, line) in series.enumerated() {
            let color = Self.color(index)
            let path = line.points.map { "\(String(format: "%.1f", px($0.x))),\(String(format: "%.1f", py($0.y)))" }.joined(separator: " ")
            body += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(path)\"/>\n"
            body += Self.text(line.name, "x=\"\(width - margin.right - 6)\" y=\"\(margin.top + 16 + 16 * Double(index))\" text-anchor=\"end\" fill=\"\(color)\"")
        }
        return Self.document(width: width, height: height, fontSize: 12, body: body)
    }

    // MARK: - Grouped bar charts

    private func barChart(_ groups: [BarGroup], categories: [String]) -> String {
        let barHeight = 6.0, groupHeight = barHeight * Double(categories.count) + 6
        let labelSpace = xLabel.isEmpty ? 0.0 : 16
        let left = 170.0, width = 640.0, height = 40 + groupHeight * Double(groups.count) + 30 + labelSpace
        let plotWidth = width - left - 20
        var body = Self.text(title, "x=\"10\" y=\"18\" font-size=\"14\"")
        for (index, category) in categories.enumerated() {
            body += "<rect x=\"\(Int(left) + index * 150)\" y=\"26\" width=\"10\" height=\"10\" fill=\"\(Self.color(index))\"/>"
                + Self.text(category, "x=\"\(Int(left) + 14 + index * 150)\" y=\"35\"")
        }
        for (row, group) in groups.enumerated() {
            let y = 44 + groupHeight * Double(row)
            body += Self.text(group.label, "x=\"\(Int(left) - 6)\" y=\"\(Int(y + groupHeight / 2))\" text-anchor=\"end\"")
            for (index, value) in group.values.enumerated() {
                body += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" ", left, y + Double(index) * barHeight,
                               max(0, value) * plotWidth, barHeight - 1) + "fill=\"\(Self.color(index))\"/>\n"
            }
        }
        for fraction in Self.tickFractions {
            let x = left + fraction * plotWidth
            body += String(format: "<line x1=\"%.1f\" y1=\"40\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ccc\"/>", x, x, height - labelSpace - 24)
                + Self.text(String(format: "%.2f", fraction), String(format: "x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\"", x, height - labelSpace - 10))
        }
        if !xLabel.isEmpty { body += Self.text(xLabel, "x=\"\(left + plotWidth / 2)\" y=\"\(height - 6)\" text-anchor=\"middle\"") }
        return Self.document(width: width, height: height, fontSize: 11, body: body)
    }
}
