import Foundation
import Mesa

/// The in-context meta-training presets (`Presets/`).
enum Presets {
    static let shipped = PresetFolder(name: "Presets")

    /// The shipped presets' names, sorted.
    static var names: [String] { shipped.names }

    /// The configuration of `preset`, or of the JSON file at `file`.
    static func load(preset: String?, file: String?) throws -> InContextTrainingConfiguration {
        let (json, source) = try shipped.data(preset: preset, file: file)
        return try InContextTrainingConfiguration(json: json, source: source)
    }
}
