import ArgumentParser

/// `--preset NAME` and `--config FILE`: where a run's configuration comes from, for the commands
/// that read one (`train`, `meta-train`, `eval`, `experiment`).
struct ConfigurationSourceOptions: ParsableArguments {
    @Option(help: "A shipped preset (`mesa presets` / `mesa meta-presets` list them).") var preset: String?
    @Option(help: "A JSON configuration file (the format --print-config shows).") var config: String?

    /// Whether either was given.
    var isGiven: Bool { preset != nil || config != nil }
}
