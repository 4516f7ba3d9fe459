import MesaCore

/// The task families a configuration file can name (``TaskConfiguration/family``); a misspelt
/// name is an error that lists these.
public enum TaskFamily: String, ConfigurationChoice {
    /// ``LinearRegressionTasks`` (Garg et al. 2022).
    case linear
    /// ``SparseLinearRegressionTasks``.
    case sparseLinear
    /// ``ReLUNetworkTasks``: two-layer ReLU networks.
    case reluNetwork
    /// ``DecisionTreeTasks``.
    case decisionTree
    /// ``FourierSeriesTasks``.
    case fourier
    /// ``GaussianProcessTasks``.
    case gaussianProcess
    /// ``SinusoidTasks`` (Finn et al. 2017).
    case sinusoid
    /// ``LinearClassificationTasks``.
    case linearClassification
    /// ``ProjectedDatasetTasks`` (Kirsch et al. 2022).
    case projectedDataset
    /// ``TaskMixture`` of the configuration's components.
    case mixture

    /// Whether its tasks are classification tasks.
    public var isClassification: Bool { self == .linearClassification || self == .projectedDataset }

    /// The distribution type that builds this family's tasks from a configuration; `nil` for
    /// ``projectedDataset``, which loads a dataset first (``TaskConfiguration/makeDistribution()``).
    public var distributionType: (any ConfigurableTaskDistribution.Type)? {
        switch self {
        case .linear: LinearRegressionTasks.self
        case .sparseLinear: SparseLinearRegressionTasks.self
        case .reluNetwork: ReLUNetworkTasks.self
        case .decisionTree: DecisionTreeTasks.self
        case .fourier: FourierSeriesTasks.self
        case .gaussianProcess: GaussianProcessTasks.self
        case .sinusoid: SinusoidTasks.self
        case .linearClassification: LinearClassificationTasks.self
        case .mixture: TaskMixture.self
        case .projectedDataset: nil
        }
    }
}
