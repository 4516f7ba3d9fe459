import ArgumentParser
import Mesa

/// `mesa meta-presets`: lists the shipped episodic meta-learning presets.
struct MetaPresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "meta-presets", abstract: "List the shipped meta-learning presets (mesa meta-train).")

    func run() throws {
        for name in MetaLearningPresets.names {
            let c = try MetaLearningPresets.load(preset: name, file: nil)
            let task = c.isClassification ? "\(c.ways)-way \(c.shots)-shot \(c.source.rawValue)" : "sinusoid K=\(c.supportCount)"
            print("\(name.padding(toLength: max(28, name.count + 1), withPad: " ", startingAt: 0))\(c.algorithm.rawValue) on \(task); \(c.iterations) iterations")
        }
    }
}
