import Foundation
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension OutputFile {
    /// Creates the folder `url` for outputs (reports, charts, a run), with its missing parents,
    /// and checks that it accepts new files (a temporary file is created and removed): call it
    /// before the expensive work, so that an unusable folder is reported at once.
    ///
    /// - Parameters:
    ///   - contents: what goes into the folder, for messages: `the benchmark reports`.
    ///   - option: the command-line option that named the folder (`--output`).
    /// - Throws: ``OutputFileError`` naming the folder that is missing its permission, the file
    ///   that stands where a folder should be, and so on.
    public static func prepareFolder(_ url: URL, contents: String, option: String? = nil) throws {
        let output = OutputFile(url, contents: contents, option: option)
        let path = url.standardizedFileURL.path
        var prefix = ""
        for component in path.split(separator: "/") {
            let parent = prefix.isEmpty ? "/" : prefix
            prefix += "/" + component
            var info = stat()
            if stat(prefix, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else { throw OutputFileError(ENOTDIR, writing: output, inFolder: prefix) }
                continue
            }
            guard errno == ENOENT else { throw OutputFileError(errno, writing: output, inFolder: parent) }
            if mkdir(prefix, 0o777) != 0 && !(errno == EEXIST && folderExists(prefix)) {
                throw OutputFileError(errno, writing: output, inFolder: parent)
            }
        }
        let probe = temporaryPath(for: path + "/probe")
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw OutputFileError(errno, writing: output, inFolder: path) }
        close(descriptor)
        unlink(probe)
    }
}
