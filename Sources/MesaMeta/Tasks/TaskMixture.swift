import MesaCore

/// A mixture of task distributions, the multi-family setting of Panwar et al. 2024 ("In-Context
/// Learning through the Bayesian Prism"): each task first draws a component `c` with probability
/// `w_c / Σ w`, then a task from that component; its inputs come from the same component's input
/// distribution.
///
/// All components must share the input dimension and the ``TaskKind``.
///
/// ```swift
/// let mixture = try TaskMixture(components: [
///     (weight: 1, distribution: try LinearRegressionTasks(inputDimension: 10)),
///     (weight: 1, distribution: try SparseLinearRegressionTasks(inputDimension: 10, nonZeroCount: 2)),
/// ])
/// ```
public struct TaskMixture: TaskDistribution {
    /// The components and their (unnormalised) weights, in the order given.
    public let components: [(weight: Double, distribution: any TaskDistribution)]
    /// The shared input width.
    public let inputDimension: Int
    /// The shared kind of the components.
    public let kind: TaskKind
    /// The running sums of the weights (the last is the total).
    private let cumulativeWeights: [Double]

    /// For example `"mixture of 0.5 × linear regression (d = 5), 0.5 × ReLU network (d = 5, r = 100)"`.
    public var name: String {
        "mixture of " + components.map { "\($0.weight) × \($0.distribution.name)" }.joined(separator: ", ")
    }

    /// The probability `w_c / Σ w` of each component.
    public var probabilities: [Double] {
        let total = cumulativeWeights.last ?? 1
        return components.map { $0.weight / total }
    }

    /// Creates the mixture.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for no components, a negative or
    ///   non-finite weight, weights summing to zero, or components that differ in input dimension or kind.
    public init(components: [(weight: Double, distribution: any TaskDistribution)]) throws {
        guard let first = components.first else {
            throw InContextError.invalidConfiguration("task mixture: needs at least one component, got 0")
        }
        var total = 0.0, cumulative: [Double] = []
        for (index, component) in components.enumerated() {
            guard component.weight >= 0, component.weight.isFinite else {
                throw InContextError.invalidConfiguration(
                    "task mixture: the weight of component \(index) (\(component.distribution.name)) must be finite and ≥ 0, got \(component.weight)")
            }
            guard component.distribution.inputDimension == first.distribution.inputDimension else {
                throw InContextError.invalidConfiguration(
                    "task mixture: component \(index) (\(component.distribution.name)) has inputDimension \(component.distribution.inputDimension), component 0 has \(first.distribution.inputDimension)")
            }
            guard component.distribution.kind == first.distribution.kind else {
                throw InContextError.invalidConfiguration(
                    "task mixture: component \(index) (\(component.distribution.name)) has kind \(component.distribution.kind), component 0 has \(first.distribution.kind)")
            }
            total += component.weight
            cumulative.append(total)
        }
        guard total > 0 else {
            throw InContextError.invalidConfiguration("task mixture: the weights must not all be zero, got \(components.map(\.weight))")
        }
        self.components = components
        self.inputDimension = first.distribution.inputDimension
        self.kind = first.distribution.kind
        self.cumulativeWeights = cumulative
    }

    /// Draws the component (one uniform draw), then a task from it, wrapped in a ``MixtureTask``.
    public func sampleTask(using generator: inout RandomGenerator) -> any TaskFunction {
        let threshold = generator.nextDouble() * cumulativeWeights[cumulativeWeights.count - 1]
        // The first component whose running sum exceeds the threshold; zero-weight components are never chosen.
        let index = cumulativeWeights.firstIndex { threshold < $0 } ?? (components.count - 1)
        return MixtureTask(componentIndex: index, task: components[index].distribution.sampleTask(using: &generator))
    }

    /// Inputs from the component a ``MixtureTask`` came from. A task not drawn from this mixture
    /// gets the first component's inputs.
    public func sampleInputs(count: Int, for task: any TaskFunction, using generator: inout RandomGenerator) -> [Float] {
        if let task = task as? MixtureTask, components.indices.contains(task.componentIndex) {
            return components[task.componentIndex].distribution.sampleInputs(count: count, for: task.task, using: &generator)
        }
        return components[0].distribution.sampleInputs(count: count, for: task, using: &generator)
    }
}

/// A task of a ``TaskMixture``: the component's task and the index of the component it came from.
public struct MixtureTask: TaskFunction {
    /// The index of the component in ``TaskMixture/components``.
    public var componentIndex: Int
    /// The component's task.
    public var task: any TaskFunction

    /// Wraps `task`, drawn from component `componentIndex`.
    public init(componentIndex: Int, task: any TaskFunction) {
        self.componentIndex = componentIndex
        self.task = task
    }

    /// The component task's targets.
    public func targets(for inputs: [Float], count: Int, using generator: inout RandomGenerator) -> [Float] {
        task.targets(for: inputs, count: count, using: &generator)
    }
}

extension TaskMixture: ConfigurableTaskDistribution {
    /// The mixture of the configuration's `components`, each built from its own configuration.
    public init(configuration c: TaskConfiguration) throws {
        guard let components = c.components, !components.isEmpty else {
            throw InContextError.invalidConfiguration("task: a mixture needs 'components': [{\"weight\": …, \"task\": {…}}, …]")
        }
        if components.contains(where: { $0.task.family == .projectedDataset }) {
            throw InContextError.invalidConfiguration("task: projectedDataset tasks label only the dataset rows they draw and cannot be mixed; train on them alone")
        }
        try self.init(components: components.map { (weight: $0.weight, distribution: try $0.task.makeDistribution()) })
    }
}
