import Foundation
import Mesa

/// The meta-training presets shipped as JSON files in `Presets/` (resources of the `mesa`
/// executable), and configuration files given by path.
enum Presets {
    /// The shipped presets' names, sorted.
    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "json" }.map { $0.deletingPathExtension().lastPathComponent }.sorted()
    }

    /// The folder of the shipped presets.
    static var folder: URL {
        (Bundle.module.resourceURL ?? Bundle.module.bundleURL).appendingPathComponent("Presets")
    }

    /// The configuration of `preset`, or of the JSON file at `file`.
    static func load(preset: String?, file: String?) throws -> MetaTrainingConfiguration {
        if let preset {
            let url = folder.appendingPathComponent("\(preset).json")
            guard names.contains(preset) else {
                throw ValidationErrorMessage("unknown preset '\(preset)'; shipped presets: \(names.joined(separator: ", "))")
            }
            return try MetaTrainingConfiguration(json: Data(contentsOf: url), source: "preset \(preset)")
        }
        guard let file else { throw ValidationErrorMessage("give --preset NAME or --config FILE") }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationErrorMessage("cannot read the configuration file '\(file)'")
        }
        return try MetaTrainingConfiguration(json: data, source: file)
    }
}

/// An error whose description is its message, for the command line.
struct ValidationErrorMessage: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
