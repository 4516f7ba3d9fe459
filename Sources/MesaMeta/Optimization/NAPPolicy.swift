import Foundation
import MesaCore
import MesaNN

/// The end-to-end acquisition network of NAP (Maraval, Zimmer, Grosnit & Bou Ammar 2023,
/// "End-to-End Meta-Bayesian Optimisation with Transformer Neural Processes"): a Transformer that
/// reads the history `{(xᵢ, yᵢ)}` and candidate points `x̃ⱼ` and outputs an acquisition value
/// `α(x̃ⱼ)` for every candidate directly, trained by reinforcement learning (``NAPTrainer``).
///
/// **Trunk**: a ``TabularTransformer`` (the PFN surrogate's architecture, and by default its
/// weights): a history token is `W_x(2x − 1) + w_y y`, a candidate token `W_x(2x̃ − 1)`; every
/// token attends to the history tokens only, so the history tokens attend to each other and each
/// candidate attends to the history and never to another candidate. With no positional
/// encoding, the output is invariant to the order of the history, and a candidate's score does not
/// depend on the other candidates.
///
/// **Heads**, on a candidate's encoding `h`:
/// - the neural-process head, the trunk's own bar-distribution head: logits `ℓ(h)` over
///   ``TabularModelConfiguration/binCount`` bins of the standardised objective (NAP's auxiliary
///   supervised loss is its log-likelihood at the candidates);
/// - the acquisition `α = w · log EI_ℓ(h) + g(h)`: `log EI_ℓ = logsumexp_b(ℓ_b + log e_b) − logsumexp_b ℓ_b`
///   is the log expected improvement of the neural-process head's bar distribution below the
///   best standardised value (the per-bin terms `e_b` of ``BarDistribution``), `w` a learned scalar
///   (the inverse temperature; initially ``NAPConfiguration/initialExpectedImprovementWeight``) and `g` an MLP whose last layer starts at zero. So the policy starts as the
///   PFN surrogate's expected improvement on the candidate set and reinforcement learning
///   reshapes it; the paper's head is `g` alone (a documented departure, made so that a policy
///   trained for minutes on two cores starts from a sound acquisition rather than a random one).
///
/// **Value head** (PPO's baseline): an MLP on the mean of the history tokens' encodings (detached,
/// so the baseline does not shape the trunk) and the share of the episode still to come.
///
/// Shapes: a batch of `B` ``NAPDecision``s with the same history length `n` and candidate count
/// `N` gives acquisitions `[B, N]`, bin logits `[B, N, bins]` and values `[B, 1]`.
public final class NAPPolicy: Module {
    /// What the network is made of: stored in its checkpoints to rebuild it.
    public struct Architecture: Codable, Sendable, Equatable {
        /// The trunk (and neural-process head) sizes.
        public var trunk: TabularModelConfiguration
        /// Hidden units of the acquisition and value MLPs.
        public var headWidth: Int
        /// The largest problem dimension the policy was trained on (and accepts).
        public var maximumDimension: Int

        /// Creates an architecture.
        public init(trunk: TabularModelConfiguration, headWidth: Int, maximumDimension: Int) {
            self.trunk = trunk
            self.headWidth = headWidth
            self.maximumDimension = maximumDimension
        }
    }

    /// The checkpoint format of the policy's run checkpoints and exports.
    public static let format = "nap-policy-1"

    /// The sizes.
    public let architecture: Architecture
    /// The Transformer trunk with its bar-distribution (neural-process) head.
    public let trunk: TabularTransformer
    /// `g`: encoding → acquisition correction.
    public let acquisitionHead: MLP
    /// `w`: the weight of the neural-process head's log expected improvement, `[1]`.
    public let expectedImprovementWeight: Parameter
    /// The value baseline: pooled history encoding and remaining share → expected return.
    public let valueHead: MLP
    /// `κ`: the share of the acquisition's gradient that reaches the trunk and the neural-process
    /// head (1: end to end, as the paper; 0: only `g` and `w` learn from the acquisition, and the
    /// trunk from the neural-process loss alone). Changes gradients only, never values: the
    /// acquisition reads `κ h + (1 − κ) stop(h)` and `κ ℓ + (1 − κ) stop(ℓ)`.
    public var trunkGradientScale: Float = 1

