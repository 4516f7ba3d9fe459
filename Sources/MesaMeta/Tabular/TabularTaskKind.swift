import Foundation
import MesaCore

/// Classification or regression, for the tabular model and its prior.
public enum TabularTaskKind: String, ConfigurationChoice {
    /// Class labels.
    case classification
    /// Numeric targets.
    case regression
}
