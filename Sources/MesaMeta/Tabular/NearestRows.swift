import Foundation
import MesaCore

/// The `k` nearest labelled rows of every query row, by Euclidean distance in the encoded
/// feature space (robust-scaled, as the model reads it): the retrieval step of local-context
/// prediction (Thomas et al. 2024, "Retrieval & Fine-Tuning for In-Context Tabular Models",
/// LoCalPFN; Ma et al. 2024, TabDPT).
///
/// Distances come from `‖q‖² + ‖x‖² − 2 q·x` with one matrix product per block of query rows;
/// each row keeps its `k` smallest through a bounded max-heap, `O(n log k)` per row.
enum NearestRows {
    /// For each of the `queryCount` rows of `queries` (row-major, `width` per row), the indices of
    /// its `k` nearest rows of `rows` (`rowCount` of them), nearest first. Ties keep the lower index.
    static func search(queries: [Float], queryCount: Int, rows: [Float], rowCount: Int, width: Int, k: Int,
                       block: Int = 512) -> [[Int]] {
        let k = min(k, rowCount)
        guard k > 0, queryCount > 0 else { return Array(repeating: [], count: queryCount) }
        let data = Tensor(shape: [rowCount, width], scalars: rows)
        let rowNorms = (0..<rowCount).map { r in (0..<width).reduce(Float(0)) { $0 + rows[r * width + $1] * rows[r * width + $1] } }
        var result: [[Int]] = []
        result.reserveCapacity(queryCount)
        for start in stride(from: 0, to: queryCount, by: block) {
            let count = min(block, queryCount - start)
            let slice = Array(queries[(start * width)..<((start + count) * width)])
            let products = withoutGradients { Tensor.matmul(Tensor(shape: [count, width], scalars: slice), data, transposeB: true) }.scalars
            for q in 0..<count {
                // Max-heap of (distance, index) holding the k best so far.
                var heap: [(Float, Int)] = []
                heap.reserveCapacity(k)
                func worse(_ a: (Float, Int), _ b: (Float, Int)) -> Bool { a.0 > b.0 || (a.0 == b.0 && a.1 > b.1) }
                for r in 0..<rowCount {
                    let distance = rowNorms[r] - 2 * products[q * rowCount + r]   // ‖q‖² is common to the row
                    let candidate = (distance, r)
                    if heap.count < k {
                        heap.append(candidate)
                        var child = heap.count - 1
                        while child > 0 {
                            let parent = (child - 1) / 2
                            guard worse(heap[child], heap[parent]) else { break }
                            heap.swapAt(child, parent)
                            child = parent
                        }
                    } else if worse(heap[0], candidate) {
                        heap[0] = candidate
                        var parent = 0
                        while true {
                            let left = 2 * parent + 1, right = left + 1
                            var largest = parent
                            if left < k, worse(heap[left], heap[largest]) { largest = left }
                            if right < k, worse(heap[right], heap[largest]) { largest = right }
                            if largest == parent { break }
                            heap.swapAt(parent, largest)
                            parent = largest
                        }
                    }
                }
                result.append(heap.sorted { worse($1, $0) }.map(\.1))
            }
        }
        return result
    }
}
