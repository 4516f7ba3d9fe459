import Foundation
import MesaCore
import MesaNN

/// A meta-learned query policy (Konyushkova, Sznitman & Fua 2017, "Learning active learning from
/// data"): a small network that predicts, from a pool row's ``QueryPolicyFeatures``, how much
/// labelling that row will reduce the learner's error; the row with the largest prediction is
/// queried. Trained by ``QueryPolicyTrainer`` on synthetic tasks from Mesa's tabular prior only.
///
/// Shapes: `[rows, inputCount] → [rows, 1]`; two hidden layers with GELU.
///
/// **Residual form** (``residualScale`` `s` set): the row's score is margin sampling's plus a
/// bounded learned correction, `score(x) = (1 − (p₁ − p₂)) + s · tanh(f(x))`, `f` the network, so
/// the policy departs from margin sampling's choice only for a row whose margin uncertainty is
/// within `2s` of the most uncertain row's: it breaks margin's near-ties, and cannot overrule a
/// clear margin choice (docs/active-learning.md says why).
///
/// **Look-ahead form** (``lookAheadShortlist`` `k` set; ``QueryPolicyLookAhead``): the network
/// reads ``QueryPolicyLookAhead/featureCount`` inputs, the ten features and what a look-ahead
/// expects of the row, and chooses among margin sampling's `k` most uncertain rows only.
public final class LearnedQueryPolicy: Module {
    /// Features → hidden.
    public let input: Linear
    /// Hidden → hidden.
    public let hidden: Linear
    /// Hidden → predicted error reduction.
    public let output: Linear
    /// The scale `s` of the residual form; `nil`: the network's output is the score.
    public var residualScale: Float?
    /// The look-ahead form's shortlist size `k`; `nil`: the network scores every row from the ten features.
    public let lookAheadShortlist: Int?
    /// Inputs per row: ``QueryPolicyFeatures/count``, or ``QueryPolicyLookAhead/featureCount`` in the look-ahead form.
    public var inputCount: Int { lookAheadShortlist == nil ? QueryPolicyFeatures.count : QueryPolicyLookAhead.featureCount }

    /// A freshly initialised policy with `width` hidden units per layer (residual form when
    /// `residualScale` is set, look-ahead form when `lookAheadShortlist` is).
    public init(width: Int = 32, residualScale: Float? = nil, lookAheadShortlist: Int? = nil, using generator: inout RandomGenerator) {
        self.residualScale = residualScale
        self.lookAheadShortlist = lookAheadShortlist
        input = Linear(inputSize: lookAheadShortlist == nil ? QueryPolicyFeatures.count : QueryPolicyLookAhead.featureCount,
                       outputSize: width, using: &generator)
        hidden = Linear(inputSize: width, outputSize: width, using: &generator)
        output = Linear(inputSize: width, outputSize: 1, using: &generator)
    }

    /// The predicted error reductions, `[rows, 1]`, of `features` `[rows, inputCount]`.
    public func callAsFunction(_ features: Tensor) -> Tensor {
        output(hidden(input(features).gelu()).gelu())
    }

    /// Each row's score from its `features` (`[rows][inputCount]`): the network's
    /// predicted error reduction, or in the residual form margin sampling's score plus
    /// `residualScale · tanh` of it (feature 1 is the margin `p₁ − p₂`).
    public func scores(_ features: [[Float]]) -> [Double] {
        guard !features.isEmpty else { return [] }
        let x = Tensor(shape: [features.count, inputCount], scalars: features.flatMap { $0 })
        let outputs: [Double] = withoutGradients { self(x) }.scalars.map { Double($0) }
        guard let residualScale else { return outputs }
        let scale = Double(residualScale)
        return zip(features, outputs).map { row, output -> Double in 1 - Double(row[1]) + scale * tanh(output) }
    }

    /// The shipped policy file, if present in the bundle.
    public static var shippedURL: URL? { Bundle.module.url(forResource: "query-policy", withExtension: "safetensors", subdirectory: "Models") }

    /// The policy in `url` (a checkpoint or export of ``QueryPolicyTrainer``; default: the shipped one).
    public static func load(_ url: URL? = nil) throws -> LearnedQueryPolicy {
        guard let url = url ?? shippedURL else {
            throw TabularError.invalidModel("no shipped query policy in this build; pass --policy FILE (a checkpoint of `mesa train-query-policy`)")
        }
        let checkpoint: SafeTensors
        do { checkpoint = try SafeTensors(contentsOf: url) } catch { throw TabularError.invalidModel("cannot read the query policy \(url.path): \(error)") }
        guard checkpoint.metadata["mesa.format"] == QueryPolicyTrainer.format else {
            throw TabularError.invalidModel("\(url.path) is not a query policy of `mesa train-query-policy` (its mesa.format is \(checkpoint.metadata["mesa.format"] ?? "missing"))")
        }
        let width = Int(checkpoint.metadata["mesa.policyWidth"] ?? "") ?? 32
        var residualScale: Float?
        if let text = checkpoint.metadata["mesa.residualScale"] {
            guard let value = Float(text), value > 0, value.isFinite else {
                throw TabularError.invalidModel("\(url.path): its mesa.residualScale is \(text), not a positive number")
            }
            residualScale = value
        }
        var shortlist: Int?
        if let text = checkpoint.metadata["mesa.lookAheadShortlist"] {
            guard let value = Int(text), value >= 2 else {
                throw TabularError.invalidModel("\(url.path): its mesa.lookAheadShortlist is \(text), not a whole number of at least 2")
            }
            guard residualScale == nil else {
                throw TabularError.invalidModel("\(url.path) has both mesa.lookAheadShortlist and mesa.residualScale; a policy has one form or the other")
            }
            shortlist = value
        }
        var generator = RandomGenerator(seed: 0)
        let policy = LearnedQueryPolicy(width: width, residualScale: residualScale, lookAheadShortlist: shortlist, using: &generator)
        try policy.restore(from: checkpoint, strict: false)
        return policy
    }
}
