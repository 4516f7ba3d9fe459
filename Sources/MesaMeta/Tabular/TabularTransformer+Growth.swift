import Foundation
import MesaCore
import MesaNN

extension TabularTransformer {
    /// This model's function in a larger model of sizes `target`: more layers, a per-cell front end
    /// (``TabularModelConfiguration/cells``), a regression head over finer bins, or several of
    /// these, every other size the same. The trained embeddings, layers, final normalisation and
    /// head are kept; the new parts are freshly initialised from `seed` and start inert:
    /// - added layers (after the existing ones) start as the identity: their attention output
    ///   and feed-forward output projections are zero, so each pre-normalisation block
    ///   `x + attention(norm(x))` then `x + feedForward(norm(x))` passes `x` through unchanged;
    /// - an added front end's ``TabularCellEmbedding/output`` projection is zero, so it adds
    ///   nothing to the row tokens;
    /// - finer bins (a regression model's ``TabularModelConfiguration/binCount`` times a whole
    ///   number `m`, the same ``TabularModelConfiguration/binRange``): each bin is split into `m`
    ///   equal bins whose head rows copy the old bin's and whose biases are lowered by `log m`,
    ///   so every sub-bin gets `1/m` of its bin's probability and the density is unchanged
    ///   (except that the two outer bins' half-normal tails narrow with the bin width).
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
        sameOtherwise.binCount = old.binCount
        let binSplit = target.binCount / old.binCount
        let binsGrow = target.binCount == old.binCount || (old.kind == .regression && target.binCount % old.binCount == 0)
        guard sameOtherwise == old, target.layerCount >= old.layerCount, old.cells == nil || old.cells == target.cells, binsGrow,
              target != old else {
            throw TabularError.invalidModel("growing a model of \(old.layerCount) layers\(old.cells == nil ? "" : " with cells")\(old.kind == .regression ? " and \(old.binCount) bins" : "") needs more layers, cells added\(old.kind == .regression ? " or a whole multiple of its bins" : ""), with every other size the same")
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
        if binSplit > 1 {
            let weight = head.weight.value.scalars, bias = head.bias?.value.scalars ?? [Float](repeating: 0, count: old.binCount)
            let width = old.modelSize, shift = Float(Foundation.log(Double(binSplit)))
            state["head.weight"] = Tensor(shape: [target.binCount, width], scalars: (0..<target.binCount).flatMap { weight[($0 / binSplit) * width..<($0 / binSplit + 1) * width] })
            state["head.bias"] = Tensor(shape: [target.binCount], scalars: (0..<target.binCount).map { bias[$0 / binSplit] - shift })
        }
        try larger.restore(from: state, strict: true)
        return larger
    }
}
