import Foundation
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file Mesa was asked to write and could not, explained in one sentence: what, where, why
/// (from the system's error number) and what to do, e.g.
/// `cannot write predictions to /ro/out.csv: the folder /ro is not writable; choose another --output`.
public struct OutputFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What the file was to hold, e.g. `predictions`.
    public let contents: String
    /// The path as the user gave it.
    public let path: String
    /// Why it failed, e.g. `the folder /ro is not writable`.
    public let reason: String
    /// What to do, e.g. `choose another --output`.
    public let remedy: String
    /// The system's error number (`errno`), when one caused the failure.
    public let code: Int32?

    /// An error with its parts spelled out.
    public init(contents: String, path: String, reason: String, remedy: String, code: Int32? = nil) {
        self.contents = contents
        self.path = path
        self.reason = reason
        self.remedy = remedy
        self.code = code
    }

    /// `cannot write <contents> to <path>: <reason>; <remedy>`.
    public var description: String { "cannot write \(contents) to \(path): \(reason); \(remedy)" }

    /// The failure of writing `file` with the system error `code` (`errno`), explained: `EACCES`
    /// and `EPERM` (not writable), `EROFS` (read-only file system), `ENOSPC` and `EDQUOT` (full),
    /// `EISDIR` (a folder), `ENOENT` (a missing folder), `ENOTDIR`, `ENAMETOOLONG`, `ELOOP`,
    /// `ENXIO`, `EPIPE`, `EBADF`, `EIO`, `EFBIG`; others by the system's own words.
    ///
    /// - Parameter folder: the folder in which a new entry (the file, or its temporary twin) was
    ///   being created, when that was the failing step: the reason then names the folder.
    public init(_ code: Int32, writing file: OutputFile, inFolder folder: String? = nil) {
        let elsewhere = "choose another \(file.option ?? "output path")"
        let subject = folder.map { "the folder \($0)" } ?? "it"
        let reason: String, remedy: String
        switch code {
        case EACCES, EPERM:
            reason = "\(subject) is not writable (permission denied)"
            remedy = "change its permissions or \(elsewhere)"
        case EROFS:
            reason = "\(subject) is on a read-only file system"
            remedy = elsewhere
        case ENOSPC:
            reason = "the device is full (no space left)"
            remedy = "free some space or \(elsewhere)"
        case EDQUOT:
            reason = "the disk quota is used up"
            remedy = "free some space or \(elsewhere)"
        case EFBIG:
            reason = "the file would exceed the largest size the file system allows"
            remedy = elsewhere
        case EISDIR:
            reason = "it is a folder"
            remedy = "give the path of a file (e.g. inside that folder) or \(elsewhere)"
        case ENOENT where folder != nil:
            let exists = FileManager.default.fileExists(atPath: folder!)
            reason = exists ? "the folder \(folder!) does not accept new files" : "the folder \(folder!) does not exist"
            remedy = exists ? elsewhere : "create it or \(elsewhere)"
        case ENOENT:
            reason = "a folder on its path does not exist"
            remedy = "create it or \(elsewhere)"
        case ENOTDIR:
            reason = folder.map { "\($0) is not a folder" } ?? "a part of its path is a file, not a folder"
            remedy = elsewhere
        case ENAMETOOLONG:
            reason = "the name is too long"
            remedy = "choose a shorter path"
        case ELOOP:
            reason = "its symbolic links form a loop"
            remedy = "fix the links or \(elsewhere)"
        case ENXIO:
            reason = "nothing can be written to it (no reader, or not a file)"
            remedy = elsewhere
        case EPIPE:
            reason = "its reader closed the pipe"
            remedy = "keep the reader open or \(elsewhere)"
        case EBADF:
            reason = "the file descriptor is not open for writing"
            remedy = elsewhere
        case EIO:
            reason = "the device reported an input/output error"
            remedy = "check the device or \(elsewhere)"
        default:
            let message = String(cString: strerror(code))
            reason = message.prefix(1).lowercased() + message.dropFirst()
            remedy = elsewhere
        }
        self.init(contents: file.contents, path: file.path, reason: reason, remedy: remedy, code: code)
    }

    /// The failure of writing `file` that Foundation reported as `error` (a `FileHandle` write,
    /// say), explained by its POSIX error number when it carries one.
    public init(explaining error: any Error, writing file: OutputFile) {
        let error = error as NSError
        let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError
        if error.domain == NSPOSIXErrorDomain {
            self.init(Int32(error.code), writing: file)
        } else if let underlying, underlying.domain == NSPOSIXErrorDomain {
            self.init(Int32(underlying.code), writing: file)
        } else {
            self.init(contents: file.contents, path: file.path, reason: error.localizedDescription,
                      remedy: "choose another \(file.option ?? "output path")")
        }
    }
}
