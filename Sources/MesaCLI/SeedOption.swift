import ArgumentParser

/// `--seed N`: the seed of a command's random draws; each command's help says what it seeds and
/// its default.
struct SeedOption: ParsableArguments {
    @Option(name: .customLong("seed"), help: ArgumentHelp("The random seed (see the command's description for what it seeds and its default).", valueName: "seed"))
    var value: UInt64?
}
