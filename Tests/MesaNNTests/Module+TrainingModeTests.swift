import MesaCore
import MesaNN
import XCTest

final class ModuleTrainingModeTests: XCTestCase {
    func testSetTrainingReachesEveryNestedDropout() {
        var generator = RandomGenerator(seed: 41)
        let encoder = TransformerEncoder(layerCount: 2, modelSize: 4, headCount: 2, feedForwardSize: 8, dropout: 0.5,
                                         using: &generator)
        let dropouts = encoder.allModules.compactMap { $0 as? Dropout }
        XCTAssertEqual(dropouts.count, 6)
        XCTAssertTrue(dropouts.allSatisfy(\.isTraining))
        let x = Tensor.randomNormal([1, 3, 4], using: &generator)

        encoder.setTraining(false)
        XCTAssertTrue(dropouts.allSatisfy { !$0.isTraining })
        XCTAssertEqual(encoder(x).scalars, encoder(x).scalars)

        encoder.setTraining(true)
        XCTAssertTrue(dropouts.allSatisfy(\.isTraining))
        XCTAssertNotEqual(encoder(x).scalars, encoder(x).scalars)
    }
}
