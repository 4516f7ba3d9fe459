import MesaNN

/// A snapshot of an ``Optimizer``'s state as plain Codable data, for checkpoints.
///
/// Per-parameter entries are keyed by position in ``Optimizer/parameters`` (the order of
/// `Module.parameters`, which is declaration order) and carry the parameter's shape so that a
/// snapshot from a different model is refused. Floats survive a JSON round trip exactly
/// (`JSONEncoder` writes the shortest decimal that reads back to the same `Float`), so
/// resuming from a saved snapshot continues bit for bit. Non-finite buffer values need a
/// `nonConformingFloatEncodingStrategy` to be written as JSON.
public struct OptimizerState: Codable, Equatable, Sendable {
    /// The state of one parameter.
    public struct ParameterState: Codable, Equatable, Sendable {
        /// The parameter's shape.
        public var shape: [Int]
        /// How many steps updated this parameter: fewer than the optimizer's step count when the
        /// parameter had no gradient at some steps. Adam's bias correction uses this count.
        public var stepCount: Int
        /// The algorithm's buffers by name (e.g. `"firstMoment"`), each `shape`'s element count
        /// long, in row-major order.
        public var buffers: [String: [Float]]

        /// Creates the state of one parameter.
        public init(shape: [Int], stepCount: Int, buffers: [String: [Float]]) {
            self.shape = shape
            self.stepCount = stepCount
            self.buffers = buffers
        }
    }

    /// The algorithm's name: `"SGD"`, `"Adam"`, `"AdamW"` or `"Lion"`.
    public var algorithm: String
    /// The number of ``Optimizer/step()`` calls.
    public var stepCount: Int
    /// The learning rate at the time of the snapshot (restored on loading).
    public var learningRate: Float
    /// The other hyperparameters by name (Boolean options as 0 or 1). On loading, the adjustable
    /// ones (weight decay, betas, `ε`) are restored, like the learning rate; those fixed at
    /// creation (SGD's momentum, dampening and Nesterov option) must match.
    public var hyperparameters: [String: Float]
    /// One entry per parameter, in the optimizer's order.
    public var parameters: [ParameterState]

    /// Creates a snapshot.
    public init(
        algorithm: String, stepCount: Int, learningRate: Float, hyperparameters: [String: Float],
        parameters: [ParameterState]
    ) {
        self.algorithm = algorithm
        self.stepCount = stepCount
        self.learningRate = learningRate
        self.hyperparameters = hyperparameters
        self.parameters = parameters
    }
}

extension OptimizerState {
    /// Throws unless this snapshot fits an optimizer described by the arguments: its algorithm,
    /// the hyperparameters fixed at its creation, its parameters and the buffer names it keeps.
    func validate(
        algorithm: String, fixedHyperparameters: [String: Float], parameters: [Parameter], bufferNames: Set<String>
    ) throws {
        guard self.algorithm == algorithm else {
            throw OptimizerStateMismatch("the state of a \(self.algorithm) optimizer cannot be loaded into \(algorithm)")
        }
        for (name, value) in fixedHyperparameters.sorted(by: { $0.key < $1.key }) where hyperparameters[name] != value {
            throw OptimizerStateMismatch(
                "\(algorithm) hyperparameter '\(name)' is \(hyperparameters[name].map { "\($0)" } ?? "absent") in the state "
                    + "but \(value) in this optimizer, which fixes it at creation")
        }
        guard learningRate >= 0 else { throw OptimizerStateMismatch("learning rate \(learningRate) in the state must be non-negative") }
        guard stepCount >= 0 else { throw OptimizerStateMismatch("negative step count \(stepCount)") }
        guard self.parameters.count == parameters.count else {
            throw OptimizerStateMismatch(
                "the state holds \(self.parameters.count) parameters but this \(algorithm) optimizer has \(parameters.count)")
        }
        for (index, (saved, parameter)) in zip(self.parameters, parameters).enumerated() {
            guard saved.shape == parameter.shape else {
                throw OptimizerStateMismatch("parameter \(index) has shape \(saved.shape) in the state but \(parameter.shape) here")
            }
            guard (0...stepCount).contains(saved.stepCount) else {
                throw OptimizerStateMismatch(
                    "parameter \(index) has step count \(saved.stepCount), outside 0...\(stepCount) (the optimizer's step count)")
            }
            guard Set(saved.buffers.keys) == bufferNames else {
                throw OptimizerStateMismatch(
                    "parameter \(index) has buffers \(saved.buffers.keys.sorted()) in the state but \(algorithm) needs \(bufferNames.sorted())")
            }
            let count = parameter.value.scalarCount
            for (name, buffer) in saved.buffers where buffer.count != count {
                throw OptimizerStateMismatch(
                    "buffer '\(name)' of parameter \(index) holds \(buffer.count) values for a parameter of \(count) elements")
            }
        }
    }

    /// The adjustable hyperparameter `name`, which must be present and lie in `range`.
    func hyperparameter(_ name: String, in range: ClosedRange<Float>) throws -> Float {
        guard let value = hyperparameters[name] else {
            throw OptimizerStateMismatch("\(algorithm) hyperparameter '\(name)' is absent from the state")
        }
        guard range.contains(value) else {
            throw OptimizerStateMismatch("\(algorithm) hyperparameter '\(name)' is \(value) in the state, outside \(range)")
        }
        return value
    }

    /// The buffer called `name` of every parameter, in order (after ``validate``).
    func buffers(named name: String) -> [[Float]] {
        parameters.map { $0.buffers[name] ?? [] }
    }
}

extension OptimizerState {
    /// A snapshot assembled from an optimizer's fields: `buffers[name][index]` is parameter
    /// `index`'s buffer called `name`.
    init(
        algorithm: String, stepCount: Int, learningRate: Float, hyperparameters: [String: Float],
        parameters: [Parameter], parameterStepCounts: [Int], buffers: [String: [[Float]]]
    ) {
        let entries = parameters.indices.map { index in
            ParameterState(shape: parameters[index].shape, stepCount: parameterStepCounts[index],
                           buffers: buffers.mapValues { $0[index] })
        }
        self.init(algorithm: algorithm, stepCount: stepCount, learningRate: learningRate,
                  hyperparameters: hyperparameters, parameters: entries)
    }
}
