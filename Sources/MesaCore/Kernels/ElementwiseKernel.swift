// Elementwise functions as value types. The tensor kernels are generic over them, so each
// kernel is specialised for its function and LLVM inlines and vectorises the body; a closure
// argument would instead be called once per element through a function pointer.

/// A function of one `Float`, applied by ``Tensor/applying(_:)`` to every element.
protocol UnaryKernel {
    func callAsFunction(_ x: Float) -> Float
}

/// A function of two `Float`s, applied by ``Tensor/zip(_:_:_:kernel:)`` with broadcasting.
protocol BinaryKernel {
    func callAsFunction(_ a: Float, _ b: Float) -> Float
}

/// Wraps a closure (for the public `map`, and for rarely used functions: one call per element).
struct ClosureUnaryKernel: UnaryKernel {
    let body: (Float) -> Float
    init(_ body: @escaping (Float) -> Float) { self.body = body }
    @inline(__always) func callAsFunction(_ x: Float) -> Float { body(x) }
}

/// Wraps a closure of two arguments.
struct ClosureBinaryKernel: BinaryKernel {
    let body: (Float, Float) -> Float
    init(_ body: @escaping (Float, Float) -> Float) { self.body = body }
    @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { body(a, b) }
}

/// The unary kernels of the hot paths (activations, scalar arithmetic, masks).
enum Unary {
    struct Negate: UnaryKernel { @inline(__always) func callAsFunction(_ x: Float) -> Float { -x } }
    struct AddScalar: UnaryKernel {
        let scalar: Float
        @inline(__always) func callAsFunction(_ x: Float) -> Float { x + scalar }
    }
    struct SubtractFromScalar: UnaryKernel {
        let scalar: Float
        @inline(__always) func callAsFunction(_ x: Float) -> Float { scalar - x }
    }
    struct Scale: UnaryKernel {
        let scalar: Float
        @inline(__always) func callAsFunction(_ x: Float) -> Float { x * scalar }
    }
    struct Exp: UnaryKernel { @inline(__always) func callAsFunction(_ x: Float) -> Float { VectorMath.exp(x) } }
    struct SquareRoot: UnaryKernel { @inline(__always) func callAsFunction(_ x: Float) -> Float { x.squareRoot() } }
    struct ReciprocalSquareRoot: UnaryKernel {
        @inline(__always) func callAsFunction(_ x: Float) -> Float { 1 / x.squareRoot() }
    }
    struct Sigmoid: UnaryKernel {
        @inline(__always) func callAsFunction(_ x: Float) -> Float { 1 / (1 + VectorMath.exp(-x)) }
    }
    struct ReLU: UnaryKernel { @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : 0 } }
    struct PositiveMask: UnaryKernel { @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? 1 : 0 } }
    /// `½x(1 + erf(x/√2))`.
    struct GELU: UnaryKernel {
        @inline(__always) func callAsFunction(_ x: Float) -> Float { 0.5 * x * (1 + VectorMath.erf(x * 0.70710678)) }
    }
    /// `Φ(x) + x φ(x)`.
    struct GELUDerivative: UnaryKernel {
        @inline(__always) func callAsFunction(_ x: Float) -> Float {
            0.5 * (1 + VectorMath.erf(x * 0.70710678)) + x * 0.39894228 * VectorMath.expOfNonPositive(-0.5 * x * x)
        }
    }
}

/// The binary kernels of the hot paths.
enum Binary {
    struct Add: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b } }
    struct Subtract: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b } }
    struct Multiply: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b } }
    struct Divide: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b } }
    struct Minimum: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { Swift.min(a, b) } }
    struct Maximum: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { Swift.max(a, b) } }
    /// `a` where `b > 0`, else 0 (ReLU's backward pass: gradient `a`, input `b`).
    struct PassWherePositive: BinaryKernel {
        @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { b > 0 ? a : 0 }
    }
    struct IsLessThan: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a < b ? 1 : 0 } }
    struct IsLessThanOrEqual: BinaryKernel {
        @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a <= b ? 1 : 0 }
    }
    struct IsGreaterThan: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a > b ? 1 : 0 } }
    struct IsGreaterThanOrEqual: BinaryKernel {
        @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 }
    }
    /// `g · gelu′(x)` with gradient `g` and input `x`: GELU's backward product in one pass.
    struct GELUGradient: BinaryKernel {
        @inline(__always) func callAsFunction(_ g: Float, _ x: Float) -> Float { g * Unary.GELUDerivative()(x) }
    }
    struct IsEqual: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a == b ? 1 : 0 } }
}
