import Foundation

/// The knobs of ``BurstyClassificationTasks``, the minimal in-context classification task of
/// Reddy 2024 ("The mechanistic basis of data dependence and abrupt learning in an in-context
/// classification task"), which reproduces the data dependence found by Chan et al. 2022 ("Data
/// Distributional Properties Drive Emergent In-Context Learning in Transformers").
///
/// Every field may be omitted from JSON and takes the default of ``init()``; unknown fields are
/// an error.
public struct BurstyClassificationConfiguration: Codable, Equatable, Sendable {
    /// The number of training classes `K`.
    public var classCount: Int
    /// The number of labels `L` (classes share labels when `K > L`).
    public var labelCount: Int
    /// The width `D` of every item.
    public var inputDimension: Int
    /// The number of labelled context items `N` before the query.
    public var contextCount: Int
    /// Burstiness `B`: in a bursty sequence the context holds `B` items of the query's class, and
    /// its other `N − B` items come in groups of `B` from other classes (`N` a multiple of `B`).
    public var burstiness: Int
    /// The fraction `p_B` of training sequences that are bursty; the others draw their `N`
    /// context classes independently from the class distribution.
    public var burstyFraction: Double
    /// The Zipf exponent `α` of the class frequencies, `p(k) ∝ (k + 1)^(−α)` (0: uniform).
    public var zipfExponent: Double
    /// The within-class noise `ε`: an item of class `k` is `(μ_k + ε η) / √(1 + ε²)`.
    public var withinClassNoise: Double
    /// Whether class labels are fixed or re-drawn per sequence.
    public var labelMapping: LabelMapping
    /// The seed of the class means and of the fixed label mapping.
    public var seed: UInt64

    /// Reddy 2024's defaults, scaled down: `K = 256`, `L = 32`, `D = 16`, `N = 8`, `B = 4`,
    /// every sequence bursty, uniform classes, `ε = 0.1`, fixed labels.
    public init(classCount: Int = 256, labelCount: Int = 32, inputDimension: Int = 16, contextCount: Int = 8, burstiness: Int = 4,
                burstyFraction: Double = 1, zipfExponent: Double = 0, withinClassNoise: Double = 0.1,
                labelMapping: LabelMapping = .fixed, seed: UInt64 = 0) {
        self.classCount = classCount
        self.labelCount = labelCount
        self.inputDimension = inputDimension
        self.contextCount = contextCount
        self.burstiness = burstiness
        self.burstyFraction = burstyFraction
        self.zipfExponent = zipfExponent
        self.withinClassNoise = withinClassNoise
        self.labelMapping = labelMapping
        self.seed = seed
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case classCount, labelCount, inputDimension, contextCount, burstiness, burstyFraction, zipfExponent, withinClassNoise, labelMapping, seed
    }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "tasks")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        classCount = try c.value(.classCount, default: d.classCount)
        labelCount = try c.value(.labelCount, default: d.labelCount)
        inputDimension = try c.value(.inputDimension, default: d.inputDimension)
        contextCount = try c.value(.contextCount, default: d.contextCount)
        burstiness = try c.value(.burstiness, default: d.burstiness)
        burstyFraction = try c.value(.burstyFraction, default: d.burstyFraction)
        zipfExponent = try c.value(.zipfExponent, default: d.zipfExponent)
        withinClassNoise = try c.value(.withinClassNoise, default: d.withinClassNoise)
        labelMapping = try c.value(.labelMapping, default: d.labelMapping)
        seed = try c.value(.seed, default: d.seed)
    }

    /// Checks every knob against its definition.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` naming the field.
    public func validate() throws {
        func require(_ condition: Bool, _ message: String) throws {
            if !condition { throw InContextError.invalidConfiguration("tasks.\(message)") }
        }
        try require(labelCount >= 2, "labelCount must be at least 2, got \(labelCount)")
        try require(classCount >= labelCount, "classCount (\(classCount)) must be at least labelCount (\(labelCount))")
        try require(inputDimension > 0, "inputDimension must be positive, got \(inputDimension)")
        try require(contextCount >= 2 && contextCount % 2 == 0,
                    "contextCount must be even and at least 2 (the in-context evaluation shows two classes N/2 times), got \(contextCount)")
        try require(burstiness >= 1 && burstiness <= contextCount && contextCount % burstiness == 0,
                    "burstiness must divide contextCount (\(contextCount)), got \(burstiness)")
        try require(contextCount / burstiness <= classCount, "contextCount / burstiness (\(contextCount / burstiness)) classes per sequence exceed classCount (\(classCount))")
        try require((0...1).contains(burstyFraction), "burstyFraction must be in [0, 1], got \(burstyFraction)")
        try require(zipfExponent >= 0 && zipfExponent.isFinite, "zipfExponent must be a finite number ≥ 0, got \(zipfExponent)")
        try require(withinClassNoise >= 0 && withinClassNoise.isFinite, "withinClassNoise must be a finite number ≥ 0, got \(withinClassNoise)")
    }
}
