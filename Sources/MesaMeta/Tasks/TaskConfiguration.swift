import Foundation

/// A task distribution described as data, for configuration files.
///
/// `family` selects the distribution; the other fields are its parameters (those a family does
/// not use are ignored). Families: `linear`, `sparseLinear`, `reluNetwork`, `decisionTree`,
/// `fourier`, `gaussianProcess`, `sinusoid`, `linearClassification`, `projectedDataset` (Kirsch
/// et al.'s randomly projected, label-permuted dataset tasks: `dataset`, `datasetSplit`,
/// `inputDimension` as the projection width, `classCount`, `unpermutedFraction`), and `mixture`
/// (of `components`). `poolSize` turns any of them into a finite pool of that many fixed tasks.
///
/// ```json
/// {"family": "sparseLinear", "inputDimension": 10, "nonZeroCount": 3}
/// {"family": "mixture", "inputDimension": 10, "components": [
///     {"weight": 0.5, "task": {"family": "linear", "inputDimension": 10}},
///     {"weight": 0.5, "task": {"family": "sparseLinear", "inputDimension": 10, "nonZeroCount": 3}}]}
/// ```
public struct TaskConfiguration: Codable, Equatable, Sendable {
    /// One weighted component of a mixture.
    public struct Component: Codable, Equatable, Sendable {
        /// The mixing weight (relative; need not sum to 1).
        public var weight: Double
        /// The component's distribution.
        public var task: TaskConfiguration

        /// Creates a component.
        public init(weight: Double, task: TaskConfiguration) {
            self.weight = weight
            self.task = task
        }
    }

    /// The family (see the type's documentation).
    public var family: TaskFamily
    /// The input dimension `d` (1 for `fourier` and `sinusoid`).
    public var inputDimension: Int
    /// Observation noise `σ` (regression).
    public var noise: Float
    /// Prior standard deviation of linear weights `τ`.
    public var weightScale: Float
    /// Non-zero weights of sparse linear tasks.
    public var nonZeroCount: Int
    /// Hidden units of ReLU-network tasks.
    public var hiddenSize: Int
    /// Depth of decision-tree tasks.
    public var depth: Int
    /// Largest frequency of Fourier-series tasks.
    public var maximumFrequency: Int
    /// Smallest frequency of Fourier-series tasks (a task draws its frequency in between).
    public var minimumFrequency: Int?
    /// RBF length-scale of Gaussian-process tasks.
    public var lengthScale: Float
    /// Signal variance of Gaussian-process tasks.
    public var signalVariance: Float
    /// Classes of classification tasks.
    public var classCount: Int
    /// Probability of a random label (classification).
    public var labelNoise: Float
    /// The input distribution (linear families, GP); `nil`: the family's own default.
    public var inputs: InputDistribution?
    /// Components of a `mixture`.
    public var components: [Component]?
    /// A finite pool of this many fixed tasks; `nil`: fresh tasks every batch.
    public var poolSize: Int?
    /// The seed of the pool's tasks.
    public var poolSeed: UInt64
    /// `projectedDataset`: the base dataset, `"fashion-mnist"` (Debian's IDX files) or the path
    /// of a CSV table whose last column is the class.
    public var dataset: String
    /// `projectedDataset` with Fashion-MNIST: `"train"` (60,000 images) or `"test"` (10,000).
    public var datasetSplit: String
    /// `projectedDataset`: the fraction of each batch shown with the identity label permutation.
    public var unpermutedFraction: Double
    /// `projectedDataset`: the Dirichlet concentration of each prompt's class proportions during
    /// training (`nil`: uniform rows; see ``ProjectedDatasetTasks/classImbalance``).
    public var classImbalance: Double?

    /// Creates a configuration of `family` with default parameters.
    public init(family: TaskFamily, inputDimension: Int = 1, noise: Float = 0, weightScale: Float = 1, nonZeroCount: Int = 3,
                hiddenSize: Int = 100, depth: Int = 4, maximumFrequency: Int = 5, minimumFrequency: Int? = nil,
                lengthScale: Float = 1, signalVariance: Float = 1, classCount: Int = 2, labelNoise: Float = 0,
                inputs: InputDistribution? = nil, components: [Component]? = nil, poolSize: Int? = nil, poolSeed: UInt64 = 0,
                dataset: String = "fashion-mnist", datasetSplit: String = "train", unpermutedFraction: Double = 0,
                classImbalance: Double? = nil) {
        self.family = family
        self.inputDimension = inputDimension
        self.noise = noise
        self.weightScale = weightScale
        self.nonZeroCount = nonZeroCount
        self.hiddenSize = hiddenSize
        self.depth = depth
        self.maximumFrequency = maximumFrequency
        self.minimumFrequency = minimumFrequency
        self.lengthScale = lengthScale
        self.signalVariance = signalVariance
        self.classCount = classCount
        self.labelNoise = labelNoise
        self.inputs = inputs
        self.components = components
        self.poolSize = poolSize
        self.poolSeed = poolSeed
        self.dataset = dataset
        self.datasetSplit = datasetSplit
        self.unpermutedFraction = unpermutedFraction
        self.classImbalance = classImbalance
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case family, inputDimension, noise, weightScale, nonZeroCount, hiddenSize, depth, maximumFrequency, minimumFrequency
        case lengthScale, signalVariance, classCount, labelNoise, inputs, components, poolSize, poolSeed
        case dataset, datasetSplit, unpermutedFraction, classImbalance
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "task")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let family = try c.decodeIfPresent(TaskFamily.self, forKey: .family) else {
            throw InContextError.invalidConfiguration("task: 'family' is required (one of \(TaskFamily.names.joined(separator: ", ")))")
        }
        let d = TaskConfiguration(family: family)
        self.family = family
        inputDimension = try c.value(.inputDimension, default: d.inputDimension)
        noise = try c.value(.noise, default: d.noise)
        weightScale = try c.value(.weightScale, default: d.weightScale)
        nonZeroCount = try c.value(.nonZeroCount, default: d.nonZeroCount)
        hiddenSize = try c.value(.hiddenSize, default: d.hiddenSize)
        depth = try c.value(.depth, default: d.depth)
        maximumFrequency = try c.value(.maximumFrequency, default: d.maximumFrequency)
        minimumFrequency = try c.decodeIfPresent(Int.self, forKey: .minimumFrequency)
        lengthScale = try c.value(.lengthScale, default: d.lengthScale)
        signalVariance = try c.value(.signalVariance, default: d.signalVariance)
        classCount = try c.value(.classCount, default: d.classCount)
        labelNoise = try c.value(.labelNoise, default: d.labelNoise)
        inputs = try c.decodeIfPresent(InputDistribution.self, forKey: .inputs)
        components = try c.decodeIfPresent([Component].self, forKey: .components)
        poolSize = try c.decodeIfPresent(Int.self, forKey: .poolSize)
        poolSeed = try c.value(.poolSeed, default: d.poolSeed)
        dataset = try c.value(.dataset, default: d.dataset)
        datasetSplit = try c.value(.datasetSplit, default: d.datasetSplit)
        unpermutedFraction = try c.value(.unpermutedFraction, default: d.unpermutedFraction)
        classImbalance = try c.decodeIfPresent(Double.self, forKey: .classImbalance)
    }

    /// The known family names.
    public static var families: [String] { TaskFamily.names }

    /// The kind of tasks this configuration describes (without building the distribution).
    public var kind: TaskKind {
        family.isClassification ? .classification(classCount: classCount) : .regression
    }
}
