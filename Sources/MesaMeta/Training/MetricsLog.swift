import Foundation

/// Reads the `metrics.jsonl` file of a training run (``InContextTrainer``, ``EpisodicTrainer``,
/// ``TabularPretrainer``): one JSON object of numeric fields per line, such as
/// `{"loss": 0.41, "step": 200}` or `{"evaluationLoss": 0.38, "lastPointMetric": 0.12, "step": 200}`.
///
/// ```swift
/// let records = try MetricsLog.read(trainer.metricsURL)
/// let losses = MetricsLog.series("loss", in: records)   // [(x: step, y: loss)]
/// ```
public enum MetricsLog {
    /// One line of the file: its numeric fields by name.
    public typealias Record = [String: Double]

    /// The records of the file at `url`, in file order. A field that is not a number (the
    /// trainers write `null` for a non-finite value) is left out of its record; a line that is
    /// not a JSON object (e.g. one cut short by an interrupted run) is skipped.
    ///
    /// - Throws: the error of reading the file (missing, unreadable, not UTF-8).
    public static func read(_ url: URL) throws -> [Record] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return object.compactMapValues { $0 as? Double }
        }
    }

    /// The points `(step, field)` of every record that holds both `"step"` and `field`, in order.
    public static func series(_ field: String, in records: [Record]) -> [(x: Double, y: Double)] {
        records.compactMap { record in
            guard let step = record["step"], let value = record[field] else { return nil }
            return (step, value)
        }
    }
}
