import CSandbox
import Glibc

/// The seccomp filter, built with libseccomp from `sandbox/seccomp.policy` (see that file for
/// the format) and loaded last, right before `execve`.
enum Policy {
    struct Rule {
        var action: UInt32
        var syscall: String
        var condition: Condition?
    }

    enum Condition {
        case masked(arg: UInt32, mask: UInt64, value: UInt64, low32: Bool)
        case notEqual(arg: UInt32, value: UInt64)
    }

    static let errnos: [String: Int32] = [
        "EPERM": EPERM, "ENOSYS": ENOSYS, "EAFNOSUPPORT": EAFNOSUPPORT, "EACCES": EACCES,
    ]

    /// Parses the policy text; the first bad line is an error (the judge's configuration).
    static func parse(_ text: String) throws(SetupError) -> [Rule] {
        var rules: [Rule] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if words.isEmpty { continue }
            var i = 0
            let action: UInt32
            switch words[0] {
            case "kill":
                action = podium_act_kill_process
                i = 1
            case "errno":
                guard words.count > 2, let e = errnos[words[1]] else {
                    throw SetupError(step: "seccomp.policy line \(n + 1)", code: EINVAL)
                }
                action = podium_act_errno(e)
                i = 2
            default:
                throw SetupError(step: "seccomp.policy line \(n + 1)", code: EINVAL)
            }
            guard i < words.count else { throw SetupError(step: "seccomp.policy line \(n + 1)", code: EINVAL) }
            var rule = Rule(action: action, syscall: words[i], condition: nil)
            let rest = Array(words[(i + 1)...])
            if !rest.isEmpty {
                guard rest[0].hasPrefix("arg"), let arg = UInt32(rest[0].dropFirst(3)) else {
                    throw SetupError(step: "seccomp.policy line \(n + 1)", code: EINVAL)
                }
                if rest.count == 5 && (rest[1] == "masked" || rest[1] == "masked32") && rest[3] == "==",
                    let mask = number(rest[2]), let value = number(rest[4])
                {
                    rule.condition = .masked(arg: arg, mask: mask, value: value, low32: rest[1] == "masked32")
                } else if rest.count == 3 && rest[1] == "!=", let value = number(rest[2]) {
                    rule.condition = .notEqual(arg: arg, value: value)
                } else {
                    throw SetupError(step: "seccomp.policy line \(n + 1)", code: EINVAL)
                }
            }
            rules.append(rule)
        }
        return rules
    }

    static func number(_ text: String) -> UInt64? {
        text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    }

    /// Builds and loads the filter: default allow, the listed rules, foreign architectures killed.
    static func load(_ rules: [Rule]) throws(SetupError) {
        guard let ctx = seccomp_init(podium_act_allow) else { throw SetupError(step: "seccomp_init", code: ENOMEM) }
        defer { seccomp_release(ctx) }
        _ = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, podium_act_kill_process)
        for rule in rules {
            let nr = seccomp_syscall_resolve_name(rule.syscall)
            if nr == __NR_SCMP_ERROR { continue }  // not a syscall on this architecture
            let r: Int32
            switch rule.condition {
            case nil: r = podium_rule(ctx, rule.action, nr)
            case .masked(let arg, let mask, let value, let low32)?:
                r = podium_rule_masked(ctx, rule.action, nr, arg, mask, value, low32 ? 1 : 0)
            case .notEqual(let arg, let value)?:
                r = podium_rule_not_equal(ctx, rule.action, nr, arg, value)
            }
            if r != 0 { throw SetupError(step: "seccomp rule \(rule.syscall)", code: -r) }
        }
        let r = seccomp_load(ctx)
        if r != 0 { throw SetupError(step: "seccomp_load", code: -r) }
    }
}
