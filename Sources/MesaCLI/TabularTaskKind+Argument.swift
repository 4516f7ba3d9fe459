import ArgumentParser
import Mesa

/// `--kind classification|regression` (`mesa pretrain`): an unknown value lists the valid ones.
extension TabularTaskKind: ExpressibleByArgument {}
