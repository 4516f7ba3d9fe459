import Foundation
import MesaCore
import MesaOptim

/// The files every Mesa training run keeps in its folder, shared by every trainer through
/// ``TrainingState`` and ``TrainingRun``: a safetensors checkpoint whose metadata holds the step, the sampling
/// generator and the optimizer's scalar state (its moment buffers as tensors `optimizer.<index>.<buffer>`), and
/// `metrics.jsonl`, one JSON object per line.
///
/// A run that writes the folder holds its ``RunFolderLock`` for as long as it lives, so a second
/// run on the same folder is refused at once; once locked, the temporary `*.partial` files an
/// interrupted checkpoint write left behind are removed (no live writer can own them then).
enum RunFolder {
    /// Prepares `directory` for a new run: creates it, locks it, refuses a folder that already
    /// holds a checkpoint (a finished run is never overwritten by accident), removes stale
    /// temporary files and writes `config.json` and an empty `metrics.jsonl`. Returns the lock,
    /// to be held by the run (``TrainingState``).
    static func startNewRun(in directory: URL, configuration: Data) throws -> RunFolderLock {
        try OutputFile.prepareFolder(directory, contents: "the run", option: "--output")
        let lock = try RunFolderLock(directory: directory)
        guard !FileManager.default.fileExists(atPath: directory.appendingPathComponent("checkpoint.safetensors").path) else {
            throw InContextError.invalidCheckpoint("\(directory.path) already holds a run (checkpoint.safetensors): resume it with --resume, or choose another --output")
        }
        removeStalePartialFiles(in: directory)
        try OutputFile(directory.appendingPathComponent("config.json"), contents: "the run's configuration", option: "--output").write(configuration)
        try OutputFile(directory.appendingPathComponent("metrics.jsonl"), contents: "the run's metrics", option: "--output").write(Data())
        return lock
    }

    /// Removes the temporary files (`*.partial`) that writes interrupted by a crash or a kill
    /// left in `directory`; returns how many. Call it only while holding the folder's lock, so
    /// that no live writer's file is removed.
    @discardableResult
    static func removeStalePartialFiles(in directory: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".partial") && unlink(directory.appendingPathComponent($0).path) == 0 }.count
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
    ///
    /// - Parameter locking: lock the folder first (and remove stale temporary files), for a run
    ///   that will write there; `false` to only read it (e.g. to test the model of a live run).
    static func resumePoint<Recipe: TrainingRecipe>(in directory: URL, extendingTo steps: Int?, locking: Bool = true) throws -> ResumePoint<Recipe> {
        var lock: RunFolderLock?
        if locking, FileManager.default.fileExists(atPath: directory.appendingPathComponent("checkpoint.safetensors").path) {
            lock = try RunFolderLock(directory: directory)
            removeStalePartialFiles(in: directory)
        }
        let (checkpoint, url, _, _) = try resumableCheckpoint(in: directory)
        return try resumePoint(from: checkpoint, url: url, extendingTo: steps, lock: lock)
    }

    /// Where a replica of a data-parallel run starts (``DataParallelTrainingRun``): the checkpoint
    /// rank 0 sent, read like a checkpoint file in `directory`; nothing in the folder is read or written.
    static func replicaPoint<Recipe: TrainingRecipe>(from checkpoint: SafeTensors, directory: URL) throws -> ResumePoint<Recipe> {
        try resumePoint(from: checkpoint, url: directory.appendingPathComponent("checkpoint.safetensors"), extendingTo: nil, lock: nil,
                        isReplica: true)
    }

    /// The resume point of `checkpoint`, read from `url`.
    private static func resumePoint<Recipe: TrainingRecipe>(from checkpoint: SafeTensors, url: URL, extendingTo steps: Int?, lock: RunFolderLock?,
                                                            isReplica: Bool = false) throws -> ResumePoint<Recipe> {
        guard let step = Int(try field("mesa.step", of: checkpoint, url: url)),
              let seconds = Double(try field("mesa.trainingSeconds", of: checkpoint, url: url)) else {
            throw InContextError.invalidCheckpoint("\(url.path): malformed step or training time in the metadata")
        }
        var recipe = try Recipe(json: Data(try field("mesa.configuration", of: checkpoint, url: url).utf8), source: "\(url.path) metadata")
        let planned = recipe.totalSteps
        if let steps {
            guard steps > planned else {
                throw InContextError.invalidCheckpoint("\(steps) steps do not extend the run (planned for \(planned)); give more to extend it")
            }
            recipe.totalSteps = steps
        }
        return ResumePoint(checkpoint: checkpoint, url: url, step: step, seconds: seconds, recipe: recipe, isExtended: steps != nil, lock: lock,
                           isReplica: isReplica)
    }

    /// Restores the generator and the optimizer into `state`, rewrites `config.json` when the run
    /// was extended, and drops metric lines written after the checkpoint (a replica only restores).
    static func completeResume<Recipe: TrainingRecipe>(_ point: ResumePoint<Recipe>, state: TrainingState) throws {
        try state.restore(from: point.checkpoint, url: point.url)
        guard !point.isReplica else { return }
        if point.isExtended {
            try OutputFile(state.directory.appendingPathComponent("config.json"), contents: "the run's configuration", option: "--output")
                .write(try point.recipe.jsonData())
        }
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
    ///
    /// - Throws: ``OutputFileError`` when the line cannot be written (a full disk, say).
    static func appendMetrics(_ fields: [String: Double], to handle: FileHandle, at url: URL) throws {
        let line = "{" + fields.sorted { $0.key < $1.key }
            .map { "\"\($0.key)\": \($0.value.isFinite ? String($0.value) : "null")" }
            .joined(separator: ", ") + "}\n"
        do {
            try handle.write(contentsOf: Data(line.utf8))
        } catch {
            throw OutputFileError(explaining: error, writing: OutputFile(url, contents: "the run's metrics", option: "--output"))
        }
    }

    /// Drops metric lines written after `step` by a session interrupted before its next checkpoint.
    static func truncateMetrics(at url: URL, afterStep step: Int) throws {
        let metrics = OutputFile(url, contents: "the run's metrics", option: "--output")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            try metrics.write(Data())
            return
        }
        let kept = text.split(separator: "\n").filter { line in
            guard let range = line.range(of: "\"step\": "), let value = Double(line[range.upperBound...].prefix { "0123456789.e+-".contains($0) })
            else { return true }
            return Int(value) <= step
        }
        try metrics.write(kept.joined(separator: "\n") + (kept.isEmpty ? "" : "\n"))
    }
}
