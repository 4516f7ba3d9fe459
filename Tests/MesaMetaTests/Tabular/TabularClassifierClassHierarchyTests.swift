import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class TabularClassifierClassHierarchyTests: XCTestCase {
    /// `classes` classes, `perClass` labelled rows each: two features, the first the class index
    /// plus noise of a tenth of the spacing, the second noise.
    private func clusters(classes: Int, perClass: Int, seed: UInt64) throws -> TabularTable {
        var generator = RandomGenerator(seed: seed)
        var text = "x,noise,y\n"
        for i in 0..<(classes * perClass) {
            let c = i % classes
            text += "\(Float(c) + 0.1 * generator.nextNormal()),\(generator.nextNormal()),k\(c)\n"
        }
        return try TabularFixtures.table(text)
    }

    private func classifier(url: URL, ensemble: Int, localContext: Int?) throws -> TabularClassifier {
        var options = TabularPredictionOptions()
        options.ensembleSize = ensemble
        options.localContextRows = localContext
        options.manyClasses = true
        return try TabularClassifier(modelURL: url, options: options)
    }

    /// Every level's probabilities are distributions, so their products over the tree are one:
    /// two levels for 12 classes, three for 130 (more than 10 groups of 10).
    func testProbabilitiesSumToOneAtEveryDepth() throws {
        for classes in [12, 130] {
            let table = try clusters(classes: classes, perClass: 2, seed: UInt64(classes))
            let model = try classifier(url: TabularClassifierTests.modelURL, ensemble: 2, localContext: nil)
            try model.fit(table)
            let probabilities = try model.predictProbabilities(table.selecting(Array(0..<5)))
            XCTAssertTrue(model.mode.contains("\(classes) classes through a class hierarchy"), model.mode)
            for row in probabilities {
                XCTAssertEqual(row.count, classes)
                XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-4)
                XCTAssertTrue(row.allSatisfy { $0 > 0 && $0.isFinite })
            }
            // The same seed draws the same hierarchies.
            XCTAssertEqual(try model.predictProbabilities(table.selecting(Array(0..<5))), probabilities)
        }
    }

    /// With the shipped model, twelve well-separated classes are told apart through the
    /// hierarchy alone, and averaged with local contexts (the default for small tables).
    func testTheShippedModelSeparatesTwelveClusters() throws {
        let url = try XCTUnwrap(TabularModelFile.shippedURL(for: .classification))
        let train = try clusters(classes: 12, perClass: 8, seed: 1), test = try clusters(classes: 12, perClass: 2, seed: 2)
        for localContext in [nil, 30] as [Int?] {
            let model = try classifier(url: url, ensemble: 2, localContext: localContext)
            try model.fit(train)
            let predicted = try model.predict(test)
            let accuracy = Double(zip(predicted, test.targets).filter { $0 == $1 }.count) / Double(test.count)
            XCTAssertGreaterThanOrEqual(accuracy, 0.75, "local context \(String(describing: localContext)): \(model.mode)")
            if localContext != nil {
                XCTAssertTrue(model.mode.contains("averaged half and half with a class hierarchy"), model.mode)
            }
        }
    }

    /// Beyond one context the rows are predicted from local contexts only.
    func testLargeTablesKeepLocalContextsOnly() throws {
        let table = try clusters(classes: 12, perClass: 4, seed: 3)
        let model = try classifier(url: TabularClassifierTests.modelURL, ensemble: 2, localContext: 10)
        model.options.maximumContextRows = 20
        try model.fit(table)
        let probabilities = try model.predictProbabilities(table.selecting(Array(0..<4)))
        XCTAssertFalse(model.mode.contains("hierarchy"), model.mode)
        for row in probabilities { XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-4) }
    }

    /// The default member count follows whether all labelled rows fit in one context, not the
    /// path: 8 for a many-class table that fits (local contexts averaged with the hierarchy), 4
    /// once it needs more than one context (local contexts only).
    func testDefaultMembersFollowTheContextNotThePath() throws {
        let table = try clusters(classes: 12, perClass: 3, seed: 4)
        var options = TabularPredictionOptions()
        options.localContextRows = 10
        let fits = try TabularClassifier(modelURL: TabularClassifierTests.modelURL, options: options)
        try fits.fit(table)
        _ = try fits.predictProbabilities(table.selecting([0]))
        XCTAssertTrue(fits.mode.hasPrefix("8-member ensemble, local contexts"), fits.mode)
        XCTAssertTrue(fits.mode.contains("class hierarchy"), fits.mode)
        options.maximumContextRows = 20
        let large = try TabularClassifier(modelURL: TabularClassifierTests.modelURL, options: options)
        try large.fit(table)
        _ = try large.predictProbabilities(table.selecting([0]))
        XCTAssertTrue(large.mode.hasPrefix("4-member ensemble, local contexts"), large.mode)
    }
}
