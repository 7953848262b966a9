import PodiumMetrics
import PodiumTables

/// Scoring of ranking challenges: per query, then averaged over each split's queries.
enum RankingScoring {
    static func score(
        _ config: ChallengeConfig, _ metrics: [Metric], _ files: inout OpenFiles, _ options: Scorer.Options,
        _ report: inout ScoreReport
    ) throws(JudgeError) {
        let reading = Reading(parallelism: options.settings.parallelism)
        let solution = try files.readSolution { bytes throws(IntakeError) in
            try RankingSolution.read(
                bytes, query: config.columns.query, item: config.columns.item, relevance: config.columns.relevance,
                reading: reading)
        }
        Trace.mark("solution parsed")
        let submission = try files.readSubmission { bytes throws(IntakeError) in
            try RankingSubmission.read(
                bytes, solution: solution, query: config.columns.query, item: config.columns.item,
                scores: ["score", config.columns.prediction], depth: depth(metrics), reading: reading)
        }
        Trace.mark("submission parsed and ranked")
        files.release()
        if !submission.unsubmitted.isEmpty {
            let n = submission.unsubmitted.count
            let first = submission.unsubmitted.prefix(5).map { IntakeError.quote(solution.queries.string($0)) }.joined(
                separator: ", ")
            report.warnings.append(
                "\(n) quer\(n == 1 ? "y has" : "ies have") no submitted row and score 0 (first: \(first))")
        }
        if !submission.emptyLists.isEmpty {
            let n = submission.emptyLists.count
            let first = submission.emptyLists.prefix(5).map { IntakeError.quote(solution.queries.string($0)) }.joined(
                separator: ", ")
            report.warnings.append(
                "\(n) quer\(n == 1 ? "y has" : "ies have") an empty list of items and score 0 (first: \(first))")
        }
        for split in Split.allCases {
            let usage: Usage = split == .public ? .public : .private
            let queries = (0..<solution.count).filter { solution.usage[$0] == usage }
            report.rows[split] = queries.count
            let ranked = rankedQueries(queries, solution, submission)
            report.scores[split] = RankingMetrics.evaluate(metrics, ranked)
            if options.confidenceInterval {
                let perQuery = RankingMetrics.perQuery([metrics[0]], ranked)[0]
                let interval = Bootstrap.interval(
                    count: perQuery.count, resamples: options.resamples, parallelism: options.settings.parallelism
                ) { picks in
                    var sum = 0.0
                    for p in picks { sum += perQuery[Int(p)] }
                    return sum / Double(picks.count)
                }
                var intervals = report.intervals ?? [:]
                intervals[split] = interval
                report.intervals = intervals
            }
        }
        Trace.mark("metrics")
    }

    /// How many top ranks the metrics read: the largest cutoff, or every rank when a metric has
    /// none (or averages ties, whose runs may cross the cutoff).
    static func depth(_ metrics: [Metric]) -> Int {
        var deepest = 0
        for metric in metrics {
            switch metric {
            case .ndcg(let k?), .ndcgExp(let k?), .precisionAt(let k), .recallAt(let k), .mapAt(let k),
                .mapTrec(let k?), .mrr(let k?):
                deepest = max(deepest, k)
            default:
                return Int.max
            }
        }
        return deepest
    }

    /// The metrics' view of the listed queries.
    static func rankedQueries(_ queries: [Int], _ solution: RankingSolution, _ submission: RankingSubmission)
        -> RankedQueries
    {
        var out = RankedQueries(
            rankStart: [0], relevance: [], idealStart: [0], ideal: [], tieStart: submission.tieStart == nil ? nil : [])
        for q in queries {
            let r = submission.ranked[q]
            out.relevance.append(contentsOf: submission.relevance[r])
            if let ties = submission.tieStart { out.tieStart!.append(contentsOf: ties[r]) }
            out.rankStart.append(out.relevance.count)
            out.ideal.append(contentsOf: solution.ideal(q))
            out.idealStart.append(out.ideal.count)
        }
        return out
    }
}
