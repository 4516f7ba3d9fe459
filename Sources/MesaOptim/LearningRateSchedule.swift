import Foundation

/// A learning rate as a function of the step number, stored as data (Codable) so that training
/// recipes can name it in JSON.
///
/// Steps count from 0: `learningRate(atStep: s)` is the rate for the update that follows `s`
/// earlier updates. With peak `η`, minimum `η_min`, warm-up length `W` and total length `T`:
///
/// | schedule | rate at step `s` |
/// |---|---|
/// | ``constant(learningRate:)`` | `η` |
/// | ``linearWarmUp(peak:warmUpSteps:)`` | `η·min(1, (s + 1)/W)` |
/// | ``cosineDecay(peak:minimum:totalSteps:)`` | `η_min + (η − η_min)·(1 + cos(π·min(s, T)/T))/2` |
/// | ``warmUpCosineDecay(peak:minimum:warmUpSteps:totalSteps:)`` | warm-up for `s < W`, then the cosine over the remaining `T − W` steps |
/// | ``warmUpLinearDecay(peak:minimum:warmUpSteps:totalSteps:)`` | warm-up for `s < W`, then `η_min + (η − η_min)·(1 − min(s − W, T − W)/(T − W))` |
///
/// The warm-up reaches `η` at its last step `W − 1` instead of spending the first update at
/// rate 0; the cosine starts at `η` and stays at `η_min` from step `T` on (Loshchilov & Hutter
/// 2017, "SGDR: Stochastic Gradient Descent with Warm Restarts", without the restarts; the
/// warm-up is Goyal et al. 2017, "Accurate, Large Minibatch SGD"). Lengths of 0 are allowed:
/// no warm-up, or an immediate drop to `η_min`.
///
/// ```swift
/// let schedule = LearningRateSchedule.warmUpCosineDecay(peak: 3e-4, minimum: 3e-5, warmUpSteps: 100, totalSteps: 5000)
/// optimizer.learningRate = schedule.learningRate(atStep: optimizer.stepCount)
/// optimizer.step()
/// ```
public enum LearningRateSchedule: Codable, Equatable, Sendable {
    /// The same rate at every step.
    case constant(learningRate: Float)
    /// A linear ramp from `peak/warmUpSteps` at step 0 to `peak` at step `warmUpSteps − 1`, then `peak`.
    case linearWarmUp(peak: Float, warmUpSteps: Int)
    /// Half a cosine from `peak` at step 0 down to `minimum` at step `totalSteps`, then `minimum`.
    case cosineDecay(peak: Float, minimum: Float, totalSteps: Int)
    /// ``linearWarmUp(peak:warmUpSteps:)`` for the first `warmUpSteps` steps, then
    /// ``cosineDecay(peak:minimum:totalSteps:)`` from `peak` at step `warmUpSteps` to `minimum`
    /// at step `totalSteps` (which counts the warm-up).
    case warmUpCosineDecay(peak: Float, minimum: Float, warmUpSteps: Int, totalSteps: Int)
    /// ``linearWarmUp(peak:warmUpSteps:)`` for the first `warmUpSteps` steps, then a straight line
    /// from `peak` at step `warmUpSteps` to `minimum` at step `totalSteps`, then `minimum`: with
    /// no warm-up and a minimum of 0, Reptile's outer step size `ε·(1 − s/T)` (Nichol et al. 2018).
    case warmUpLinearDecay(peak: Float, minimum: Float, warmUpSteps: Int, totalSteps: Int)

    /// The learning rate for the update at `step` (0-based; negative steps count as 0).
    public func learningRate(atStep step: Int) -> Float {
        let step = max(step, 0)
        switch self {
        case .constant(let learningRate):
            return learningRate
        case .linearWarmUp(let peak, let warmUpSteps):
            return Self.warmUp(peak: peak, step: step, length: warmUpSteps)
        case .cosineDecay(let peak, let minimum, let totalSteps):
            return Self.cosine(from: peak, to: minimum, step: step, length: totalSteps)
        case .warmUpCosineDecay(let peak, let minimum, let warmUpSteps, let totalSteps):
            if step < warmUpSteps { return Self.warmUp(peak: peak, step: step, length: warmUpSteps) }
            return Self.cosine(from: peak, to: minimum, step: step - max(warmUpSteps, 0), length: totalSteps - max(warmUpSteps, 0))
        case .warmUpLinearDecay(let peak, let minimum, let warmUpSteps, let totalSteps):
            if step < warmUpSteps { return Self.warmUp(peak: peak, step: step, length: warmUpSteps) }
            let length = totalSteps - max(warmUpSteps, 0), offset = step - max(warmUpSteps, 0)
            guard offset < length else { return minimum }
            // In Float, so that minimum 0 gives exactly `peak·(1 − s/T)`.
            return minimum + (peak - minimum) * (1 - Float(offset) / Float(length))
        }
    }

    /// `peak·min(1, (step + 1)/length)`; `peak` when `length ≤ 0`.
    private static func warmUp(peak: Float, step: Int, length: Int) -> Float {
        guard step + 1 < length else { return peak }
        return Float(Double(peak) * Double(step + 1) / Double(length))
    }

    /// `to + (from − to)·(1 + cos(π·min(step, length)/length))/2`; `to` when `length ≤ 0`.
    private static func cosine(from start: Float, to end: Float, step: Int, length: Int) -> Float {
        guard step < length else { return end }
        let progress = Double(step) / Double(length)
        return Float(Double(end) + Double(start - end) * (1 + cos(Double.pi * progress)) / 2)
    }
}
