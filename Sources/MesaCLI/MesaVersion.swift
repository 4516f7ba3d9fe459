/// Mesa's version string, as reported by the benchmarks.
enum MesaVersion {
    static let current = "0.1.0"
}
