import Foundation

/// One instance of a BBOB noiseless function in dimension `d`: COCO's shifts, rotations,
/// conditionings, optimum `x_opt` and optimal value `f_opt`, drawn from the instance's seed
/// exactly as COCO draws them (``BBOBLegacyRandom``), so that `value(at:)` equals `cocoex`'s
/// value to rounding (checked against a fixture written by `benchmarks/bbob/make_fixture.py`).
///
/// ```swift
/// let problem = try BBOBProblem(function: .rastrigin, dimension: 5, instance: 1)
/// problem.value(at: problem.optimum) - problem.optimalValue   // 0 (to rounding)
/// ```
///
/// The region of interest is `[−5, 5]^d`; outside it several functions add COCO's boundary
/// penalty. Seeds: `f + 10⁴ instance` (f4 uses f3's, f18 uses f17's), rotations `R` from
/// `seed + 10⁶` and `Q` from `seed`.
public struct BBOBProblem: Sendable {
    /// Which of the 24 functions.
    public let function: BBOBFunction
    /// The number of variables `d` (2–40, as in COCO's suite; the generator allows larger).
    public let dimension: Int
    /// COCO's instance number (1, 2, …).
    public let instance: Int
    /// `f_opt`, the value at the optimum.
    public let optimalValue: Double
    /// A point where `f_opt` is reached (`x_opt` of the definitions, in the search space).
    public let optimum: [Double]

    /// The instance's shift (`x_opt` before function-specific changes).
    let shift: [Double]
    /// The first rotation (`R`, seed + 10⁶; for f9 and f19 the only rotation, from the seed).
    let rotation: [Double]
    /// A combined linear map (e.g. `R Λ^α Q`), row-major; empty when unused.
    let linear: [Double]
    /// Per-coordinate factors (conditioning or weights); empty when unused.
    let scales: [Double]
    /// Gallagher's peaks (f21, f22).
    let peaks: BBOBGallagherPeaks?

