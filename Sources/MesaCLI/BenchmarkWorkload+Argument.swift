import ArgumentParser
import Mesa

/// `mesa bench WORKLOAD`: an unknown name lists the valid ones.
extension BenchmarkWorkload: ExpressibleByArgument {}
