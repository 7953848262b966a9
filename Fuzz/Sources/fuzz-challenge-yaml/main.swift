import FuzzSupport
import PodiumDomain

runFuzzer(test)

/// `ChallengeConfig.parse`: any text is a configuration that keeps DESIGN's rules, or an
/// `invalid_challenge` refusal; never a crash or a hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func test(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    do {
        let config = try ChallengeConfig.parse(text)
        check(config.id.utf8.count >= 1 && config.id.utf8.count <= 63, "the id '\(config.id)' is not a slug")
        check(
            config.id.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
                && config.id.first != "-",
            "the id '\(config.id)' is not a slug")
        _ = config.primaryMetric  // a known metric (it unwraps the name's lookup)
        check(
            !config.metricNames.isEmpty && config.metricNames.allSatisfy { !$0.isEmpty },
            "metrics \(config.metricNames)")
        if let classes = config.classes {
            check(
                config.task == .multiclass && classes.count >= 2 && Set(classes).count == classes.count,
                "classes \(classes) accepted")
        }
        if let opens = config.opens, let closes = config.closes { check(closes > opens, "closes before opens") }
        check(config.leaderboard.step > 0 && config.threshold.isFinite, "step or threshold out of range")
        check(
            config.submissions.perDay >= 1 && config.submissions.final >= 1 && (config.submissions.total ?? 1) >= 1,
            "submission limits below 1")
    } catch {
        check(error.code == .invalidChallenge && error.file == "challenge.yaml", "refused with \(error)")
    }
    return 0
}
