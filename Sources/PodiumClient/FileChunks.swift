import Foundation
import NIOCore
import PodiumDomain

/// A file read from disk in chunks of `chunkSize` bytes as an `AsyncSequence` of `ByteBuffer`:
/// an upload's body that never holds the whole file in memory.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let path: String
    let size: Int64
    let progress: @Sendable (Int64, Int64) -> Void
    static let chunkSize = 256 << 10

    /// Checks the file is a readable regular file and reads its size.
    init(path: String, progress: @escaping @Sendable (Int64, Int64) -> Void) throws(JudgeError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw JudgeError(code: .missingFile, message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw JudgeError(code: .missingFile, message: "\(path) is not a file")
        }
        self.path = path
        self.size = Int64(info.st_size)
        self.progress = progress
    }

    func makeAsyncIterator() -> Iterator { Iterator(path: path, total: size, progress: progress) }

    /// Opens the file on the first chunk and closes it at the end (or when dropped).
    final class Iterator: AsyncIteratorProtocol {
        let path: String
        let total: Int64
        let progress: @Sendable (Int64, Int64) -> Void
        var fd: Int32 = -1
        var sent: Int64 = 0
        var done = false

        init(path: String, total: Int64, progress: @escaping @Sendable (Int64, Int64) -> Void) {
            self.path = path
            self.total = total
            self.progress = progress
        }

        deinit { if fd >= 0 { close(fd) } }

        func next() async throws -> ByteBuffer? {
            let want = Int(Swift.min(Int64(FileChunks.chunkSize), total - sent))
            if done || want == 0 {
                finish()
                return nil
            }
            if fd < 0 {
                fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    throw JudgeError(
                        code: .missingFile, message: "cannot read \(path): \(String(cString: strerror(errno)))")
                }
            }
            var buffer = ByteBuffer()
            let n = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { raw in
                while true {
                    let n = read(fd, raw.baseAddress, want)
                    if n < 0 && errno == EINTR { continue }
                    guard n >= 0 else {
                        throw JudgeError(
                            code: .missingFile, message: "cannot read \(path): \(String(cString: strerror(errno)))")
                    }
                    return n
                }
            }
            guard n > 0 else {
                finish()
                throw JudgeError(code: .missingFile, message: "\(path) became shorter while it was being sent")
            }
            sent += Int64(n)
            progress(sent, total)
            return buffer
        }

        func finish() {
            done = true
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }
}
