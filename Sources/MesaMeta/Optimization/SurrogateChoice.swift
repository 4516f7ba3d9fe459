import Foundation

/// The surrogates `mesa optimize` and `mesa suggest` can be asked for (`--surrogate`).
public enum SurrogateChoice: String, CaseIterable, Sendable, Codable {
    /// An exact Gaussian process with a Matérn-5/2 ARD kernel (``GaussianProcessSurrogate``).
    case gp
    /// A prior-fitted Transformer predicting a bar distribution (PFNs4BO, ``PriorFittedSurrogate``).
    case pfn
    /// An end-to-end acquisition Transformer trained by reinforcement learning (NAP, ``NAPSurrogate``).
    case nap

    /// The surrogates that exist today.
    public static let available: [SurrogateChoice] = [.gp, .pfn, .nap]

    /// A fresh surrogate of this kind; `gaussianProcess` holds the Gaussian process's settings,
    /// `priorFittedModel` the PFN surrogate's checkpoint (`nil`: the shipped one),
    /// `priorFittedWarping` its transform of the values, and `napModel` the NAP policy (`nil`: the shipped one).
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for a PFN or NAP checkpoint that cannot be used.
    public func makeSurrogate(gaussianProcess: GaussianProcessSurrogate = GaussianProcessSurrogate(),
                              priorFittedModel: URL? = nil,
                              priorFittedWarping: PriorFittedSurrogate.ValueWarping = .none,
                              napModel: URL? = nil) throws -> any Surrogate {
        switch self {
        case .gp:
            return gaussianProcess
        case .pfn:
            return try PriorFittedSurrogate(contentsOf: priorFittedModel, warping: priorFittedWarping)
        case .nap:
            return try NAPSurrogate(contentsOf: napModel)
        }
    }
}
