import MesaCore

/// The clipped surrogate objective of proximal policy optimisation (PPO; Schulman, Wolski,
/// Dhariwal, Radford & Klimov 2017, "Proximal Policy Optimization Algorithms", eq. 7):
///
///     L^CLIP(θ) = mean_t min(ρ_t(θ) Â_t, clip(ρ_t(θ), 1 − ε, 1 + ε) Â_t),   ρ_t = exp(log π_θ(a_t|s_t) − log π_old(a_t|s_t))
///
/// to be *maximised*. The ratio `ρ` compares the policy being updated with the one that
/// collected the actions; the clip removes the incentive to move `ρ` outside `[1 − ε, 1 + ε]`, so
/// several epochs of gradient steps on one batch of episodes stay near the collecting policy.
/// ``NAPTrainer`` adds a value loss, an entropy bonus and NAP's neural-process loss.
public enum ProximalPolicyObjective {
    /// `L^CLIP` over a batch: `logProbabilities` (`[T]` or `[T, 1]`, differentiable) of the taken
    /// actions under the current policy, their log-probabilities under the collecting policy, the
    /// advantages `Â`, and the clip range `ε`.
    public static func clipped(logProbabilities: Tensor, oldLogProbabilities: [Float], advantages: [Float], clipRange: Float) -> Tensor {
        precondition(logProbabilities.scalarCount == oldLogProbabilities.count && advantages.count == oldLogProbabilities.count,
                     "ProximalPolicyObjective: \(logProbabilities.scalarCount) log-probabilities, \(oldLogProbabilities.count) old ones and \(advantages.count) advantages")
        let shape = logProbabilities.shape
        let ratio = (logProbabilities - Tensor(shape: shape, scalars: oldLogProbabilities)).exp()
        let advantage = Tensor(shape: shape, scalars: advantages)
        let unclipped = ratio * advantage
        let clipped = ratio.clamped(to: (1 - clipRange)...(1 + clipRange)) * advantage
        return Tensor.minimum(unclipped, clipped).mean()
    }
}
