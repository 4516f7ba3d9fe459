import Foundation
import MesaCore
@testable import MesaMeta
import XCTest

final class SinusoidTasksTests: XCTestCase {
    func testParametersAndInputsLieInFinnEtAlRanges() {
        let sinusoids = sampleTasks(SinusoidTasks(), count: 1000).map { $0 as! SinusoidFunction }
        let amplitudes = sinusoids.map(\.amplitude), phases = sinusoids.map(\.phase)
        XCTAssertTrue(amplitudes.allSatisfy { (0.1...5).contains($0) })
        XCTAssertTrue(phases.allSatisfy { (0...Float.pi).contains($0) })
        // Uniform draws fill their ranges: 1000 draws leave gaps of ~0.5 % of the range at the ends.
        XCTAssertLessThan(amplitudes.min()!, 0.2)
        XCTAssertGreaterThan(amplitudes.max()!, 4.9)
        XCTAssertLessThan(phases.min()!, 0.1)
        XCTAssertGreaterThan(phases.max()!, 3.04)
        // Means (standard errors ≈ 0.045 and 0.029).
        XCTAssertEqual(amplitudes.reduce(0, +) / 1000, 2.55, accuracy: 0.2)
        XCTAssertEqual(phases.reduce(0, +) / 1000, Float.pi / 2, accuracy: 0.12)
    }

    func testTargetsAreASineOfTheShiftedInput() {
        let tasks = SinusoidTasks()
        XCTAssertEqual(tasks.inputDimension, 1)
        let drawn = sampleTasks(tasks, count: 8)
        let batch = samplePrompts(tasks, tasks: drawn, pointCount: 50)
        var inputs: [Float] = []
        for (row, task) in drawn.enumerated() {
            let sinusoid = task as! SinusoidFunction
            for point in 0..<50 {
                let x = batch.inputs[row, point, 0]
                inputs.append(x)
                let expected = Double(sinusoid.amplitude) * sin(Double(x) - Double(sinusoid.phase))
                XCTAssertEqual(Double(batch.targets[row, point]), expected, accuracy: 1e-5)
            }
        }
        XCTAssertTrue(inputs.allSatisfy { (-5...5).contains($0) })
        XCTAssertLessThan(inputs.min()!, -4.8)
        XCTAssertGreaterThan(inputs.max()!, 4.8)
    }

    func testSameSeedGivesIdenticalBatches() {
        assertSeededBatchesRepeat(SinusoidTasks())
    }
}
