import ArgumentParser
import Foundation
import Mesa

/// `mesa train-les`: meta-trains the learned evolution strategy of `mesa optimize --method les`
/// on a few BBOB functions (``LearnedEvolutionTrainer``), resumable.
struct TrainLESCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-les",
        abstract: "Meta-train the learned evolution strategy (LES) on a few BBOB functions.",
        discussion: "The paper's MetaBBO loop (Lange et al. 2023): OpenAI-ES with Adam over the LES network's parameters, the fitness being LES's standardised ECDF-area score on BBOB functions (default f1, f8, f11, f15, f17, f21) in random dimensions and instances. A run folder holds config.json, checkpoint.safetensors and metrics.jsonl; --resume continues it exactly. --export writes the network alone, the form shipped in Sources/MesaMeta/Models/learned-es.safetensors."
    )

    @OptionGroup var options: ExportableRunOptions

    func run() throws {
        options.threads.apply()
        guard let trainer = try startOrResume(LearnedEvolutionTrainer.self, command: "train-les", options: options) else { return }
        let c = trainer.configuration
        print("mesa train-les: \(c.steps) meta generations of \(2 * c.metaPairs) networks × \(c.tasksPerStep) tasks (\(c.functions.map(\.description).joined(separator: ", ")), d = \(c.minimumDimension)–\(c.maximumDimension), \(c.generations) generations of \(c.populationSize)) → \(trainer.directory.path)")
        _ = try runWithProgress(trainer, label: "train-les", deadline: options.runOptions.timeLimit.deadline) { step, metrics in
            String(format: "step %d: score on the fixed tasks (lower is better): LES %.3f, OpenAI-ES %.3f", step,
                   metrics["lesScore"] ?? .nan, metrics["openAIESScore"] ?? .nan)
        }
        print(String(format: "%@ at step %d (%.1f min of training); checkpoint %@", trainer.isFinished ? "finished" : "stopped",
                     trainer.step, trainer.trainingSeconds / 60, trainer.checkpointURL.path))
        if !trainer.isFinished { print("continue with: mesa train-les --resume --output \(trainer.directory.path)") }
    }
}
