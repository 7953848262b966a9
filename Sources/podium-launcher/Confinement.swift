import CSandbox
import Glibc

/// The per-process steps inside the namespaces, in nsjail's order, ending with `execve`.
enum Confinement {
    /// The uid and gid a bundle runs as inside its user namespace (mapped to a host uid that
    /// owns nothing).
    static let insideId: uid_t = 1000

    static func hostname() throws(SetupError) {
        let name = "podium"
        try check("sethostname") { sethostname(name, name.utf8.count) }
    }

    /// No controlling terminal, a session of its own.
    static func newSession() throws(SetupError) {
        try check("setsid") { setsid() }
    }

    static func limits(_ o: Options) throws(SetupError) {
        func set(_ resource: Int32, _ value: UInt64, _ name: String) throws(SetupError) {
            try check("setrlimit \(name)") { podium_setrlimit(resource, value) }
        }
        // CPU per process (the tree's total is watched through the cgroup); +1 s so the
        // cgroup's verdict comes first when both apply.
        try set(podium_rlimit_cpu, UInt64(o.cpuSeconds.rounded(.up)) + 1, "CPU")
        let addressSpace = o.cgroupMemory ? UInt64(o.memoryMB) * 4 + 1024 : UInt64(o.memoryMB)
        try set(podium_rlimit_as, addressSpace << 20, "AS")
        // /output and /tmp are capped by their tmpfs sizes; the file size limit is only a loose
        // backstop (the larger of the two), so that a scratch file in /tmp is not held to
        // output_mb.
        try set(podium_rlimit_fsize, UInt64(max(o.outputMB, o.tmpMB)) << 20, "FSIZE")
        try set(podium_rlimit_nofile, 256, "NOFILE")
        try set(podium_rlimit_nproc, UInt64(o.cgroupPids ? o.processes * 2 + 8 : o.processes), "NPROC")
        try set(podium_rlimit_core, 0, "CORE")
    }

    /// Every descriptor above 2.
    static func closeDescriptors() {
        if podium_close_range(3, UInt32.max) != 0 {
            for fd in 3..<4096 { close(Int32(fd)) }
        }
    }

    /// Drops the capability bounding set, becomes the unprivileged inside user, clears every
    /// capability, and sets `no_new_privs`.
    static func dropPrivileges() throws(SetupError) {
        for cap in 0...63 { _ = podium_prctl(PR_CAPBSET_DROP, UInt(cap), 0) }
        _ = podium_prctl(PR_CAP_AMBIENT, UInt(PR_CAP_AMBIENT_CLEAR_ALL), 0)
        try check("setresgid") { podium_setresgid(insideId, insideId, insideId) }
        try check("setresuid") { podium_setresuid(insideId, insideId, insideId) }
        try check("drop capabilities") { podium_drop_capabilities() }
        try check("no_new_privs") { podium_prctl(PR_SET_NO_NEW_PRIVS, 1, 0) }
    }

    /// The command, found on the sandbox's PATH, with the only environment a bundle gets: the
    /// thread pools of the usual libraries sized to `threads` (else they size themselves to the
    /// host's cores, and a 64-core machine's pools break the process limit).
    static func exec(_ command: [String], runtime: Bool, threads: Int) -> Never {
        let path = (runtime ? "/runtime/bin:" : "") + "/usr/local/bin:/usr/bin:/bin"
        let environment =
            [
                "PATH=\(path)", "HOME=/tmp", "PODIUM_INPUT=/input/test.csv", "PODIUM_OUTPUT=/output/predictions.csv",
                "PODIUM_THREADS=\(threads)", "TF_NUM_INTEROP_THREADS=1",
            ] + threadVariables.map { "\($0)=\(threads)" }
        var program = command[0]
        if !program.contains("/") {
            for dir in path.split(separator: ":") where access("\(dir)/\(program)", X_OK) == 0 {
                program = "\(dir)/\(program)"
                break
            }
        }
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        execve(program, argv, envp)
        diagnose("podium-launcher: cannot run \(command[0]): \(String(cString: strerror(errno)))")
        _exit(127)
    }

    /// The variables OpenMP (LightGBM, XGBoost), the BLAS libraries (numpy, scipy), numexpr and
    /// TensorFlow's intra-op pool read for their thread count.
    static let threadVariables = [
        "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
        "TF_NUM_INTRAOP_THREADS",
    ]
}
