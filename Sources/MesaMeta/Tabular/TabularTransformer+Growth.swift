import MesaCore
import MesaNN

extension TabularTransformer {
    /// This model's function in a larger model of sizes `target`: more layers, a per-cell front end
    /// (``TabularModelConfiguration/cells``), or both, every other size the same. The trained
    /// embeddings, layers, final normalisation and head are kept; the new parts are freshly
    /// initialised from `seed` and start inert:
    /// - added layers (after the existing ones) start as the identity: their attention output
    ///   and feed-forward output projections are zero, so each pre-normalisation block
    ///   `x + attention(norm(x))` then `x + feedForward(norm(x))` passes `x` through unchanged;
    /// - an added front end's ``TabularCellEmbedding/output`` projection is zero, so it adds
    ///   nothing to the row tokens.
    /// Training then grows into the extra capacity from the trained model instead of from
    /// scratch (function-preserving growth, as Net2Net's identity layers: Chen, Goodfellow &
    /// Shlens 2016).
    ///
    /// - Throws: ``TabularError/invalidModel(_:)`` when `target` does not grow this model (fewer
    ///   layers, a front end removed or resized, or any other size changed).
    public func grown(to target: TabularModelConfiguration, seed: UInt64) throws -> TabularTransformer {
        let old = configuration
        var sameOtherwise = target
        sameOtherwise.layerCount = old.layerCount
        sameOtherwise.cells = old.cells
        guard sameOtherwise == old, target.layerCount >= old.layerCount, old.cells == nil || old.cells == target.cells,
              target != old else {
            throw TabularError.invalidModel("growing a model of \(old.layerCount) layers\(old.cells == nil ? "" : " with cells") needs more layers, or cells added, with every other size the same")
        }
        var generator = RandomGenerator(seed: seed)
        let larger = TabularTransformer(configuration: target, using: &generator)
        var state = try larger.checkpoint()
        for (name, tensor) in stateTensors() { state[name] = tensor }
        for layer in old.layerCount..<target.layerCount {
            for name in ["attention.output.weight", "attention.output.bias", "feedForwardOut.weight", "feedForwardOut.bias"] {
                let key = "encoder.layers.\(layer).\(name)"
                if let tensor = state[key] { state[key] = Tensor.zeros(tensor.shape) }
            }
        }
        try larger.restore(from: state, strict: true)
        return larger
    }
}
