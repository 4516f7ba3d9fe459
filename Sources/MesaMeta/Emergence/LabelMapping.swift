import MesaCore

/// How the classes of ``BurstyClassificationTasks`` map to labels (Chan et al. 2022, §3:
/// "dynamic meaning").
public enum LabelMapping: String, ConfigurationChoice {
    /// Each class keeps one label, drawn once when the distribution is built: a class's label
    /// can be learned in the weights.
    case fixed
    /// Every sequence re-draws the labels of its classes (distinct classes get distinct labels
    /// while there are enough): an item's label can only be read from the context.
    case perSequence
}
