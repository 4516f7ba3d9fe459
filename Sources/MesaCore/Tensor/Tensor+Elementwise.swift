import Foundation

// Elementwise kernels: one loop per operation over contiguous buffers, with NumPy
// broadcasting for binary operations. Derivative rules are written with differentiable
// operations (see GradientNode.swift), so they can be differentiated again.

extension Tensor {
    /// Elementwise loops split across threads only above this many elements (below it the
    /// synchronisation costs more than the second core saves).
    @usableFromInline static let parallelChunk = 1 << 16

    /// Applies `body` to every element. The result records no gradient (use the
    /// differentiable operations for anything that must be trained through).
    public func map(_ body: (Float) -> Float) -> Tensor {
        withoutActuallyEscaping(body) { applying(ClosureUnaryKernel($0)) }
    }

    /// Applies `kernel` to every element (specialised per kernel, so the loop vectorises).
    @inline(__always)
    func applying<Kernel: UnaryKernel>(_ kernel: Kernel) -> Tensor {
        let result = Tensor(uninitializedShape: shape)
        let source = storage.base, destination = result.storage.base
        Parallelism.forEachRange(scalarCount, minimumChunk: Tensor.parallelChunk) { range in
            for index in range { destination[index] = kernel(source[index]) }
        }
        return result
    }

    /// Combines `a` and `b` elementwise with broadcasting; reports a shape error naming
    /// `operation` and both shapes when they are incompatible.
    static func zip(_ a: Tensor, _ b: Tensor, _ operation: String, _ body: (Float, Float) -> Float) -> Tensor {
        withoutActuallyEscaping(body) { zip(a, b, operation, kernel: ClosureBinaryKernel($0)) }
    }

    /// ``zip(_:_:_:_:)`` specialised for `kernel`, so its loops vectorise.
    @inline(__always)
    static func zip<Kernel: BinaryKernel>(_ a: Tensor, _ b: Tensor, _ operation: String, kernel body: Kernel) -> Tensor {
        if a.shape == b.shape {
            let result = Tensor(uninitializedShape: a.shape)
            let x = a.storage.base, y = b.storage.base, z = result.storage.base
            Parallelism.forEachRange(a.scalarCount, minimumChunk: parallelChunk) { range in
                for index in range { z[index] = body(x[index], y[index]) }
            }
            return result
        }
        guard let shape = Broadcasting.shape(a.shape, b.shape) else {
            raise(TensorError(.shapeMismatch, "\(operation): shapes \(a.shape) and \(b.shape) cannot be broadcast together"))
            return .placeholder
        }
        let result = Tensor(uninitializedShape: shape)
        let x = a.storage.base, y = b.storage.base, z = result.storage.base
        let count = result.scalarCount
        if b.scalarCount == 1 {
            let scalar = y[0]
            Parallelism.forEachRange(count, minimumChunk: parallelChunk) { range in
                for index in range { z[index] = body(x[index], scalar) }
            }
            return result
        }
        if a.scalarCount == 1 {
            let scalar = x[0]
            Parallelism.forEachRange(count, minimumChunk: parallelChunk) { range in
                for index in range { z[index] = body(scalar, y[index]) }
            }
            return result
        }
        let rank = shape.count
        let stridesA = Broadcasting.strides(of: a.shape, broadcastTo: shape)
        let stridesB = Broadcasting.strides(of: b.shape, broadcastTo: shape)
        let inner = shape[rank - 1], innerA = stridesA[rank - 1], innerB = stridesB[rank - 1]
        guard inner > 0, count > 0 else { return result }
        let rows = count / inner
        Parallelism.forEachRange(rows, minimumChunk: Swift.max(1, parallelChunk / inner)) { range in
            // Start the odometer over the outer dimensions at the first row of this range.
            var position = [Int](repeating: 0, count: rank)
            var offsetA = 0, offsetB = 0, rest = range.lowerBound
            for axis in stride(from: rank - 2, through: 0, by: -1) {
                position[axis] = rest % shape[axis]
                rest /= shape[axis]
                offsetA += position[axis] * stridesA[axis]
                offsetB += position[axis] * stridesB[axis]
            }
            for row in range {
                let pa = x + offsetA, pb = y + offsetB, pz = z + row * inner
                switch (innerA, innerB) {
                case (1, 1): for j in 0..<inner { pz[j] = body(pa[j], pb[j]) }
                case (1, 0): let s = pb[0]; for j in 0..<inner { pz[j] = body(pa[j], s) }
                case (0, 1): let s = pa[0]; for j in 0..<inner { pz[j] = body(s, pb[j]) }
                default: for j in 0..<inner { pz[j] = body(pa[j * innerA], pb[j * innerB]) }
                }
                var axis = rank - 2
                while axis >= 0 {
                    position[axis] += 1
                    offsetA += stridesA[axis]
                    offsetB += stridesB[axis]
                    if position[axis] < shape[axis] { break }
                    offsetA -= stridesA[axis] * shape[axis]
                    offsetB -= stridesB[axis] * shape[axis]
                    position[axis] = 0
                    axis -= 1
                }
            }
        }
        return result
    }

