import PodiumDomain

extension BoardData {
    /// Loads what boards need from a challenge's records; `full` also reads every column of
    /// the submissions.
    public static func load(_ challenge: PublishedChallenge, full: Bool = false) throws(JudgeError) -> BoardData {
        let submissions = full ? try challenge.records.submissions(team: nil) : try challenge.records.boardSubmissions()
        let scores = try challenge.records.scores(withReports: false)
        return BoardData(submissions: submissions, scores: scores)
    }
}
