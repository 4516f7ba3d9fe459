import Foundation

/// Garg et al.'s curriculum: training starts on low-dimensional inputs and short prompts and
/// grows both every `interval` steps until the task's full dimension and prompt length.
public struct CurriculumConfiguration: Codable, Equatable, Sendable {
    /// Active input dimensions at step 0.
    public var startDimensions: Int
    /// Added every `interval` steps.
    public var dimensionIncrement: Int
    /// Prompt length (pairs) at step 0.
    public var startPoints: Int
    /// Added every `interval` steps.
    public var pointIncrement: Int
    /// Steps between increments.
    public var interval: Int

    /// Creates a curriculum.
    public init(startDimensions: Int, dimensionIncrement: Int = 1, startPoints: Int, pointIncrement: Int = 2, interval: Int) {
        self.startDimensions = startDimensions
        self.dimensionIncrement = dimensionIncrement
        self.startPoints = startPoints
        self.pointIncrement = pointIncrement
        self.interval = interval
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case startDimensions, dimensionIncrement, startPoints, pointIncrement, interval }

    public init(from decoder: Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self, in: "training.curriculum")
        let c = try decoder.container(keyedBy: CodingKeys.self)
        startDimensions = try c.decode(Int.self, forKey: .startDimensions)
        dimensionIncrement = try c.value(.dimensionIncrement, default: 1)
        startPoints = try c.decode(Int.self, forKey: .startPoints)
        pointIncrement = try c.value(.pointIncrement, default: 2)
        interval = try c.decode(Int.self, forKey: .interval)
    }

    /// The active dimensions and prompt length at `step`, capped at the full values.
    public func stage(atStep step: Int, fullDimensions: Int, fullPoints: Int) -> (dimensions: Int, points: Int) {
        let stages = interval > 0 ? step / interval : 0
        return (min(fullDimensions, startDimensions + stages * dimensionIncrement), min(fullPoints, startPoints + stages * pointIncrement))
    }
}
