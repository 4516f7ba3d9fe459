import Foundation
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file a user asked Mesa to write (predictions, a report, a chart, a checkpoint): Mesa's one
/// way of writing such outputs, so that every output path behaves the same.
///
/// How the bytes reach the path depends on what is there:
/// - **a regular file, or nothing yet**: replaced atomically. The bytes go to a hidden temporary
///   file in the same folder (`.<name>.<UUID>.partial`), are flushed to disk (`fsync`), the
///   temporary file is renamed over the path and the folder is flushed too, so readers see the
///   old file or the complete new one and a crash leaves no half-written file. A replaced file
///   keeps its permissions.
/// - **a symbolic link**: followed; a regular file at the end is replaced atomically where it
///   lies (the link stays a link), anything else is treated as below.
/// - **a character device, a FIFO or a socket** (`/dev/null`, `/dev/full`, a named pipe):
///   written through, every write checked, so a full device (`ENOSPC`) is an error.
/// - **`-`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`**: written to that open
///   file descriptor of the process (standard output for `-`).
/// - **a folder**: an error.
///
/// ``check(notOverwriting:)`` finds the usual mistakes before any expensive work: a missing or
/// unwritable folder, a folder given as the file, an output that is one of the inputs. Every
/// failure is an ``OutputFileError`` that says what, where, why and what to do.
///
/// ```swift
/// let output = OutputFile(path: "runs/predictions.csv", contents: "predictions", option: "--output")
/// try output.check(notOverwriting: [("--train", trainURL)])   // before the work
/// try output.write(csv)                                        // after it
/// ```
public struct OutputFile: Sendable {
    /// The path as the user gave it (`-` for standard output).
    public let path: String
    /// What the file holds, for messages: `predictions`, `the chart`.
    public let contents: String
    /// The command-line option that named the path (`--output`), for the remedy of a message;
    /// `nil` says "choose another output path".
    public let option: String?
    /// The descriptor that standard output was moved to by ``reservingStandardOutput()``.
    var reservedDescriptor: Int32?

    /// The output at `path` (`-`: standard output) holding `contents`, named by `option`.
    public init(path: String, contents: String, option: String? = nil) {
        self.path = path
        self.contents = contents
        self.option = option
        reservedDescriptor = nil
    }

    /// The output at `url` holding `contents`, named by `option`.
    public init(_ url: URL, contents: String, option: String? = nil) {
        self.init(path: url.path, contents: contents, option: option)
    }

    /// Where the bytes go, once links are followed.
    enum Destination: Equatable {
        /// An open file descriptor of the process, written at its current position and left open.
        case descriptor(Int32)
        /// A regular file (with its permission bits) or a new one (`nil`), replaced atomically.
        case replacement(path: String, mode: mode_t?)
        /// A device, FIFO or socket, opened and written through.
        case writeThrough(path: String)
    }

    /// Whether the bytes go to the process's standard output (`-`, `/dev/stdout`, `/dev/fd/1`).
    public var isStandardOutput: Bool { (try? destination()) == .descriptor(STDOUT_FILENO) }

