/// Reverse-mode automatic differentiation over the recorded graph.
///
/// Two entry points, as in PyTorch:
/// - ``Tensor/backward(createGraph:)`` accumulates `∂self/∂leaf` into every leaf's
///   ``Tensor/gradient`` (what optimizers read);
/// - ``gradients(of:withRespectTo:createGraph:retainGraph:)`` returns the gradients with respect
///   to any tensors, leaves or intermediate, without touching the leaves (MAML's inner loop).
///
/// With `createGraph: true` the backward pass is itself recorded, so its results can be
/// differentiated again (second derivatives, Hessian-vector products, MAML's meta-gradient).
/// Otherwise the graph is released as the sweep passes, so memory does not grow across steps.
extension Tensor {
    /// Whether this tensor takes part in the autodiff graph.
    public var requiresGradient: Bool { node != nil }

    /// A copy of this tensor that is a leaf of the autodiff graph: gradients flow into it.
    public func requiringGradient() -> Tensor {
        Tensor(shape: shape, storage: storage, node: GradientNode(leafOfShape: shape))
    }

    /// A copy of this tensor cut from the autodiff graph (it requires no gradient).
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: storage)
    }

    /// The number of autodiff graph nodes reachable from this tensor (itself and leaves
    /// included): the graph a backward pass from it would sweep, and what it keeps alive.
    /// Zero for a tensor that requires no gradient. For memory checks (first-order MAML keeps
    /// no inner graph; see `MAMLTests`).
    public var recordedGraphSize: Int {
        guard let node else { return 0 }
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(node)]
        var stack = [node]
        while let current = stack.popLast() {
            for case let input? in current.inputs where seen.insert(ObjectIdentifier(input)).inserted { stack.append(input) }
        }
        return seen.count
    }

    /// The gradient accumulated into this leaf by ``backward(createGraph:)``, if any.
    public var gradient: Tensor? { node?.gradient }

    /// Clears the accumulated ``gradient`` of this leaf.
    public func clearGradient() { node?.gradient = nil }

    /// Accumulates `∂self/∂leaf` into the ``gradient`` of every leaf this scalar depends on.
    ///
    /// - Parameter createGraph: record the backward pass so the gradients can be differentiated
    ///   again; otherwise the graph is released as it is swept. A recorded gradient's graph leads
    ///   back to its leaf, which holds the gradient: the two keep each other alive (a reference
    ///   cycle, as in PyTorch) until the gradient is cleared (``clearGradient()``, an optimizer's
    ///   `clearGradients()`). Clear it when done, or use
    ///   ``gradients(of:withRespectTo:createGraph:retainGraph:)``, which stores nothing in the leaves.
    public func backward(createGraph: Bool = false) {
        guard check(scalarCount == 1, .gradient, "backward: needs a scalar, got shape \(shape)"),
              let root = node else {
            if scalarCount == 1 { raise(TensorError(.gradient, "backward: the tensor does not require a gradient")) }
            return
        }
        let seed = Tensor(repeating: 1, shape: shape)
        Self.sweep(root: root, seed: seed, targets: nil, createGraph: createGraph, retainGraph: createGraph) { leaf, gradient in
            if let existing = leaf.gradient { leaf.gradient = existing + gradient } else { leaf.gradient = gradient }
        }
    }

    /// Runs the reverse sweep from `root`. `targets == nil` means every leaf.
    ///
    /// Bookkeeping lives in the nodes (``GradientNode/sweepStamp`` and friends, keyed by a
    /// stamp unique to this sweep) rather than in hash tables: small graphs such as MAML's
    /// inner loops are swept thousands of times per second, and hashing dominated them.
    static func sweep(
        root: GradientNode, seed: Tensor, targets: [GradientNode]?, createGraph: Bool, retainGraph: Bool,
        deliver: (GradientNode, Tensor) -> Void
    ) {
        let stamp = GradientNode.nextSweepStamp()
        if let targets { for target in targets { target.targetStamp = stamp } }
        func isTarget(_ node: GradientNode) -> Bool { targets == nil ? node.isLeaf : node.targetStamp == stamp }

        // Post-order depth-first search gives a topological order (inputs before outputs).
        var order: [GradientNode] = []
        root.sweepStamp = stamp
        var stack: [(GradientNode, Int)] = [(root, 0)]
        while let (current, next) = stack.last {
            if next < current.inputs.count {
                stack[stack.count - 1].1 = next + 1
                if let input = current.inputs[next], input.sweepStamp != stamp {
                    input.sweepStamp = stamp
                    stack.append((input, 0))
                }
                continue
            }
            stack.removeLast()
            if current.isReleased {
                raise(TensorError(.gradient, "backward: the graph through '\(current.operation)' (shape \(current.shape)) was already released by an earlier backward pass; pass createGraph: true or retainGraph: true to the first one"))
                return
            }
            if isTarget(current) || current.inputs.contains(where: { $0?.neededStamp == stamp }) {
                current.neededStamp = stamp
            }
            order.append(current)
        }

        root.pendingGradient = seed
        GradientMode.$isRecording.withValue(createGraph) {
            for current in order.reversed() {
                guard let gradient = current.pendingGradient else {
                    if !retainGraph { current.release() }
                    continue
                }
                current.pendingGradient = nil
                if isTarget(current) { deliver(current, gradient) }
                for (index, input) in current.inputs.enumerated() {
                    guard let input, input.neededStamp == stamp else { continue }
                    var contribution = current.pullbacks[index](gradient)
                    if !createGraph { contribution.node = nil }
                    if let existing = input.pendingGradient {
                        input.pendingGradient = existing + contribution
                    } else {
                        input.pendingGradient = contribution
                    }
                }
                if !retainGraph { current.release() }
            }
        }
    }
}

/// The gradients of the scalar `output` with respect to each of `inputs`.
///
/// `inputs` may be leaves or intermediate tensors of the graph; an input `output` does not
/// depend on gets a zero gradient of its shape. Leaves' ``Tensor/gradient`` is left untouched.
///
/// - Parameters:
///   - createGraph: record the backward pass, so the returned gradients can themselves be
///     differentiated (second order: MAML, Hessian-vector products).
///   - retainGraph: keep the graph for another backward pass; defaults to `createGraph`.
/// - Returns: one gradient per input, each of that input's shape.
public func gradients(
    of output: Tensor, withRespectTo inputs: [Tensor], createGraph: Bool = false, retainGraph: Bool? = nil
) -> [Tensor] {
    let zeros = inputs.map { Tensor(repeating: 0, shape: $0.shape) }
    guard check(output.scalarCount == 1, .gradient, "gradients(of:): the output must be a scalar, got shape \(output.shape)")
    else { return zeros }
    guard let root = output.node else { return zeros }
    let targets = inputs.compactMap(\.node)
    var found: [ObjectIdentifier: Tensor] = [:]
    Tensor.sweep(root: root, seed: Tensor(repeating: 1, shape: output.shape), targets: targets,
                 createGraph: createGraph, retainGraph: retainGraph ?? createGraph) { node, gradient in
        found[ObjectIdentifier(node)] = gradient
    }
    return inputs.enumerated().map { index, input in
        input.node.flatMap { found[ObjectIdentifier($0)] } ?? zeros[index]
    }
}
