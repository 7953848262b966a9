import HummingbirdBcrypt
import PodiumApp

/// Passwords hashed with bcrypt (hummingbird-auth's implementation): a salt per hash, `cost`
/// rounds (2^cost), verified against the stored hash.
public struct BcryptPasswords: PasswordHasher {
    public let cost: UInt8

    /// Cost 12 (about a quarter of a second here): a stolen database is slow to attack.
    public init(cost: UInt8 = 12) { self.cost = cost }

    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    public func verify(_ password: String, against hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }
}
