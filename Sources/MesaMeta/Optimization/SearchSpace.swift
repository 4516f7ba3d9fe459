import Foundation

/// The domain of a black-box objective: named continuous (linear or log scale), integer and
/// categorical parameters, mapped to the unit cube that the optimiser works in and back to the
/// user's units outside it (see ``SearchParameter`` for the map).
///
/// Spaces are usually read from JSON (``init(json:source:)``), in a form other tools can write:
///
/// ```json
/// {"parameters": [
///     {"name": "lr", "type": "continuous", "low": 1e-5, "high": 1e-1, "log": true},
///     {"name": "layers", "type": "integer", "low": 1, "high": 8},
///     {"name": "act", "type": "categorical", "values": ["relu", "gelu"]}
/// ]}
/// ```
///
/// That space has 4 unit-cube coordinates: `lr`, `layers`, and one per activation.
public struct SearchSpace: Sendable, Equatable {
    /// The parameters, in the order of the history's columns.
    public let parameters: [SearchParameter]

    /// The name of the history column after the parameters; no parameter may take it.
    public static let objectiveColumn = "objective"

    /// A space of `parameters`.
    ///
    /// - Throws: ``OptimizationError/invalidSpace(_:)`` for no parameters, a name that is empty,
    ///   repeated, `objective`, or not made of letters, digits, `_`, `-` and `.`, and for an
    ///   empty or reversed range, a log scale over non-positive values, or categories that are
    ///   missing or repeated. `source` names the file in messages.
    public init(parameters: [SearchParameter], source: String = "search space") throws {
        guard !parameters.isEmpty else {
            throw OptimizationError.invalidSpace("\(source): \"parameters\" is empty; list at least one parameter")
        }
        var seen = Set<String>()
        for (index, parameter) in parameters.enumerated() {
            let place = "\(source): parameter \(index + 1) (\"\(parameter.name)\")"
            guard Self.isValidName(parameter.name) else {
                throw OptimizationError.invalidSpace("\(source): parameter \(index + 1) has the name \"\(parameter.name)\"; a name must be non-empty and use only letters, digits, '_', '-' and '.' (it becomes a CSV column and a {name} placeholder)")
            }
            guard parameter.name != Self.objectiveColumn else {
                throw OptimizationError.invalidSpace("\(place): the name \"\(Self.objectiveColumn)\" is reserved for the history's objective column; rename the parameter")
            }
            guard seen.insert(parameter.name).inserted else {
                throw OptimizationError.invalidSpace("\(place): the name is used by an earlier parameter; names must be unique")
            }
            switch parameter.domain {
            case .continuous(let low, let high, let logarithmic):
                guard low.isFinite, high.isFinite else { throw OptimizationError.invalidSpace("\(place): \"low\" and \"high\" must be finite numbers") }
                guard low < high else {
                    throw OptimizationError.invalidSpace("\(place): \"low\" must be below \"high\", got low \(low) and high \(high)")
                }
                if logarithmic && low <= 0 {
                    throw OptimizationError.invalidSpace("\(place): a log-scale parameter needs \"low\" > 0, got \(low); set \"log\": false or raise \"low\"")
                }
            case .integer(let low, let high, let logarithmic):
                guard low < high else {
                    throw OptimizationError.invalidSpace("\(place): \"low\" must be below \"high\", got low \(low) and high \(high)")
                }
                if logarithmic && low <= 0 {
                    throw OptimizationError.invalidSpace("\(place): a log-scale parameter needs \"low\" > 0, got \(low); set \"log\": false or raise \"low\"")
                }
            case .categorical(let values):
                guard !values.isEmpty else { throw OptimizationError.invalidSpace("\(place): \"values\" is empty; list at least one category") }
                if let repeated = values.enumerated().first(where: { values.firstIndex(of: $0.element) != $0.offset }) {
                    throw OptimizationError.invalidSpace("\(place): the category \"\(repeated.element)\" is listed twice; categories must be distinct")
                }
            }
        }
        self.parameters = parameters
    }

    /// Whether `name` may name a parameter: non-empty, letters, digits, `_`, `-` and `.` only.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0) }
    }

    /// The parameters' names, in order.
    public var names: [String] { parameters.map(\.name) }

    /// The number of unit-cube coordinates (categorical parameters take one per category).
    public var dimension: Int { parameters.reduce(0) { $0 + $1.width } }

    /// The values at unit-cube point `unit` (``dimension`` coordinates).
    public func values(fromUnit unit: [Double]) -> [ParameterValue] {
        var offset = 0
        return parameters.map { parameter in
            defer { offset += parameter.width }
            return parameter.value(fromUnit: unit[offset..<(offset + parameter.width)])
        }
    }

    /// The unit-cube point of `values` (one per parameter, in order).
    ///
    /// - Throws: ``OptimizationError/invalidHistory(_:)`` naming the first value outside its domain.
    public func unitPoint(of values: [ParameterValue]) throws -> [Double] {
        guard values.count == parameters.count else {
            throw OptimizationError.invalidHistory("expected \(parameters.count) values (\(names.joined(separator: ", "))), got \(values.count)")
        }
        var point: [Double] = []
        for (parameter, value) in zip(parameters, values) {
            guard let coordinates = parameter.unitCoordinates(of: value) else {
                throw OptimizationError.invalidHistory("\(parameter.name) = \(value) is not in the space (\(parameter.domainDescription))")
            }
            point += coordinates
        }
        return point
    }

    /// `unit` moved to the nearest point the user can evaluate: integers rounded, one category
    /// chosen; what the optimiser suggests and the surrogate sees.
    public func snapped(_ unit: [Double]) -> [Double] {
        // The values of a snapped point are always in the space.
        (try? unitPoint(of: values(fromUnit: unit))) ?? unit
    }

    /// The evaluable points near `unit`: ``snapped(_:)`` first, then that point with one
    /// categorical parameter switched to each of its other categories, or one integer parameter
    /// moved one step up or down. The acquisition maximiser scores them all, because a
    /// continuous relaxation rarely crosses to another category by itself.
    public func snappedCandidates(_ unit: [Double]) -> [[Double]] {
        guard !isContinuous else { return [snapped(unit)] }
        let values = self.values(fromUnit: unit)
        var candidates: [[ParameterValue]] = [values]
        for (index, parameter) in parameters.enumerated() {
            switch (parameter.domain, values[index]) {
            case (.categorical(let categories), .category(let current)):
                for category in categories where category != current {
                    var changed = values
                    changed[index] = .category(category)
                    candidates.append(changed)
                }
            case (.integer(let low, let high, _), .integer(let current)):
                for step in [-1, 1] where (low...high).contains(current + step) {
                    var changed = values
                    changed[index] = .integer(current + step)
                    candidates.append(changed)
                }
            default:
                continue
            }
        }
        return candidates.compactMap { try? unitPoint(of: $0) }
    }

    /// Whether every parameter is continuous (then ``snapped(_:)`` only clamps).
    public var isContinuous: Bool {
        parameters.allSatisfy { if case .continuous = $0.domain { true } else { false } }
    }
}
