import ArgumentParser
import Foundation

/// `--time-limit MINUTES`: stop long work (after a checkpoint) once this much wall time has
/// passed, to continue it later; shared by the commands that train.
struct TimeLimitOption: ParsableArguments {
    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Stop (after checkpointing) once this many minutes have passed; continue later.", valueName: "minutes"))
    var minutes: Double?

    func validate() throws {
        if let minutes, !(minutes > 0) { throw ValidationError("--time-limit must be positive minutes, got \(minutes)") }
    }

    /// The deadline, counted from now.
    var deadline: Date? { minutes.map { Date().addingTimeInterval($0 * 60) } }
}
