import Foundation

/// Batches that are not redundant: farthest-first traversal (Gonzalez 1985; the k-centre greedy of
/// Sener & Savarese 2018's core sets) over the most informative candidates.
///
/// Of the rows with the `candidateFactor · count` highest scores, the highest-scoring row comes
/// first; each next row is the candidate farthest (Euclidean, in the encoded features) from the
/// rows already chosen, ties broken by score. So a batch covers the uncertain region instead of
/// taking `count` near-copies of the single most uncertain row.
public enum BatchDiversity {
    /// The indices of `count` rows (fewer if fewer have finite scores), in the order chosen.
    public static func farthestFirst(scores: [Double], features: [Float], width: Int, count: Int, candidateFactor: Int = 10) -> [Int] {
        let ranked = scores.indices.filter { scores[$0].isFinite }.sorted { (scores[$0], $1) > (scores[$1], $0) }
        let candidates = Array(ranked.prefix(max(count, candidateFactor * count)))
        guard let first = candidates.first, count > 0 else { return [] }
        func distance(_ a: Int, _ b: Int) -> Double {
            var sum = 0.0
            for j in 0..<width { let d = Double(features[a * width + j] - features[b * width + j]); sum += d * d }
            return sum
        }
        var chosen = [first]
        var nearest = candidates.map { distance($0, first) }
        while chosen.count < min(count, candidates.count) {
            var best = -1
            for (i, row) in candidates.enumerated() where !chosen.contains(row) {
                if best < 0 || nearest[i] > nearest[best] || (nearest[i] == nearest[best] && scores[row] > scores[candidates[best]]) { best = i }
            }
            let row = candidates[best]
            chosen.append(row)
            for (i, other) in candidates.enumerated() { nearest[i] = min(nearest[i], distance(other, row)) }
        }
        return chosen
    }
}
