import XCTest
import MesaCore
@testable import MesaMeta

final class DifferentialEvolutionTests: XCTestCase {
    let low = Array(repeating: -5.0, count: 5), high = Array(repeating: 5.0, count: 5)

    func testJADEAdaptationFollowsItsFormulas() {
        var adaptation = JADEAdaptation()
        adaptation.adapt(successfulScaleFactors: [0.2, 0.8], successfulCrossoverRates: [0.9, 0.7])
        // μ_CR = 0.9 · 0.5 + 0.1 · mean(0.9, 0.7); μ_F = 0.9 · 0.5 + 0.1 · (0.04 + 0.64)/(0.2 + 0.8)
        XCTAssertEqual(adaptation.meanCrossoverRate, 0.53, accuracy: 1e-15)
        XCTAssertEqual(adaptation.meanScaleFactor, 0.518, accuracy: 1e-15)
        let before = adaptation
        adaptation.adapt(successfulScaleFactors: [], successfulCrossoverRates: [])
        XCTAssertEqual(adaptation, before, "no success, no change")
    }

    func testJADESamplesNormalRatesAndTruncatedCauchyScaleFactors() {
        let adaptation = JADEAdaptation(meanCrossoverRate: 0.3, meanScaleFactor: 0.6)
        var generator = RandomGenerator(seed: 5)
        let samples = (0..<20000).map { _ in adaptation.sample(using: &generator) }
        let rates = samples.map(\.crossoverRate), scales = samples.map(\.scaleFactor).sorted()
        XCTAssert(rates.allSatisfy { (0...1).contains($0) } && scales.allSatisfy { $0 > 0 && $0 <= 1 })
        XCTAssertEqual(rates.reduce(0, +) / Double(rates.count), 0.3, accuracy: 0.005)
        XCTAssertEqual(scales[scales.count / 2], 0.6, accuracy: 0.01, "the Cauchy median is its location")
        // Cauchy(0.6, 0.1): P(F ≥ 1) = ½ − atan(4)/π ≈ 0.078, all truncated to 1.
        XCTAssertEqual(Double(scales.filter { $0 == 1 }.count) / Double(scales.count), 0.5 - atan(4) / .pi, accuracy: 0.01)
    }

    func testClassicDEAndJADESolveTheSphereInsideTheBox() throws {
        for configuration in [DifferentialEvolution.Configuration.classic(populationSize: 30), .jade(populationSize: 30)] {
            var de = try DifferentialEvolution(lowerBounds: low, upperBounds: high, configuration: configuration, seed: 1)
            de.minimize({ $0.reduce(0) { $0 + ($1 - 1) * ($1 - 1) } }, evaluations: 20000, target: 1e-8)
            XCTAssertLessThanOrEqual(de.bestValue, 1e-8, "\(configuration.strategy)")
            XCTAssert(de.population.allSatisfy { $0.allSatisfy { (-5...5).contains($0) } })
            XCTAssertLessThanOrEqual(de.archive.count, 30)
        }
    }

    func testJADEAdaptsItsMeansDuringARun() throws {
        var de = try DifferentialEvolution(lowerBounds: low, upperBounds: high, configuration: .jade(populationSize: 20), seed: 2)
        de.minimize({ $0.reduce(0) { $0 + $1 * $1 } }, evaluations: 2000)
        XCTAssertNotEqual(de.adaptation, JADEAdaptation())
        XCTAssertGreaterThan(de.archive.count, 0)
    }

    func testEveryStrategyOfTheParameterisedFormRunsAndStaysInTheBox() throws {
        for primary in DifferentialEvolutionStrategy.BaseVector.allCases {
            for crossover in DifferentialEvolutionStrategy.Crossover.allCases {
                let strategy = DifferentialEvolutionStrategy(primaryBase: primary, secondaryBase: .best, differenceCount: 4, crossover: crossover)
                var de = try DifferentialEvolution(lowerBounds: low, upperBounds: high,
                                                   configuration: .init(populationSize: 10, strategy: strategy), seed: 3)
                de.minimize({ $0.reduce(0) { $0 + $1 * $1 } }, evaluations: 500)
                XCTAssert(de.population.allSatisfy { $0.allSatisfy { (-5...5).contains($0) } }, "\(strategy)")
                XCTAssertLessThan(de.bestValue, 25, "\(strategy)")
            }
        }
    }

