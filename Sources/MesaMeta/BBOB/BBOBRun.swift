import Foundation

/// One optimisation run on one BBOB problem, as the benchmark records it: when each target was
/// first reached, how many evaluations were spent, and the optimiser's own time.
///
/// One CSV row per run (`mesa benchmark-bbob`'s `runs.csv`, and the same format from
/// `benchmarks/bbob/pycma_reference.py`):
/// `method,function,dimension,instance,evaluations,best_delta,seconds,overhead_seconds,generations,hits`,
/// where `hits` holds, for each of ``BBOBBenchmark/targets`` in order, the evaluation at which
/// `f − f_opt` first fell to the target, or `-` if never; separated by spaces.
public struct BBOBRun: Sendable, Equatable {
    /// The optimiser's name (e.g. `cmaes`, `pycma`).
    public var method: String
    /// COCO's function number, 1–24.
    public var function: Int
    /// The dimension.
    public var dimension: Int
    /// COCO's instance.
    public var instance: Int
    /// Evaluations spent (up to the budget, or until the final target).
    public var evaluations: Int
    /// The best `f − f_opt` found.
    public var bestDelta: Double
    /// Wall time of the whole run.
    public var seconds: Double
    /// Wall time outside the function evaluations (the optimiser's own work).
    public var overheadSeconds: Double
    /// Generations (ask/tell rounds).
    public var generations: Int
    /// For each target, the evaluation that first reached it (`nil`: never).
    public var hits: [Int?]

    /// A record.
    public init(method: String, function: Int, dimension: Int, instance: Int, evaluations: Int, bestDelta: Double, seconds: Double,
                overheadSeconds: Double, generations: Int, hits: [Int?]) {
        self.method = method
        self.function = function
        self.dimension = dimension
        self.instance = instance
        self.evaluations = evaluations
        self.bestDelta = bestDelta
        self.seconds = seconds
        self.overheadSeconds = overheadSeconds
        self.generations = generations
        self.hits = hits
    }

    /// The CSV header.
    public static let header = "method,function,dimension,instance,evaluations,best_delta,seconds,overhead_seconds,generations,hits"

    /// The CSV row.
    public var csvRow: String {
        let hitText = hits.map { $0.map(String.init) ?? "-" }.joined(separator: " ")
        return "\(method),\(function),\(dimension),\(instance),\(evaluations),\(bestDelta),\(seconds),\(overheadSeconds),\(generations),\(hitText)"
    }

    /// Reads a runs CSV (header first).
    ///
    /// - Throws: ``EvolutionError/invalidConfiguration(_:)`` naming the file and line of a malformed row.
    public static func read(_ url: URL) throws -> [BBOBRun] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw EvolutionError.invalidConfiguration("cannot read the BBOB runs file \(url.path): \(error.localizedDescription)")
        }
        let lines = text.split(whereSeparator: \.isNewline)
        guard lines.first.map(String.init) == header else {
            throw EvolutionError.invalidConfiguration("\(url.path) is not a BBOB runs file: its first line must be \(header)")
        }
        return try lines.dropFirst().enumerated().map { offset, line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let hitFields = fields.count == 10 ? fields[9].split(separator: " ") : []
            let hits: [Int?] = hitFields.map { $0 == "-" ? nil : Int($0) }
            let malformedHit = zip(hitFields, hits).contains { $0 != "-" && $1 == nil }
            guard fields.count == 10, let function = Int(fields[1]), let dimension = Int(fields[2]), let instance = Int(fields[3]),
                  let evaluations = Int(fields[4]), let best = Double(fields[5]), let seconds = Double(fields[6]),
                  let overhead = Double(fields[7]), let generations = Int(fields[8]), hits.count == BBOBBenchmark.targets.count, !malformedHit else {
                throw EvolutionError.invalidConfiguration("\(url.path), line \(offset + 2): expected \(header) with \(BBOBBenchmark.targets.count) hits")
            }
            return BBOBRun(method: fields[0], function: function, dimension: dimension, instance: instance, evaluations: evaluations,
                           bestDelta: best, seconds: seconds, overheadSeconds: overhead, generations: generations, hits: hits)
        }
    }
}
