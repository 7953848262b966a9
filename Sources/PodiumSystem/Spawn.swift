import PodiumDomain

#if canImport(Glibc)
import Glibc
#endif

/// Runs `program` to its end with `posix_spawn` and `waitpid` (retried on `EINTR`): its stdin
/// `/dev/null`, its stdout and stderr into the new file `output`; `environment` (`NAME=value`
/// entries) replaces this process's when given. Returns whether it exited with status 0;
/// `store_failed` when it cannot start. (Foundation's `Process.waitUntilExit` can hang on a
/// thread of Swift's cooperative pool.)
public func runToEnd(_ program: String, _ arguments: [String], environment: [String]? = nil, output: String)
    throws(JudgeError) -> Bool
{
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv = ([program] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { $0.map { strdup($0) } + [nil] }
    defer { for pointer in argv + (envp ?? []) { free(pointer) } }
    var pid: pid_t = 0
    let spawned =
        if var envp {
            posix_spawn(&pid, program, &actions, nil, argv, &envp)
        } else {
            posix_spawn(&pid, program, &actions, nil, argv, environ)
        }
    guard spawned == 0 else {
        throw JudgeError.store("store_failed", "cannot run \(program): \(String(cString: strerror(spawned)))")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // Exited (the low 7 bits 0) with status 0.
    return status & 0x7f == 0 && (status >> 8) & 0xff == 0
}
