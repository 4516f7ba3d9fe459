import MesaCore
import MesaNN
import MesaTestSupport
import XCTest

// Test support for this target: gradient checks of modules with respect to their parameters,
// which are treated as ordinary inputs through the functional call.

extension GradientCheck {
    /// Asserts that the gradients of `call` with respect to `inputs` and to every parameter of
    /// `module` match central differences (see ``GradientCheck/assertMatches(_:at:epsilon:tolerance:_:file:line:)``).
    ///
    /// `call` receives the inputs; the parameters are substituted with
    /// ``Module/callAsFunction(substituting:_:)`` around it.
    static func assertModuleMatches(
        _ module: some Module, inputs: [Tensor], tolerance: Float = 1e-2, _ message: String = "",
        file: StaticString = #filePath, line: UInt = #line, _ call: @escaping ([Tensor]) -> Tensor
    ) {
        let parameterValues = module.parameters.map { $0.value.detached() }
        let inputCount = inputs.count
        assertMatches({ values in
            module.callAsFunction(substituting: Array(values[inputCount...])) { call(Array(values[..<inputCount])) }
        }, at: inputs + parameterValues, tolerance: tolerance, message, file: file, line: line)
    }
}

/// Asserts that two tensors have the same shape and elements within `tolerance` (absolute plus
/// relative, see ``Tensor/isApproximatelyEqual(to:tolerance:)``).
func assertClose(_ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-5, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertTrue(actual.isApproximatelyEqual(to: expected, tolerance: tolerance),
                  "\(message) \(actual) is not within \(tolerance) of \(expected)", file: file, line: line)
}
