import Foundation
import MesaCore
import MesaNN
import MesaOptim

/// Which held-out split to evaluate on.
public enum EpisodeSplit: String, Sendable {
    /// Meta-validation episodes.
    case validation
    /// Meta-test episodes (classes never seen in meta-training, for classification).
    case test
}
