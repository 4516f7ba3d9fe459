import Foundation

/// A minimal SVG line chart (one or more series over a shared x axis) that any browser opens.
struct LinePlot {
    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
    }

    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    var logarithmicY = false

    /// The chart as an SVG document.
    func svg(width: Double = 640, height: Double = 400) -> String {
        let margin = (left: 88.0, right: 20.0, top: 40.0, bottom: 50.0)
        let transform: (Double) -> Double = { logarithmicY ? Foundation.log10(max($0, 1e-12)) : $0 }
        let xs = series.flatMap { $0.points.map(\.x) }, ys = series.flatMap { $0.points.map { transform($0.y) } }
        let (x0, x1) = (xs.min() ?? 0, max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-9))
        let (y0, y1) = (ys.min() ?? 0, max(ys.max() ?? 1, (ys.min() ?? 0) + 1e-9))
        let plotWidth = width - margin.left - margin.right, plotHeight = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + (x - x0) / (x1 - x0) * plotWidth }
        func py(_ y: Double) -> Double { margin.top + (1 - (transform(y) - y0) / (y1 - y0)) * plotHeight }
        let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(width / 2)" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>
        <rect x="\(margin.left)" y="\(margin.top)" width="\(plotWidth)" height="\(plotHeight)" fill="none" stroke="#444"/>

        """
        for tick in 0...4 {
            let fx = x0 + (x1 - x0) * Double(tick) / 4, fy = y0 + (y1 - y0) * Double(tick) / 4
            let yValue = logarithmicY ? pow(10, fy) : fy
            let xPosition = margin.left + plotWidth * Double(tick) / 4, yPosition = margin.top + plotHeight * (1 - Double(tick) / 4)
            out += "<text x=\"\(xPosition)\" y=\"\(height - margin.bottom + 16)\" text-anchor=\"middle\">\(String(format: "%.4g", fx))</text>\n"
            out += "<text x=\"\(margin.left - 6)\" y=\"\(yPosition + 4)\" text-anchor=\"end\">\(String(format: "%.3g", yValue))</text>\n"
            out += "<line x1=\"\(margin.left)\" x2=\"\(width - margin.right)\" y1=\"\(yPosition)\" y2=\"\(yPosition)\" stroke=\"#eee\"/>\n"
        }
        out += "<text x=\"\(width / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        out += "<text transform=\"translate(14 \(height / 2)) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))\(logarithmicY ? " (log scale)" : "")</text>\n"
        for (index, line) in series.enumerated() {
            let color = colors[index % colors.count]
            let path = line.points.map { "\(String(format: "%.1f", px($0.x))),\(String(format: "%.1f", py($0.y)))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(path)\"/>\n"
            out += "<text x=\"\(width - margin.right - 6)\" y=\"\(margin.top + 16 + 16 * Double(index))\" text-anchor=\"end\" fill=\"\(color)\">\(escape(line.name))</text>\n"
        }
        return out + "</svg>\n"
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
