import MesaCore
import MesaNN

extension TabularTransformer {
    /// This model's function in a deeper model of `layerCount` layers: the same embeddings,
    /// layers, final normalisation and head, with the added layers (freshly initialised from
    /// `seed`, after the existing ones) starting as the identity: their attention output and
    /// feed-forward output projections are zero, so each pre-normalisation block `x + attention(norm(x))`
    /// then `x + feedForward(norm(x))` passes `x` through unchanged. Training then grows into
    /// the extra capacity from the trained model instead of from scratch (function-preserving
    /// deepening, as Net2Net's identity layers: Chen, Goodfellow & Shlens 2016).
    ///
    /// - Throws: ``TabularError/invalidModel(_:)`` when `layerCount` is not more than this model's.
    public func deepened(to layerCount: Int, seed: UInt64) throws -> TabularTransformer {
        let old = configuration.layerCount
        guard layerCount > old else {
            throw TabularError.invalidModel("deepening a \(old)-layer model needs more layers than \(old), got \(layerCount)")
        }
        var c = configuration
        c.layerCount = layerCount
        var generator = RandomGenerator(seed: seed)
        let deeper = TabularTransformer(configuration: c, using: &generator)
        var state = try deeper.checkpoint()
        for (name, tensor) in stateTensors() { state[name] = tensor }
        for layer in old..<layerCount {
            for name in ["attention.output.weight", "attention.output.bias", "feedForwardOut.weight", "feedForwardOut.bias"] {
                let key = "encoder.layers.\(layer).\(name)"
                if let tensor = state[key] { state[key] = Tensor.zeros(tensor.shape) }
            }
        }
        try deeper.restore(from: state, strict: true)
        return deeper
    }
}
