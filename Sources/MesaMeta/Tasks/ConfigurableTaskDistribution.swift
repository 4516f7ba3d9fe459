/// A task distribution that a configuration file can name: it builds itself from the parameters
/// of a ``TaskConfiguration`` (ignoring those it does not use). Adding a task family means writing
/// one such type, in its own file, and naming it in ``TaskFamily`` (a case and its line in
/// ``TaskFamily/distributionType``); see `docs/architecture.md`.
public protocol ConfigurableTaskDistribution: TaskDistribution {
    /// The distribution that `configuration` describes.
    ///
    /// - Throws: ``InContextError/invalidConfiguration(_:)`` for parameters out of range, naming them.
    init(configuration: TaskConfiguration) throws
}
