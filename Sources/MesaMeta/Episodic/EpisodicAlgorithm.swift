import MesaCore
import Foundation
import MesaNN

/// The gradient-based or metric meta-learning algorithms ``EpisodicTrainer`` runs.
public enum EpisodicAlgorithm: String, ConfigurationChoice {
    /// ``MAML`` (second or first order by ``EpisodicConfiguration/order``).
    case maml
    /// ``MetaSGD``: MAML with learned per-parameter inner step sizes.
    case metaSGD
    /// ``ANIL``: MAML adapting only the final layer.
    case anil
    /// ``Reptile``.
    case reptile
    /// ``PrototypicalNetwork``.
    case prototypicalNetwork
}
