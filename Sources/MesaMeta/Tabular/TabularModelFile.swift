import Foundation
import MesaCore
import MesaNN

/// Loading the tabular in-context models: the checkpoints shipped with Mesa (resources of
/// `MesaMeta`, produced by `mesa pretrain`; see README for how to reproduce them) or any
/// checkpoint `mesa pretrain` wrote.
public enum TabularModelFile {
    /// The shipped checkpoint for `kind`, if present in the bundle.
    public static func shippedURL(for kind: TabularTaskKind) -> URL? {
        let name = kind == .classification ? "tabular-classifier" : "tabular-regressor"
        return Bundle.module.url(forResource: name, withExtension: "safetensors", subdirectory: "Models")
    }

    /// The model in `url` (default: the shipped one for `kind`) with its metadata.
    public static func load(_ url: URL?, kind: TabularTaskKind) throws
        -> (model: TabularTransformer, metadata: [String: String], recipe: TabularPretrainingConfiguration) {
        guard let url = url ?? shippedURL(for: kind) else {
            throw TabularError.invalidModel("no shipped \(kind.rawValue) model in this build; pass --model FILE (a checkpoint of `mesa pretrain --kind \(kind.rawValue)`)")
        }
        let checkpoint: SafeTensors
        do { checkpoint = try SafeTensors(contentsOf: url) } catch {
            throw TabularError.invalidModel("cannot read the model \(url.path): \(error)")
        }
        guard let json = checkpoint.metadata["mesa.configuration"],
              let configuration = try? TabularPretrainingConfiguration(json: Data(json.utf8), source: url.path) else {
            throw TabularError.invalidModel("\(url.path) is not a tabular model written by `mesa pretrain` (no mesa.configuration in its metadata)")
        }
        guard configuration.model.kind == kind else {
            throw TabularError.invalidModel("\(url.path) holds a \(configuration.model.kind.rawValue) model, not a \(kind.rawValue) one")
        }
        var generator = RandomGenerator(seed: 0)
        let model = TabularTransformer(configuration: configuration.model, using: &generator)
        do { try model.restore(from: checkpoint, strict: false) } catch {
            throw TabularError.invalidModel("\(url.path) does not fit its own configuration: \(error)")
        }
        guard model.namedParameters.allSatisfy({ checkpoint[$0.name] != nil }) else {
            throw TabularError.invalidModel("\(url.path) lacks some of the model's tensors")
        }
        return (model, checkpoint.metadata, configuration)
    }

    /// Writes `model`'s weights alone (no optimizer state), with the recipe's metadata: the form
    /// shipped in the repository. The destination is written as ``OutputFile`` writes, and is
    /// never the run's checkpoint itself.
    ///
    /// - Throws: ``OutputFileError`` when `destination` cannot be written or is `runCheckpoint`.
    public static func export(from runCheckpoint: URL, to destination: URL) throws {
        let output = OutputFile(destination, contents: "the exported model")
        try output.check(notOverwriting: [("run's checkpoint", runCheckpoint)])
        let checkpoint = try SafeTensors(contentsOf: runCheckpoint)
        var exported = SafeTensors(metadata: checkpoint.metadata.filter { !["mesa.optimizer", "mesa.generator"].contains($0.key) })
        for name in checkpoint.names where !name.hasPrefix("optimizer.") { exported[name] = checkpoint[name] }
        try exported.write(to: output)
    }
}
