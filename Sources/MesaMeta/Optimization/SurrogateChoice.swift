import Foundation

/// The surrogates `mesa optimize` and `mesa suggest` can be asked for (`--surrogate`).
///
/// NAP is named here so that asking for it is a clear error, never a silent fall-back to another
/// method.
public enum SurrogateChoice: String, CaseIterable, Sendable, Codable {
    /// An exact Gaussian process with a Matérn-5/2 ARD kernel (``GaussianProcessSurrogate``).
    case gp
    /// A prior-fitted Transformer predicting a bar distribution (PFNs4BO, ``PriorFittedSurrogate``).
    case pfn
    /// An end-to-end acquisition Transformer trained by reinforcement learning (NAP): not built yet.
    case nap

    /// The surrogates that exist today.
    public static let available: [SurrogateChoice] = [.gp, .pfn]

    /// A fresh surrogate of this kind; `gaussianProcess` holds the Gaussian process's settings,
    /// `priorFittedModel` the PFN surrogate's checkpoint (`nil`: the shipped one) and
    /// `priorFittedWarping` its transform of the values.
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for a surrogate that is not built yet,
    ///   listing the ones that are, or a PFN checkpoint that cannot be used.
    public func makeSurrogate(gaussianProcess: GaussianProcessSurrogate = GaussianProcessSurrogate(),
                              priorFittedModel: URL? = nil,
                              priorFittedWarping: PriorFittedSurrogate.ValueWarping = .none) throws -> any Surrogate {
        switch self {
        case .gp:
            return gaussianProcess
        case .pfn:
            return try PriorFittedSurrogate(contentsOf: priorFittedModel, warping: priorFittedWarping)
        case .nap:
            throw OptimizationError.unavailable(
                "--surrogate nap: the end-to-end acquisition network (NAP) is not built yet; available surrogates: \(Self.available.map(\.rawValue).joined(separator: ", "))")
        }
    }
}
