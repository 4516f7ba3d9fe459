import Foundation
import MesaCore
@testable import MesaMeta

/// Small models and tables for the tabular tests.
enum TabularFixtures {
    /// A model of `kind` after two pre-training steps, saved as a `mesa pretrain` checkpoint whose
    /// prior has at most 40 features: enough to test plumbing, invariances and errors, not
    /// accuracy.
    static func modelFile(kind: TabularTaskKind) throws -> URL {
        var configuration = TabularPretrainingConfiguration()
        configuration.model = TabularModelConfiguration(kind: kind)
        configuration.model.modelSize = 32
        configuration.model.layerCount = 2
        configuration.model.headCount = 2
        configuration.model.feedForwardSize = 64
        configuration.prior = TabularPrior(kind: kind)
        configuration.prior.featureRange = 1...40  // narrower than the input, to test feature subsets
        configuration.steps = 2
        configuration.batchSize = 2
        configuration.maximumRows = 40
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesa-tabular-\(kind.rawValue)-\(UUID())")
        let trainer = try TabularPretrainer(configuration: configuration, directory: directory)
        try trainer.run()
        return trainer.checkpointURL
    }

    /// A table from CSV text.
    static func table(_ text: String, target: String? = nil) throws -> TabularTable {
        try TabularTable(CSVTable(text: text), target: target)
    }

    /// `rows` rows of two Gaussian blobs (2 numeric features, a categorical one, labels a/b).
    static func blobs(rows: Int, seed: UInt64) -> String {
        var generator = RandomGenerator(seed: seed)
        var text = "x1,x2,colour,label\n"
        for i in 0..<rows {
            let positive = i % 2 == 0
            let shift: Float = positive ? 1.5 : -1.5
            text += "\(generator.nextNormal() + shift),\(generator.nextNormal() - shift),\(positive ? "red" : "blue"),\(positive ? "a" : "b")\n"
        }
        return text
    }
}
