import MesaCore

/// An out-of-distribution probe (Garg et al. 2022, §4): the evaluation prompts drawn with
/// modified ``SamplingOptions``.
public struct EvaluationProbe: Sendable, Equatable {
    /// A short name for files and legends, e.g. `"inputs x2"`.
    public var name: String
    /// How the prompts are drawn.
    public var options: SamplingOptions

    /// Creates a probe.
    public init(name: String, options: SamplingOptions) {
        self.name = name
        self.options = options
    }

    /// The in-distribution evaluation.
    public static let inDistribution = EvaluationProbe(name: "in-distribution", options: .standard)

    /// Garg et al.'s probes for a distribution over `inputDimension`-dimensional inputs: inputs
    /// scaled ×2 and ×3, targets with added noise (σ = 1, a large shift for noise-free tasks),
    /// and, when `d > 1`, half the dimensions active.
    public static func outOfDistribution(inputDimension: Int, kind: TaskKind) -> [EvaluationProbe] {
        var probes = [EvaluationProbe(name: "inputs x2", options: SamplingOptions(inputScale: 2)),
                      EvaluationProbe(name: "inputs x3", options: SamplingOptions(inputScale: 3))]
        if !kind.isClassification { probes.append(EvaluationProbe(name: "added noise 1", options: SamplingOptions(addedNoise: 1))) }
        if inputDimension > 1 {
            probes.append(EvaluationProbe(name: "d \(inputDimension / 2) of \(inputDimension)",
                                          options: SamplingOptions(activeDimensions: inputDimension / 2)))
        }
        return probes
    }
}