    /// A policy whose trunk is `trunk` (e.g. the PFN surrogate's network) and whose heads are
    /// freshly initialised (`g` to zero and `w` to `expectedImprovementWeight`: the policy starts
    /// as the trunk's expected improvement at inverse temperature `w`).
    public init(trunk: TabularTransformer, headWidth: Int, maximumDimension: Int, expectedImprovementWeight weight: Float = 1,
                using generator: inout RandomGenerator) {
        precondition(trunk.configuration.kind == .regression, "NAPPolicy: the trunk must be a regression (bar-distribution) network")
        precondition(maximumDimension <= trunk.configuration.maximumFeatures, "NAPPolicy: the trunk reads at most \(trunk.configuration.maximumFeatures) coordinates")
        architecture = Architecture(trunk: trunk.configuration, headWidth: headWidth, maximumDimension: maximumDimension)
        self.trunk = trunk
        let d = trunk.configuration.modelSize
        acquisitionHead = MLP(sizes: [d, headWidth, 1], activation: .gelu, using: &generator)
        acquisitionHead.layers[1].weight.assign(Tensor.zeros([1, headWidth]))
        acquisitionHead.layers[1].bias?.assign(Tensor.zeros([1]))
        expectedImprovementWeight = Parameter(Tensor(shape: [1], scalars: [weight]))
        valueHead = MLP(sizes: [d + 1, headWidth, 1], activation: .gelu, using: &generator)
    }

    /// A freshly initialised policy of `architecture` (weights to be restored).
    public convenience init(architecture: Architecture, using generator: inout RandomGenerator) {
        self.init(trunk: TabularTransformer(configuration: architecture.trunk, using: &generator), headWidth: architecture.headWidth,
                  maximumDimension: architecture.maximumDimension, using: &generator)
    }

    /// What one forward pass gives.
    public struct Output {
        /// The acquisition values `α`, `[B, N]`: the policy is `softmax` over them.
        public var acquisition: Tensor
        /// The neural-process head's bin logits at the candidates, `[B, N, bins]`.
        public var binLogits: Tensor
        /// The value baseline, `[B, 1]`.
        public var value: Tensor
        /// The neural-process head's log expected improvement, `[B, N]` (the acquisition's first term).
        public var logExpectedImprovement: Tensor
    }

    /// The network on a batch of decisions of equal history length and candidate count (their
    /// dimensions may differ: features are zero-padded as the trunk pads tables).
    public func callAsFunction(_ decisions: [NAPDecision]) -> Output {
        let c = trunk.configuration
        let (batch, n, count) = (decisions.count, decisions[0].points.count, decisions[0].candidates.count)
        precondition(decisions.allSatisfy { $0.points.count == n && $0.candidates.count == count },
                     "NAPPolicy: the decisions of a batch need equal history lengths and candidate counts")
        let rows = n + count
        var features: [Float] = []
        features.reserveCapacity(batch * rows * c.maximumFeatures)
        for decision in decisions {
            let raw = (decision.points + decision.candidates).flatMap(GaussianProcessFunctionPrior.encodedFeatures)
            features += trunk.paddedFeatures(raw, rows: rows, featureCount: decision.dimension)
        }
        let encoded = trunk.encoded(features: Tensor(shape: [batch, rows, c.maximumFeatures], scalars: features),
                                    trainTargets: decisions.flatMap(\.values), trainCount: n,
                                    featureCounts: decisions.map(\.dimension))          // [B, n + N, d]
        let candidates = encoded.slice(alongAxis: 1, from: n)                                           // [B, N, d]
        let logits = trunk.head(candidates)                                                              // [B, N, bins]
        let (acquisitionLogits, acquisitionInput) = trunkGradientScale == 1 ? (logits, candidates)
            : (Self.scalingGradient(logits, by: trunkGradientScale), Self.scalingGradient(candidates, by: trunkGradientScale))
        let width = 2 * Double(c.binRange) / Double(c.binCount)
        var terms: [Float] = []
        terms.reserveCapacity(batch * c.binCount)
        for decision in decisions {
            // log e_b below the incumbent; a bin that cannot improve gets a large finite negative
            // instead of −∞, so that log-sum-exp and its gradient stay finite.
            terms += BarDistribution.logImprovementTerms(below: Double(decision.incumbent), binCount: c.binCount, lowerEdge: -Double(c.binRange),
                                                         binWidth: width, tailScale: width).map { Float(Swift.max($0, -1e4)) }
        }
        let logTerms = Tensor(shape: [batch, 1, c.binCount], scalars: terms)
        let logExpectedImprovement = (acquisitionLogits + logTerms).logSumExp(alongAxis: 2) - acquisitionLogits.logSumExp(alongAxis: 2)   // [B, N]
        let correction = acquisitionHead(acquisitionInput).reshaped(to: [batch, count])
        let acquisition = expectedImprovementWeight.value * logExpectedImprovement + correction
        let pooled = encoded.slice(alongAxis: 1, from: 0, to: n).mean(alongAxis: 1).detached()         // [B, d]
        let remaining = Tensor(shape: [batch, 1], scalars: decisions.map(\.remainingFraction))
        let value = valueHead(Tensor.concatenate([pooled, remaining], alongAxis: 1))                  // [B, 1]
        return Output(acquisition: acquisition, binLogits: logits, value: value, logExpectedImprovement: logExpectedImprovement)
    }

