import Foundation
import MesaCore

/// Anything that draws episodes.
public protocol EpisodeSampling: Sendable {
    /// Draws one episode.
    func sample(using generator: inout RandomGenerator) -> Episode
}
