import Foundation
import PodiumApp
import PodiumDomain

/// The server's counters and latency histograms, written by hand in Prometheus' text format
/// (`GET /metrics`): requests by route group and status, request and evaluation latency,
/// submissions accepted; queue depth and submissions by status are read at scrape time.
public final class ServerMetrics: Sendable {
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]

    struct Histogram {
        var counts = [Int](repeating: 0, count: ServerMetrics.buckets.count)
        var sum = 0.0
        var count = 0

        mutating func observe(_ seconds: Double) {
            for (k, bound) in ServerMetrics.buckets.enumerated() where seconds <= bound { counts[k] += 1 }
            sum += seconds
            count += 1
        }
    }

    struct State {
        var requests: [String: Int] = [:]
        var requestLatency = Histogram()
        var evaluationLatency = Histogram()
        var accepted = 0
        var intervals = 0
    }

    let state = Locked(State())

    public init() {}

    func request(group: String, status: Int, seconds: Double) {
        state.withLock {
            $0.requests["group=\"\(group)\",status=\"\(status)\"", default: 0] += 1
            $0.requestLatency.observe(seconds)
        }
    }

    public func evaluated(seconds: Double) { state.withLock { $0.evaluationLatency.observe(seconds) } }

    func accepted() { state.withLock { $0.accepted += 1 } }

    func intervalsComputed(_ n: Int) { state.withLock { $0.intervals += n } }

    /// The text of `/metrics`.
    func text(queued: Int, running: Int, statuses: [SubmissionStatus: Int]) -> String {
        let s = state.withLock { $0 }
        var out = ""
        out += "# HELP podium_queue_depth Submissions waiting for a worker.\n# TYPE podium_queue_depth gauge\n"
        out += "podium_queue_depth \(queued)\n"
        out += "# HELP podium_evaluations_running Evaluations in progress.\n# TYPE podium_evaluations_running gauge\n"
        out += "podium_evaluations_running \(running)\n"
        out += "# HELP podium_submissions Submissions by status.\n# TYPE podium_submissions gauge\n"
        for status in SubmissionStatus.allCases {
            out += "podium_submissions{status=\"\(status.rawValue)\"} \(statuses[status] ?? 0)\n"
        }
        out += "# HELP podium_submissions_accepted_total Submissions accepted by this process.\n"
        out += "# TYPE podium_submissions_accepted_total counter\npodium_submissions_accepted_total \(s.accepted)\n"
        out += "# HELP podium_board_intervals_computed_total Bootstrap intervals of private boards computed.\n"
        out += "# TYPE podium_board_intervals_computed_total counter\n"
        out += "podium_board_intervals_computed_total \(s.intervals)\n"
        out += "# HELP podium_http_requests_total Requests by route group and status.\n"
        out += "# TYPE podium_http_requests_total counter\n"
        for (labels, n) in s.requests.sorted(by: { $0.key < $1.key }) {
            out += "podium_http_requests_total{\(labels)} \(n)\n"
        }
        out += histogram("podium_http_request_seconds", "Request latency.", s.requestLatency)
        out += histogram("podium_evaluation_seconds", "Evaluation latency (claim to commit).", s.evaluationLatency)
        return out
    }

    func histogram(_ name: String, _ help: String, _ h: Histogram) -> String {
        var out = "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        for (k, bound) in Self.buckets.enumerated() { out += "\(name)_bucket{le=\"\(bound)\"} \(h.counts[k])\n" }
        out += "\(name)_bucket{le=\"+Inf\"} \(h.count)\n\(name)_sum \(h.sum)\n\(name)_count \(h.count)\n"
        return out
    }
}
