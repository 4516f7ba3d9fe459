import Foundation
import Mesa

/// Configurations shipped as JSON files in a resource folder of the `mesa` executable, and
/// configuration files given by path: `Presets/` for in-context meta-training (`mesa train`),
/// `MetaLearningPresets/` for episodic meta-learning (`mesa meta-train`).
struct PresetFolder {
    /// The resource folder's name.
    let name: String

    /// The shipped presets' names, sorted.
    var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "json" }.map { $0.deletingPathExtension().lastPathComponent }.sorted()
    }

    /// The folder of the shipped presets.
    var folder: URL {
        (Bundle.module.resourceURL ?? Bundle.module.bundleURL).appendingPathComponent(name)
    }

    /// The JSON of `preset`, or of the file at `file`, with a name for error messages.
    func data(preset: String?, file: String?) throws -> (json: Data, source: String) {
        if let preset {
            guard names.contains(preset) else {
                throw ValidationErrorMessage("unknown preset '\(preset)'; shipped presets: \(names.joined(separator: ", "))")
            }
            return (try Data(contentsOf: folder.appendingPathComponent("\(preset).json")), "preset \(preset)")
        }
        guard let file else { throw ValidationErrorMessage("give --preset NAME or --config FILE") }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationErrorMessage("cannot read the configuration file '\(file)'")
        }
        return (data, file)
    }
}