    /// Sums this gradient down to `shape`, undoing broadcasting (the adjoint of
    /// ``broadcast(to:)``).
    public func sumToShape(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let offset = rank - target.count
        var axes: [Int] = Array(0..<Swift.max(offset, 0))
        for (index, size) in target.enumerated() where size == 1 && shape[index + offset] != 1 {
            axes.append(index + offset)
        }
        return sum(alongAxes: axes, keepingDimensions: false).reshaped(to: target)
    }
}

// MARK: - Arithmetic

extension Tensor {
    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let result = zip(a, b, "+", kernel: Binary.Add())
        let (sa, sb) = (a.shape, b.shape)
        return record(result, "add", inputs: [a, b], pullbacks: [{ $0.sumToShape(sa) }, { $0.sumToShape(sb) }])
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let result = zip(a, b, "-", kernel: Binary.Subtract())
        let (sa, sb) = (a.shape, b.shape)
        return record(result, "subtract", inputs: [a, b], pullbacks: [{ $0.sumToShape(sa) }, { (-$0).sumToShape(sb) }])
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let result = zip(a, b, "*", kernel: Binary.Multiply())
        return record(result, "multiply", inputs: [a, b],
                      pullbacks: [{ ($0 * b).sumToShape(a.shape) }, { ($0 * a).sumToShape(b.shape) }])
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let result = zip(a, b, "/", kernel: Binary.Divide())
        return record(result, "divide", inputs: [a, b],
                      pullbacks: [{ ($0 / b).sumToShape(a.shape) }, { (-$0 * a / (b * b)).sumToShape(b.shape) }])
    }

    /// Elementwise negation.
    public static prefix func - (a: Tensor) -> Tensor {
        record(a.applying(Unary.Negate()), "negate", input: a) { -$0 }
    }

    /// `a + scalar`.
    public static func + (a: Tensor, b: Float) -> Tensor { record(a.applying(Unary.AddScalar(scalar: b)), "addScalar", input: a) { $0 } }
    /// `scalar + a`.
    public static func + (a: Float, b: Tensor) -> Tensor { b + a }
    /// `a - scalar`.
    public static func - (a: Tensor, b: Float) -> Tensor { a + (-b) }
    /// `scalar - a`.
    public static func - (a: Float, b: Tensor) -> Tensor { record(b.applying(Unary.SubtractFromScalar(scalar: a)), "scalarSubtract", input: b) { -$0 } }
    /// `a × scalar`.
    public static func * (a: Tensor, b: Float) -> Tensor { record(a.applying(Unary.Scale(scalar: b)), "scale", input: a) { $0 * b } }
    /// `scalar × a`.
    public static func * (a: Float, b: Tensor) -> Tensor { b * a }
    /// `a ÷ scalar`.
    public static func / (a: Tensor, b: Float) -> Tensor { a * (1 / b) }
    /// `scalar ÷ a`.
    public static func / (a: Float, b: Tensor) -> Tensor { Tensor(a) / b }

    /// Adds `other` in place (`self = self + other`, recorded like `+`).
    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    /// Subtracts `other` in place.
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    /// Multiplies by `other` in place.
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    /// Divides by `other` in place.
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
}

// MARK: - Unary functions

extension Tensor {
    /// `eˣ`.
    public func exp() -> Tensor {
        let y = applying(Unary.Exp())
        return Self.record(y, "exp", input: self) { $0 * y.detachedUnlessRecording(self.exp) }
    }

    /// Natural logarithm.
    public func log() -> Tensor {
        Self.record(map { Foundation.log($0) }, "log", input: self) { $0 / self }
    }

    /// `√x`.
    public func sqrt() -> Tensor {
        let y = applying(Unary.SquareRoot())
        return Self.record(y, "sqrt", input: self) { $0 * 0.5 / y.detachedUnlessRecording(self.sqrt) }
    }

    /// `1 / √x`.
    public func rsqrt() -> Tensor {
        let y = applying(Unary.ReciprocalSquareRoot())
        return Self.record(y, "rsqrt", input: self) { g in
            let r = y.detachedUnlessRecording(self.rsqrt)
            return g * -0.5 * r * r * r
        }
    }

    /// `|x|` (derivative `sign(x)`, 0 at 0).
    public func abs() -> Tensor {
        Self.record(map { Swift.abs($0) }, "abs", input: self) { $0 * self.sign() }
    }

