/// An error raised by a tensor operation: bad shapes, axes or values.
///
/// Operators such as `+` and `matmul` cannot throw without making every expression noisy,
/// so a failing operation reports its error to the innermost ``withTensorErrors(_:)`` scope
/// (which then throws it) or, outside any such scope, stops the program with the message.
/// The message always names the operation and the shapes involved.
public struct TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, in categories tests and callers can match on.
    public enum Kind: String, Sendable {
        /// Shapes that cannot be combined (broadcasting, matmul, concat, reshape, …).
        case shapeMismatch
        /// An axis outside `-rank..<rank`, or repeated.
        case invalidAxis
        /// An index or range outside a dimension.
        case indexOutOfRange
        /// An argument outside its domain (negative count, empty input to a reduction, …).
        case invalidArgument
        /// A NaN or infinity where finite values are required.
        case nonFinite
        /// A matrix that is singular or not positive definite.
        case singularMatrix
        /// A gradient request that cannot be served (no path, not scalar, graph released).
        case gradient
    }

    /// The category.
    public let kind: Kind
    /// A human-readable message naming the operation and the shapes involved.
    public let message: String

    /// Creates an error of `kind` with `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "TensorError.\(kind.rawValue): \(message)" }

    /// Reports an error the way tensor operations do: to the innermost ``withTensorErrors(_:)``
    /// scope, or fatally outside one. Layers use it to name themselves in their messages.
    public static func report(_ kind: Kind, _ message: String) {
        raise(TensorError(kind, message))
    }
}

/// Collects the first tensor error raised inside a ``withTensorErrors(_:)`` scope.
final class TensorErrorSink: @unchecked Sendable {
    var first: TensorError?
}

enum TensorErrorScope {
    @TaskLocal static var sink: TensorErrorSink?
}

/// Runs `body`, turning any tensor error raised by the operations inside into a thrown error.
///
/// After the first failure the remaining operations of `body` run on empty placeholder
/// tensors (no kernel touches invalid memory) and the first error is thrown at the end:
///
/// ```swift
/// do {
///     let y = try withTensorErrors { a.matmul(b) }
/// } catch let error as TensorError {
///     print(error)  // matmul: inner dimensions differ: [2, 3] × [4, 5]
/// }
/// ```
public func withTensorErrors<Result>(_ body: () throws -> Result) throws -> Result {
    let sink = TensorErrorSink()
    let result = try TensorErrorScope.$sink.withValue(sink) { try body() }
    if let error = sink.first { throw error }
    return result
}

/// Reports `error`: recorded in the enclosing ``withTensorErrors(_:)`` scope, fatal otherwise.
@usableFromInline
func raise(_ error: TensorError) {
    if let sink = TensorErrorScope.sink {
        if sink.first == nil { sink.first = error }
    } else {
        fatalError(error.description)
    }
}

/// Checks `condition`; when false, reports the error and returns `false` so the caller
/// can return a placeholder.
@usableFromInline
func check(_ condition: Bool, _ kind: TensorError.Kind, _ message: @autoclosure () -> String) -> Bool {
    if condition { return true }
    raise(TensorError(kind, message()))
    return false
}
