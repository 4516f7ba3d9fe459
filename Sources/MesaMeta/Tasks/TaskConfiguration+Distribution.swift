import Foundation
extension TaskConfiguration {
    /// Builds the distribution this configuration describes (wrapped in a ``TaskPool`` when
    /// `poolSize` is set).
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for an unknown family or parameters
    ///   out of range, naming them.
    public func makeDistribution() throws -> any TaskDistribution {
        if family == .projectedDataset {
            let (data, name) = try loadDataset()
            return try ProjectedDatasetTasks(dataset: data, datasetName: name, inputDimension: inputDimension, classCount: classCount,
                                             taskCount: poolSize, seed: poolSeed, unpermutedFraction: unpermutedFraction,
                                             classImbalance: classImbalance)
        }
        let base = try makeBaseDistribution()
        guard let poolSize else { return base }
        return try TaskPool(base: base, taskCount: poolSize, seed: poolSeed)
    }

    private func makeBaseDistribution() throws -> any TaskDistribution {
        guard let type = family.distributionType else { preconditionFailure("\(family) is built by makeDistribution()") }
        return try type.init(configuration: self)
    }

    /// The `projectedDataset` base: Fashion-MNIST's `datasetSplit`, or a CSV table (last column the class).
    public func loadDataset() throws -> (LabelledDataset, String) {
        if dataset == "fashion-mnist" {
            guard let split = FashionMNIST.Split(name: datasetSplit) else {
                throw InContextError.invalidConfiguration("task.datasetSplit must be \"train\" or \"test\", got \"\(datasetSplit)\"")
            }
            return (try FashionMNIST.load(split), "Fashion-MNIST \(datasetSplit)")
        }
        let url = URL(fileURLWithPath: dataset)
        return (try LabelledDataset(table: try CSVTable(contentsOf: url), source: url.lastPathComponent), url.deletingPathExtension().lastPathComponent)
    }
}
