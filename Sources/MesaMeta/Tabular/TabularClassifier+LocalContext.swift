import Foundation
import MesaCore

extension TabularClassifier {
    /// Whether rows are predicted from local contexts (``TabularPredictionOptions/localContextRows``):
    /// set, and the labelled rows exceed ``TabularPredictionOptions/maximumContextRows`` or the
    /// classes exceed the model's (then even when all the labelled rows fit in `k`: each row's
    /// context keeps the 10 classes nearest to it).
    func usesLocalContext(trainCount: Int) -> Bool {
        guard let k = options.localContextRows, k >= 2 else { return false }
        return trainCount > options.maximumContextRows || classNames.count > model.configuration.maximumClasses
    }

    /// The share of probability spread evenly over all classes in local-context predictions, so
    /// that a class absent from a row's neighbourhood is unlikely rather than impossible (its
    /// log loss stays finite).
    static let localContextFloor = 1e-3

    /// Class probabilities `[testCount][classes]` from local contexts: each test row's context is
    /// its `k` nearest labelled rows restricted to the (at most 10, at least 2) classes most
    /// frequent among them, relabelled `0..<c` by a random code per member and row; members
    /// (feature subsets and orders, plain or squashed features) are averaged, then mixed with the
    /// uniform distribution at weight ``localContextFloor``. `model` is the pre-trained model or its
    /// fine-tuned copy.
    func localContextProbabilities(trainFeatures: [Float], testFeatures: [Float], width: Int, testCount: Int, k: Int,
                                   members: [TabularEnsembleMember], model: TabularTransformer,
                                   generator: inout RandomGenerator) -> [[Float]] {
        let classCount = classNames.count, modelClasses = model.configuration.maximumClasses
        let trainCount = labels.count, k = min(k, trainCount)
        let candidates = NearestRows.search(queries: testFeatures, queryCount: testCount, rows: trainFeatures, rowCount: trainCount,
                                            width: width, k: min(trainCount, 3 * k))
        let overall = Dictionary(labels.map { ($0, 1) }, uniquingKeysWith: +)
        var contexts: [[Int]] = [], localClasses: [[Int]] = []
        for list in candidates {
            var counts: [Int: Int] = [:]
            for row in list.prefix(k) { counts[labels[row], default: 0] += 1 }
            var local = counts.keys.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) }.prefix(modelClasses).map { $0 }
            if local.count < 2 {   // the model was trained on two or more classes: add the next most frequent
                var others: [Int: Int] = [:]
                for row in list where labels[row] != local[0] { others[labels[row], default: 0] += 1 }
                let source = others.isEmpty ? overall.filter { $0.key != local[0] } : others
                if let next = source.keys.sorted(by: { (source[$0]!, $1) > (source[$1]!, $0) }).first { local.append(next) }
            }
            let allowed = Set(local)
            contexts.append(Array(list.filter { allowed.contains(labels[$0]) }.prefix(k)))
            localClasses.append(local)
        }
        var probabilities = [Double](repeating: 0, count: testCount * classCount)
        let byLength = Dictionary(grouping: 0..<testCount, by: { contexts[$0].count })
        let featureCount = members.first?.featureOrder.count ?? width
        for member in members {
            let codes: [[Int]] = localClasses.map { local in
                var code = Array(0..<local.count)
                generator.shuffle(&code)
                return code
            }
            for length in byLength.keys.sorted() {
                let rows = byLength[length]!
                for start in stride(from: 0, to: rows.count, by: 64) {
                    let batch = Array(rows[start..<min(start + 64, rows.count)])
                    var features: [Float] = [], targets: [Float] = []
                    features.reserveCapacity(batch.count * (length + 1) * model.configuration.maximumFeatures)
                    for row in batch {
                        var table: [Float] = []
                        let position = Dictionary(uniqueKeysWithValues: localClasses[row].enumerated().map { ($1, $0) })
                        for context in contexts[row] {
                            table += member.transformed(trainFeatures, context, width: width, map: nil)
                            targets.append(Float(codes[row][position[labels[context]]!]))
                        }
                        table += member.transformed(testFeatures, row, width: width, map: nil)
                        features += model.paddedFeatures(table, rows: length + 1, featureCount: featureCount)
                    }
                    let input = Tensor(shape: [batch.count, length + 1, model.configuration.maximumFeatures], scalars: features)
                    let logits = withoutGradients { model.logits(features: input, trainTargets: targets, trainCount: length,
                                                                  featureCounts: Array(repeating: featureCount, count: batch.count)) }.scalars
                    for (b, row) in batch.enumerated() {
                        let local = localClasses[row]
                        let p = memberSoftmax(logits, offset: b * model.configuration.outputCount, count: local.count)
                        for (i, label) in local.enumerated() {
                            probabilities[row * classCount + label] += p[codes[row][i]] / Double(members.count)
                        }
                    }
                }
            }
        }
        let floor = Self.localContextFloor
        return (0..<testCount).map { row in
            (0..<classCount).map { Float((1 - floor) * probabilities[row * classCount + $0] + floor / Double(classCount)) }
        }
    }
}
