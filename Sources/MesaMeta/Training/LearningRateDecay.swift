import MesaCore

/// How the learning rate falls after the warm-up (``OptimizerConfiguration/decay``).
public enum LearningRateDecay: String, ConfigurationChoice {
    /// It stays at the peak.
    case constant
    /// Half a cosine from the peak to the minimum at the last step (Loshchilov & Hutter 2017, "SGDR").
    case cosine
    /// A straight line from the peak to the minimum at the last step (Reptile's `ε·(1 − s/T)` with minimum 0).
    case linear
}
