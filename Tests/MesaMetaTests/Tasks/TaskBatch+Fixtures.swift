import MesaCore
@testable import MesaMeta

/// Small batches for the baselines' tests, built by hand or from seeded distributions.
extension TaskBatch {
    /// A batch from nested arrays: `inputs[task][point]` is one input, `targets[task][point]` its target.
    static func fixture(inputs: [[[Float]]], targets: [[Float]], kind: TaskKind = .regression) -> TaskBatch {
        let (tasks, points, d) = (inputs.count, inputs.first?.count ?? 0, inputs.first?.first?.count ?? 0)
        return TaskBatch(inputs: Tensor(shape: [tasks, points, d], scalars: inputs.flatMap { $0.flatMap { $0 } }),
                         targets: Tensor(shape: [tasks, points], scalars: targets.flatMap { $0 }), kind: kind)
    }

    /// Dense linear regression `y = wᵀx + ε`, `w ~ N(0, I)`, `x ~ N(0, I)`.
    static func linear(tasks: Int, points: Int, dimension: Int, noise: Float = 0, options: SamplingOptions = .standard,
                       seed: UInt64) throws -> TaskBatch {
        var generator = RandomGenerator(seed: seed)
        return try LinearRegressionTasks(inputDimension: dimension, noise: noise)
            .sample(batchSize: tasks, pointCount: points, options: options, using: &generator)
    }

    /// Sparse linear regression: `k` non-zero weights `N(0, 1)` at uniformly drawn positions, no noise.
    static func sparse(tasks: Int, points: Int, dimension: Int, nonZeroCount k: Int, seed: UInt64) throws -> TaskBatch {
        var generator = RandomGenerator(seed: seed)
        let functions: [any TaskFunction] = (0..<tasks).map { _ in
            var positions = Array(0..<dimension)
            positions.shuffle(using: &generator)
            var weights = [Float](repeating: 0, count: dimension)
            for position in positions.prefix(k) { weights[position] = generator.nextNormal() }
            return LinearFunction(weights: weights)
        }
        return try LinearRegressionTasks(inputDimension: dimension).sample(tasks: functions, pointCount: points, using: &generator)
    }

    /// Linear classification: `y = argmax_c (W x)_c` with `W ~ N(0, I)` `[classCount, d]`, `x ~ N(0, I)`.
    static func linearClassification(tasks: Int, points: Int, dimension d: Int, classCount: Int, seed: UInt64) -> TaskBatch {
        var generator = RandomGenerator(seed: seed)
        var inputs: [Float] = [], targets: [Float] = []
        for _ in 0..<tasks {
            let weights = (0..<(classCount * d)).map { _ in generator.nextNormal() }
            for _ in 0..<points {
                let x = (0..<d).map { _ in generator.nextNormal() }
                let scores = (0..<classCount).map { c in (0..<d).reduce(Float(0)) { $0 + weights[c * d + $1] * x[$1] } }
                inputs += x
                targets.append(Float(scores.indices.max { scores[$0] < scores[$1] } ?? 0))
            }
        }
        return TaskBatch(inputs: Tensor(shape: [tasks, points, d], scalars: inputs), targets: Tensor(shape: [tasks, points], scalars: targets),
                         kind: .classification(classCount: classCount))
    }

    /// The input of `point` in `task`, in `Double`.
    func input(_ task: Int, _ point: Int) -> [Double] {
        (0..<inputDimension).map { Double(inputs[task, point, $0]) }
    }
}
