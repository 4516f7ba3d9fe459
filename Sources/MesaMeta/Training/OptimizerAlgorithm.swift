import MesaCore

/// The update rule of a training run (``OptimizerConfiguration/algorithm``).
public enum OptimizerAlgorithm: String, ConfigurationChoice {
    /// Adam (Kingma & Ba 2015); ``OptimizerConfiguration/weightDecay`` is an L2 penalty added to the gradient.
    case adam
    /// AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay.
    case adamw
    /// Plain stochastic gradient descent (with ``OptimizerConfiguration/weightDecay`` as an L2 penalty).
    case sgd
    /// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): the sign of an
    /// interpolated momentum, with decoupled weight decay.
    case lion
}