    /// `sign(x)` ∈ {−1, 0, 1}; its derivative is 0.
    public func sign() -> Tensor {
        detached().map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
    }

    /// Sine.
    public func sin() -> Tensor {
        Self.record(map { Foundation.sin($0) }, "sin", input: self) { $0 * self.cos() }
    }

    /// Cosine.
    public func cos() -> Tensor {
        Self.record(map { Foundation.cos($0) }, "cos", input: self) { -$0 * self.sin() }
    }

    /// Hyperbolic tangent; derivative `1 − tanh²`.
    public func tanh() -> Tensor {
        let y = map { Foundation.tanh($0) }
        return Self.record(y, "tanh", input: self) { g in
            let t = y.detachedUnlessRecording(self.tanh)
            return g * (1 - t * t)
        }
    }

    /// Logistic sigmoid `1 / (1 + e⁻ˣ)`; derivative `σ(1 − σ)`.
    public func sigmoid() -> Tensor {
        let y = applying(Unary.Sigmoid())
        return Self.record(y, "sigmoid", input: self) { g in
            let s = y.detachedUnlessRecording(self.sigmoid)
            return g * s * (1 - s)
        }
    }

    /// `max(x, 0)`; derivative the step function (0 at 0).
    public func relu() -> Tensor {
        Self.record(applying(Unary.ReLU()), "relu", input: self) { g in
            // g ⊙ step(x): one fused pass unless the backward pass is itself recorded.
            GradientMode.isRecording ? g * self.positiveMask() : Self.zip(g, self.detached(), "relu", kernel: Binary.PassWherePositive())
        }
    }

    /// 1 where `x > 0`, else 0 (constant).
    func positiveMask() -> Tensor { detached().applying(Unary.PositiveMask()) }

    /// The Gaussian error function.
    public func erf() -> Tensor {
        Self.record(map { Foundation.erf($0) }, "erf", input: self) { g in
            g * (self * self * -1).exp() * Float(2 / Double.pi.squareRoot())
        }
    }

    /// GELU, exact form `x · Φ(x) = ½x(1 + erf(x/√2))` (Hendrycks & Gimpel 2016), as PyTorch's default,
    /// with `erf` to within 1.5e-7 absolute (``VectorMath/erf(_:)``, a vectorisable polynomial).
    public func gelu() -> Tensor {
        let y = applying(Unary.GELU())
        return Self.record(y, "gelu", input: self) { Self.geluGradient($0, self) }
    }

    /// GELU's backward product `g · gelu′(x)` in one pass over memory (two for the separate
    /// derivative and product). Differentiable in both arguments, for gradients of gradients:
    /// `∂/∂g = gelu′(x) = Φ(x) + x φ(x)`, `∂/∂x = g · gelu″(x) = g · φ(x)(2 − x²)`.
    static func geluGradient(_ gradient: Tensor, _ input: Tensor) -> Tensor {
        guard gradient.shape == input.shape else { return gradient * input.geluDerivative() }
        let y = zip(gradient, input, "geluGradient", kernel: Binary.GELUGradient())
        return record(y, "geluGradient", inputs: [gradient, input], pullbacks: [
            { $0 * input.geluDerivative() },
            { $0 * gradient * (input * input * -0.5).exp() * 0.39894228 * (2 - input * input) },
        ])
    }

    /// `d gelu / dx = Φ(x) + x φ(x)`; its own derivative is `φ(x)(2 − x²)`.
    func geluDerivative() -> Tensor {
        let y = applying(Unary.GELUDerivative())
        return Self.record(y, "geluDerivative", input: self) { g in
            g * (self * self * -0.5).exp() * 0.39894228 * (2 - self * self)
        }
    }

    /// Softplus `log(1 + eˣ)`, computed stably as `max(x, 0) + log1p(e^{−|x|})`; derivative `σ(x)`.
    public func softplus() -> Tensor {
        let y = map { Swift.max($0, 0) + Foundation.log1p(Foundation.exp(-Swift.abs($0))) }
        return Self.record(y, "softplus", input: self) { $0 * self.sigmoid() }
    }

    /// `xᵖ` for a constant exponent.
    public func pow(_ exponent: Float) -> Tensor {
        if exponent == 2 { return self * self }
        if exponent == 1 { return self }
        let y = map { Foundation.pow($0, exponent) }
        return Self.record(y, "pow", input: self) { $0 * exponent * self.pow(exponent - 1) }
    }

