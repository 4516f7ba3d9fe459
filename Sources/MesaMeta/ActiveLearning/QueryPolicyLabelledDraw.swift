import Foundation
import MesaCore

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
