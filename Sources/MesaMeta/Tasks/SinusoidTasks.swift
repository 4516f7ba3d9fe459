import Foundation
import MesaCore

/// The sinusoid regression benchmark of Finn, Abbeel & Levine 2017 ("Model-Agnostic
/// Meta-Learning for Fast Adaptation of Deep Networks", §5.1), exactly:
/// `y = A sin(x − φ)` with amplitude `A ~ U[0.1, 5]`, phase `φ ~ U[0, π]` and inputs
/// `x ~ U[−5, 5]`, one-dimensional and noise-free.
public struct SinusoidTasks: TaskDistribution {
    /// The amplitude range `[0.1, 5]`.
    public static let amplitudeRange: ClosedRange<Float> = 0.1...5
    /// The phase range `[0, π]`.
    public static let phaseRange: ClosedRange<Float> = 0...Float.pi
    /// The input range `[−5, 5]`.
    public static let inputRange: ClosedRange<Float> = -5...5

    /// Creates the distribution (it has no parameters).
    public init() {}

    /// Always 1.
    public var inputDimension: Int { 1 }
    /// Always ``TaskKind/regression``.
    public var kind: TaskKind { .regression }
    /// `"sinusoid (Finn et al. 2017)"`.
    public var name: String { "sinusoid (Finn et al. 2017)" }

    /// Draws the amplitude, then the phase.
    public func sampleTask(using generator: inout RandomGenerator) -> any TaskFunction {
        let amplitude = generator.nextUniform(from: Self.amplitudeRange.lowerBound, to: Self.amplitudeRange.upperBound)
        let phase = generator.nextUniform(from: Self.phaseRange.lowerBound, to: Self.phaseRange.upperBound)
        return SinusoidFunction(amplitude: amplitude, phase: phase)
    }

    /// Inputs `x ~ U[−5, 5]`.
    public func sampleInputs(count: Int, for task: any TaskFunction, using generator: inout RandomGenerator) -> [Float] {
        (0..<count).map { _ in generator.nextUniform(from: Self.inputRange.lowerBound, to: Self.inputRange.upperBound) }
    }
}

/// `y = A sin(x − φ)`: one task of ``SinusoidTasks``.
public struct SinusoidFunction: TaskFunction {
    /// The amplitude `A`.
    public var amplitude: Float
    /// The phase `φ`.
    public var phase: Float

    /// Creates the function.
    public init(amplitude: Float, phase: Float) {
        self.amplitude = amplitude
        self.phase = phase
    }

    /// `A sin(x − φ)` at `count` scalar inputs (noise-free; `generator` is unused).
    public func targets(for inputs: [Float], count: Int, using generator: inout RandomGenerator) -> [Float] {
        (0..<count).map { amplitude * sin(inputs[$0] - phase) }
    }
}

extension SinusoidTasks: ConfigurableTaskDistribution {
    /// The distribution of a ``TaskConfiguration`` of this family.
    public init(configuration c: TaskConfiguration) throws {
        self.init()
    }
}
