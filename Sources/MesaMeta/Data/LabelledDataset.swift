import Foundation
import MesaCore

/// A labelled classification dataset held in memory: the source of few-shot episodes.
///
/// `features` is row-major `[count, featureCount]`; `labels[i]` is in `0..<classNames.count`.
public struct LabelledDataset: Sendable {
    /// The feature rows, row-major `[count, featureCount]`.
    public var features: [Float]
    /// One class index per row.
    public var labels: [Int]
    /// The number of features per row.
    public var featureCount: Int
    /// The class names, indexed by label.
    public var classNames: [String]

    /// Creates a dataset; sizes and labels are checked.
    public init(features: [Float], labels: [Int], featureCount: Int, classNames: [String]) throws {
        guard featureCount > 0, features.count == labels.count * featureCount else {
            throw MetaLearningError.invalidData("\(features.count) feature values for \(labels.count) rows of \(featureCount) features")
        }
        if let bad = labels.first(where: { !(0..<classNames.count).contains($0) }) {
            throw MetaLearningError.invalidData("label \(bad) outside the \(classNames.count) classes")
        }
        self.features = features
        self.labels = labels
        self.featureCount = featureCount
        self.classNames = classNames
    }

    /// The number of rows.
    public var count: Int { labels.count }

    /// The row indices of each class.
    public var rowsByClass: [[Int]] {
        var rows = [[Int]](repeating: [], count: classNames.count)
        for (row, label) in labels.enumerated() { rows[label].append(row) }
        return rows
    }

    /// The rows at `indices` as a tensor `[indices.count, featureCount]`.
    public func rows(_ indices: [Int]) -> Tensor {
        var scalars: [Float] = []
        scalars.reserveCapacity(indices.count * featureCount)
        for row in indices { scalars.append(contentsOf: features[(row * featureCount)..<((row + 1) * featureCount)]) }
        return Tensor(shape: [indices.count, featureCount], scalars: scalars)
    }

    /// The rows and labels of this dataset followed by `other`'s (same features and classes).
    public func appending(_ other: LabelledDataset) throws -> LabelledDataset {
        guard other.featureCount == featureCount, other.classNames == classNames else {
            throw MetaLearningError.invalidData("cannot join datasets with different features or classes")
        }
        return try LabelledDataset(features: features + other.features, labels: labels + other.labels,
                                   featureCount: featureCount, classNames: classNames)
    }
}
