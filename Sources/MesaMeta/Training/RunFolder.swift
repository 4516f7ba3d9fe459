import Foundation
import MesaCore
import MesaOptim

/// The files every Mesa training run keeps in its folder, shared by every trainer through
/// ``TrainingState`` and ``TrainingRun``: a safetensors checkpoint whose metadata holds the step, the sampling
/// generator and the optimizer's scalar state (its moment buffers as tensors
/// `optimizer.<index>.<buffer>`), and `metrics.jsonl`, one JSON object per line.
enum RunFolder {
    /// Prepares `directory` for a new run: refuses a folder that already holds a checkpoint (a
    /// finished run is never overwritten by accident), then creates it with `config.json` and an
    /// empty `metrics.jsonl`.
    static func startNewRun(in directory: URL, configuration: Data) throws {
        guard !FileManager.default.fileExists(atPath: directory.appendingPathComponent("checkpoint.safetensors").path) else {
            throw InContextError.invalidCheckpoint("\(directory.path) already holds a run (checkpoint.safetensors): resume it with --resume, or choose another --output")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try configuration.write(to: directory.appendingPathComponent("config.json"), options: .atomic)
        try Data().write(to: directory.appendingPathComponent("metrics.jsonl"), options: .atomic)
    }

    /// The checkpoint of the run in `directory`, for resuming: the file, its URL, the steps done
    /// and the training time so far.
    static func resumableCheckpoint(in directory: URL) throws -> (checkpoint: SafeTensors, url: URL, step: Int, seconds: Double) {
        let url = directory.appendingPathComponent("checkpoint.safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw InContextError.invalidCheckpoint("no checkpoint.safetensors in \(directory.path): nothing to resume")
        }
        let checkpoint = try SafeTensors(contentsOf: url)
        guard let step = Int(try field("mesa.step", of: checkpoint, url: url)),
              let seconds = Double(try field("mesa.trainingSeconds", of: checkpoint, url: url)) else {
            throw InContextError.invalidCheckpoint("\(url.path): malformed step or training time in the metadata")
        }
        return (checkpoint, url, step, seconds)
    }

    /// Where to continue the run in `directory`: its checkpoint, the steps done, the training time
    /// and its configuration, read from the checkpoint's metadata and, with `steps`, extended to
    /// that many steps (an error unless it is more than planned). Pass it to
    /// ``completeResume(_:state:)`` once the trainer is built and its weights restored.
    static func resumePoint<Recipe: TrainingRecipe>(in directory: URL, extendingTo steps: Int?) throws -> ResumePoint<Recipe> {
        let (checkpoint, url, step, seconds) = try resumableCheckpoint(in: directory)
        var recipe = try Recipe(json: Data(try field("mesa.configuration", of: checkpoint, url: url).utf8), source: "\(url.path) metadata")
        let planned = recipe.totalSteps
        if let steps {
            guard steps > planned else {
                throw InContextError.invalidCheckpoint("\(steps) steps do not extend the run (planned for \(planned)); give more to extend it")
            }
            recipe.totalSteps = steps
        }
        return ResumePoint(checkpoint: checkpoint, url: url, step: step, seconds: seconds, recipe: recipe, isExtended: steps != nil)
    }

    /// Restores the generator and the optimizer into `state`, rewrites `config.json` when the run
    /// was extended, and drops metric lines written after the checkpoint.
    static func completeResume<Recipe: TrainingRecipe>(_ point: ResumePoint<Recipe>, state: TrainingState) throws {
        try state.restore(from: point.checkpoint, url: point.url)
        if point.isExtended { try point.recipe.jsonData().write(to: state.directory.appendingPathComponent("config.json"), options: .atomic) }
        try truncateMetrics(at: state.metricsURL, afterStep: point.step)
    }

    /// Moves the optimizer's buffers into `checkpoint` as tensors and returns the rest of its
    /// state as JSON for the metadata.
    static func store(_ state: OptimizerState, in checkpoint: inout SafeTensors) throws -> String {
        var state = state
        for index in state.parameters.indices {
            for (name, buffer) in state.parameters[index].buffers {
                checkpoint["optimizer.\(index).\(name)"] = Tensor(shape: state.parameters[index].shape, scalars: buffer)
                state.parameters[index].buffers[name] = []
            }
        }
        return try json(state)
    }

    /// The optimizer state written by ``store(_:in:)``.
    static func optimizerState(from checkpoint: SafeTensors, url: URL) throws -> OptimizerState {
        var state = try JSONDecoder().decode(OptimizerState.self, from: Data(try field("mesa.optimizer", of: checkpoint, url: url).utf8))
        for index in state.parameters.indices {
            for name in state.parameters[index].buffers.keys {
                guard let tensor = checkpoint["optimizer.\(index).\(name)"] else {
                    throw InContextError.invalidCheckpoint("\(url.path) lacks the optimizer tensor 'optimizer.\(index).\(name)'")
                }
                state.parameters[index].buffers[name] = tensor.scalars
            }
        }
        return state
    }

    /// A metadata field of a training checkpoint, or an error naming it.
    static func field(_ key: String, of checkpoint: SafeTensors, url: URL) throws -> String {
        guard let value = checkpoint.metadata[key] else {
            throw InContextError.invalidCheckpoint("\(url.path) lacks the metadata field '\(key)' of a Mesa training checkpoint")
        }
        return value
    }

    /// `value` as compact JSON with sorted keys.
    static func json<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Appends one JSON line of numeric fields (non-finite values as `null`).
    static func appendMetrics(_ fields: [String: Double], to handle: FileHandle) {
        let line = "{" + fields.sorted { $0.key < $1.key }
            .map { "\"\($0.key)\": \($0.value.isFinite ? String($0.value) : "null")" }
            .joined(separator: ", ") + "}\n"
        handle.write(Data(line.utf8))
    }

    /// Drops metric lines written after `step` by a session interrupted before its next checkpoint.
    static func truncateMetrics(at url: URL, afterStep step: Int) throws {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            try Data().write(to: url, options: .atomic)
            return
        }
        let kept = text.split(separator: "\n").filter { line in
            guard let range = line.range(of: "\"step\": "), let value = Double(line[range.upperBound...].prefix { "0123456789.e+-".contains($0) })
            else { return true }
            return Int(value) <= step
        }
        try (kept.joined(separator: "\n") + (kept.isEmpty ? "" : "\n")).write(to: url, atomically: true, encoding: .utf8)
    }
}
