import Foundation
import MesaOptim
import XCTest

final class LearningRateScheduleTests: XCTestCase {
    func testConstant() {
        let schedule = LearningRateSchedule.constant(learningRate: 0.1)
        XCTAssertEqual([0, 1, 1000].map(schedule.learningRate(atStep:)), [0.1, 0.1, 0.1])
    }

    func testLinearWarmUp() {
        let schedule = LearningRateSchedule.linearWarmUp(peak: 1, warmUpSteps: 4)
        XCTAssertEqual(schedule.learningRate(atStep: 0), 0.25)
        XCTAssertEqual(schedule.learningRate(atStep: 1), 0.5)    // midpoint
        XCTAssertEqual(schedule.learningRate(atStep: 3), 1)      // last warm-up step reaches the peak
        XCTAssertEqual(schedule.learningRate(atStep: 4), 1)
        XCTAssertEqual(schedule.learningRate(atStep: 100), 1)
        XCTAssertEqual(LearningRateSchedule.linearWarmUp(peak: 2, warmUpSteps: 0).learningRate(atStep: 0), 2)
    }

    func testCosineDecay() {
        let schedule = LearningRateSchedule.cosineDecay(peak: 1, minimum: 0.1, totalSteps: 100)
        XCTAssertEqual(schedule.learningRate(atStep: 0), 1)
        XCTAssertEqual(schedule.learningRate(atStep: 25), Float(0.1 + 0.9 * (1 + cos(Double.pi / 4)) / 2), accuracy: 1e-7)
        XCTAssertEqual(schedule.learningRate(atStep: 50), 0.55, accuracy: 1e-7)
        XCTAssertEqual(schedule.learningRate(atStep: 100), 0.1)
        XCTAssertEqual(schedule.learningRate(atStep: 150), 0.1)
        let steps = (0...100).map(schedule.learningRate(atStep:))
        XCTAssertTrue(zip(steps, steps.dropFirst()).allSatisfy { $0 >= $1 }, "cosine decay is monotone")
    }

    func testWarmUpThenLinearDecay() {
        let schedule = LearningRateSchedule.warmUpLinearDecay(peak: 2, minimum: 0.5, warmUpSteps: 4, totalSteps: 24)
        XCTAssertEqual(schedule.learningRate(atStep: 0), 0.5)
        XCTAssertEqual(schedule.learningRate(atStep: 3), 2)
        XCTAssertEqual(schedule.learningRate(atStep: 4), 2)                  // the line starts at the peak
        XCTAssertEqual(schedule.learningRate(atStep: 14), 1.25, accuracy: 1e-6) // halfway: (2 + 0.5) / 2
        XCTAssertEqual(schedule.learningRate(atStep: 24), 0.5)
        XCTAssertEqual(schedule.learningRate(atStep: 99), 0.5)
        let steps = (4...24).map(schedule.learningRate(atStep:))
        let differences = zip(steps.dropFirst(), steps).map { $0 - $1 }
        XCTAssertTrue(differences.allSatisfy { abs($0 + 0.075) < 1e-6 }, "equal steps down: \(differences)")
    }

    func testWarmUpThenCosineDecay() {
        let schedule = LearningRateSchedule.warmUpCosineDecay(peak: 2, minimum: 0, warmUpSteps: 10, totalSteps: 110)
        XCTAssertEqual(schedule.learningRate(atStep: 0), 0.2, accuracy: 1e-7)
        XCTAssertEqual(schedule.learningRate(atStep: 4), 1, accuracy: 1e-7)
        XCTAssertEqual(schedule.learningRate(atStep: 9), 2)
        XCTAssertEqual(schedule.learningRate(atStep: 10), 2)                 // the cosine starts at the peak
        XCTAssertEqual(schedule.learningRate(atStep: 60), 1, accuracy: 1e-7) // halfway through the decay
        XCTAssertEqual(schedule.learningRate(atStep: 110), 0)
        XCTAssertEqual(schedule.learningRate(atStep: 1000), 0)
    }

    func testDegenerateLengthsStayFinite() {
        let schedules: [LearningRateSchedule] = [
            .cosineDecay(peak: 1, minimum: 0.5, totalSteps: 0),
            .warmUpCosineDecay(peak: 1, minimum: 0.5, warmUpSteps: 0, totalSteps: 0),
            .warmUpCosineDecay(peak: 1, minimum: 0.5, warmUpSteps: 5, totalSteps: 3),
        ]
        for schedule in schedules {
            for step in [-1, 0, 1, 4, 5, 10] { XCTAssertTrue(schedule.learningRate(atStep: step).isFinite, "\(schedule) at \(step)") }
            XCTAssertEqual(schedule.learningRate(atStep: 10), 0.5)
        }
    }

    func testCodableRoundTrip() throws {
        let schedules: [LearningRateSchedule] = [
            .constant(learningRate: 3e-4),
            .linearWarmUp(peak: 1e-3, warmUpSteps: 100),
            .cosineDecay(peak: 1e-3, minimum: 1e-5, totalSteps: 1000),
            .warmUpCosineDecay(peak: 1e-3, minimum: 1e-5, warmUpSteps: 100, totalSteps: 1000),
        ]
        let data = try JSONEncoder().encode(schedules)
        XCTAssertEqual(try JSONDecoder().decode([LearningRateSchedule].self, from: data), schedules)
        let preset = #"{"warmUpCosineDecay": {"peak": 0.001, "minimum": 0, "warmUpSteps": 10, "totalSteps": 100}}"#
        XCTAssertEqual(try JSONDecoder().decode(LearningRateSchedule.self, from: Data(preset.utf8)),
                       .warmUpCosineDecay(peak: 0.001, minimum: 0, warmUpSteps: 10, totalSteps: 100))
    }
}
