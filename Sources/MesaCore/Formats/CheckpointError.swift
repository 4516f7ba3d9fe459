/// An error raised while reading or writing a checkpoint: a file that cannot be accessed, bytes
/// that do not form a valid safetensors file, or tensors that do not fit a module.
///
/// The message names the file (or says the bytes came from memory), the tensor involved and
/// what was expected against what was found, e.g.
/// `safetensors file '/tmp/model.safetensors': tensor 'hidden.weight' of dtype F32 and shape [16, 4]
/// needs 256 bytes, but its data_offsets [0, 200] span 200`.
public struct CheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, in categories tests and callers can match on.
    public enum Kind: String, Sendable {
        /// The file could not be opened, read, created, written or renamed.
        case fileAccess
        /// The bytes are not a valid safetensors file: truncated, invalid JSON, missing or
        /// ill-typed header fields, bad shapes, data offsets out of range, overlapping or
        /// inconsistent with the shape, duplicate names.
        case malformed
        /// A well-formed tensor entry whose dtype Mesa cannot convert to `Float`.
        case unsupportedDataType
        /// A tensor name that cannot be written (`__metadata__` is reserved) or that appears twice.
        case invalidName
        /// The tensors do not match a module's parameters: missing or unexpected names, or
        /// different shapes.
        case stateMismatch
    }

    /// The category.
    public let kind: Kind
    /// A human-readable message naming the file, the tensor and the expected and actual values.
    public let message: String

    /// Creates an error of `kind` with `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// `CheckpointError.<kind>: <message>`.
    public var description: String { "CheckpointError.\(kind.rawValue): \(message)" }
}
