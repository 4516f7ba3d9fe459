import Foundation

/// A run folder that another run holds (``RunFolderLock``): the second run stops at once instead
/// of writing over the first one's results.
///
/// `run folder runs/p is in use by process 1234 (mesa pretrain --output runs/p, started
/// 2026-12-06 17:54:12Z); wait for it to finish or choose another --output`
public struct RunFolderInUse: Error, CustomStringConvertible, Sendable {
    /// The folder.
    public let directory: URL
    /// The run holding it, as its lock file records it (`nil` when the holder has not written
    /// it yet).
    public let holder: RunFolderLock.Holder?

    /// The one-sentence message, naming the holder's process.
    public var description: String {
        var who = "another process"
        if let holder {
            let started = holder.started.formatted(Date.ISO8601FormatStyle(dateSeparator: .dash, dateTimeSeparator: .space, timeZone: .gmt))
            let here = RunFolderLock.Holder.current.host
            let command = holder.command.count > 300 ? holder.command.prefix(299) + "…" : holder.command
            who = "process \(holder.processIdentifier)\(holder.host == here ? "" : " on \(holder.host)") (\(command), started \(started))"
        }
        return "run folder \(directory.path) is in use by \(who); wait for it to finish or choose another --output"
    }
}
