import Foundation

/// Query by committee's disagreement: the mean Kullback–Leibler divergence of each member's class
/// distribution from the consensus, their mean (McCallum & Nigam 1998),
/// `D(x) = (1/M) Σ_m Σ_y p_m(y|x) ln(p_m(y|x) / p̄(y|x))`, with `p̄ = (1/M) Σ_m p_m`.
///
/// Chosen over vote entropy because a small committee (Mesa's 4 ensemble members) gives few
/// distinct vote counts, so vote entropy ties most rows, while the divergence uses the members'
/// whole distributions. It is 0 when all members agree, whatever their uncertainty.
public enum CommitteeDisagreement {
    /// The disagreement of the members' distributions for one row, `[members][classes]`.
    public static func meanDivergence(_ members: [[Float]]) -> Double {
        guard let first = members.first else { return 0 }
        let count = Double(members.count)
        let consensus = first.indices.map { y in members.reduce(0.0) { $0 + Double($1[y]) } / count }
        var total = 0.0
        for member in members {
            for (y, value) in member.enumerated() where value > 0 {
                total += Double(value) * log(Double(value) / max(consensus[y], 1e-300))
            }
        }
        return max(total / count, 0)
    }
}
