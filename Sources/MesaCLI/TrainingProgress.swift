import Foundation
import Mesa

/// `true`, after printing what to do, when a resumed run has nothing left to train: it is
/// finished, and `--resume` continues it only when a larger `--steps`/`--iterations` extends it.
func reportFinished(_ trainer: some TrainingRun, command: String, option: String) -> Bool {
    guard trainer.isFinished else { return false }
    print("mesa \(command): the run in \(trainer.directory.path) is finished (\(trainer.step) of \(trainer.totalSteps) \(option == "--iterations" ? "iterations" : "steps")); "
          + "nothing to resume. Extend it with: mesa \(command) --resume --output \(trainer.directory.path) \(option) \(trainer.totalSteps * 2)")
    return true
}

/// Runs a trainer through the library's one training loop (``TrainingRun/run(stoppingAt:deadline:observer:)``)
/// with a progress bar on standard error: the step's loss (and `shown` metrics of the logged line)
/// on the bar, each evaluation as a line above it (`describe` formats its metrics). Returns the
/// last logged loss. A data-parallel rank other than 0 trains without a bar (and returns NaN).
@discardableResult
func runWithProgress(_ trainer: some TrainingRun, label: String, deadline: Date?, shown: [(name: String, key: String)] = [],
                     describe: @escaping (_ step: Int, _ metrics: [String: Double]) -> String) throws -> Float {
    guard trainer.state.isLeader else {
        try trainer.run(deadline: deadline)
        return .nan
    }
    var progress = ProgressBar(total: trainer.totalSteps, label: label, initial: trainer.step)
    var lastLoss: Float = .nan
    try trainer.run(deadline: deadline) { event in
        switch event {
        case .step(let step, let loss, let metrics):
            lastLoss = loss
            progress.update(completed: step, metricList: [(key: "loss", value: loss)] + shown.map { (key: $0.name, value: Float(metrics[$0.key] ?? .nan)) })
        case .evaluation(let step, let metrics):
            progress.note(describe(step, metrics))
        case .checkpoint:
            break
        }
    }
    return lastLoss
}
