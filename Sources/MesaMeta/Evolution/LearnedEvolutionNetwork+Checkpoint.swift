import Foundation
import MesaCore
import MesaNN

extension LearnedEvolutionNetwork {
    /// The `mesa.format` of the network's checkpoints and exports.
    public static let format = "learned-es-1"

    /// The shipped network (`Models/learned-es.safetensors`, meta-trained by `mesa train-les`), if
    /// present in the bundle.
    public static var shippedURL: URL? { Bundle.module.url(forResource: "learned-es", withExtension: "safetensors", subdirectory: "Models") }

    /// The metadata that describes the architecture: `mesa.attentionWidth`, `mesa.hiddenWidth`.
    var architectureMetadata: [String: String] {
        ["mesa.attentionWidth": String(attentionWidth), "mesa.hiddenWidth": String(hiddenWidth)]
    }

    /// The network in `url`: a checkpoint of ``LearnedEvolutionTrainer`` or its export (default:
    /// the shipped one).
    ///
    /// - Throws: ``EvolutionError/invalidCheckpoint(_:)`` when there is no such file, it is not a
    ///   safetensors file, it is not a learned-ES network, or its tensors do not fit its stated widths.
    public static func load(_ url: URL? = nil) throws -> LearnedEvolutionNetwork {
        guard let url = url ?? shippedURL else {
            throw EvolutionError.invalidCheckpoint("this build ships no learned evolution strategy; pass a checkpoint of `mesa train-les`")
        }
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw EvolutionError.invalidCheckpoint("no learned evolution strategy at \(url.path): the file does not exist")
        }
        let checkpoint: SafeTensors
        do { checkpoint = try SafeTensors(contentsOf: url) } catch {
            throw EvolutionError.invalidCheckpoint("cannot read the learned evolution strategy \(url.path): \(error)")
        }
        guard checkpoint.metadata["mesa.format"] == format else {
            throw EvolutionError.invalidCheckpoint("\(url.path) is not a learned evolution strategy of `mesa train-les` (its mesa.format is \(checkpoint.metadata["mesa.format"] ?? "missing"), expected \(format))")
        }
        guard let attentionWidth = Int(checkpoint.metadata["mesa.attentionWidth"] ?? ""), let hiddenWidth = Int(checkpoint.metadata["mesa.hiddenWidth"] ?? ""),
              attentionWidth >= 1, hiddenWidth >= 1 else {
            throw EvolutionError.invalidCheckpoint("\(url.path) does not state its widths (mesa.attentionWidth, mesa.hiddenWidth as positive integers)")
        }
        var generator = RandomGenerator(seed: 0)
        let network = LearnedEvolutionNetwork(attentionWidth: attentionWidth, hiddenWidth: hiddenWidth, using: &generator)
        do { try network.restore(from: checkpoint, strict: false) } catch {
            throw EvolutionError.invalidCheckpoint("\(url.path) does not fit a learned evolution strategy of attention width \(attentionWidth) and hidden width \(hiddenWidth): \(error)")
        }
        return network
    }
}
