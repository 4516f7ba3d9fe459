import Synchronization

/// Whether operations record the autodiff graph. On by default; off inside
/// ``withoutGradients(_:)`` (inference) and while a backward pass runs without `createGraph`.
public enum GradientMode {
    @TaskLocal static var isRecording = true

    /// Whether operations currently record the autodiff graph.
    public static var isEnabled: Bool { isRecording }
}
