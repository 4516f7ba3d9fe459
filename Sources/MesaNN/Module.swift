import MesaCore

/// A building block of a network: owns ``Parameter``s and child modules as stored properties.
///
/// Parameter traversal is automatic and ordered: ``namedParameters`` walks the stored
/// properties in declaration order (with `Mirror`), descending into child modules, arrays of
/// modules and optionals, and names each parameter by its path, e.g. `layers.0.attention.query.weight`
/// (the names checkpoints use). Module classes need no registration code:
///
/// ```swift
/// final class TwoLayer: Layer {
///     let hidden: Linear
///     let output: Linear
///     init(using generator: inout RandomGenerator) {
///         hidden = Linear(inputSize: 4, outputSize: 16, using: &generator)
///         output = Linear(inputSize: 16, outputSize: 1, using: &generator)
///     }
///     func callAsFunction(_ x: Tensor) -> Tensor { output(hidden(x).relu()) }
/// }
/// ```
public protocol Module: AnyObject {
    /// Every parameter with its dotted path, in declaration order.
    var namedParameters: [(name: String, parameter: Parameter)] { get }
    /// The direct child modules with their property names, in declaration order.
    var namedChildren: [(name: String, module: any Module)] { get }
}

extension Module {
    public var namedParameters: [(name: String, parameter: Parameter)] {
        var result: [(name: String, parameter: Parameter)] = []
        collectParameters(prefix: "", into: &result)
        return result
    }

    public var namedChildren: [(name: String, module: any Module)] {
        var result: [(name: String, module: any Module)] = []
        for (label, value) in Self.storedProperties(of: self) {
            Self.visit(value, name: label) { name, item in
                if case .module(let module) = item { result.append((name, module)) }
            }
        }
        return result
    }

    /// The parameters in declaration order.
    public var parameters: [Parameter] { namedParameters.map(\.parameter) }

    /// The total number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.scalarCount } }

    /// Clears every parameter's accumulated gradient.
    public func clearGradients() { parameters.forEach { $0.clearGradient() } }

    /// This module and all modules below it, depth first.
    public var allModules: [any Module] { [self] + namedChildren.flatMap { $0.module.allModules } }

    /// Runs `body` with the parameters' values replaced by `values` (in ``namedParameters`` order),
    /// then restores them: the functional call MAML's fast weights need.
    ///
    /// `values` may be any tensors of the right shapes, including results of differentiable
    /// computations, so gradients flow through them back to whatever produced them.
    public func callAsFunction<Result>(substituting values: [Tensor], _ body: () throws -> Result) rethrows -> Result {
        let parameters = self.parameters
        precondition(values.count == parameters.count,
                     "functional call: \(values.count) values for \(parameters.count) parameters")
        for (parameter, value) in zip(parameters, values) {
            precondition(parameter.shape == value.shape,
                         "functional call: value of shape \(value.shape) for a parameter of shape \(parameter.shape)")
        }
        let saved = parameters.map(\.value)
        for (parameter, value) in zip(parameters, values) { parameter.value = value }
        defer { for (parameter, value) in zip(parameters, saved) { parameter.value = value } }
        return try body()
    }

    func collectParameters(prefix: String, into result: inout [(name: String, parameter: Parameter)]) {
        for (label, value) in Self.storedProperties(of: self) {
            Self.visit(value, name: prefix + label) { name, item in
                switch item {
                case .parameter(let parameter): result.append((name, parameter))
                case .module(let module): module.collectParameters(prefix: name + ".", into: &result)
                }
            }
        }
    }

    /// Stored properties of the object and its superclasses, superclass first.
    static func storedProperties(of object: AnyObject) -> [(String, Any)] {
        var mirrors: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: object)
        while let current = mirror {
            mirrors.insert(current, at: 0)
            mirror = current.superclassMirror
        }
        return mirrors.flatMap { $0.children.compactMap { child in child.label.map { ($0, child.value) } } }
    }
}

enum ModuleItem {
    case parameter(Parameter)
    case module(any Module)
}

extension Module {
    /// Calls `body` for each parameter or module inside `value` (itself, array elements, optionals).
    static func visit(_ value: Any, name: String, _ body: (String, ModuleItem) -> Void) {
        if let parameter = value as? Parameter {
            body(name, .parameter(parameter))
        } else if let module = value as? any Module {
            body(name, .module(module))
        } else if let array = value as? [Any] {
            for (index, element) in array.enumerated() { visit(element, name: "\(name).\(index)", body) }
        } else {
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional, let wrapped = mirror.children.first {
                visit(wrapped.value, name: name, body)
            }
        }
    }
}
