/// Mesa's version string, as reported by the benchmarks.
public enum MesaVersion {
    /// The version.
    public static let current = "0.1.0"
}
