import MesaCore
import Foundation
import MesaNN

/// Where episodes come from.
public enum EpisodeSource: String, ConfigurationChoice {
    /// Finn et al.'s sinusoid regression (``SinusoidTasks``).
    case sinusoid
    /// Fashion-MNIST classes (``FashionMNIST``).
    case fashionMNIST
    /// The classes of a CSV table (``LabelledDataset/init(table:target:source:)``).
    case table
}