    /// The instance `instance` of `function` in `dimension` variables.
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` when the dimension is below 2 or above 40
    ///   or the instance is below 1.
    public init(function: BBOBFunction, dimension d: Int, instance: Int) throws {
        guard (2...40).contains(d) else {
            throw OptimizationError.unavailable("BBOB dimension \(d) is not available; use 2 to 40 (COCO's suite uses 2, 3, 5, 10, 20, 40)")
        }
        guard instance >= 1 else {
            throw OptimizationError.unavailable("BBOB instance \(instance) is not available; instances are numbered from 1")
        }
        self.function = function
        self.dimension = d
        self.instance = instance
        let number = function.rawValue
        let seed = (number == 4 ? 3 : number == 18 ? 17 : number) + 10_000 * instance
        optimalValue = BBOBLegacyRandom.optimalValue(function: number, instance: instance)
        var shift = BBOBLegacyRandom.optimum(dimension: d, seed: function == .bentCigar ? seed + 1_000_000 : seed)
        let needsR: Set<BBOBFunction> = [.attractiveSector, .stepEllipsoid, .ellipsoid, .discus, .bentCigar, .sharpRidge, .differentPowers,
                                        .rastrigin, .weierstrass, .schaffersF7, .illConditionedSchaffersF7, .katsuura, .lunacekBiRastrigin]
        let needsQ: Set<BBOBFunction> = [.attractiveSector, .stepEllipsoid, .sharpRidge, .rastrigin, .weierstrass,
                                         .schaffersF7, .illConditionedSchaffersF7, .katsuura, .lunacekBiRastrigin]
        var rotation = needsR.contains(function) ? BBOBLegacyRandom.rotation(dimension: d, seed: seed + 1_000_000) : []
        let q = needsQ.contains(function) ? BBOBLegacyRandom.rotation(dimension: d, seed: seed) : []
        var linear: [Double] = [], scales: [Double] = []
        var peaks: BBOBGallagherPeaks?
        var optimum = shift
        switch function {
        case .sphere, .separableEllipsoid, .separableRastrigin, .ellipsoid, .discus, .bentCigar, .differentPowers:
            break
        case .buecheRastrigin:
            for i in stride(from: 0, to: d, by: 2) { shift[i] = abs(shift[i]) }
            optimum = shift
        case .linearSlope:
            optimum = shift.map { $0 < 0 ? -5 : 5 }
            scales = (0..<d).map { i in (shift[i] > 0 ? 1.0 : -1.0) * pow(10, Double(i) / (Double(d) - 1)) }
        case .attractiveSector, .sharpRidge, .rastrigin:
            linear = BBOBTransformation.product(rotation, scales: BBOBTransformation.conditioning(10, dimension: d), q)
        case .katsuura:
            linear = BBOBTransformation.product(rotation, scales: BBOBTransformation.conditioning(100, dimension: d), q)
        case .weierstrass:
            linear = BBOBTransformation.product(rotation, scales: BBOBTransformation.conditioning(0.01, dimension: d), q)
        case .schaffersF7, .illConditionedSchaffersF7:
            let condition = BBOBTransformation.conditioning(function == .schaffersF7 ? 10 : 1000, dimension: d)
            linear = (0..<(d * d)).map { q[$0] * condition[$0 / d] }
        case .stepEllipsoid, .lunacekBiRastrigin:
            let condition = BBOBTransformation.conditioning(function == .stepEllipsoid ? 10 : 100, dimension: d)
            linear = (0..<(d * d)).map { q[$0] * condition[$0 / d] }
        case .rosenbrock:
            shift = shift.map { 0.75 * $0 }
            scales = [Swift.max(1, Double(d).squareRoot() / 8)]
            optimum = shift
        case .rotatedRosenbrock, .griewankRosenbrock:
            // z = c R x + ½ with R from the seed itself; the optimum z = 1 is x = Rᵀ 1 / (2c).
            let factor = Swift.max(1, Double(d).squareRoot() / 8)
            rotation = BBOBLegacyRandom.rotation(dimension: d, seed: seed)
            linear = rotation.map { factor * $0 }
            optimum = (0..<d).map { column in (0..<d).reduce(0.0) { $0 + rotation[$1 * d + column] } / (2 * factor) }
        case .schwefel:
            let signs = BBOBLegacyRandom.uniform(count: d, seed: seed)
            shift = signs.map { $0 - 0.5 < 0 ? -0.5 * 4.2096874637 : 0.5 * 4.2096874637 }
            scales = signs.map { $0 - 0.5 < 0 ? -1 : 1 }   // the x̂ sign flips
            optimum = signs.map { $0 - 0.5 < 0 ? -0.5 * 4.2096874633 : 0.5 * 4.2096874633 }
        case .gallagher101, .gallagher21:
            let made = BBOBGallagherPeaks(dimension: d, seed: seed, count: function == .gallagher101 ? 101 : 21)
            peaks = made
            optimum = made.optimum
        }
        if function == .lunacekBiRastrigin {
            let signs = BBOBLegacyRandom.gaussian(count: d, seed: seed)
            shift = signs.map { $0 < 0 ? -1.25 : 1.25 }
            optimum = shift
        }
        self.shift = shift
        self.rotation = rotation
        self.linear = linear
        self.scales = scales
        self.peaks = peaks
        self.optimum = optimum
    }

    /// The lower corner of COCO's region of interest, `−5` per coordinate.
    public var lowerBounds: [Double] { Array(repeating: -5, count: dimension) }
    /// The upper corner of COCO's region of interest, `5` per coordinate.
    public var upperBounds: [Double] { Array(repeating: 5, count: dimension) }

    /// COCO's problem identifier, e.g. `bbob_f003_i01_d05`.
    public var identifier: String {
        "bbob_f" + String(format: "%03d", function.rawValue) + "_i" + String(format: "%02d", instance) + "_d" + String(format: "%02d", dimension)
    }
}
