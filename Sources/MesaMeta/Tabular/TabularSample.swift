import Foundation
import MesaCore

/// One synthetic dataset of the prior, already encoded the way ``TabularPreprocessor`` encodes
/// users' tables.
public struct TabularSample: Sendable {
    /// The features, row-major `[rowCount, featureCount]` (training rows first).
    public var features: [Float]
    /// Class indices (classification) or targets standardised on the training rows (regression).
    public var targets: [Float]
    /// The number of rows.
    public var rowCount: Int
    /// The number of leading rows whose targets the model sees.
    public var trainCount: Int
    /// The number of encoded features (indicators included).
    public var featureCount: Int
    /// The number of classes (classification; 0 for regression).
    public var classCount: Int

    /// Tables of a pre-training configuration's prior as training would draw them, for looking
    /// at the prior or scoring other learners on it: table `i` has the row count and split of a
    /// batch drawn from `RandomGenerator(seed: seed &+ i)`, then one table of the prior (of the
    /// ``TabularPretrainingConfiguration/functionPrior`` when the configuration has one).
    public static func draw(_ count: Int, from configuration: TabularPretrainingConfiguration, seed: UInt64) -> [TabularSample] {
        (0..<count).map { i in
            var generator = RandomGenerator(seed: seed &+ UInt64(i))
            return TabularPretrainer.sampleTable(configuration, using: &generator)
        }
    }
}
