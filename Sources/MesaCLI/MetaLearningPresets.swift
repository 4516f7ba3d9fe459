import Foundation
import Mesa

/// The episodic meta-learning presets (`MetaLearningPresets/`).
enum MetaLearningPresets {
    static let shipped = PresetFolder(name: "MetaLearningPresets")

    /// The shipped presets' names, sorted.
    static var names: [String] { shipped.names }

    /// The configuration of `preset`, or of the JSON file at `file`.
    static func load(preset: String?, file: String?) throws -> EpisodicConfiguration {
        let (json, source) = try shipped.data(preset: preset, file: file)
        return try EpisodicConfiguration(json: json, source: source)
    }
}
