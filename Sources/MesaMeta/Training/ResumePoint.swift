import Foundation
import MesaCore

/// A run's last checkpoint, read to continue the run (``RunFolder``).
struct ResumePoint<Recipe: TrainingRecipe> {
    /// The checkpoint file's contents.
    let checkpoint: SafeTensors
    /// Where it was read from.
    let url: URL
    /// The steps it holds.
    let step: Int
    /// The training time it records.
    let seconds: Double
    /// The run's configuration (with the extended length, when extended).
    let recipe: Recipe
    /// Whether the run was extended beyond its planned length.
    let isExtended: Bool
    /// The folder's lock, for the resumed run to hold (`nil` when the folder is only read).
    let lock: RunFolderLock?
    /// Whether it was sent by rank 0 of a data-parallel run to a replica, which writes nothing.
    var isReplica = false
}
