import Foundation

/// How uncertain a model is about one row, from its class probabilities `p` (any length ≥ 1,
/// summing to 1): higher is more uncertain. Each is 0 for a one-hot `p`.
public enum UncertaintyMeasure {
    /// Least confidence: `1 − max_y p_y`.
    public static func leastConfidence(_ p: [Float]) -> Double {
        1 - Double(p.max() ?? 1)
    }

    /// Margin: `1 − (p₁ − p₂)` with `p₁ ≥ p₂` the two largest probabilities (a single class: 0).
    public static func margin(_ p: [Float]) -> Double {
        var first = -Float.infinity, second = -Float.infinity
        for value in p {
            if value > first { (first, second) = (value, first) } else if value > second { second = value }
        }
        return p.count < 2 ? 0 : 1 - Double(first - second)
    }

    /// Entropy in nats: `−Σ_y p_y ln p_y` (terms with `p_y = 0` are 0).
    public static func entropy(_ p: [Float]) -> Double {
        p.reduce(0.0) { total, value in value > 0 ? total - Double(value) * log(Double(value)) : total }
    }
}
