import Foundation
import MesaCore

/// Saving a module's parameters to a safetensors file and loading them back.
///
/// Tensors are stored under the dotted names of ``Module/namedParameters``
/// (`hidden.weight`, `layers.0.attention.query.bias`, …), the names PyTorch's `state_dict`
/// would use for the same architecture, so files interoperate with Python.
///
/// ```swift
/// try model.save(to: url, metadata: ["architecture": "TwoLayer", "steps": "1000"])
/// let restored = TwoLayer(using: &generator)
/// let metadata = try restored.load(from: url)   // ["architecture": "TwoLayer", "steps": "1000"]
/// ```
extension Module {
    /// The parameters' current values under their dotted names, in declaration order,
    /// detached from the autodiff graph: what ``save(to:metadata:)`` writes.
    public func stateTensors() -> [(name: String, tensor: Tensor)] {
        namedParameters.map { ($0.name, $0.parameter.value.detached()) }
    }

    /// The parameters as an in-memory checkpoint carrying `metadata`.
    ///
    /// - Throws: ``CheckpointError`` of kind `invalidName` if two parameters share a name.
    public func checkpoint(metadata: [String: String] = [:]) throws -> SafeTensors {
        var checkpoint = SafeTensors(metadata: metadata)
        for (name, tensor) in stateTensors() {
            guard checkpoint[name] == nil else {
                throw CheckpointError(.invalidName, "checkpoint: two parameters are named '\(name)'")
            }
            checkpoint[name] = tensor
        }
        return checkpoint
    }

    /// Writes the parameters and `metadata` to a safetensors file at `url`, atomically (see
    /// ``SafeTensors/write(to:)``).
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try checkpoint(metadata: metadata).write(to: url)
    }

    /// Replaces the parameters with the tensors of the safetensors file at `url` and returns
    /// the file's metadata.
    ///
    /// Everything is checked before anything is assigned: if the file cannot be read, or a
    /// parameter has no tensor of its name, or one of a different shape, or (when `strict`)
    /// the file holds tensors no parameter takes, the error lists every such name and the
    /// module is left unchanged. Loaded parameters are fresh gradient-requiring leaves.
    ///
    /// - Parameter strict: Whether tensors without a matching parameter are an error;
    ///   `false` ignores them (e.g. to load a backbone out of a larger model).
    /// - Throws: ``CheckpointError`` (`stateMismatch` for names and shapes; see
    ///   ``SafeTensors/init(contentsOf:)`` for the file's own errors).
    @discardableResult
    public func load(from url: URL, strict: Bool = true) throws -> [String: String] {
        let checkpoint = try SafeTensors(contentsOf: url)
        try restore(from: checkpoint, strict: strict, source: "load(from: '\(url.path)')")
        return checkpoint.metadata
    }

    /// Replaces the parameters with the tensors of an in-memory `checkpoint`, with the checks
    /// of ``load(from:strict:)``.
    public func restore(from checkpoint: SafeTensors, strict: Bool = true) throws {
        try restore(from: checkpoint, strict: strict, source: "restore(from:)")
    }

    private func restore(from checkpoint: SafeTensors, strict: Bool, source: String) throws {
        let parameters = namedParameters
        var missing: [String] = []
        var mismatched: [String] = []
        for (name, parameter) in parameters {
            guard let tensor = checkpoint[name] else {
                missing.append(name)
                continue
            }
            if tensor.shape != parameter.shape {
                mismatched.append("'\(name)' is \(tensor.shape) in the file but \(parameter.shape) in the module")
            }
        }
        let expected = Set(parameters.map(\.name))
        let unexpected = strict ? checkpoint.names.filter { !expected.contains($0) } : []

        var problems: [String] = []
        if !missing.isEmpty { problems.append("missing tensors: \(missing.map { "'\($0)'" }.joined(separator: ", "))") }
        if !mismatched.isEmpty { problems.append("shape mismatches: \(mismatched.joined(separator: "; "))") }
        if !unexpected.isEmpty {
            problems.append("unexpected tensors: \(unexpected.map { "'\($0)'" }.joined(separator: ", ")) (pass strict: false to ignore them)")
        }
        guard problems.isEmpty else {
            throw CheckpointError(.stateMismatch,
                                  "\(source): the tensors do not match the module's parameters; \(problems.joined(separator: "; ")). No parameter was changed.")
        }
        for (name, parameter) in parameters {
            if let tensor = checkpoint[name] { parameter.assign(tensor) }
        }
    }
}
