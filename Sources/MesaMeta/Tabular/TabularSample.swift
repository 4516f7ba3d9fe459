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
}
