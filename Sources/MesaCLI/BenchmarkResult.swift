import Foundation

/// One measured variant: milliseconds per unit of work.
struct BenchmarkResult {
    var workload: String
    var variant: String
    var samples: [Double]
    var extra: [String: Double] = [:]

    var median: Double {
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
    var minimum: Double { samples.min() ?? .nan }
    var maximum: Double { samples.max() ?? .nan }
    var count: Int { samples.count }

    var jsonLine: String {
        var fields: [String] = [
            "\"workload\": \"\(workload)\"", "\"variant\": \"\(variant)\"", "\"impl\": \"mesa-\(MesaVersion.current)\"",
            "\"unit\": \"ms\"", "\"median\": \(median)", "\"min\": \(minimum)", "\"max\": \(maximum)", "\"n\": \(count)",
        ]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { fields.append("\"\(key)\": \(value)") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    var extraDescription: String {
        extra.isEmpty ? "" : "  " + extra.sorted(by: { $0.key < $1.key }).map { "\($0.key) \(String(format: "%.4g", $0.value))" }.joined(separator: " ")
    }
}
