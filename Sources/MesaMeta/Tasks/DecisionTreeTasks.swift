import MesaCore

/// Random decision trees (Garg et al. 2022, §5): a full binary tree of depth `D` whose internal
/// nodes each test one input coordinate, drawn uniformly from `0..<d`, and whose `2ᴰ` leaves hold
/// values `N(0, 1)`. An input starts at the root and goes **left when `x[coordinate] < 0`**, right
/// otherwise (so `x[coordinate] = 0` goes right); `f(x)` is the value of the leaf it reaches.
/// Inputs are `x ~ N(0, I_d)`, so each test is a fair coin.
///
/// Nodes are numbered breadth-first (heap order): the root is 0 and node `i` has children
/// `2i + 1` (left) and `2i + 2` (right); leaf `j` is node `2ᴰ − 1 + j`.
public struct DecisionTreeTasks: TaskDistribution {
    /// The width `d` of each input.
    public let inputDimension: Int
    /// The depth `D`: the number of tests on every root-to-leaf path.
    public let depth: Int

    /// The largest depth accepted (a tree of depth 16 already holds 65 536 leaves).
    public static let maximumDepth = 16

    /// Always ``TaskKind/regression``.
    public var kind: TaskKind { .regression }
    /// For example `"decision tree (d = 20, depth 4)"`.
    public var name: String { "decision tree (d = \(inputDimension), depth \(depth))" }

    /// Creates the distribution.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for a non-positive dimension or a
    ///   depth outside `1...maximumDepth`.
    public init(inputDimension: Int, depth: Int = 4) throws {
        let context = "decision tree"
        try validateInputDimension(inputDimension, in: context)
        guard (1...Self.maximumDepth).contains(depth) else {
            throw InContextError.invalidConfiguration("\(context): depth must be in 1...\(Self.maximumDepth), got \(depth)")
        }
        self.inputDimension = inputDimension
        self.depth = depth
    }

    /// Draws the `2ᴰ − 1` tested coordinates (in node order), then the `2ᴰ` leaf values.
    public func sampleTask(using generator: inout RandomGenerator) -> any TaskFunction {
        let leafCount = 1 << depth
        let coordinates = (0..<(leafCount - 1)).map { _ in generator.nextIndex(below: inputDimension) }
        let leaves = (0..<leafCount).map { _ in generator.nextNormal() }
        return DecisionTreeFunction(inputDimension: inputDimension, splitCoordinates: coordinates, leafValues: leaves)
    }
}

/// A full binary decision tree: one task of ``DecisionTreeTasks``.
public struct DecisionTreeFunction: TaskFunction {
    /// The width `d` of each input.
    public var inputDimension: Int
    /// The coordinate each internal node tests, in heap order `[2ᴰ − 1]`.
    public var splitCoordinates: [Int]
    /// The value of each leaf, left to right `[2ᴰ]`.
    public var leafValues: [Float]

    /// Creates the tree; `leafValues.count` must be `splitCoordinates.count + 1`, a power of two,
    /// and every coordinate must lie in `0..<inputDimension`.
    public init(inputDimension: Int, splitCoordinates: [Int], leafValues: [Float]) {
        precondition(leafValues.count == splitCoordinates.count + 1 && leafValues.count & (leafValues.count - 1) == 0,
                     "DecisionTreeFunction: \(splitCoordinates.count) internal nodes and \(leafValues.count) leaves do not form a full tree")
        precondition(splitCoordinates.allSatisfy { (0..<inputDimension).contains($0) },
                     "DecisionTreeFunction: a split coordinate lies outside 0..<\(inputDimension)")
        self.inputDimension = inputDimension
        self.splitCoordinates = splitCoordinates
        self.leafValues = leafValues
    }

    /// The index (left to right) of the leaf that the input starting at `offset` in `inputs` reaches.
    public func leafIndex(for inputs: [Float], offset: Int = 0) -> Int {
        var node = 0
        while node < splitCoordinates.count {
            node = 2 * node + (inputs[offset + splitCoordinates[node]] < 0 ? 1 : 2)
        }
        return node - splitCoordinates.count
    }

    /// The leaf values reached by `count` inputs `[count, d]` (noise-free; `generator` is unused).
    public func targets(for inputs: [Float], count: Int, using generator: inout RandomGenerator) -> [Float] {
        (0..<count).map { point in leafValues[leafIndex(for: inputs, offset: point * inputDimension)] }
    }
}

extension DecisionTreeTasks: ConfigurableTaskDistribution {
    /// The distribution of a ``TaskConfiguration`` of this family.
    public init(configuration c: TaskConfiguration) throws {
        try self.init(inputDimension: c.inputDimension, depth: c.depth)
    }
}