    /// `x` with its gradient scaled by `scale`: `scale · x + (1 − scale) · stop(x)`.
    static func scalingGradient(_ x: Tensor, by scale: Float) -> Tensor {
        scale == 0 ? x.detached() : x * scale + x.detached() * (1 - scale)
    }

    /// The acquisition values of one decision's candidates (no gradients), in forward passes of
    /// at most `chunkSize` candidates: what the optimiser maximises.
    public func acquisitionValues(_ decision: NAPDecision, chunkSize: Int = 256) -> [Double] {
        chunks(of: decision, chunkSize: chunkSize) { output, _ in output.acquisition.scalars.map(Double.init) }
    }

    /// The neural-process head's bar distributions at one decision's candidates (no gradients).
    public func predictiveDistributions(_ decision: NAPDecision, chunkSize: Int = 256) -> [BarDistribution] {
        let c = trunk.configuration
        return chunks(of: decision, chunkSize: chunkSize) { output, count in
            let logits = output.binLogits.scalars
            return (0..<count).map { BarDistribution(logits: logits[($0 * c.binCount)..<(($0 + 1) * c.binCount)], range: Double(c.binRange)) }
        }
    }

    private func chunks<Element>(of decision: NAPDecision, chunkSize: Int, _ body: (Output, Int) -> [Element]) -> [Element] {
        var result: [Element] = []
        result.reserveCapacity(decision.candidates.count)
        for start in stride(from: 0, to: decision.candidates.count, by: chunkSize) {
            var part = decision
            part.candidates = Array(decision.candidates[start..<Swift.min(start + chunkSize, decision.candidates.count)])
            result += body(withoutGradients { self([part]) }, part.candidates.count)
        }
        return result
    }

    /// The policy's weights with their architecture and `metadata` (`mesa.format` =
    /// ``format``, `mesa.napArchitecture`).
    public func checkpoint(extraMetadata metadata: [String: String]) throws -> SafeTensors {
        var all = metadata
        all["mesa.format"] = Self.format
        all["mesa.napArchitecture"] = try RunFolder.json(architecture)
        return try checkpoint(metadata: all)
    }

    /// The policy in `url` (a run checkpoint of `mesa train-nap` or its export) with the file's metadata.
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` naming the file and what is wrong with it.
    public static func load(contentsOf url: URL) throws -> (policy: NAPPolicy, metadata: [String: String]) {
        let file: SafeTensors
        do { file = try SafeTensors(contentsOf: url) } catch {
            throw OptimizationError.unavailable("--surrogate nap: cannot read the NAP checkpoint \(url.path): \(error)")
        }
        guard file.metadata["mesa.format"] == format, let json = file.metadata["mesa.napArchitecture"] else {
            throw OptimizationError.unavailable("--surrogate nap: \(url.path) is not a NAP policy written by `mesa train-nap` (its format is \(file.metadata["mesa.format"] ?? "missing"), expected \(format))")
        }
        let architecture: Architecture
        do { architecture = try JSONDecoder().decode(Architecture.self, from: Data(json.utf8)) } catch {
            throw OptimizationError.unavailable("--surrogate nap: \(url.path): its mesa.napArchitecture does not decode (\(error))")
        }
        var generator = RandomGenerator(seed: 0)
        let policy = NAPPolicy(architecture: architecture, using: &generator)
        do { try policy.restore(from: file, strict: false) } catch {
            throw OptimizationError.unavailable("--surrogate nap: \(url.path) does not fit its own architecture: \(error)")
        }
        return (policy, file.metadata)
    }
}
