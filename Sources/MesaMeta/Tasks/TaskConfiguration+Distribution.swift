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
        switch family {
        case .linear:
            return try LinearRegressionTasks(inputDimension: inputDimension, noise: noise, weightScale: weightScale,
                                             inputs: inputs ?? .standardNormal)
        case .sparseLinear:
            return try SparseLinearRegressionTasks(inputDimension: inputDimension, nonZeroCount: nonZeroCount, noise: noise,
                                                   inputs: inputs ?? .standardNormal)
        case .reluNetwork:
            return try ReLUNetworkTasks(inputDimension: inputDimension, hiddenSize: hiddenSize, noise: noise)
        case .decisionTree:
            return try DecisionTreeTasks(inputDimension: inputDimension, depth: depth)
        case .fourier:
            return try FourierSeriesTasks(maximumFrequency: maximumFrequency, minimumFrequency: minimumFrequency, noise: noise)
        case .gaussianProcess:
            return try GaussianProcessTasks(inputDimension: inputDimension, lengthScale: lengthScale, signalVariance: signalVariance,
                                            noise: noise, inputs: inputs ?? .standardNormal)
        case .sinusoid:
            return SinusoidTasks()
        case .linearClassification:
            return try LinearClassificationTasks(inputDimension: inputDimension, classCount: classCount, labelNoise: labelNoise)
        case .mixture:
            guard let components, !components.isEmpty else {
                throw InContextError.invalidConfiguration("task: a mixture needs 'components': [{\"weight\": …, \"task\": {…}}, …]")
            }
            if components.contains(where: { $0.task.family == .projectedDataset }) {
                throw InContextError.invalidConfiguration("task: projectedDataset tasks label only the dataset rows they draw and cannot be mixed; train on them alone")
            }
            return try TaskMixture(components: components.map { (weight: $0.weight, distribution: try $0.task.makeDistribution()) })
        case .projectedDataset:
            preconditionFailure("handled by makeDistribution()")
        }
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
