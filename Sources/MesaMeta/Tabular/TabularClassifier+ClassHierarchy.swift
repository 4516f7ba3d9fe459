import Foundation
import MesaCore

extension TabularClassifier {
    /// The members' mean of ``hierarchyProbabilities(member:classes:contextRows:trainFeatures:testFeatures:width:testCount:map:model:generator:)``
    /// over all the classes, each member with its own random hierarchy and its own context rows:
    /// `[testCount][classCount]`.
    func hierarchyEnsemble(members: [TabularEnsembleMember], trainFeatures: [Float], testFeatures: [Float], width: Int, testCount: Int,
                           model: TabularTransformer, generator: inout RandomGenerator) -> [[Double]] {
        let classCount = classNames.count
        var mean = [[Double]](repeating: [Double](repeating: 0, count: classCount), count: testCount)
        for member in members {
            let p = hierarchyProbabilities(member: member, classes: Array(0..<classCount), contextRows: member.contextRows,
                                           trainFeatures: trainFeatures, testFeatures: testFeatures, width: width, testCount: testCount,
                                           map: member.fittedMap(train: trainFeatures, width: width), model: model, generator: &generator)
            for row in 0..<testCount { for c in 0..<classCount { mean[row][c] += p[row][c] / Double(members.count) } }
        }
        return mean
    }

    /// One member's class probabilities `[testCount × classCount]` for more classes than the
    /// model's `m`, by a two-level class hierarchy (Qu et al. 2025, TabICL's hierarchical
    /// classification): the classes are dealt at random into `g = min(classCount, m)` groups of
    /// near-equal size; one pass over the member's whole context predicts the group, `P(group | x)`;
    /// then, for each group of two or more classes, one pass whose context is only that group's
    /// rows predicts the class within it, `P(c | group, x)`. A class's probability is the product
    /// `P(group(c) | x) · P(c | group(c), x)`, so the probabilities sum to 1 by construction.
    /// Every class keeps the whole labelled table's evidence, unlike a local context's ten
    /// nearest classes. Up to `m²` classes (100 for the shipped model) every group has at most
    /// `m` classes and two levels suffice; beyond that a group of more than `m` classes is split
    /// again by the same rule, one level deeper. The within-group passes read the member's
    /// variant map fitted on its whole context (`map`), so every level sees the same features.
    func hierarchyProbabilities(member: TabularEnsembleMember, classes: [Int], contextRows: [Int], trainFeatures: [Float],
                                testFeatures: [Float], width: Int, testCount: Int, map: TabularEnsembleMember.FittedMap?,
                                model: TabularTransformer, generator: inout RandomGenerator) -> [[Double]] {
        let modelClasses = model.configuration.maximumClasses
        let groups = min(classes.count, modelClasses)
        var shuffled = classes
        generator.shuffle(&shuffled)
        // Dealt in turn: group g holds shuffled[g], shuffled[g + groups], …
        let groupClasses = (0..<groups).map { g in stride(from: g, to: shuffled.count, by: groups).map { shuffled[$0] } }
        var group: [Int: Int] = [:]
        for (g, members) in groupClasses.enumerated() { for c in members { group[c] = g } }
        let view = TabularEnsembleMember(featureOrder: member.featureOrder, variant: member.variant, contextRows: contextRows)
        let logits = view.logits(train: trainFeatures, test: testFeatures, width: width, testCount: testCount,
                                 contextTargets: contextRows.map { Float(group[labels[$0]]!) }, model: model,
                                 chunk: options.maximumTestRowsPerPass, map: map)
        // P(group | x) per test row.
        let top = (0..<testCount).map { memberSoftmax(logits, offset: $0 * model.configuration.outputCount, count: groups) }
        var result = [[Double]](repeating: [Double](repeating: 0, count: classes.count), count: testCount)
        let position = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        for (g, members) in groupClasses.enumerated() {
            if members.count == 1 {
                for row in 0..<testCount { result[row][position[members[0]]!] = top[row][g] }
                continue
            }
            let allowed = Set(members)
            let inner = hierarchyProbabilities(member: member, classes: members, contextRows: contextRows.filter { allowed.contains(labels[$0]) },
                                               trainFeatures: trainFeatures, testFeatures: testFeatures, width: width, testCount: testCount,
                                               map: map, model: model, generator: &generator)
            for row in 0..<testCount {
                for (i, c) in members.enumerated() { result[row][position[c]!] = top[row][g] * inner[row][i] }
            }
        }
        return result
    }
}
