import PodiumDomain

/// The audit trail as `podium audit --json` prints it and `GET /api/v1/audit` answers: the
/// events shown, and how many events of the whole trail the hash chain was checked over.
public struct AuditBody: Sendable, Codable, Equatable {
    public struct Event: Sendable, Codable, Equatable {
        public var seq: Int64
        public var at: String
        public var actor: String
        public var via: String
        public var action: String
        public var challenge: String?
        public var subject: String?
        public var detail: String
        public var hash: String

        public init(_ event: AuditEvent) {
            seq = event.seq
            at = event.entry.at
            actor = event.entry.actor.name
            via = event.entry.actor.via.rawValue
            action = event.entry.action.rawValue
            challenge = event.entry.challenge
            subject = event.entry.subject
            detail = event.entry.detail
            hash = event.hash
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(seq, forKey: .seq)
            try c.encode(at, forKey: .at)
            try c.encode(actor, forKey: .actor)
            try c.encode(via, forKey: .via)
            try c.encode(action, forKey: .action)
            try c.encodeOrNull(challenge, forKey: .challenge)
            try c.encodeOrNull(subject, forKey: .subject)
            try c.encode(detail, forKey: .detail)
            try c.encode(hash, forKey: .hash)
        }

        enum CodingKeys: String, CodingKey {
            case seq, at, actor, via, action, challenge, subject, detail, hash
        }
    }

    public var challenge: String?
    /// Events of the whole trail whose hashes were checked (the chain holds over all of them).
    public var verified: Int
    public var events: [Event]

    public init(_ reading: AuditTrail.Reading, challenge: String?) {
        self.challenge = challenge
        verified = reading.verified
        events = reading.events.map(Event.init)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeOrNull(challenge, forKey: .challenge)
        try c.encode(verified, forKey: .verified)
        try c.encode(events, forKey: .events)
    }

    enum CodingKeys: String, CodingKey { case challenge, verified, events }

    /// The events as lines a terminal shows: when, who (through what), what, on what, detail.
    public var lines: [String] {
        events.map { e in
            let place = [e.challenge, e.subject].compactMap { $0 }.joined(separator: " ")
            return
                "\(e.seq)  \(e.at)  \(e.actor) (\(e.via))  \(e.action)\(place.isEmpty ? "" : "  " + place)  \(e.detail)"
        }
    }
}
