import Foundation
import MesaCore
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An exclusive lock on a run folder, held by the run that writes there for as long as it lives,
/// so that two runs never write one folder (both would report success and one result would be
/// lost).
///
/// The lock is `flock(2)` on the file `lock` in the folder. The kernel releases it when the
/// holder closes it or dies, however it dies (even `kill -9`), so a lock left by a dead process
/// is simply taken over; no stale lock needs removing by hand. The holder writes its process id,
/// host, command line and start time into the file, for the message of the run it refuses
/// (``RunFolderInUse``).
///
/// A lock belongs to one open file, not to a process: a second lock on the same folder is
/// refused even in the same process.
public final class RunFolderLock: Sendable {
    /// Who holds a lock, as written into the lock file.
    public struct Holder: Codable, Equatable, Sendable {
        /// The process id.
        public var processIdentifier: Int32
        /// The host the process runs on.
        public var host: String
        /// The command line (`mesa pretrain --output runs/p`).
        public var command: String
        /// When the lock was taken.
        public var started: Date

        /// This process, now.
        public static var current: Holder {
            let arguments = ProcessInfo.processInfo.arguments
            let program = arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "mesa"
            var name = [UInt8](repeating: 0, count: 256)
            let host = name.withUnsafeMutableBufferPointer { buffer in
                gethostname(UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self), buffer.count - 1)
            } == 0 ? String(decoding: name.prefix { $0 != 0 }, as: UTF8.self) : "unknown host"
            return Holder(processIdentifier: getpid(), host: host, command: recordedCommand([program] + arguments.dropFirst()), started: Date())
        }

        /// The most Unicode scalars of a command line the lock file records: enough to recognise
        /// the run, and small enough that the record always reads back (a test runner's command
        /// line can list thousands of test names).
        static let maximumCommandLength = 1000

        /// `arguments` joined by spaces, cut to ``maximumCommandLength`` scalars (ending in `…`).
        static func recordedCommand(_ arguments: [String]) -> String {
            let command = arguments.joined(separator: " ")
            guard command.unicodeScalars.count > maximumCommandLength else { return command }
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: command.unicodeScalars.prefix(maximumCommandLength - 1))
            return String(scalars) + "…"
        }
    }

    /// The file name of the lock in a run folder.
    public static let fileName = "lock"

    /// The locked folder.
    public let directory: URL
    private let descriptor: Int32

    /// Locks `directory` (which must exist) for this run.
    ///
    /// - Throws: ``RunFolderInUse`` when another run holds the folder (naming its process),
    ///   ``OutputFileError`` when the lock file cannot be created.
    public init(directory: URL) throws {
        let lockFile = OutputFile(directory.appendingPathComponent(Self.fileName), contents: "the lock of the run folder", option: "--output")
        let descriptor = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw OutputFileError(errno, writing: lockFile, inFolder: directory.path) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.holder(in: descriptor)
            close(descriptor)
            guard code == EWOULDBLOCK else { throw OutputFileError(code, writing: lockFile) }
            throw RunFolderInUse(directory: directory, holder: holder)
        }
        // Ours now: replace the previous holder's line (a dead process's) with ours.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        let line = ((try? encoder.encode(Holder.current)) ?? Data()) + Data("\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = line.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.directory = directory
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)   // releases the lock
    }

    /// The holder recorded in the lock file of `directory`, if it is readable.
    public static func holder(of directory: URL) -> Holder? {
        let descriptor = open(directory.appendingPathComponent(fileName).path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return holder(in: descriptor)
    }

    /// The holder recorded in the open lock file (a record is a few hundred bytes, at most a few
    /// thousand: ``Holder/recordedCommand(_:)``).
    private static func holder(in descriptor: Int32) -> Holder? {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(Holder.self, from: Data(buffer[..<count]))
    }
}
