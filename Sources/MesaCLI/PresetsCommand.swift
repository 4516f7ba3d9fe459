import ArgumentParser
import Mesa

/// `mesa presets`: lists the shipped presets with one line each.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "presets", abstract: "List the shipped meta-training presets.")

    func run() throws {
        for name in Presets.names {
            let configuration = try Presets.load(preset: name, file: nil)
            let task = configuration.task
            let tasks = task.family == .projectedDataset   // described without loading the dataset
                ? "\(task.dataset) \(task.datasetSplit) projected to \(task.inputDimension) dimensions, " + (task.poolSize.map { "pool of \($0) tasks" } ?? "infinite pool")
                : try task.makeDistribution().name
            let learner = configuration.learner
            let size = switch learner.architecture {
            case .lstm: "LSTM, \(learner.layerCount) layer(s) of \(learner.modelSize)"
            case .lsa: "linear self-attention, \(learner.layerCount) layer(s)\(learner.contextCount.map { ", \($0) context points" } ?? "")"
            default: "Transformer, \(learner.layerCount) layers of width \(learner.modelSize)"
            }
            print("\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(tasks); \(size); \(configuration.training.steps) steps")
        }
    }
}
