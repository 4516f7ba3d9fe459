import MesaCore

/// The in-context learners a configuration can name (``LearnerConfiguration/architecture``); a
/// misspelt name is an error that lists these.
public enum LearnerArchitecture: String, ConfigurationChoice {
    /// ``TransformerLearner``: a causal Transformer encoder (Garg et al. 2022).
    case transformer
    /// ``LSTMLearner`` (Kirsch et al. 2022's recurrent baseline).
    case lstm
    /// ``LinearSelfAttentionLearner`` (von Oswald et al. 2023).
    case lsa
}
