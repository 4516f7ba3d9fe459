import Foundation

/// The 24 noiseless BBOB functions, numbered as in COCO (`f1` … `f24`).
///
/// Reference: Hansen, Finck, Ros, Auger, *Real-Parameter Black-Box Optimization Benchmarking
/// 2009: Noiseless Functions Definitions*, INRIA RR-6829. Groups: separable (1–5), moderate
/// conditioning (6–9), high conditioning unimodal (10–14), multimodal with adequate global
/// structure (15–19), multimodal with weak global structure (20–24).
public enum BBOBFunction: Int, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case sphere = 1, separableEllipsoid, separableRastrigin, buecheRastrigin, linearSlope
    case attractiveSector, stepEllipsoid, rosenbrock, rotatedRosenbrock
    case ellipsoid, discus, bentCigar, sharpRidge, differentPowers
    case rastrigin, weierstrass, schaffersF7, illConditionedSchaffersF7, griewankRosenbrock
    case schwefel, gallagher101, gallagher21, katsuura, lunacekBiRastrigin

    /// COCO's short name, `f1` … `f24`.
    public var description: String { "f\(rawValue)" }

    /// The descriptive name used in the BBOB definitions.
    public var name: String {
        switch self {
        case .sphere: "sphere"
        case .separableEllipsoid: "separable ellipsoid"
        case .separableRastrigin: "separable Rastrigin"
        case .buecheRastrigin: "Büche-Rastrigin"
        case .linearSlope: "linear slope"
        case .attractiveSector: "attractive sector"
        case .stepEllipsoid: "step ellipsoid"
        case .rosenbrock: "Rosenbrock"
        case .rotatedRosenbrock: "rotated Rosenbrock"
        case .ellipsoid: "ellipsoid"
        case .discus: "discus"
        case .bentCigar: "bent cigar"
        case .sharpRidge: "sharp ridge"
        case .differentPowers: "different powers"
        case .rastrigin: "Rastrigin"
        case .weierstrass: "Weierstrass"
        case .schaffersF7: "Schaffers F7"
        case .illConditionedSchaffersF7: "ill-conditioned Schaffers F7"
        case .griewankRosenbrock: "composite Griewank-Rosenbrock"
        case .schwefel: "Schwefel"
        case .gallagher101: "Gallagher 101 peaks"
        case .gallagher21: "Gallagher 21 peaks"
        case .katsuura: "Katsuura"
        case .lunacekBiRastrigin: "Lunacek bi-Rastrigin"
        }
    }

    /// The function with COCO's number `number` (1–24).
    ///
    /// - Throws: ``OptimizationError/unavailable(_:)`` naming the valid range.
    public init(number: Int) throws {
        guard let function = BBOBFunction(rawValue: number) else {
            throw OptimizationError.unavailable("there is no BBOB function f\(number); the noiseless suite has f1 … f24")
        }
        self = function
    }
}
