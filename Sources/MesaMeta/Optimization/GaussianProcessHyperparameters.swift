import Foundation

/// The hyperparameters of ``GaussianProcess``: the kernel's family, length-scales and signal
/// variance, the observation noise and the constant mean, all in the units of the model
/// (unit-cube inputs, standardised outputs).
///
/// The hyperparameter search works on ``vector``, `[log ℓ₁ … log ℓ_d, log s², log σ², c]`, in
/// which the bounds are boxes and the scales comparable; the family is not searched over
/// (``GaussianProcessSurrogate`` fits Matérn-5/2, the default).
public struct GaussianProcessHyperparameters: Sendable, Equatable {
    /// The length-scales `ℓⱼ`, one per input.
    public var lengthScales: [Double]
    /// The signal variance `s²`.
    public var outputScale: Double
    /// The observation noise variance `σ²`.
    public var noiseVariance: Double
    /// The constant prior mean `c`.
    public var mean: Double
    /// The kernel's family.
    public var family: StationaryKernel.Family

    /// Creates hyperparameters (a Matérn-5/2 kernel unless `family` says otherwise).
    public init(lengthScales: [Double], outputScale: Double, noiseVariance: Double, mean: Double, family: StationaryKernel.Family = .matern52) {
        self.family = family
        self.lengthScales = lengthScales
        self.outputScale = outputScale
        self.noiseVariance = noiseVariance
        self.mean = mean
    }

    /// The hyperparameters at `vector` (see ``vector``) for `dimension` inputs and a kernel of `family`.
    public init(vector: [Double], dimension: Int, family: StationaryKernel.Family = .matern52) {
        self.init(lengthScales: vector[0..<dimension].map { exp($0) }, outputScale: exp(vector[dimension]),
                  noiseVariance: exp(vector[dimension + 1]), mean: vector[dimension + 2], family: family)
    }

    /// `[log ℓ₁ … log ℓ_d, log s², log σ², c]`.
    public var vector: [Double] { lengthScales.map { log($0) } + [log(outputScale), log(noiseVariance), mean] }

    /// The number of inputs.
    public var dimension: Int { lengthScales.count }

    /// The kernel these hyperparameters define.
    public var kernel: StationaryKernel { StationaryKernel(family: family, lengthScales: lengthScales, outputScale: outputScale) }
}
