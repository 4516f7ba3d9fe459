import Foundation
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension OutputFile {
    /// Takes the bytes of ``OutputFile/write(streaming:)`` and writes them at once to the open
    /// file, checking every `write(2)` (a short write is continued, an interrupted one retried,
    /// a failed one is an ``OutputFileError``).
    public struct Writer {
        let descriptor: Int32
        let file: OutputFile

        /// Writes `bytes`.
        public func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard var address = bytes.baseAddress else { return }
            var remaining = bytes.count
            while remaining > 0 {
                let written = writeBytes(descriptor, address, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw OutputFileError(errno, writing: file)
                }
                address += written
                remaining -= written
            }
        }

        /// Writes `data`.
        public func write(_ data: Data) throws {
            try data.withUnsafeBytes { try write($0) }
        }
    }

    /// Writes `data` as the whole file (see ``OutputFile`` for how each kind of path is written).
    ///
    /// - Throws: ``OutputFileError``; on failure a replaced file is left as it was and no
    ///   temporary file remains.
    public func write(_ data: Data) throws {
        try write { try $0.write(data) }
    }

    /// Writes `text` as UTF-8 as the whole file.
    public func write(_ text: String) throws {
        try write(Data(text.utf8))
    }

    /// Writes the file from the bytes `body` hands to its writer, in order, without holding them
    /// all in memory (a checkpoint writes tensor after tensor). An atomic replacement happens
    /// only once `body` returned; if it throws, the error is rethrown, a replaced file is left as
    /// it was and the temporary file removed.
    public func write(streaming body: (Writer) throws -> Void) throws {
        switch try destination() {
        case .descriptor(let descriptor):
            fflush(nil)   // what `print` buffered for this descriptor goes first
            try body(Writer(descriptor: descriptor, file: self))
        case .writeThrough(let target):
            let descriptor = open(target, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw OutputFileError(errno, writing: self) }
            do {
                try body(Writer(descriptor: descriptor, file: self))
            } catch {
                close(descriptor)
                throw error
            }
            guard close(descriptor) == 0 else { throw OutputFileError(errno, writing: self) }
        case .replacement(let target, let mode):
            try replace(target, mode: mode, body)
        }
    }

    /// Writes a temporary file beside `target`, flushes it, renames it over `target` and flushes
    /// the folder, so that the new name survives a crash.
    private func replace(_ target: String, mode: mode_t?, _ body: (Writer) throws -> Void) throws {
        let folder = Self.folder(of: target)
        let temporary = Self.temporaryPath(for: target)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode ?? 0o666)
        guard descriptor >= 0 else { throw OutputFileError(errno, writing: self, inFolder: folder) }
        var isOpen = true
        do {
            // `open` applied the umask; a replaced file keeps exactly its permissions.
            if let mode, fchmod(descriptor, mode) != 0 { throw OutputFileError(errno, writing: self) }
            try body(Writer(descriptor: descriptor, file: self))
            guard fsync(descriptor) == 0 else { throw OutputFileError(errno, writing: self) }
            isOpen = false
            guard close(descriptor) == 0 else { throw OutputFileError(errno, writing: self) }
            guard rename(temporary, target) == 0 else { throw OutputFileError(errno, writing: self, inFolder: folder) }
        } catch {
            if isOpen { close(descriptor) }
            unlink(temporary)
            throw error
        }
        try Self.synchronizeFolder(folder, for: self)
    }

    /// Flushes `folder`'s entries to disk (after a rename in it). File systems that cannot
    /// (`EINVAL`, `ENOTSUP`) are left alone; an I/O error is reported against `file`.
    static func synchronizeFolder(_ folder: String, for file: OutputFile) throws {
        let descriptor = open(folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        if fsync(descriptor) != 0, ![EINVAL, ENOTSUP, EBADF].contains(errno) {
            throw OutputFileError(errno, writing: file, inFolder: folder)
        }
    }
}

/// `write(2)`, under a name the ``OutputFile/Writer`` methods do not shadow.
private func writeBytes(_ descriptor: Int32, _ address: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, address, count)
}
