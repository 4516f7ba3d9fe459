import Foundation
import MesaCore

/// How ``QueryPolicyTrainer`` meta-trains the learned query policy on the tabular prior.
public enum QueryPolicyMethod: String, ConfigurationChoice {
    /// Distillation of expected error reduction's look-ahead: each candidate's expected error
    /// reduction is the target of a regression or listwise loss (``QueryPolicyLoss``).
    case distillation
    /// An evolution strategy on whole episodes (Salimans et al. 2017's OpenAI-ES, antithetic pairs
    /// and centred ranks, ``OpenAIES/gradientEstimate(ranks:directions:noiseScale:)``): the
    /// fitness of a perturbed policy on a prior task is its area under the budget curve minus
    /// margin sampling's on the same split, initial set and seed, so the search learns where
    /// departing from margin pays. A policy-gradient on the AUBC in the sense of Bachman et al.
    /// 2017, with a gradient-free estimator because the episode's choices are discrete.
    case evolution
}

/// How ``QueryPolicyTrainer``'s distillation tasks draw their labelled rows.
public enum QueryPolicyLabelledDraw: String, ConfigurationChoice {
    /// 2 up to ``QueryPolicyConfiguration/maximumLabelled`` random pool rows (two classes at
    /// least): the first recipe's draw.
    case random
    /// The benchmark protocol's initial set (one row per class of the pool, then rows up to 4),
    /// plus 0 up to ``QueryPolicyConfiguration/maximumLabelled`` − its size random rows: every
    /// class is known from the start, as at use, so the class count the policy sees is the table's.
    case `protocol`
}
