import Foundation
import Mesa

/// A terminal progress bar for long work: step count, a bar, the latest metrics, steps per
/// second and the estimated time left, redrawn in place on standard error.
///
/// When standard error is not a terminal (CI logs, pipes), it prints one plain line every 10 %
/// instead of redrawing.
struct ProgressBar {
    let total: Int
    let label: String
    private let start = Date()
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastDraw = Date.distantPast
    private var lastDecile = -1

    private let initial: Int

    /// A bar for `total` steps of which `initial` are already done (a resumed run): rates and
    /// time left count only the steps of this session.
    init(total: Int, label: String, initial: Int = 0) {
        self.total = max(total, 1)
        self.label = label
        self.initial = initial
    }

    /// Prints a line of text above the bar (e.g. an evaluation result).
    func note(_ text: String) {
        FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[2K" : "") + text + "\n").utf8))
    }

    /// Shows that `completed` of `total` steps are done, with `metrics` such as `["loss": 0.12]`.
    mutating func update(completed: Int, metrics: KeyValuePairs<String, Float> = [:]) {
        update(completed: completed, metricList: metrics.map { ($0.key, $0.value) })
    }

    /// ``update(completed:metrics:)`` with the metrics as a list of name–value pairs.
    mutating func update(completed: Int, metricList metrics: [(key: String, value: Float)]) {
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(completed - initial) / elapsed : 0
        let remaining = rate > 0 ? Double(total - completed) / rate : 0
        let shown = metrics.map { "\($0.key) \(String(format: "%.4g", $0.value))" }.joined(separator: "  ")
        let stats = "\(completed)/\(total)  \(shown)  \(String(format: "%.1f", rate)) step/s  ETA \(Self.format(remaining))"
        if isTerminal {
            guard completed == total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = now
            let width = 30
            let filled = width * completed / total
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(label) \(bar) \(stats)".utf8))
            if completed == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            let decile = 10 * completed / total
            guard decile != lastDecile else { return }
            lastDecile = decile
            FileHandle.standardError.write(Data("\(label) \(decile * 10)%  \(stats)\n".utf8))
        }
    }

    static func format(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

extension ProgressBar {
    /// A handler for the library's ``ProgressUpdate``s: a bar labelled `label`, created at the
    /// first update (when the total is known), advanced by the later ones, with their notes
    /// printed above it.
    static func handler(label: String) -> (ProgressUpdate) -> Void {
        var bar: ProgressBar?
        return { update in
            if bar == nil { bar = ProgressBar(total: update.total, label: label) }
            if update.completed > 0 { bar?.update(completed: update.completed) }
            if let note = update.note { bar?.note(note) }
        }
    }
}
