/// The launcher's command line: `podium-launcher [--key value]... -- COMMAND ARGS...`.
struct Options {
    var bundle = ""
    var input = ""
    var root = ""
    var policy = ""
    var readOnly: [String] = []
    /// The bundle runtime (a Python virtual environment), bound read-only at /runtime with its
    /// bin/ first on PATH.
    var runtime = ""
    var meta = ""
    var output = ""
    var stderrTail = ""
    var cpuSeconds = 60.0
    var wallSeconds = 120.0
    var memoryMB = 2048
    var outputMB = 64
    var processes = 32
    var tmpMB = 256
    /// The cores the bundle's thread pools are sized to (OpenMP, BLAS, TensorFlow, …).
    var threads = 2
    var command: [String] = []
    /// Set by the launcher when the memory cgroup limits the tree: the per-process address
    /// space limit is then only a loose backstop, so that a breach is seen as `memory_limit`.
    var cgroupMemory = false
    /// Set when the pids cgroup limits the tree: RLIMIT_NPROC then stays above it, so that the
    /// cgroup (which reports the breach) is the limit that trips.
    var cgroupPids = false

    static func parse(_ arguments: [String]) -> Options? {
        var o = Options()
        var i = 0
        while i < arguments.count {
            let key = arguments[i]
            if key == "--" {
                o.command = Array(arguments[(i + 1)...])
                break
            }
            guard i + 1 < arguments.count else { return nil }
            let value = arguments[i + 1]
            switch key {
            case "--bundle": o.bundle = value
            case "--input": o.input = value
            case "--root": o.root = value
            case "--policy": o.policy = value
            case "--ro": o.readOnly.append(value)
            case "--runtime": o.runtime = value
            case "--meta": o.meta = value
            case "--output": o.output = value
            case "--stderr-tail": o.stderrTail = value
            case "--cpu": o.cpuSeconds = Double(value) ?? o.cpuSeconds
            case "--wall": o.wallSeconds = Double(value) ?? o.wallSeconds
            case "--memory-mb": o.memoryMB = Int(value) ?? o.memoryMB
            case "--output-mb": o.outputMB = Int(value) ?? o.outputMB
            case "--processes": o.processes = Int(value) ?? o.processes
            case "--tmp-mb": o.tmpMB = Int(value) ?? o.tmpMB
            case "--threads": o.threads = max(1, Int(value) ?? o.threads)
            default: return nil
            }
            i += 2
        }
        guard !o.command.isEmpty, !o.bundle.isEmpty, !o.input.isEmpty, !o.root.isEmpty, !o.meta.isEmpty,
            !o.output.isEmpty
        else {
            return nil
        }
        return o
    }
}
