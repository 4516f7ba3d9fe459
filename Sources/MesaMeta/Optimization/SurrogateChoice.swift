/// The surrogates `mesa optimize` and `mesa suggest` can be asked for (`--surrogate`).
///
/// Only the Gaussian process is built; the meta-learned surrogates of issue 18 are named here so
/// that asking for one is a clear error, never a silent fall-back to another method.
public enum SurrogateChoice: String, CaseIterable, Sendable, Codable {
    /// An exact Gaussian process with a Matérn-5/2 ARD kernel (``GaussianProcessSurrogate``).
    case gp
    /// A prior-fitted Transformer predicting a bar distribution (PFNs4BO): not built yet.
    case pfn
    /// An end-to-end acquisition Transformer trained by reinforcement learning (NAP): not built yet.
    case nap

    /// The surrogates that exist today.
    public static let available: [SurrogateChoice] = [.gp]

    /// A fresh surrogate of this kind; `gaussianProcess` holds the Gaussian process's settings.
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` for a surrogate that is not built yet,
    ///   listing the ones that are.
    public func makeSurrogate(gaussianProcess: GaussianProcessSurrogate = GaussianProcessSurrogate()) throws -> any Surrogate {
        switch self {
        case .gp:
            return gaussianProcess
        case .pfn, .nap:
            let what = self == .pfn ? "the prior-fitted Transformer surrogate (PFNs4BO)" : "the end-to-end acquisition network (NAP)"
            throw OptimizationError.unavailable(
                "--surrogate \(rawValue): \(what) is not built yet; available surrogates: \(Self.available.map(\.rawValue).joined(separator: ", "))")
        }
    }
}
