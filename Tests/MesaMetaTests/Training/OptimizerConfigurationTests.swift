import Foundation
import MesaCore
import MesaNN
import MesaOptim
import XCTest
@testable import MesaMeta

final class OptimizerConfigurationTests: XCTestCase {
    private func decodeTraining(_ json: String) throws -> TrainingConfiguration {
        try JSONDecoder().decode(TrainingConfiguration.self, from: Data(json.utf8))
    }

    func testAbsentSectionTakesTheOwnersDefaults() throws {
        XCTAssertEqual(try decodeTraining("{}").optimizer, TrainingConfiguration.defaultOptimizer)
        XCTAssertEqual(try JSONDecoder().decode(EpisodicConfiguration.self, from: Data("{}".utf8)).optimizer, EpisodicConfiguration.defaultOptimizer)
        XCTAssertEqual(TabularPretrainingConfiguration().optimizer, TabularPretrainingConfiguration.defaultOptimizer)
    }

    func testPartialSectionKeepsTheOtherDefaults() throws {
        let optimizer = try decodeTraining(#"{"optimizer": {"algorithm": "adamw", "weightDecay": 0.01}}"#).optimizer
        var expected = TrainingConfiguration.defaultOptimizer
        expected.algorithm = .adamw
        expected.weightDecay = 0.01
        XCTAssertEqual(optimizer, expected)
        XCTAssertNil(try decodeTraining(#"{"optimizer": {"gradientClipNorm": null}}"#).optimizer.gradientClipNorm)
    }

    func testMisspeltNamesAndFieldsListTheValidOnes() {
        XCTAssertThrowsError(try decodeTraining(#"{"optimizer": {"algorithm": "adamm"}}"#)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("adamm") && text.contains("adam, adamw, sgd, lion"), text)
        }
        XCTAssertThrowsError(try decodeTraining(#"{"optimizer": {"decay": "step"}}"#)) { error in
            XCTAssertTrue("\(error)".contains("constant, cosine, linear"), "\(error)")
        }
        XCTAssertThrowsError(try decodeTraining(#"{"optimizer": {"learningrate": 0.1}}"#)) { error in
            XCTAssertTrue("\(error)".contains("'learningrate'") && "\(error)".contains("learningRate"), "\(error)")
        }
    }

    /// Files written before the `optimizer` section (every run folder and shipped model of
    /// earlier versions) decode to the same configuration as the section form.
    func testLegacyFlatFieldsDecodeToTheSection() throws {
        let legacy = try decodeTraining(#"{"optimizer": "adamw", "learningRate": 0.002, "minimumLearningRate": 0.0001, "warmUpSteps": 7, "epsilon": 1e-6, "weightDecay": 0.1, "gradientClipNorm": null}"#)
        let section = try decodeTraining(#"{"optimizer": {"algorithm": "adamw", "learningRate": 0.002, "decay": "cosine", "minimumLearningRate": 0.0001, "warmUpSteps": 7, "epsilon": 1e-6, "weightDecay": 0.1, "gradientClipNorm": null}}"#)
        XCTAssertEqual(legacy, section)
        XCTAssertEqual(try decodeTraining(#"{"learningRate": 0.002}"#).optimizer.learningRate, 0.002)
        XCTAssertThrowsError(try decodeTraining(#"{"optimizer": {"algorithm": "adam"}, "learningRate": 0.1}"#)) { error in
            XCTAssertTrue("\(error)".contains("not both"), "\(error)")
        }
        XCTAssertThrowsError(try decodeTraining(#"{"optimizer": "rmsprop"}"#)) { error in
            XCTAssertTrue("\(error)".contains("adam, adamw, sgd, lion"), "\(error)")
        }

        let reptile = try EpisodicConfiguration(json: Data(#"{"algorithm": "reptile", "metaLearningRate": 1.0, "metaOptimizer": "sgd"}"#.utf8), source: "test")
        XCTAssertEqual(reptile.optimizer, OptimizerConfiguration(algorithm: .sgd, learningRate: 1, decay: .linear, minimumLearningRate: 0))
        let adam = try EpisodicConfiguration(json: Data(#"{"metaLearningRate": 0.01}"#.utf8), source: "test")
        XCTAssertEqual(adam.optimizer, OptimizerConfiguration(algorithm: .adam, learningRate: 0.01, decay: .constant))
        XCTAssertThrowsError(try EpisodicConfiguration(json: Data(#"{"metaOptimizer": "lion"}"#.utf8), source: "test"))

        let tabular = try TabularPretrainingConfiguration(json: Data(#"{"learningRate": 0.001, "warmUpSteps": 10, "gradientClipNorm": 2}"#.utf8), source: "test")
        XCTAssertEqual(tabular.optimizer, OptimizerConfiguration(algorithm: .adam, learningRate: 0.001, decay: .cosine, warmUpSteps: 10, gradientClipNorm: 2))
    }

    /// Reptile's outer step size `ε(1 − s/T)` (Nichol et al. 2018) is the linear decay to 0,
    /// bit for bit; a constant decay with no warm-up is the peak at every step.
    func testSchedulesMatchTheirFormulas() {
        let reptile = OptimizerConfiguration(algorithm: .sgd, learningRate: 0.7, decay: .linear, minimumLearningRate: 0).schedule(totalSteps: 30)
        for step in 0..<30 { XCTAssertEqual(reptile.learningRate(atStep: step), 0.7 * (1 - Float(step) / 30)) }
        XCTAssertEqual(reptile.learningRate(atStep: 40), 0)
        let constant = OptimizerConfiguration(learningRate: 0.3, decay: .constant).schedule(totalSteps: 10)
        XCTAssertEqual((0..<12).map { constant.learningRate(atStep: $0) }, Array(repeating: 0.3, count: 12))
        let cosine = OptimizerConfiguration(learningRate: 1, decay: .cosine, warmUpSteps: 4).schedule(totalSteps: 20)
        XCTAssertEqual(cosine.learningRate(atStep: 0), 0.25)
        XCTAssertEqual(cosine.learningRate(atStep: 4), 1)
        XCTAssertEqual(cosine.learningRate(atStep: 20), 0.1, accuracy: 1e-7, "the minimum defaults to a tenth")
    }

    func testMakesTheNamedOptimizer() {
        var generator = RandomGenerator(seed: 1)
        let layer = Linear(inputSize: 2, outputSize: 1, using: &generator)
        let kinds: [(OptimizerAlgorithm, any Optimizer.Type)] = [(.adam, Adam.self), (.adamw, AdamW.self), (.sgd, SGD.self), (.lion, Lion.self)]
        for (algorithm, type) in kinds {
            let optimizer = OptimizerConfiguration(algorithm: algorithm, learningRate: 0.05).makeOptimizer(for: layer.parameters)
            XCTAssertTrue(Swift.type(of: optimizer) == type, "\(algorithm) made \(Swift.type(of: optimizer))")
            XCTAssertEqual(optimizer.learningRate, 0.05)
        }
    }

    /// A saved configuration decodes to itself, `null`s included (an absent optional field would
    /// take the owner's default: a run without clipping would resume with it), for every shipped
    /// preset and for optional fields cleared by hand.
    func testSavedConfigurationsDecodeToThemselves() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let presets = root.appendingPathComponent("Sources/MesaCLI/Presets"), meta = root.appendingPathComponent("Sources/MesaCLI/MetaLearningPresets")
        var checked = 0
        for file in try FileManager.default.contentsOfDirectory(at: presets, includingPropertiesForKeys: nil) where file.pathExtension == "json" {
            let configuration = try InContextTrainingConfiguration(json: Data(contentsOf: file), source: file.lastPathComponent)
            XCTAssertEqual(try InContextTrainingConfiguration(json: configuration.jsonData(), source: "saved"), configuration, file.lastPathComponent)
            checked += 1
        }
        for file in try FileManager.default.contentsOfDirectory(at: meta, includingPropertiesForKeys: nil) where file.pathExtension == "json" {
            let configuration = try EpisodicConfiguration(json: Data(contentsOf: file), source: file.lastPathComponent)
            XCTAssertEqual(try EpisodicConfiguration(json: configuration.jsonData(), source: "saved"), configuration, file.lastPathComponent)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 20, "the presets were found")
        var unclipped = TrainingConfiguration()
        unclipped.optimizer.gradientClipNorm = nil
        XCTAssertEqual(try JSONDecoder().decode(TrainingConfiguration.self, from: JSONEncoder().encode(unclipped)), unclipped)
        var tabular = TabularPretrainingConfiguration()
        tabular.optimizer.gradientClipNorm = nil
        XCTAssertEqual(try TabularPretrainingConfiguration(json: tabular.jsonData(), source: "saved"), tabular)
        var explicitMinimum = TabularPretrainingConfiguration()
        explicitMinimum.optimizer.minimumLearningRate = 1e-6
        XCTAssertEqual(try TabularPretrainingConfiguration(json: explicitMinimum.jsonData(), source: "saved"), explicitMinimum)
    }

    /// Old files gave Adam a `weightDecay` that only AdamW used: it still has no effect.
    func testLegacyAdamIgnoresWeightDecay() throws {
        XCTAssertEqual(try decodeTraining(#"{"optimizer": "adam", "weightDecay": 0.1}"#).optimizer.weightDecay, 0)
        XCTAssertEqual(try decodeTraining(#"{"optimizer": "adamw", "weightDecay": 0.1}"#).optimizer.weightDecay, 0.1)
        XCTAssertThrowsError(try decodeTraining(#"{"learningrate": 0.1}"#)) { error in
            XCTAssertFalse("\(error)".contains("minimumLearningRate"), "the error lists the current fields, not the old flat ones: \(error)")
        }
    }

    func testValidationNamesTheField() {
        XCTAssertThrowsError(try OptimizerConfiguration(learningRate: 0).validate(in: "training.optimizer")) { error in
            XCTAssertTrue("\(error)".contains("training.optimizer.learningRate"), "\(error)")
        }
        XCTAssertThrowsError(try OptimizerConfiguration(learningRate: 0.1, minimumLearningRate: 0.2).validate(in: "optimizer"))
        XCTAssertThrowsError(try OptimizerConfiguration(gradientClipNorm: -1).validate(in: "optimizer"))
    }
}
