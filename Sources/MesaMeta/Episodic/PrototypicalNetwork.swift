import MesaCore
import MesaNN

/// Prototypical Networks (Snell, Swersky & Zemel 2017): few-shot classification by distance to
/// class means in a learned embedding.
///
/// With `f` the embedding, class `c`'s prototype is `p_c = mean_{(x, y) ∈ S, y = c} f(x)` and a
/// query's logits are `−‖f(x) − p_c‖²` (squared Euclidean, as in the paper). Training minimises
/// the query cross-entropy over episodes; there is no inner loop.
///
/// ``refinementSteps`` > 0 adds transductive refinement (as in Ren et al. 2018's soft k-means
/// and the transductive few-shot literature): each step soft-assigns the query embeddings
/// `w_qc = softmax_c(−‖f(x_q) − p_c‖²)` and recomputes
/// `p_c = (Σ_{S, y = c} f(x) + Σ_q w_qc f(x_q)) / (n_c + Σ_q w_qc)`.
public struct PrototypicalNetwork<Embedding: Layer>: @unchecked Sendable {
    /// The embedding network `f` (its parameters are the meta-parameters).
    public let embedding: Embedding
    /// Transductive refinement steps (0: the original, inductive method).
    public var refinementSteps: Int

    /// Creates the classifier.
    public init(embedding: Embedding, refinementSteps: Int = 0) {
        precondition(refinementSteps >= 0, "PrototypicalNetwork: refinementSteps must be ≥ 0, got \(refinementSteps)")
        self.embedding = embedding
        self.refinementSteps = refinementSteps
    }

    /// The parameters the outer optimizer updates.
    public var metaParameters: [Parameter] { embedding.parameters }

    /// The class means of `embeddings` `[n, features]` for `labels` in `0..<classCount` → `[classCount, features]`.
    ///
    /// Every class needs at least one example.
    public static func prototypes(of embeddings: Tensor, labels: [Int], classCount: Int) -> Tensor {
        var counts = [Float](repeating: 0, count: classCount)
        for label in labels {
            precondition(0 <= label && label < classCount, "PrototypicalNetwork: label \(label) outside 0..<\(classCount)")
            counts[label] += 1
        }
        precondition(!counts.contains(0), "PrototypicalNetwork: every class needs a support example (counts \(counts))")
        // [classCount, n] averaging matrix: row c holds 1/n_c at the examples of class c.
        var averaging = [Float](repeating: 0, count: classCount * labels.count)
        for (index, label) in labels.enumerated() { averaging[label * labels.count + index] = 1 / counts[label] }
        return Tensor(shape: [classCount, labels.count], scalars: averaging).matmul(embeddings)
    }

    /// `−‖e_q − p_c‖²` for `embeddings` `[q, features]` and `prototypes` `[c, features]` → `[q, c]`.
    public static func logits(_ embeddings: Tensor, prototypes: Tensor) -> Tensor {
        let cross = Tensor.matmul(embeddings, prototypes, transposeB: true)                       // [q, c]
        let queryNorms = (embeddings * embeddings).sum(alongAxis: 1, keepingDimensions: true)     // [q, 1]
        let prototypeNorms = (prototypes * prototypes).sum(alongAxis: 1).unsqueezed(at: 0)       // [1, c]
        return cross * 2 - queryNorms - prototypeNorms
    }

    /// The query logits `[q, classCount]` of an episode whose support labels are `0..<classCount`.
    public func logits(for episode: Episode, classCount: Int) -> Tensor {
        let supportEmbeddings = embedding(episode.support.inputs)
        let queryEmbeddings = embedding(episode.query.inputs)
        let labels = episode.support.labels
        var prototypes = Self.prototypes(of: supportEmbeddings, labels: labels, classCount: classCount)
        if refinementSteps > 0 {
            let supportOneHot = Tensor.oneHot(labels, classCount: classCount)                     // [s, c]
            let supportSums = Tensor.matmul(supportOneHot, supportEmbeddings, transposeA: true)   // [c, features]
            let supportCounts = supportOneHot.sum(alongAxis: 0).unsqueezed(at: 1)                 // [c, 1]
            for _ in 0..<refinementSteps {
                let weights = Self.logits(queryEmbeddings, prototypes: prototypes).softmax()      // [q, c]
                let querySums = Tensor.matmul(weights, queryEmbeddings, transposeA: true)         // [c, features]
                let queryCounts = weights.sum(alongAxis: 0).unsqueezed(at: 1)                     // [c, 1]
                prototypes = (supportSums + querySums) / (supportCounts + queryCounts)
            }
        }
        return Self.logits(queryEmbeddings, prototypes: prototypes)
    }

    /// The query cross-entropy averaged over `episodes`.
    public func loss(on episodes: [Episode], classCount: Int) -> Tensor {
        precondition(!episodes.isEmpty, "PrototypicalNetwork.loss: needs at least one episode")
        let losses = episodes.map { Tensor.crossEntropy(logits: logits(for: $0, classCount: classCount), labels: $0.query.labels) }
        return losses.dropFirst().reduce(losses[0], +) / Float(episodes.count)
    }
}
