import Foundation

/// Named tensors and string metadata in the safetensors format, the weights file Python's
/// `safetensors`, PyTorch and Hugging Face read.
///
/// A file is laid out as
///
/// ```
/// N: UInt64, little-endian          the header's byte count
/// header: N bytes of UTF-8 JSON     {"__metadata__": {"key": "value", …},
///                                    "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, …}
/// data: the tensors' bytes          little-endian, row-major, each at its [begin, end) offsets
/// ```
///
/// Mesa writes `F32` tensors back to back in ``names`` order, pads the header with spaces so
/// the data starts at a multiple of 8 bytes, and omits `__metadata__` when ``metadata`` is
/// empty (as Python does). Reading accepts every ``DataType`` and converts it to `Float`.
///
/// Reading trusts nothing: every malformed input (truncation, a header length beyond the end,
/// invalid JSON, missing or ill-typed fields, unknown dtypes, negative or fractional
/// dimensions, offsets that are out of range, overlap, leave gaps or disagree with
/// shape × element size, duplicate names) throws a ``CheckpointError`` naming the source and
/// the tensor; nothing traps and nothing is silently misread. Writing is atomic: the bytes go
/// to a temporary file beside the destination, which is then renamed over it, so a crash
/// leaves either the old file or the new one.
///
/// ```swift
/// var checkpoint = SafeTensors(metadata: ["architecture": "mlp"])
/// checkpoint["hidden.weight"] = weight
/// try checkpoint.write(to: url)
/// let loaded = try SafeTensors(contentsOf: url)
/// loaded["hidden.weight"]  // Optional(Tensor(shape: [16, 4], …))
/// ```
public struct SafeTensors: Sendable {
    /// The tensor names in file order: the order they are written in, and for a file that
    /// was read, the order of their data in it.
    public private(set) var names: [String]
    private var tensorsByName: [String: Tensor]
    /// String key–value pairs stored under the header's `__metadata__` key (architecture,
    /// configuration, training recipe, data provenance).
    public var metadata: [String: String]

    /// Creates a collection with no tensors.
    public init(metadata: [String: String] = [:]) {
        self.names = []
        self.tensorsByName = [:]
        self.metadata = metadata
    }

    /// Creates a collection of `tensors` in the given order.
    ///
    /// - Precondition: The names are unique (as for `Dictionary(uniqueKeysWithValues:)`).
    public init(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) {
        self.init(metadata: metadata)
        for (name, tensor) in tensors {
            precondition(tensorsByName[name] == nil, "SafeTensors: duplicate tensor name '\(name)'")
            self[name] = tensor
        }
    }

    /// The tensor called `name`, or `nil`.
    ///
    /// Setting a new name appends it to ``names``; setting `nil` removes it. Stored tensors are
    /// detached from the autodiff graph.
    public subscript(name: String) -> Tensor? {
        get { tensorsByName[name] }
        set {
            if let tensor = newValue {
                if tensorsByName.updateValue(tensor.detached(), forKey: name) == nil { names.append(name) }
            } else if tensorsByName.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// The number of tensors.
    public var count: Int { names.count }

    /// The tensors with their names, in ``names`` order.
    public var tensors: [(name: String, tensor: Tensor)] {
        names.compactMap { name in tensorsByName[name].map { (name, $0) } }
    }
}