    func testRefusesTooSmallPopulationsAndMismatchedTells() throws {
        XCTAssertThrowsError(try DifferentialEvolution(lowerBounds: low, upperBounds: high, configuration: .classic(populationSize: 3), seed: 1)) { error in
            XCTAssertEqual("\(error)", "a DE population with 1 difference vector(s) needs at least 4 members, got 3")
        }
        var de = try DifferentialEvolution(lowerBounds: low, upperBounds: high, configuration: .classic(populationSize: 8), seed: 1)
        let points = de.ask()
        XCTAssertThrowsError(try de.tell(points, values: [1]))
    }

    func testPerMemberSettingsBuildEachTrialWithItsOwnStrategy() throws {
        var de = try DifferentialEvolution(lowerBounds: low, upperBounds: high, configuration: .classic(populationSize: 10), seed: 4)
        let initial = de.ask()
        try de.tell(initial, values: initial.map { $0.reduce(0) { $0 + $1 * $1 } })
        var copy = de
        let own = DifferentialEvolution.TrialSetting(strategy: .rand1Binomial, scaleFactor: 0.5, crossoverRate: 0.9)
        XCTAssertEqual(try copy.ask(settings: Array(repeating: own, count: 10)), de.ask(), "the configuration's own setting for everyone is a plain ask")
        // Arithmetic crossover with CR = 0 copies the parent: u = x + 0 (v − x).
        let still = DifferentialEvolution.TrialSetting(strategy: .init(primaryBase: .best, secondaryBase: .best, differenceCount: 2, crossover: .arithmetic),
                                                       scaleFactor: 0.5, crossoverRate: 0)
        let trials = try copy.ask(settings: [still] + Array(repeating: own, count: 9))
        XCTAssertEqual(trials[0], copy.population[0])
        XCTAssertNotEqual(trials[1], copy.population[1])
    }

    func testPerMemberSettingsAndReassessmentRefuseBadInput() throws {
        var de = try DifferentialEvolution(lowerBounds: low, upperBounds: high, configuration: .classic(populationSize: 8), seed: 1)
        let own = DifferentialEvolution.TrialSetting(strategy: .rand1Binomial, scaleFactor: 0.5, crossoverRate: 0.9)
        XCTAssertThrowsError(try de.ask(settings: Array(repeating: own, count: 8))) { error in
            XCTAssertEqual("\(error)", "a DE takes per-member settings only after its initial population has been told")
        }
        XCTAssertThrowsError(try de.reassess(values: Array(repeating: 0, count: 8))) { error in
            XCTAssertEqual("\(error)", "a DE can reassess its members only after its initial population has been told")
        }
        let initial = de.ask()
        try de.tell(initial, values: Array(repeating: 1, count: 8))
        XCTAssertThrowsError(try de.ask(settings: [own])) { error in
            XCTAssertEqual("\(error)", "a DE generation needs one setting per member (8), got 1")
        }
        var tooLarge = own
        tooLarge.scaleFactor = 3
        XCTAssertThrowsError(try de.ask(settings: Array(repeating: tooLarge, count: 8))) { error in
            XCTAssertEqual("\(error)", "DE needs 0 < F ≤ 2 and 0 ≤ CR ≤ 1, got F = 3.0, CR = 0.9")
        }
        var fourDifferences = own
        fourDifferences.strategy.differenceCount = 4
        XCTAssertThrowsError(try de.ask(settings: Array(repeating: fourDifferences, count: 8))) { error in
            XCTAssertEqual("\(error)", "a DE population with 4 difference vector(s) needs at least 10 members, got 8")
        }
        XCTAssertThrowsError(try de.reassess(values: [1, 2])) { error in
            XCTAssertEqual("\(error)", "reassess needs one value (not NaN) for each of the 8 members, got 2")
        }
    }

    func testReassessedValuesDecideTheNextSelection() throws {
        var de = try DifferentialEvolution(lowerBounds: low, upperBounds: high, configuration: .classic(populationSize: 8), seed: 2)
        let initial = de.ask()
        try de.tell(initial, values: Array(repeating: 1, count: 8))
        let trials = de.ask()
        try de.reassess(values: Array(repeating: 10, count: 8))
        XCTAssertEqual(de.values, Array(repeating: 10, count: 8))
        XCTAssertEqual(de.bestValue, 1, "what was told before is kept")
        try de.tell(trials, values: Array(repeating: 5, count: 8))
        XCTAssertEqual(de.population, trials, "every trial beats its reassessed parent")
    }
}
