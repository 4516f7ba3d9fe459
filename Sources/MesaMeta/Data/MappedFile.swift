import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file's bytes mapped into memory read-only, for a reader that goes through them
/// once: ``release(before:)`` hands the pages already read back to the system, so reading a
/// large file never holds all of it in memory (the pages are clean copies of the file; touched
/// again, they are read again).
final class MappedFile {
    /// The file's bytes.
    let bytes: UnsafeBufferPointer<UInt8>
    private let base: UnsafeMutableRawPointer?
    private let length: Int
    private var released = 0
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Maps the file at `path`; `nil` when it cannot be mapped (missing, unreadable, not a
    /// regular file such as a pipe). An empty file maps to no bytes.
    init?(path: String) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, mode_t(status.st_mode) & mode_t(S_IFMT) == mode_t(S_IFREG) else { return nil }
        length = Int(status.st_size)
        guard length > 0 else {
            base = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        guard let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else { return nil }
        base = mapped
        bytes = UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: UInt8.self), count: length)
        madvise(mapped, length, MADV_SEQUENTIAL)
    }

    /// Releases the whole pages between the previous call's position and `position` (a pointer
    /// into ``bytes``); a position before the previous one starts a new pass from the beginning.
    func release(before position: UnsafePointer<UInt8>) {
        guard let base else { return }
        let offset = UnsafeRawPointer(position) - UnsafeRawPointer(base)
        let end = offset / Self.pageSize * Self.pageSize
        if end < released { released = 0 }
        guard end > released else { return }
        madvise(base + released, end - released, MADV_DONTNEED)
        released = end
    }

    deinit {
        if let base { munmap(base, length) }
    }
}
