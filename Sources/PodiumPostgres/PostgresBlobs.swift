import Foundation
import PodiumApp
import PodiumDomain

// STAND-IN until the real adapter lands: the local cache only.
public struct PostgresBlobs: BlobStore {
    let pool: Pool
    let cache: any BlobStore
    public init(pool: Pool, cache: any BlobStore) {
        self.pool = pool
        self.cache = cache
    }
    public func store(_ bytes: UnsafeRawBufferPointer, challenge: String) throws(JudgeError) -> String {
        try cache.store(bytes, challenge: challenge)
    }
    public func store(file path: String, challenge: String) throws(JudgeError) -> String {
        try cache.store(file: path, challenge: challenge)
    }
    public func path(of sha256: String, challenge: String) -> String { cache.path(of: sha256, challenge: challenge) }
    public func verify(_ sha256: String, challenge: String) -> Bool? { cache.verify(sha256, challenge: challenge) }
    public func hash(file path: String) throws(JudgeError) -> String { try cache.hash(file: path) }
    public func hash(bytes: UnsafeRawBufferPointer) -> String { cache.hash(bytes: bytes) }
    public func versionFolder(_ challenge: String, _ version: Int) -> String { cache.versionFolder(challenge, version) }
    public func snapshot(_ folder: String, files: [String], challenge: String, version: Int) throws(JudgeError) {
        try cache.snapshot(folder, files: files, challenge: challenge, version: version)
    }
    public func recordSnapshot(_ c: Connection, challenge: String, version: Int) throws(JudgeError) {}
}
public struct PostgresAccounts {
    public init(pool: Pool) {}
}
