import PodiumDomain

/// Records and reads the audit trail. An event is recorded right after its action committed;
/// a trail that cannot be written never undoes or fails the action (it already happened) —
/// the failure is handed to `services.warn` (the command line prints it, the server logs it).
public enum AuditTrail {
    /// Records an event by `services.actor` now; a course without a trail records nothing.
    public static func record(
        _ action: AuditAction, challenge: String?, subject: String?, detail: String, services: Services,
        actor: Actor? = nil
    ) {
        guard let log = services.audit else { return }
        let entry = AuditEntry(
            at: Instants.timestamp(services.clock.now()), actor: actor ?? services.actor, action: action,
            challenge: challenge, subject: subject.map(OneLine.of), detail: OneLine.of(detail))
        do {
            try log.append(entry) { previous in link(entry, after: previous, services) }
        } catch {
            services.warn("the audit trail could not record \(action.rawValue) (\(entry.detail)): \(error.message)")
        }
    }

    /// The hash of `entry` chained after `previous`.
    static func link(_ entry: AuditEntry, after previous: String, _ services: Services) -> String {
        Array(entry.chained(after: previous).utf8).withUnsafeBytes { services.blobs.hash(bytes: $0) }
    }

    /// What `podium audit` and `/admin` show: the events (one challenge's or all, the last
    /// `limit`), and how many events of the whole trail were checked against the chain.
    public struct Reading: Sendable {
        public var events: [AuditEvent]
        public var verified: Int
    }

    /// Reads the trail after checking the whole chain: an event edited, inserted or removed by
    /// hand is `audit_broken`, naming the first event that does not hold.
    public static func read(challenge: String?, limit: Int?, services: Services) throws(JudgeError) -> Reading {
        guard let log = services.audit else { return Reading(events: [], verified: 0) }
        let all = try log.events(challenge: nil, limit: nil)
        var previous = ""
        var lastSeq: Int64 = 0
        for event in all {
            guard event.hash == link(event.entry, after: previous, services) else {
                throw JudgeError(
                    code: .auditBroken,
                    message: "the audit trail was altered: event \(event.seq) does not hash to its stored value "
                        + "(edited, or an event before it was removed or edited)")
            }
            guard event.seq > lastSeq else {
                throw JudgeError(code: .auditBroken, message: "the audit trail was altered at event \(event.seq)")
            }
            previous = event.hash
            lastSeq = event.seq
        }
        var shown = all
        if let challenge { shown = shown.filter { $0.entry.challenge == challenge } }
        if let limit, limit >= 0, shown.count > limit { shown = Array(shown.suffix(limit)) }
        return Reading(events: shown, verified: all.count)
    }

    /// Appends every event of `source`'s trail (its chain checked first) to `target`'s, in
    /// order, chained after what `target` already holds (`podium migrate`); returns how many.
    public static func copy(from source: Services, to target: Services) throws(JudgeError) -> Int {
        guard let log = target.audit else { return 0 }
        let events = try read(challenge: nil, limit: nil, services: source).events
        for event in events {
            try log.append(event.entry) { previous in link(event.entry, after: previous, target) }
        }
        return events.count
    }
}