    /// When this output is standard output, keeps standard output for it alone: the process's
    /// standard output is duplicated for the returned output, and descriptor 1 is pointed at
    /// standard error, so that whatever is printed from now on (progress, notes, scores) goes
    /// there instead of into the data. Otherwise returns `self` unchanged.
    ///
    /// ```swift
    /// let output = OutputFile(path: "-", contents: "predictions").reservingStandardOutput()
    /// print("scores …")          // → standard error
    /// try output.write(csv)      // → standard output
    /// ```
    public func reservingStandardOutput() -> OutputFile {
        guard isStandardOutput else { return self }
        fflush(nil)
        let duplicate = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)
        guard duplicate >= 0 else { return self }
        guard dup2(STDERR_FILENO, STDOUT_FILENO) >= 0 else {
            close(duplicate)
            return self
        }
        var reserved = self
        reserved.reservedDescriptor = duplicate
        return reserved
    }

    /// Follows symbolic links one at a time (at most 40, as the kernel does) to what the bytes
    /// will reach. Links are resolved by hand, not with `realpath`, so that a link to
    /// `/proc/self/fd/1` (a pipe has no path) is recognised as a file descriptor.
    func destination() throws -> Destination {
        if let reservedDescriptor { return .descriptor(reservedDescriptor) }
        if path == "-" { return .descriptor(STDOUT_FILENO) }
        var current = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        for _ in 0..<40 {
            if let descriptor = Self.descriptorNumber(of: current) { return .descriptor(descriptor) }
            var info = stat()
            guard lstat(current, &info) == 0 else {
                let code = errno
                if code == ENOENT, Self.folderExists(Self.folder(of: current)) { return .replacement(path: current, mode: nil) }
                if code == ENOENT || code == ENOTDIR { throw OutputFileError(code, writing: self, inFolder: Self.folder(of: current)) }
                throw OutputFileError(code, writing: self)
            }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let count = readlink(current, &buffer, buffer.count - 1)
                guard count >= 0 else { throw OutputFileError(errno, writing: self) }
                let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                // A relative target is relative to the link's folder (resolved by the kernel, so no lexical `..` folding).
                current = target.hasPrefix("/") ? target : Self.folder(of: current) + "/" + target
            case S_IFDIR:
                throw OutputFileError(EISDIR, writing: self)
            case S_IFREG:
                return .replacement(path: current, mode: info.st_mode & 0o777)
            default:
                return .writeThrough(path: current)
            }
        }
        throw OutputFileError(ELOOP, writing: self)
    }

    /// Checks, before any expensive work, that the output can be written and destroys no input:
    /// the folder exists and accepts a new file (a temporary one is created and removed), the
    /// path is not a folder, a device or FIFO is writable, an open descriptor is open, and the
    /// file is none of `inputs` (same device and inode, whatever the spelling of the paths).
    ///
    /// - Parameter inputs: the files the work reads, with the role that names them in a message
    ///   (`--train`).
    /// - Throws: ``OutputFileError``.
    public func check(notOverwriting inputs: [(role: String, url: URL)] = []) throws {
        let destination = try destination()
        var output = stat()
        if case .replacement(let target, .some) = destination, stat(target, &output) == 0 {   // only an existing file can be an input
            for (role, url) in inputs {
                var input = stat()
                if stat(url.path, &input) == 0, input.st_dev == output.st_dev, input.st_ino == output.st_ino {
                    throw OutputFileError(contents: contents, path: path, reason: "it is the \(role) file, which would be overwritten",
                                          remedy: "choose another \(option ?? "output path")")
                }
            }
        }
        switch destination {
        case .descriptor(let descriptor):
            guard fcntl(descriptor, F_GETFL) != -1 else { throw OutputFileError(EBADF, writing: self) }
        case .writeThrough(let target):
            guard access(target, W_OK) == 0 else { throw OutputFileError(errno, writing: self) }
        case .replacement(let target, _):
            let folder = Self.folder(of: target)
            let probe = Self.temporaryPath(for: target)
            let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw OutputFileError(errno, writing: self, inFolder: folder) }
            close(descriptor)
            unlink(probe)
        }
    }

    /// The file descriptor a path names directly: `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`,
    /// `/proc/self/fd/N` or `/proc/<this process>/fd/N`.
    static func descriptorNumber(of path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/", "/proc/\(getpid())/fd/"] where path.hasPrefix(prefix) {
                return Int32(path.dropFirst(prefix.count))
            }
            return nil
        }
    }

    /// The folder part of an absolute path (`/` for a file at the root).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// Whether `path` is a folder (following links).
    static func folderExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// A fresh hidden temporary path beside the absolute `path`: `.<name>.<UUID>.partial`.
    static func temporaryPath(for path: String) -> String {
        let folder = folder(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? "output"
        return (folder == "/" ? "" : folder) + "/.\(name).\(UUID().uuidString).partial"
    }
}
