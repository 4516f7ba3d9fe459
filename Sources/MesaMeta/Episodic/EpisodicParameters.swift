import MesaCore
import MesaNN

/// The trainable parts of an episodic meta-learner, as one module (checkpoint names
/// `network.…`, `body.…`, `head.…`, `learningRates.…`), and the algorithm that uses them.
public final class EpisodicParameters: Module {
    /// The whole network (MAML, Meta-SGD, Reptile).
    public let network: MLP?
    /// The feature extractor (ANIL's body, the ProtoNet's embedding).
    public let body: FeatureNetwork?
    /// ANIL's adapted head.
    public let head: Linear?
    /// Meta-SGD's learned step sizes.
    public let learningRates: [Parameter]

    init(configuration c: EpisodicConfiguration, inputSize: Int, using generator: inout RandomGenerator) {
        let outputSize = c.isClassification ? c.ways : 1
        switch c.algorithm {
        case .maml, .reptile, .metaSGD:
            network = MLP(sizes: [inputSize] + c.hiddenSizes + [outputSize], activation: c.activation, using: &generator)
            body = nil
            head = nil
        case .anil:
            network = nil
            body = FeatureNetwork(sizes: [inputSize] + c.hiddenSizes, activation: c.activation, using: &generator)
            head = Linear(inputSize: c.hiddenSizes.last!, outputSize: outputSize, using: &generator)
        case .prototypicalNetwork:
            network = nil
            body = FeatureNetwork(sizes: [inputSize] + c.hiddenSizes + [c.embeddingSize], activation: c.activation, using: &generator)
            head = nil
        }
        learningRates = c.algorithm == .metaSGD
            ? network!.parameters.map { Parameter(Tensor(repeating: c.innerLearningRate, shape: $0.shape)) }
            : []
    }

    private func loss(_ c: EpisodicConfiguration) -> MetaLoss { c.isClassification ? .crossEntropy : .meanSquaredError }

    private func maml(_ c: EpisodicConfiguration, order: DerivativeOrder? = nil, steps: Int? = nil) -> MAML<MLP> {
        MAML(model: network!, loss: loss(c), innerLearningRate: c.innerLearningRate, innerSteps: steps ?? c.innerSteps, order: order ?? c.order)
    }

    private func metaSGD(_ c: EpisodicConfiguration, order: DerivativeOrder? = nil, steps: Int? = nil) -> MetaSGD<MLP> {
        MetaSGD(model: network!, learningRates: learningRates, loss: loss(c), innerSteps: steps ?? c.innerSteps, order: order ?? c.order)
    }

    private func anil(_ c: EpisodicConfiguration, order: DerivativeOrder? = nil, steps: Int? = nil) -> ANIL<FeatureNetwork, Linear> {
        ANIL(body: body!, head: head!, loss: loss(c), innerLearningRate: c.innerLearningRate, innerSteps: steps ?? c.innerSteps,
             order: order ?? c.order)
    }

    /// Computes the meta-loss of `episodes` and leaves the meta-gradient in the parameters'
    /// gradients (Reptile: its direction `θ − mean φ`; the returned loss is then the query
    /// loss after adaptation, for logging).
    func metaLoss(on episodes: [Episode], configuration c: EpisodicConfiguration) -> Tensor {
        let loss: Tensor
        switch c.algorithm {
        case .maml:
            loss = c.batched ? maml(c).metaLoss(on: EpisodeBatch(episodes)) : maml(c).metaLoss(on: episodes)
        case .metaSGD:
            loss = metaSGD(c).metaLoss(on: episodes)
        case .anil:
            loss = anil(c).metaLoss(on: episodes)
        case .prototypicalNetwork:
            loss = PrototypicalNetwork(embedding: body!, refinementSteps: c.refinementSteps).loss(on: episodes, classCount: c.ways)
        case .reptile:
            let reptile = Reptile(model: network!, loss: self.loss(c), innerLearningRate: c.innerLearningRate, innerSteps: c.innerSteps)
            reptile.setMetaGradient(on: episodes.map(\.support))
            let lossFunction = self.loss(c)
            let losses = episodes.map { episode in
                withoutGradients { lossFunction(reptile.adapt(on: episode.support)(episode.query.inputs), episode.query.targets).scalar }
            }
            return Tensor(losses.reduce(0, +) / Float(losses.count))
        }
        loss.backward()
        return loss.detached()
    }

    /// The query loss and accuracy (classification) of one episode after `innerSteps` of
    /// first-order adaptation (no meta-gradient is needed at test time).
    func evaluate(_ episode: Episode, configuration c: EpisodicConfiguration, innerSteps: Int) -> (loss: Float, accuracy: Float?) {
        let prediction: Tensor
        switch c.algorithm {
        case .maml, .reptile:
            let learner = maml(c, order: .first, steps: innerSteps).adapt(on: episode.support)
            prediction = withoutGradients { learner(episode.query.inputs) }
        case .metaSGD:
            let learner = metaSGD(c, order: .first, steps: innerSteps).adapt(on: episode.support)
            prediction = withoutGradients { learner(episode.query.inputs) }
        case .anil:
            let algorithm = anil(c, order: .first, steps: innerSteps)
            let adapted = algorithm.adaptHead(on: episode.support)
            prediction = withoutGradients { algorithm.predict(episode.query.inputs, head: adapted) }
        case .prototypicalNetwork:
            prediction = withoutGradients {
                PrototypicalNetwork(embedding: body!, refinementSteps: c.refinementSteps).logits(for: episode, classCount: c.ways)
            }
        }
        let value = withoutGradients { loss(c)(prediction, episode.query.targets).scalar }
        let accuracy = c.isClassification ? MetaLoss.accuracy(logits: prediction, labels: episode.query.labels) : nil
        return (value, accuracy)
    }
}
