import MesaCore

/// Which derivative the meta-gradient takes through the inner loop.
public enum DerivativeOrder: String, ConfigurationChoice {
    /// Differentiate through the inner updates (Hessian-vector products included): exact MAML.
    case second
    /// Treat the inner gradients as constants (first-order MAML, Finn et al. 2017 §5.2).
    case first
}
