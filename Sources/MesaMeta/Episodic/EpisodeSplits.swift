import Foundation
import MesaCore

/// The meta-training, meta-validation and meta-test episode samplers of a configuration
/// (see ``EpisodicTrainer`` for the class splits).
struct EpisodeSplits: Sendable {
    let train: any EpisodeSampling
    let validation: any EpisodeSampling
    let test: any EpisodeSampling
    /// The input width.
    let inputSize: Int

    init(configuration c: EpisodicConfiguration, using generator: inout RandomGenerator) throws {
        switch c.source {
        case .sinusoid:
            let episodes = RegressionEpisodes(tasks: SinusoidTasks(), supportCount: c.supportCount, queryCount: c.queryCount)
            (train, validation, test, inputSize) = (episodes, episodes, episodes, 1)
        case .fashionMNIST:
            let directory = c.path.map { URL(fileURLWithPath: $0) } ?? FashionMNIST.defaultDirectory
            let trainFile = try FashionMNIST.load(.train, from: directory)
            let testFile = try FashionMNIST.load(.test, from: directory)
            let trainClasses = c.trainClasses ?? [0, 1, 4, 5, 8]
            let testClasses = c.testClasses ?? [2, 3, 6, 7, 9]
            try Self.checkDisjoint(trainClasses, testClasses, c.validationClasses ?? [])
            train = try FewShotEpisodes(dataset: trainFile, classes: trainClasses, ways: c.ways, shots: c.shots, queries: c.queries)
            if let validationClasses = c.validationClasses, !validationClasses.isEmpty {
                validation = try FewShotEpisodes(dataset: try trainFile.appending(testFile), classes: validationClasses,
                                                 ways: c.ways, shots: c.shots, queries: c.queries)
            } else {
                validation = try FewShotEpisodes(dataset: testFile, classes: trainClasses, ways: c.ways, shots: c.shots, queries: c.queries)
            }
            test = try FewShotEpisodes(dataset: try trainFile.appending(testFile), classes: testClasses,
                                       ways: c.ways, shots: c.shots, queries: c.queries)
            inputSize = trainFile.featureCount
        case .table:
            let url = URL(fileURLWithPath: c.path ?? "")
            let dataset = try LabelledDataset(table: try CSVTable(contentsOf: url), target: c.target, source: url.lastPathComponent)
                .standardized()
            var order = Array(0..<dataset.classNames.count)
            for index in order.indices.reversed() where index > 0 { order.swapAt(index, generator.nextIndex(below: index + 1)) }
            let trainCount = order.count * 3 / 5, validationCount = order.count / 5
            let trainClasses = c.trainClasses ?? Array(order[..<trainCount]).sorted()
            let validationClasses = c.validationClasses ?? Array(order[trainCount..<(trainCount + validationCount)]).sorted()
            let testClasses = c.testClasses ?? Array(order[(trainCount + validationCount)...]).sorted()
            try Self.checkDisjoint(trainClasses, testClasses, validationClasses)
            train = try FewShotEpisodes(dataset: dataset, classes: trainClasses, ways: c.ways, shots: c.shots, queries: c.queries)
            validation = try FewShotEpisodes(dataset: dataset, classes: validationClasses, ways: c.ways, shots: c.shots, queries: c.queries)
            test = try FewShotEpisodes(dataset: dataset, classes: testClasses, ways: c.ways, shots: c.shots, queries: c.queries)
            inputSize = dataset.featureCount
        }
    }

    static func checkDisjoint(_ train: [Int], _ test: [Int], _ validation: [Int]) throws {
        let overlap = Set(train).intersection(test).union(Set(validation).intersection(test))
        guard overlap.isEmpty else {
            throw MetaLearningError.invalidConfiguration("meta-test classes \(overlap.sorted()) also appear in meta-training or meta-validation; the splits must be disjoint")
        }
    }
}
