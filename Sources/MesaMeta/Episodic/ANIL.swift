import MesaCore
import MesaNN

/// ANIL, "Almost No Inner Loop" (Raghu, Raghu, Bengio & Vinyals 2020): MAML that adapts only
/// the head.
///
/// The body `φ` embeds the inputs once per task; the inner loop adapts the head `w` on the
/// support embeddings, `w′ = w − α ∇w L(head_w(φ(x_support)))`; the query loss
/// `L(head_w′(φ(x_query)))` is differentiated with respect to both `φ` and `w`. Far cheaper
/// than MAML, since the inner loop never goes through the body.
public struct ANIL<Body: Layer, Head: Layer>: @unchecked Sendable {
    /// The feature extractor (meta-trained, never adapted).
    public let body: Body
    /// The head adapted in the inner loop.
    public let head: Head
    /// The loss adapted on and scored by.
    public var loss: MetaLoss
    /// The inner step size `α`.
    public var innerLearningRate: Float
    /// The number of inner steps.
    public var innerSteps: Int
    /// Second order (exact) or first order.
    public var order: DerivativeOrder

    /// Creates the meta-learner.
    public init(body: Body, head: Head, loss: MetaLoss, innerLearningRate: Float, innerSteps: Int = 1,
                order: DerivativeOrder = .second) {
        self.body = body
        self.head = head
        self.loss = loss
        self.innerLearningRate = innerLearningRate
        self.innerSteps = innerSteps
        self.order = order
    }

    /// The body's parameters, then the head's.
    public var metaParameters: [Parameter] { body.parameters + head.parameters }

    /// The head adapted on the embeddings of `support`.
    public func adaptHead(on support: ExampleSet, steps: Int? = nil) -> Learner<Head> {
        var features = body(support.inputs)
        if order == .first { features = features.detached() }
        var learner = Learner(head)
        learner.adapt(on: ExampleSet(inputs: features, targets: support.targets), loss: loss,
                      learningRate: innerLearningRate, steps: steps ?? innerSteps, order: order)
        return learner
    }

    /// Predictions for `inputs` with an adapted head.
    public func predict(_ inputs: Tensor, head adapted: Learner<Head>) -> Tensor {
        adapted(body(inputs))
    }

    /// The mean query loss after adapting the head on each episode's support set.
    public func metaLoss(on episodes: [Episode]) -> Tensor {
        precondition(!episodes.isEmpty, "ANIL.metaLoss: needs at least one episode")
        let losses = episodes.map { episode in
            loss(predict(episode.query.inputs, head: adaptHead(on: episode.support)), episode.query.targets)
        }
        return losses.dropFirst().reduce(losses[0], +) / Float(episodes.count)
    }
}
