import Foundation
import MesaCore

extension GPICLExperiment {
    /// The in-context accuracy curves of a trained run on its training tasks and on unseen tasks
    /// (Kirsch et al. 2022 tell memorisation from general learning by the two).
    ///
    /// The training tasks are the run's held-out prompts of its own task pool (training images);
    /// the unseen tasks are fresh projections and label permutations (an infinite pool with
    /// another seed) of `testImages`, or, when `testImages` is `nil` (a CSV base dataset, which
    /// has no test split), of the same rows. Each curve is measured on `promptCount` prompts of
    /// the training prompt length (seeds 101 and 202).
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` unless the run trained on
    ///   ``ProjectedDatasetTasks``.
    public static func seenAndUnseenAccuracy(of trainer: InContextTrainer, testImages: LabelledDataset?,
                                             promptCount: Int) throws -> (seen: ErrorCurve, unseen: ErrorCurve) {
        guard let tasks = trainer.distribution as? ProjectedDatasetTasks else {
            throw InContextError.invalidConfiguration("the experiment needs projectedDataset tasks, got \(trainer.distribution.name)")
        }
        let task = trainer.configuration.task
        let seen = tasks.heldOut
        var unseen = try seen.with(taskCount: .some(nil), seed: task.poolSeed &+ 0x5EED)
        if let testImages { unseen = try unseen.with(dataset: testImages, datasetName: "Fashion-MNIST test") }
        let points = trainer.configuration.training.pointCount
        return (accuracy(of: [trainer.learner], on: seen, promptCount: promptCount, pointCount: points, seed: 101)[0],
                accuracy(of: [trainer.learner], on: unseen, promptCount: promptCount, pointCount: points, seed: 202)[0])
    }
}