    /// `aᵇ` elementwise with broadcasting. The derivative with respect to `b` is `aᵇ log a`
    /// (defined for `a > 0`).
    public func pow(_ exponent: Tensor) -> Tensor {
        let y = Self.zip(self, exponent, "pow") { Foundation.pow($0, $1) }
        return Self.record(y, "pow", inputs: [self, exponent], pullbacks: [
            { ($0 * exponent * self.pow(exponent - 1)).sumToShape(self.shape) },
            { ($0 * self.pow(exponent) * self.log()).sumToShape(exponent.shape) },
        ])
    }

    /// `y` itself when the backward pass is not recorded (cheap: reuses the forward result);
    /// otherwise `recompute()` so the derivative stays connected to the graph of `self`.
    @inline(__always)
    func detachedUnlessRecording(_ recompute: () -> Tensor) -> Tensor {
        GradientMode.isRecording ? recompute() : self
    }
}

// MARK: - Comparison, selection, clamping

extension Tensor {
    /// Elementwise minimum with broadcasting; the gradient goes to the smaller input (to `a` on ties).
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let mask = a.isLessThanOrEqual(to: b)
        let result = zip(a, b, "minimum", kernel: Binary.Minimum())
        return record(result, "minimum", inputs: [a, b],
                      pullbacks: [{ ($0 * mask).sumToShape(a.shape) }, { ($0 * (1 - mask)).sumToShape(b.shape) }])
    }

    /// Elementwise maximum with broadcasting; the gradient goes to the larger input (to `a` on ties).
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        let mask = a.isGreaterThanOrEqual(to: b)
        let result = zip(a, b, "maximum", kernel: Binary.Maximum())
        return record(result, "maximum", inputs: [a, b],
                      pullbacks: [{ ($0 * mask).sumToShape(a.shape) }, { ($0 * (1 - mask)).sumToShape(b.shape) }])
    }

    /// Clamps every element into `[lower, upper]`; the gradient is zero where clamped.
    public func clamped(to range: ClosedRange<Float>) -> Tensor {
        let (lower, upper) = (range.lowerBound, range.upperBound)
        let y = map { Swift.min(Swift.max($0, lower), upper) }
        return Self.record(y, "clamp", input: self) { g in
            g * self.detached().map { $0 >= lower && $0 <= upper ? 1 : 0 }
        }
    }

    /// Mask (1 or 0) of `self < other`, broadcasting. Masks carry no gradient.
    public func isLessThan(_ other: Tensor) -> Tensor { Self.zip(self, other, "<", kernel: Binary.IsLessThan()) }
    /// Mask of `self ≤ other`.
    public func isLessThanOrEqual(to other: Tensor) -> Tensor { Self.zip(self, other, "<=", kernel: Binary.IsLessThanOrEqual()) }
    /// Mask of `self > other`.
    public func isGreaterThan(_ other: Tensor) -> Tensor { Self.zip(self, other, ">", kernel: Binary.IsGreaterThan()) }
    /// Mask of `self ≥ other`.
    public func isGreaterThanOrEqual(to other: Tensor) -> Tensor { Self.zip(self, other, ">=", kernel: Binary.IsGreaterThanOrEqual()) }
    /// Mask of `self == other`.
    public func isEqual(to other: Tensor) -> Tensor { Self.zip(self, other, "==", kernel: Binary.IsEqual()) }
    /// Mask of elements that are NaN.
    public var isNaNMask: Tensor { map { $0.isNaN ? 1 : 0 } }

    /// Chooses `a` where `condition` is non-zero and `b` elsewhere, broadcasting all three.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        guard let shape = Broadcasting.shape(condition.shape, a.shape).flatMap({ Broadcasting.shape($0, b.shape) }) else {
            raise(TensorError(.shapeMismatch, "where: shapes \(condition.shape), \(a.shape) and \(b.shape) cannot be broadcast together"))
            return .placeholder
        }
        let mask = condition.detached().map { $0 != 0 ? 1 : 0 }.broadcast(to: shape)
        let first = a.detached().broadcast(to: shape), second = b.detached().broadcast(to: shape)
        // A selection, not a·m + b·(1 − m), so infinities in the branch not taken never leak.
        let result = Tensor(uninitializedShape: shape)
        let m = mask.storage.base, x = first.storage.base, y = second.storage.base, z = result.storage.base
        for index in 0..<result.scalarCount { z[index] = m[index] != 0 ? x[index] : y[index] }
        return record(result, "where", inputs: [a, b],
                      pullbacks: [{ ($0 * mask).sumToShape(a.shape) }, { ($0 * (1 - mask)).sumToShape(b.shape) }])
    }

    /// Replaces the elements where `mask` is non-zero by `value` (broadcasting `mask`).
    public func maskedFill(where mask: Tensor, with value: Float) -> Tensor {
        Tensor.where(mask, Tensor(value), self)
    }
}
