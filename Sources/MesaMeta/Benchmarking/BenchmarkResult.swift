import Foundation

/// One measured variant: milliseconds per unit of work, in the schema of
/// `../shared/bench/reference.py`.
public struct BenchmarkResult: Sendable {
    /// The workload's reference name, e.g. `encoder-train`.
    public var workload: String
    /// The variant's reference name, e.g. `d128-L4-B64`.
    public var variant: String
    /// Milliseconds per unit of work, one per timed repetition.
    public var samples: [Double]
    /// Further numbers (e.g. GFLOP/s).
    public var extra: [String: Double] = [:]

    /// Creates a result.
    public init(workload: String, variant: String, samples: [Double], extra: [String: Double] = [:]) {
        self.workload = workload
        self.variant = variant
        self.samples = samples
        self.extra = extra
    }

    /// The median of the samples.
    public var median: Double {
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
    /// The fastest sample.
    public var minimum: Double { samples.min() ?? .nan }
    /// The slowest sample.
    public var maximum: Double { samples.max() ?? .nan }
    /// The number of samples.
    public var count: Int { samples.count }

    /// One JSON object on one line, as `compare.py` reads it.
    public var jsonLine: String {
        var fields: [String] = [
            "\"workload\": \"\(workload)\"", "\"variant\": \"\(variant)\"", "\"impl\": \"mesa-\(MesaVersion.current)\"",
            "\"unit\": \"ms\"", "\"median\": \(median)", "\"min\": \(minimum)", "\"max\": \(maximum)", "\"n\": \(count)",
        ]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { fields.append("\"\(key)\": \(value)") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// The extra numbers as text for people.
    public var extraDescription: String {
        extra.isEmpty ? "" : "  " + extra.sorted(by: { $0.key < $1.key }).map { "\($0.key) \(String(format: "%.4g", $0.value))" }.joined(separator: " ")
    }
}
