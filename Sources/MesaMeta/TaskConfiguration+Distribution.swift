extension TaskConfiguration {
    /// Builds the distribution this configuration describes.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for an unknown family or parameters
    ///   out of range, naming them.
    public func makeDistribution() throws -> any TaskDistribution {
        switch family {
        case "linear":
            return try LinearRegressionTasks(inputDimension: inputDimension, noise: noise, weightScale: weightScale,
                                             inputs: inputs ?? .standardNormal)
        default:
            throw InContextError.invalidConfiguration("task: unknown family '\(family)'; known families: \(Self.families.joined(separator: ", "))")
        }
    }
}
