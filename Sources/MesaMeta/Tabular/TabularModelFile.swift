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
        if let format = checkpoint.metadata["mesa.format"], let command = otherCommands[format] {
            throw TabularError.invalidModel("\(url.path) is a checkpoint of `\(command.writer)` (format \(format)), not a tabular model; \(command.reader). --model wants a run checkpoint or an export of `mesa pretrain`")
        }
        guard let json = checkpoint.metadata["mesa.configuration"] else {
            throw TabularError.invalidModel("\(url.path) is not a tabular model written by `mesa pretrain`: its metadata has no mesa.configuration (a safetensors file from elsewhere?)")
        }
        let configuration: TabularPretrainingConfiguration
        do { configuration = try TabularPretrainingConfiguration(json: Data(json.utf8), source: url.path) } catch {
            throw TabularError.invalidModel("\(url.path) is not a tabular model written by `mesa pretrain`: its mesa.configuration does not decode (\(error))")
        }
        guard configuration.model.kind == kind else {
            throw TabularError.invalidModel("\(url.path) holds a \(configuration.model.kind.rawValue) model, not a \(kind.rawValue) one")
        }
        var generator = RandomGenerator(seed: 0)
        let model = TabularTransformer(configuration: configuration.model, using: &generator)
        do { try model.restore(from: checkpoint, strict: false) } catch {
            throw TabularError.invalidModel("\(url.path) does not fit its own configuration: \(error)")
        }
        let expected = Set(model.namedParameters.map(\.name))
        let missing = expected.filter { checkpoint[$0] == nil }.sorted()
        guard missing.isEmpty else {
            throw TabularError.invalidModel("\(url.path) lacks \(missing.count) of the model's tensors (\(missing.prefix(3).joined(separator: ", "))\(missing.count > 3 ? ", …" : ""))")
        }
        // A run checkpoint also holds the optimizer's buffers (optimizer.<index>.<buffer>); any
        // other name is not the model's.
        let unexpected = checkpoint.names.filter { !expected.contains($0) && !$0.hasPrefix("optimizer.") }.sorted()
        guard unexpected.isEmpty else {
            throw TabularError.invalidModel("\(url.path) has \(unexpected.count == 1 ? "a tensor" : "\(unexpected.count) tensors") the model does not have (\(unexpected.prefix(3).joined(separator: ", "))\(unexpected.count > 3 ? ", …" : "")); it was not written for this configuration")
        }
        for (name, parameter) in model.namedParameters {
            if let bad = parameter.value.scalars.firstIndex(where: { !$0.isFinite }) {
                throw TabularError.invalidModel("\(url.path) has a non-finite weight (\(parameter.value.scalars[bad]) at element \(bad) of \(name)); the file is corrupt or its training diverged")
            }
        }
        return (model, checkpoint.metadata, configuration)
    }

    /// The checkpoint formats of Mesa's other trainers: which command writes them, and which reads them.
    static let otherCommands: [String: (writer: String, reader: String)] = [
        "training-checkpoint-1": ("mesa train", "`mesa eval --run FOLDER` reads it"),
        "episodic-checkpoint-1": ("mesa meta-train", "`mesa meta-test --run FOLDER` reads it"),
    ]

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
