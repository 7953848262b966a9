import CSandbox
import Glibc

// podium-launcher: runs one model bundle in a sandbox and reports on its own channel (the
// meta file), never mixed with the bundle's output. Single-threaded on purpose: everything
// between fork and exec happens here, not in the multi-threaded judge.
//
// The launcher (L, on the host) forks M, which unshares the user, mount, network, IPC, UTS,
// cgroup and PID namespaces; L maps M's user to a host uid that owns nothing; M forks G, PID 1
// of the new PID namespace, which builds the fresh root, confines itself and execs the
// command. When G exits the kernel kills everything else in its namespace; M copies
// /output/predictions.csv out (O_NOFOLLOW, a regular file under the cap) and reports G's status.

guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
    diagnose(
        "usage: podium-launcher --bundle DIR --input FILE --root DIR --policy FILE --meta FILE --output FILE [--ro "
            + "PATH]... [--runtime VENV] [--cpu S --wall S --memory-mb N --output-mb N --processes N --tmp-mb N] -- "
            + "COMMAND..."
    )
    exit(2)
}
var supervisor = Supervisor(options)
exit(supervisor.run())
