import ArgumentParser

/// The checks shared by the commands that start or resume a training run (`train`, `meta-train`):
/// a resume reads its configuration from the run folder, a new run needs exactly one of a
/// preset or a configuration file.
func validateRunArguments(resume: Bool, preset: String?, config: String?, output: String?, timeLimit: Double?) throws {
    if resume {
        guard preset == nil, config == nil else { throw ValidationError("--resume reads the configuration saved in the run folder: drop --preset/--config") }
        guard output != nil else { throw ValidationError("--resume needs --output FOLDER (the run to continue)") }
    } else {
        guard (preset == nil) != (config == nil) else { throw ValidationError("give exactly one of --preset NAME or --config FILE") }
    }
    if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit must be positive minutes, got \(timeLimit)") }
}
