import Foundation
import MesaMeta
import XCTest

final class TabularSampleCSVTests: XCTestCase {
    func testDrawnTablesAreSeededAndTheirCSVHoldsEveryRow() throws {
        var configuration = TabularPretrainingConfiguration(kind: .classification)
        configuration.maximumRows = 60
        let first = TabularSample.draw(3, from: configuration, seed: 5), again = TabularSample.draw(3, from: configuration, seed: 5)
        XCTAssertEqual(first.map(\.features), again.map(\.features))
        XCTAssertNotEqual(first[0].features, first[1].features)
        XCTAssertNotEqual(TabularSample.draw(1, from: configuration, seed: 6)[0].features, first[0].features)
        for sample in first {
            let (train, test) = sample.csv()
            let trainLines = train.split(separator: "\n"), testLines = test.split(separator: "\n")
            XCTAssertEqual(trainLines.count, 1 + sample.trainCount)
            XCTAssertEqual(testLines.count, 1 + sample.rowCount - sample.trainCount)
            XCTAssertEqual(trainLines[0], testLines[0])
            XCTAssertEqual(trainLines[0].split(separator: ",").last, "target")
            XCTAssertEqual(trainLines[0].split(separator: ",").count, sample.featureCount + 1)
            // Every cell and target is written as it is held.
            let row = trainLines[1].split(separator: ",").map { Float(String($0))! }
            XCTAssertEqual(Array(row.dropLast()), Array(sample.features[0..<sample.featureCount]))
            XCTAssertEqual(row.last, sample.targets[0])
            XCTAssertTrue(sample.targets.allSatisfy { $0 >= 0 && $0 < Float(sample.classCount) && $0 == $0.rounded() })
        }
    }

    func testWriteRefusesAFolderThatIsNotEmpty() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-prior-tables-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = TabularPretrainingConfiguration(kind: .regression)
        configuration.maximumRows = 40
        try TabularSample.write(TabularSample.draw(2, from: configuration, seed: 0), to: folder)
        let summary = try String(contentsOf: folder.appendingPathComponent("tables.csv"), encoding: .utf8)
        XCTAssertTrue(summary.hasPrefix("table,rows,train_rows,features,classes\ntable-0000,"), summary)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("table-0001/test.csv").path))
        XCTAssertThrowsError(try TabularSample.write(TabularSample.draw(1, from: configuration, seed: 0), to: folder)) { error in
            XCTAssertTrue("\(error)".contains("exists and is not an empty folder"), "\(error)")
        }
        let file = folder.appendingPathComponent("tables.csv")
        XCTAssertThrowsError(try TabularSample.write([], to: file)) { error in
            XCTAssertTrue("\(error)".contains("exists and is not an empty folder"), "\(error)")
        }
    }
}
