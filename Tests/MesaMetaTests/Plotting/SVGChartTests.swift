import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import MesaMeta
import XCTest

final class SVGChartTests: XCTestCase {
    /// The elements of an XML document in order, with their attributes and text, as XMLParser reads them.
    final class Elements: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var texts: [String] = []
        private var text = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append((name, attributes))
            text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { texts.append(text) }
            text = ""
        }

        func named(_ name: String) -> [[String: String]] { elements.filter { $0.name == name }.map(\.attributes) }
    }

    /// Parses `svg` as XML (failing the test when it is not well formed).
    func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> Elements {
        let parser = XMLParser(data: Data(svg.utf8))
        let elements = Elements()
        parser.delegate = elements
        XCTAssertTrue(parser.parse(), "not well-formed XML: \(parser.parserError.map(String.init(describing:)) ?? "")\n\(svg)", file: file, line: line)
        XCTAssertEqual(elements.elements.first?.name, "svg", file: file, line: line)
        return elements
    }

    func testLineChartIsXMLWithOnePolylinePerSeriesAndALegendEntryEach() {
        let series = (0..<8).map { index in SVGChart.Series(name: "series \(index)", points: [(0, Double(index)), (1, 2), (3, 1)]) }
        let document = parse(SVGChart.lines(title: "curves", xLabel: "examples", yLabel: "error", series: series).svg())
        let polylines = document.named("polyline")
        XCTAssertEqual(polylines.count, 8)
        XCTAssertEqual(polylines.map { $0["points"]?.split(separator: " ").count }, Array(repeating: 3, count: 8))
        XCTAssertEqual(polylines[7]["stroke"], SVGChart.palette[7 % SVGChart.palette.count], "colours repeat past the palette")
        for index in 0..<8 { XCTAssertTrue(document.texts.contains("series \(index)")) }
        XCTAssertTrue(document.texts.contains("curves") && document.texts.contains("examples") && document.texts.contains("error"))
    }

    func testTitlesLabelsAndNamesAreEscaped() {
        let chart = SVGChart.lines(title: "a < b & c > d", xLabel: "x<1>", yLabel: "R&D", series: [SVGChart.Series(name: "<script>", points: [(0, 1)])])
        let svg = chart.svg()
        XCTAssertFalse(svg.contains("<script>"))
        XCTAssertTrue(svg.contains("a &lt; b &amp; c &gt; d"))
        let document = parse(svg)
        XCTAssertTrue(document.texts.contains("a < b & c > d"), "the parsed text is the original: \(document.texts)")
        XCTAssertTrue(document.texts.contains("<script>") && document.texts.contains("x<1>") && document.texts.contains("R&D"))
        let bars = parse(SVGChart.groupedBars(title: "T&T", groups: [SVGChart.BarGroup(label: "<d>", values: [0.5])], categories: ["a&b"]).svg())
        XCTAssertTrue(bars.texts.contains("T&T") && bars.texts.contains("<d>") && bars.texts.contains("a&b"))
    }

    func testLogarithmicAxisFloorsNonPositiveValues() throws {
        let points: [(x: Double, y: Double)] = [(0, 1), (1, 0), (2, -3), (3, 1e-15), (4, SVGChart.smallestLogarithmicValue)]
        let document = parse(SVGChart.lines(title: "", xLabel: "", yLabel: "loss", series: [SVGChart.Series(name: "s", points: points)],
                                            logarithmicY: true).svg())
        let coordinates = try XCTUnwrap(document.named("polyline").first?["points"]).split(separator: " ").map { pair in
            pair.split(separator: ",").map { Double($0)! }
        }
        XCTAssertEqual(coordinates.count, 5)
        XCTAssertTrue(coordinates.allSatisfy { $0.allSatisfy(\.isFinite) }, "\(coordinates)")
        let floor = coordinates[4][1]
        XCTAssertEqual(coordinates[1][1], floor, "zero is drawn at the floor")
        XCTAssertEqual(coordinates[2][1], floor, "a negative value is drawn at the floor")
        XCTAssertEqual(coordinates[3][1], floor, "a value below the floor is drawn at it")
        XCTAssertLessThan(coordinates[0][1], floor, "1 is drawn above the floor")
        XCTAssertTrue(document.texts.contains("loss (log scale)"))
    }

    func testBarChartDrawsOneBarPerGroupAndCategory() {
        let categories = ["mesa", "logistic regression", "k-NN"]
        let groups = (0..<4).map { SVGChart.BarGroup(label: "dataset \($0)", values: [0.9, 0.5, -0.1]) }
        let document = parse(SVGChart.groupedBars(title: "accuracy", groups: groups, categories: categories).svg())
        // A background, one legend swatch per category, then the bars.
        let rectangles = document.named("rect")
        XCTAssertEqual(rectangles.count, 1 + categories.count + groups.count * categories.count)
        let bars = rectangles.dropFirst(1 + categories.count)
        XCTAssertEqual(bars.map { $0["fill"] }, Array(repeating: categories.indices.map { SVGChart.palette[$0] }, count: 4).flatMap { $0 })
        let widths = bars.map { Double($0["width"]!)! }
        XCTAssertEqual(widths[0] / widths[1], 0.9 / 0.5, accuracy: 1e-2, "bar lengths are proportional to the values")
        XCTAssertEqual(widths[2], 0, "a negative value draws an empty bar")
        XCTAssertEqual(document.named("line").count, 5, "gridlines at 0, 0.25, 0.5, 0.75 and 1")
        for label in ["dataset 3", "k-NN", "accuracy", "1.00"] { XCTAssertTrue(document.texts.contains(label), label) }
    }

    func testEmptyChartsAreStillDocuments() throws {
        _ = parse(SVGChart.lines(title: "nothing", xLabel: "", yLabel: "", series: []).svg())
        _ = parse(SVGChart.groupedBars(title: "nothing", groups: [], categories: []).svg())
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-chart-\(UUID()).svg")
        defer { try? FileManager.default.removeItem(at: url) }
        let chart = SVGChart.lines(title: "t", xLabel: "x", yLabel: "y", series: [SVGChart.Series(name: "s", points: [(0, 1), (1, 2)])])
        try chart.write(to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), chart.svg())
    }

    /// A chart written over a folder is refused in one sentence; one written through a link
    /// replaces the link's target and keeps the link.
    func testWritesThroughOutputFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-svg-\(UUID())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("plot.svg"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let chart = SVGChart.lines(title: "t", xLabel: "x", yLabel: "y", series: [])
        XCTAssertThrowsError(try chart.write(to: folder.appendingPathComponent("plot.svg"))) {
            XCTAssertEqual("\($0)", "cannot write the chart to \(folder.path)/plot.svg: it is a folder; give the path of a file (e.g. inside that folder) or choose another output path")
        }
        try "old".write(to: folder.appendingPathComponent("target.svg"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.svg").path, withDestinationPath: "target.svg")
        try chart.write(to: folder.appendingPathComponent("link.svg"))
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: folder.appendingPathComponent("link.svg").path), "target.svg")
        XCTAssertTrue(try String(contentsOf: folder.appendingPathComponent("target.svg"), encoding: .utf8).hasPrefix("<svg"))
    }
}
