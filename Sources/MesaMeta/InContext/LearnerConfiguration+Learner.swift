import MesaCore

extension LearnerConfiguration {
    /// The encoding used when none is configured: interleaved for Transformers (Garg et al.),
    /// previous-target for LSTMs, concatenated for LSA (von Oswald et al.).
    public var resolvedEncoding: PromptEncoding {
        if let encoding { return encoding }
        switch architecture {
        case .lstm: return .previousTarget
        case .lsa: return .concatenated
        case .transformer: return .interleaved
        }
    }

    /// Builds a freshly initialised learner for tasks of `kind` with inputs of `inputDimension`.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for sizes that do not fit the
    ///   architecture.
    public func makeLearner(inputDimension: Int, kind: TaskKind, using generator: inout RandomGenerator) throws -> any InContextLearner {
        guard modelSize > 0, layerCount > 0, headCount > 0, maximumPointCount > 0 else {
            throw InContextError.invalidConfiguration("learner: modelSize, layerCount, headCount and maximumPointCount must be positive")
        }
        if let attentionMomentum {
            guard architecture == .transformer else {
                throw InContextError.invalidConfiguration("learner.attentionMomentum applies to transformer learners only, not \(architecture.rawValue)")
            }
            guard attentionMomentum > 0, attentionMomentum < 1 else {
                throw InContextError.invalidConfiguration("learner.attentionMomentum must be in (0, 1), got \(attentionMomentum)")
            }
        }
        switch architecture {
        case .transformer:
            guard modelSize % headCount == 0 else {
                throw InContextError.invalidConfiguration("learner: modelSize \(modelSize) is not a multiple of headCount \(headCount)")
            }
            return TransformerLearner(inputDimension: inputDimension, kind: kind, encoding: resolvedEncoding,
                                      maximumPointCount: maximumPointCount, modelSize: modelSize, layerCount: layerCount,
                                      headCount: headCount, feedForwardSize: feedForwardSize, attentionMomentum: attentionMomentum,
                                      using: &generator)
        case .lstm:
            return try LSTMLearner(inputDimension: inputDimension, kind: kind, encoding: resolvedEncoding,
                                   maximumPointCount: maximumPointCount, hiddenSize: modelSize, layerCount: layerCount, using: &generator)
        case .lsa:
            guard resolvedEncoding == .concatenated else {
                throw InContextError.invalidConfiguration("learner: linear self-attention reads concatenated (x, y) tokens; drop 'encoding' or set it to concatenated")
            }
            return try LinearSelfAttentionLearner(inputDimension: inputDimension, kind: kind, contextCount: contextCount,
                                                  layerCount: layerCount, headCount: headCount, maximumPointCount: maximumPointCount,
                                                  using: &generator)
        }
    }
}
