import MesaCore

/// Random linear classifiers: `y = argmax_c (W x)_c` with `W ~ N(0, I)` of shape `[k, d]`, no
/// bias, and inputs `x ~ N(0, I_d)`; with ``labelNoise`` `p`, each label is independently
/// replaced, with probability `p`, by a class drawn uniformly from all `k` (so it stays correct
/// with probability `1 − p + p/k`). The multi-class analogue of the linear tasks of Garg et al.
/// 2022; targets are class indices stored as `Float`s.
public struct LinearClassificationTasks: TaskDistribution {
    /// The width `d` of each input.
    public let inputDimension: Int
    /// The number `k` of classes.
    public let classCount: Int
    /// The probability `p` that a label is replaced by a uniformly random class.
    public let labelNoise: Float

    /// ``TaskKind/classification(classCount:)`` with ``classCount``.
    public var kind: TaskKind { .classification(classCount: classCount) }
    /// For example `"linear classification (d = 5, k = 3)"`.
    public var name: String {
        "linear classification (d = \(inputDimension), k = \(classCount)\(labelNoise > 0 ? ", label noise \(labelNoise)" : ""))"
    }

    /// Creates the distribution.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for a non-positive dimension, fewer
    ///   than 2 classes, or a label noise outside `[0, 1]`.
    public init(inputDimension: Int, classCount: Int, labelNoise: Float = 0) throws {
        let context = "linear classification"
        try validateInputDimension(inputDimension, in: context)
        guard classCount >= 2 else {
            throw InContextError.invalidConfiguration("\(context): classCount must be ≥ 2, got \(classCount)")
        }
        guard (0...1).contains(labelNoise) else {
            throw InContextError.invalidConfiguration("\(context): labelNoise must be in [0, 1], got \(labelNoise)")
        }
        self.inputDimension = inputDimension
        self.classCount = classCount
        self.labelNoise = labelNoise
    }

    /// Draws `W` `[k, d]`, row by row.
    public func sampleTask(using generator: inout RandomGenerator) -> any TaskFunction {
        LinearClassifierFunction(weights: (0..<(classCount * inputDimension)).map { _ in generator.nextNormal() },
                                 classCount: classCount, labelNoise: labelNoise)
    }
}

/// `y = argmax_c (W x)_c`, each label replaced by a uniform class with probability `p`: one task
/// of ``LinearClassificationTasks``.
public struct LinearClassifierFunction: TaskFunction {
    /// The class weights `W`, row-major `[k, d]` (row `c` scores class `c`).
    public var weights: [Float]
    /// The number `k` of classes.
    public var classCount: Int
    /// The label-noise probability `p`.
    public var labelNoise: Float

    /// The input width `d`.
    public var inputDimension: Int { weights.count / classCount }

    /// Creates the classifier; `weights.count` must be a positive multiple of `classCount`.
    public init(weights: [Float], classCount: Int, labelNoise: Float = 0) {
        precondition(classCount > 0 && !weights.isEmpty && weights.count % classCount == 0,
                     "LinearClassifierFunction: \(weights.count) weights do not fill \(classCount) rows")
        self.weights = weights
        self.classCount = classCount
        self.labelNoise = labelNoise
    }

    /// The noise-free label of the input starting at `offset` in `inputs`: the first class of
    /// largest score `(W x)_c`.
    public func label(for inputs: [Float], offset: Int = 0) -> Int {
        let d = inputDimension
        var best = 0, bestScore = -Float.infinity
        for c in 0..<classCount {
            var score: Float = 0
            for coordinate in 0..<d { score += weights[c * d + coordinate] * inputs[offset + coordinate] }
            if score > bestScore { best = c; bestScore = score }
        }
        return best
    }

    /// The labels (as `Float`s) of `count` inputs `[count, d]`; with label noise, each point draws
    /// one uniform number from `generator` and, when replaced, one class.
    public func targets(for inputs: [Float], count: Int, using generator: inout RandomGenerator) -> [Float] {
        (0..<count).map { point in
            if labelNoise > 0, generator.nextUniform() < labelNoise {
                return Float(generator.nextIndex(below: classCount))
            }
            return Float(label(for: inputs, offset: point * inputDimension))
        }
    }
}

extension LinearClassificationTasks: ConfigurableTaskDistribution {
    /// The distribution of a ``TaskConfiguration`` of this family.
    public init(configuration c: TaskConfiguration) throws {
        try self.init(inputDimension: c.inputDimension, classCount: c.classCount, labelNoise: c.labelNoise)
    }
}
