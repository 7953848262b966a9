import PodiumDomain

extension SubmissionListing {
    /// The public score the reader may see.
    public func publicScore(_ s: SubmissionRecord, _ score: ScoreRecord?) -> Double? {
        visibility.publicValue(exact: score?.publicPrimary, shown: shown[s.id], primary: true)
    }

    /// An instructor's list under the Ladder also has the score each student was shown.
    public var showsLadderColumn: Bool { visibility.ladderStep == nil && !shown.isEmpty }

    /// The rows of `podium submissions --json`.
    public var body: [ListingRow] { rows.map(listingRow) }

    /// The row of one submission (`podium submissions --id N --json`).
    public func row(_ id: Int64) throws(JudgeError) -> ListingRow {
        guard let listed = rows.first(where: { $0.0.id == id }) else {
            throw JudgeError(
                code: .unknownSubmission,
                message: "there is no submission \(id)\(rows.count < 1 ? "" : " (among the submissions listed)")")
        }
        return listingRow(listed)
    }

    func listingRow(_ listed: (SubmissionRecord, ScoreRecord?)) -> ListingRow {
        let (s, score) = listed
        return ListingRow(
            id: s.id, participant: s.participant, team: s.team, submittedAt: s.submittedAt, status: s.status,
            late: s.late, selected: s.selected, held: s.held, file: s.fileName, sha256: s.fileSha256,
            publicScore: publicScore(s, score),
            privateScore: showPrivate ? .some(score?.privatePrimary) : nil,
            shownScore: showsLadderColumn ? .some(shown[s.id]) : nil,
            ladderStep: visibility.ladderStep, scoredVersion: score?.version, pending: pending.contains(s.id),
            error: s.errorCode.map { ErrorDetail(JudgeError(code: $0, message: s.errorMessage ?? "")) },
            message: s.message)
    }
}

/// One submission of `podium submissions --json`, as its reader may see it.
public struct ListingRow: Encodable, Sendable, Equatable {
    public var id: Int64
    public var participant: String
    public var team: String
    public var submittedAt: String
    public var status: SubmissionStatus
    public var late: Bool
    public var selected: Bool
    public var held: Bool
    public var file: String
    public var sha256: String
    /// The public score the reader may see (`null`: none).
    public var publicScore: Double?
    /// The private score: absent before the close, `null` when there is none.
    public var privateScore: Double??
    /// The Ladder's shown score: only in an instructor's list under the Ladder (`null`: none).
    public var shownScore: Double??
    /// The Ladder's step, when the public scores are the Ladder's.
    public var ladderStep: Double?
    /// The version the score was computed on (`null`: not scored).
    public var scoredVersion: Int?
    /// Waits for a re-score on the current version.
    public var pending: Bool
    /// Why it was rejected or failed.
    public var error: ErrorDetail?
    /// The participant's note.
    public var message: String?

    public enum CodingKeys: String, CodingKey {
        case id, participant, team
        case submittedAt = "submitted_at"
        case status, late, selected, held, file, sha256
        case publicScore = "public"
        case privateScore = "private"
        case shownScore = "shown"
        case ladderStep = "ladder_step"
        case scoredVersion = "scored_version"
        case pending, error, message
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(participant, forKey: .participant)
        try c.encode(team, forKey: .team)
        try c.encode(submittedAt, forKey: .submittedAt)
        try c.encode(status, forKey: .status)
        try c.encode(late, forKey: .late)
        try c.encode(selected, forKey: .selected)
        try c.encode(held, forKey: .held)
        try c.encode(file, forKey: .file)
        try c.encode(sha256, forKey: .sha256)
        try c.encodeNumber(publicScore, forKey: .publicScore)
        if let privateScore { try c.encodeNumber(privateScore, forKey: .privateScore) }
        if let shownScore { try c.encodeNumber(shownScore, forKey: .shownScore) }
        if let ladderStep { try c.encodeNumber(ladderStep, forKey: .ladderStep) }
        try c.encodeOrNull(scoredVersion, forKey: .scoredVersion)
        try c.encode(pending, forKey: .pending)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encodeIfPresent(message, forKey: .message)
    }
}
