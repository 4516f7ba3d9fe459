import ArgumentParser
import Foundation
import Mesa

/// `mesa meta-test`: the meta-learner's query loss and accuracy on held-out episodes, with 95 %
/// confidence intervals.
struct MetaTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta-test",
        abstract: "Meta-test a run of `mesa meta-train` on held-out episodes (classes never seen in meta-training).",
        discussion: "Prints the mean query loss (MSE for regression) and accuracy with 95 % confidence intervals, and writes meta-test.json in the run folder. --seed: the seed of the test episodes (default 2026)."
    )

    @Option(name: .customLong("run"), help: "The run folder of `mesa meta-train`.") var runFolder: String
    @Option(help: "Episodes (default: the configuration's testEpisodes, 600).") var episodes: Int?
    @Option(help: "Inner adaptation steps (default: the configuration's testInnerSteps).") var innerSteps: Int?
    @Option(help: "The split to test on: test or validation.") var split = "test"
    @OptionGroup var seedOption: SeedOption
    /// The seed of the test episodes (default 2026).
    var seed: UInt64 { seedOption.value ?? 2026 }
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        guard ["test", "validation"].contains(split) else { throw ValidationError("--split must be test or validation, got \(split)") }
        if let episodes, episodes < 1 { throw ValidationError("--episodes must be ≥ 1") }
        if let innerSteps, innerSteps < 0 { throw ValidationError("--inner-steps must be ≥ 0") }
    }

    func run() throws {
        threads.apply()
        let trainer = try EpisodicTrainer.load(from: URL(fileURLWithPath: runFolder))
        let c = trainer.configuration
        let count = episodes ?? c.testEpisodes
        let steps = innerSteps ?? c.testInnerSteps ?? c.innerSteps
        let start = Date()
        let result = trainer.evaluate(split: split == "test" ? .test : .validation, episodeCount: count, innerSteps: steps, seed: seed)
        let seconds = Date().timeIntervalSince(start)
        let task = c.isClassification ? "\(c.ways)-way \(c.shots)-shot" : "K=\(c.supportCount)"
        print("mesa meta-test: \(c.name) (\(c.algorithm.rawValue), iteration \(trainer.iteration)), \(task), \(steps) inner step(s), \(count) \(split) episodes: \(Self.describe(result)) [\(String(format: "%.1f", seconds)) s]")
        let report: [String: Any] = [
            "run": runFolder, "iteration": trainer.iteration, "split": split, "episodes": count, "innerSteps": steps, "seed": seed,
            "loss": ["mean": result.loss.mean, "ci95": result.loss.halfWidth95],
            "accuracy": result.accuracy.map { ["mean": $0.mean, "ci95": $0.halfWidth95] } ?? NSNull(),
        ]
        let data = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        try OutputFile(URL(fileURLWithPath: runFolder).appendingPathComponent("meta-test-\(split)-steps\(steps).json"), contents: "the meta-test report")
            .write(data)
    }

    /// `loss 0.3512 ± 0.0270, accuracy 71.20 % ± 0.85`.
    static func describe(_ result: MetaTestResult) -> String {
        var text = String(format: "loss %.4f ± %.4f", result.loss.mean, result.loss.halfWidth95)
        if let accuracy = result.accuracy {
            text += String(format: ", accuracy %.2f %% ± %.2f", accuracy.mean * 100, accuracy.halfWidth95 * 100)
        }
        return text
    }
}
