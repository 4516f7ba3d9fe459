import Foundation
import MesaCore
import MesaNN
import XCTest

final class ActivationTests: XCTestCase {
    func testEachCaseAppliesItsFunction() {
        let x = Tensor([-2, -0.5, 0, 0.5, 2])
        assertClose(Activation.relu(x), x.relu())
        assertClose(Activation.gelu(x), x.gelu())
        assertClose(Activation.tanh(x), x.tanh())
        assertClose(Activation.sigmoid(x), x.sigmoid())
        assertClose(Activation.identity(x), x)
    }

    func testRoundTripsThroughItsName() throws {
        for activation in Activation.allCases {
            let data = try JSONEncoder().encode(activation)
            XCTAssertEqual(try JSONDecoder().decode(Activation.self, from: data), activation)
        }
        XCTAssertEqual(Activation(rawValue: "gelu"), .gelu)
    }
}
