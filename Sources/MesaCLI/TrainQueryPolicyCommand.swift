import ArgumentParser
import Foundation
import Mesa

/// `mesa train-query-policy`: meta-trains the learned query policy of `mesa active-learn
/// --strategy learned` on synthetic tasks from the tabular prior (``QueryPolicyTrainer``), resumable.
struct TrainQueryPolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-query-policy",
        abstract: "Meta-train the learned active-learning query policy on synthetic tasks from the tabular prior.",
        discussion: "method distillation (default): learns to predict each candidate's expected error reduction by look-ahead (the quantity --strategy expected-error maximises), with the shipped classifier and its ensemble as the learner, by a listwise or regression loss; method evolution: OpenAI-ES on prior episodes' AUBC over margin sampling's. residualScale s: the policy scores margin's uncertainty + s·tanh(network). lookAheadShortlist k (the shipped recipe, benchmarks/active-learning/query-policy-look-ahead.json): the policy chooses among margin's k most uncertain rows from their features and a reduced look-ahead's expected error reduction, trained on the true label's reduction of the test rows' soft error. With taskPoolSize > 0 the tasks are drawn once (tasks.json in the run folder) and the steps sample from them. A run folder holds config.json, checkpoint.safetensors and metrics.jsonl; --resume continues it exactly. --export writes the policy alone, the form shipped in Sources/MesaMeta/Models/query-policy.safetensors."
    )

    @OptionGroup var options: ExportableRunOptions

    func run() throws {
        options.threads.apply()
        guard let trainer = try startOrResume(QueryPolicyTrainer.self, command: "train-query-policy", options: options) else { return }
        let c = trainer.configuration
        print("mesa train-query-policy (\(c.method.rawValue)): \(c.steps) steps of \(c.tasksPerStep) prior tasks (\(c.minimumRows)–\(c.maximumRows) rows, \(c.lookAheadShortlist.map { "\($0) candidates each: margin's most uncertain, looked ahead" } ?? "\(c.candidatesPerTask) candidates each")) → \(trainer.directory.path)")
        _ = try runWithProgress(trainer, label: "train-query-policy", deadline: options.runOptions.timeLimit.deadline) { step, metrics in
            if c.method == .evolution {
                return String(format: "step %d: held-out episodes' AUBC gain over margin sampling %+.4f", step, metrics["evaluationGainOverMargin"] ?? .nan)
            }
            return String(format: "step %d: held-out loss %.4f; error reduction of the pick: policy %.3f, margin %.3f, best %.3f", step,
                   metrics["evaluationLoss"] ?? .nan, metrics["policyPickReduction"] ?? .nan, metrics["marginPickReduction"] ?? .nan,
                   metrics["bestReduction"] ?? .nan)
        }
        print(String(format: "%@ at step %d (%.1f min of training); checkpoint %@", trainer.isFinished ? "finished" : "stopped",
                     trainer.step, trainer.trainingSeconds / 60, trainer.checkpointURL.path))
        if !trainer.isFinished { print("continue with: mesa train-query-policy --resume --output \(trainer.directory.path)") }
    }
}
