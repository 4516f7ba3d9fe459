import Foundation

/// One dimension of a ``SearchSpace``: a name and a domain, and the map between the user's
/// values and unit-cube coordinates that the optimiser works in.
///
/// | kind | coordinates | unit → value |
/// |---|---|---|
/// | continuous | 1 | `low + u (high − low)`, or `exp(log low + u (log high − log low))` on a log scale |
/// | integer | 1 | the same map, rounded to the nearest integer in `[low, high]` |
/// | categorical | one per value (one-hot) | the value whose coordinate is largest |
///
/// The optimiser treats integer and categorical coordinates as continuous and rounds its
/// suggestions (``snapped(_:)``), so that the surrogate only ever sees points that were, or can
/// be, evaluated.
public struct SearchParameter: Sendable, Equatable {
    /// A parameter's domain.
    public enum Domain: Sendable, Equatable {
        /// Real values in `[low, high]`, on a logarithmic scale when `logarithmic` (then `low > 0`).
        case continuous(low: Double, high: Double, logarithmic: Bool)
        /// Integers in `[low, high]`, on a logarithmic scale when `logarithmic` (then `low > 0`).
        case integer(low: Int, high: Int, logarithmic: Bool)
        /// One of `values` (distinct, at least one).
        case categorical([String])
    }

    /// The name: a column of the history and the `{name}` placeholder of a command.
    public let name: String
    /// The domain.
    public let domain: Domain

    /// Creates a parameter. ``SearchSpace`` checks names and domains; this initialiser trusts them.
    public init(name: String, domain: Domain) {
        self.name = name
        self.domain = domain
    }

    /// The number of unit-cube coordinates the parameter takes (1, or the number of categories).
    public var width: Int {
        if case .categorical(let values) = domain { return values.count }
        return 1
    }

    /// The parameter's value at unit coordinates `unit` (``width`` values, clamped into `[0, 1]`).
    public func value(fromUnit unit: ArraySlice<Double>) -> ParameterValue {
        func scaled(_ u: Double, _ low: Double, _ high: Double, _ logarithmic: Bool) -> Double {
            let u = Swift.min(Swift.max(u, 0), 1)
            return logarithmic ? exp(log(low) + u * (log(high) - log(low))) : low + u * (high - low)
        }
        switch domain {
        case .continuous(let low, let high, let logarithmic):
            return .real(Swift.min(Swift.max(scaled(unit[unit.startIndex], low, high, logarithmic), low), high))
        case .integer(let low, let high, let logarithmic):
            let value = scaled(unit[unit.startIndex], Double(low), Double(high), logarithmic).rounded()
            return .integer(Swift.min(Swift.max(Int(value), low), high))
        case .categorical(let values):
            var best = 0
            for (offset, u) in unit.enumerated() where u > unit[unit.startIndex + best] { best = offset }
            return .category(values[best])
        }
    }

    /// The unit coordinates of `value` (``width`` values); `nil` when the value is outside the
    /// domain or of the wrong kind.
    public func unitCoordinates(of value: ParameterValue) -> [Double]? {
        func unit(_ v: Double, _ low: Double, _ high: Double, _ logarithmic: Bool) -> Double {
            guard high > low else { return 0.5 }
            return logarithmic ? (log(v) - log(low)) / (log(high) - log(low)) : (v - low) / (high - low)
        }
        switch (domain, value) {
        case (.continuous(let low, let high, let logarithmic), _):
            guard let v = value.numericValue, v >= low, v <= high else { return nil }
            return [unit(v, low, high, logarithmic)]
        case (.integer(let low, let high, let logarithmic), .integer(let v)):
            guard v >= low, v <= high else { return nil }
            return [unit(Double(v), Double(low), Double(high), logarithmic)]
        case (.categorical(let values), .category(let v)):
            guard let index = values.firstIndex(of: v) else { return nil }
            return values.indices.map { $0 == index ? 1 : 0 }
        default:
            return nil
        }
    }

    /// Reads a value written as text (a history cell); `nil` when it is not a value of the domain.
    public func value(parsing text: String) -> ParameterValue? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let value: ParameterValue?
        switch domain {
        case .continuous: value = Double(trimmed).flatMap { $0.isFinite ? .real($0) : nil }
        case .integer: value = Int(trimmed).map(ParameterValue.integer) ?? Double(trimmed).flatMap { $0 == $0.rounded() && Swift.abs($0) < 1e15 ? .integer(Int($0)) : nil }
        // A category is matched as written first: one with surrounding spaces (kept in the space,
        // quoted in a history) must read back as itself.
        case .categorical(let values): value = .category(values.contains(text) ? text : trimmed)
        }
        return value.flatMap { unitCoordinates(of: $0) == nil ? nil : $0 }
    }

    /// The domain in words, for messages: `continuous in [1e-05, 0.1] (log scale)`,
    /// `integer in [1, 8]`, `one of relu, gelu`.
    public var domainDescription: String {
        switch domain {
        case .continuous(let low, let high, let logarithmic): "continuous in [\(low), \(high)]\(logarithmic ? " (log scale)" : "")"
        case .integer(let low, let high, let logarithmic): "integer in [\(low), \(high)]\(logarithmic ? " (log scale)" : "")"
        case .categorical(let values): "one of \(values.joined(separator: ", "))"
        }
    }
}
