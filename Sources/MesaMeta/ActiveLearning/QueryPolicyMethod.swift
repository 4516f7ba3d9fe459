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
