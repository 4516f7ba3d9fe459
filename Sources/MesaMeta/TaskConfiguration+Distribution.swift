extension TaskConfiguration {
    /// Builds the distribution this configuration describes (wrapped in a ``TaskPool`` when
    /// `poolSize` is set).
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for an unknown family or parameters
    ///   out of range, naming them.
    public func makeDistribution() throws -> any TaskDistribution {
        let base = try makeBaseDistribution()
        guard let poolSize else { return base }
        return try TaskPool(base: base, taskCount: poolSize, seed: poolSeed)
    }

    private func makeBaseDistribution() throws -> any TaskDistribution {
        switch family {
        case "linear":
            return try LinearRegressionTasks(inputDimension: inputDimension, noise: noise, weightScale: weightScale,
                                             inputs: inputs ?? .standardNormal)
        case "sparseLinear":
            return try SparseLinearRegressionTasks(inputDimension: inputDimension, nonZeroCount: nonZeroCount, noise: noise,
                                                   inputs: inputs ?? .standardNormal)
        case "reluNetwork":
            return try ReLUNetworkTasks(inputDimension: inputDimension, hiddenSize: hiddenSize, noise: noise)
        case "decisionTree":
            return try DecisionTreeTasks(inputDimension: inputDimension, depth: depth)
        case "fourier":
            return try FourierSeriesTasks(maximumFrequency: maximumFrequency, minimumFrequency: minimumFrequency, noise: noise)
        case "gaussianProcess":
            return try GaussianProcessTasks(inputDimension: inputDimension, lengthScale: lengthScale, signalVariance: signalVariance,
                                            noise: noise, inputs: inputs ?? .standardNormal)
        case "sinusoid":
            return SinusoidTasks()
        case "linearClassification":
            return try LinearClassificationTasks(inputDimension: inputDimension, classCount: classCount, labelNoise: labelNoise)
        case "mixture":
            guard let components, !components.isEmpty else {
                throw InContextError.invalidConfiguration("task: a mixture needs 'components': [{\"weight\": …, \"task\": {…}}, …]")
            }
            return try TaskMixture(components: components.map { (weight: $0.weight, distribution: try $0.task.makeDistribution()) })
        default:
            throw InContextError.invalidConfiguration("task: unknown family '\(family)'; known families: \(Self.families.joined(separator: ", "))")
        }
    }
}
