import Glibc

/// cgroup v1 controllers for one run (memory, pids, cpuacct), when the machine offers them:
/// memory and process limits over the whole tree, CPU time summed over it, and a way to find
/// every process that is left.
struct CGroups {
    var folders: [String: String] = [:]

    static let root = "/sys/fs/cgroup"

    /// Creates the run's groups; a controller that cannot be used is skipped (the rlimits stay).
    static func create(name: String, memoryMB: Int, processes: Int) -> CGroups {
        var groups = CGroups()
        for controller in enabledControllers() {
            let base = "\(root)/\(controller)"
            guard access(base, W_OK) == 0 else { continue }
            let parent = "\(base)/podium"
            _ = mkdir(parent, 0o755)
            let folder = "\(parent)/\(name)"
            guard mkdir(folder, 0o755) == 0 || errno == EEXIST else { continue }
            groups.folders[controller] = folder
        }
        if let m = groups.folders["memory"] {
            _ = try? writeFile("\(m)/memory.limit_in_bytes", "\(memoryMB << 20)")
            _ = try? writeFile("\(m)/memory.memsw.limit_in_bytes", "\(memoryMB << 20)")
        }
        if let p = groups.folders["pids"] { _ = try? writeFile("\(p)/pids.max", "\(processes)") }
        return groups
    }

    func join(_ pid: pid_t) {
        for folder in folders.values { _ = try? writeFile("\(folder)/cgroup.procs", "\(pid)") }
    }

    var cpuSeconds: Double? {
        folders["cpuacct"].flatMap { readFile("\($0)/cpuacct.usage") }.flatMap { Double($0.trimmingCharacters()) }.map {
            $0 / 1e9
        }
    }

    var peakMemoryBytes: Double? {
        folders["memory"].flatMap { readFile("\($0)/memory.max_usage_in_bytes") }.flatMap {
            Double($0.trimmingCharacters())
        }
    }

    /// The processes the memory cgroup's OOM killer ended during the run (`memory.oom_control`'s
    /// `oom_kill`, Linux 4.13+); nil when the machine does not count them.
    var oomKills: Int? {
        guard let m = folders["memory"], let text = readFile("\(m)/memory.oom_control") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return Int(line.dropFirst(9))
        }
        return nil
    }

    /// Whether a charge ever failed at the limit. Only a fallback where OOM kills are not
    /// counted: reclaiming page cache at the limit also counts, without anything being killed.
    var memoryChargeFailed: Bool {
        guard let m = folders["memory"] else { return false }
        return ["memory.failcnt", "memory.memsw.failcnt"].contains { counter in
            readFile("\(m)/\(counter)").map { (Int($0.trimmingCharacters()) ?? 0) > 0 } ?? false
        }
    }

    var processLimitHit: Bool {
        guard let p = folders["pids"], let text = readFile("\(p)/pids.events") else { return false }
        return text.split(separator: "\n").contains { $0.hasPrefix("max ") && $0 != "max 0" }
    }

    /// Processes still in the run's groups.
    var remaining: [pid_t] {
        guard let folder = folders["pids"] ?? folders["memory"] ?? folders["cpuacct"],
            let text = readFile("\(folder)/cgroup.procs")
        else { return [] }
        return text.split(separator: "\n").compactMap { pid_t($0) }
    }

    /// Kills whatever is left, waits until nothing is, and removes the groups.
    func destroy() {
        for _ in 0..<200 {
            let left = remaining
            if left.isEmpty { break }
            for pid in left { kill(pid, SIGKILL) }
            usleep(1_000)
        }
        for folder in folders.values { rmdir(folder) }
    }
}

extension String {
    func trimmingCharacters() -> String {
        String(
            self.drop(while: { $0 == " " || $0 == "\n" }).reversed().drop(while: { $0 == " " || $0 == "\n" }).reversed()
        )
    }
}

/// The cgroup v1 controllers to use: all three, or `$PODIUM_CGROUPS` (comma-separated; empty
/// for none, leaving the rlimits alone).
func enabledControllers() -> [String] {
    if let v = getenv("PODIUM_CGROUPS") { return String(cString: v).split(separator: ",").map(String.init) }
    return ["memory", "pids", "cpuacct"]
}
