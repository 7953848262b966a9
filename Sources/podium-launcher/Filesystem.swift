import CSandbox
import Glibc

/// The bundle's fresh root: a small tmpfs holding read-only bind mounts of the listed host
/// paths, the bundle (read-only), the input (read-only), and size- and inode-limited tmpfs
/// mounts for /output and /tmp; then `pivot_root` into it and detach the host's root.
enum Filesystem {
    /// The inodes of /tmp: files and folders a bundle may create there.
    static let tmpInodes = 10_000

    static func build(_ o: Options) throws(SetupError) {
        // Nothing done here propagates back to the host.
        try check("make / private") { mount(nil, "/", nil, UInt(MS_REC | MS_PRIVATE), nil) }
        let root = o.root
        try check("mount the new root") {
            mount("tmpfs", root, "tmpfs", UInt(MS_NOSUID | MS_NODEV), "size=4m,nr_inodes=1000,mode=0755")
        }
        for path in o.readOnly {
            var st = stat()
            guard stat(path, &st) == 0 else { continue }  // absent on this host: skip
            let target = root + path
            if (st.st_mode & S_IFMT) == S_IFDIR {
                try makeDirectories(target)
            } else {
                try makeDirectories(parent(target))
                try touch(target)
            }
            try bindReadOnly(path, target)
        }
        // Debian's merged /usr: /bin, /lib, /lib64, /sbin are links.
        for (link, dest) in [("bin", "usr/bin"), ("lib", "usr/lib"), ("lib64", "usr/lib64"), ("sbin", "usr/sbin")] {
            _ = symlink(dest, root + "/" + link)
        }
        if !o.runtime.isEmpty {
            try makeDirectories(root + "/runtime")
            try bindReadOnly(o.runtime, root + "/runtime")
        }
        try makeDirectories(root + "/bundle")
        try bindReadOnly(o.bundle, root + "/bundle")
        try makeDirectories(root + "/input")
        try touch(root + "/input/test.csv")
        try bindReadOnly(o.input, root + "/input/test.csv")
        try makeDirectories(root + "/output")
        try check("mount /output") {
            mount(
                "tmpfs", root + "/output", "tmpfs", UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC),
                "size=\(o.outputMB)m,nr_inodes=64,mode=0777")
        }
        try makeDirectories(root + "/tmp")
        try check("mount /tmp") {
            mount(
                "tmpfs", root + "/tmp", "tmpfs", UInt(MS_NOSUID | MS_NODEV),
                "size=\(o.tmpMB)m,nr_inodes=\(tmpInodes),mode=1777")
        }
        try makeDirectories(root + "/proc")
        try check("mount /proc") { mount("proc", root + "/proc", "proc", UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC), nil) }
        try makeDirectories(root + "/dev")
        try check("mount /dev") {
            mount("tmpfs", root + "/dev", "tmpfs", UInt(MS_NOSUID | MS_NOEXEC), "size=64k,nr_inodes=20,mode=0755")
        }
        for device in ["null", "zero", "random", "urandom"] {
            try touch(root + "/dev/" + device)
            try check("bind /dev/\(device)") {
                mount("/dev/" + device, root + "/dev/" + device, nil, UInt(MS_BIND), nil)
            }
        }
        try makeDirectories(root + "/dev/shm")
        try check("mount /dev/shm") {
            mount(
                "tmpfs", root + "/dev/shm", "tmpfs", UInt(MS_NOSUID | MS_NODEV | MS_NOEXEC),
                "size=64m,nr_inodes=100,mode=1777")
        }
        try makeDirectories(root + "/home")

        // Into the new root; the old one is detached and unreachable.
        try check("chdir to the new root") { chdir(root) }
        try check("pivot_root") { podium_pivot_root(".", ".") }
        try check("detach the old root") { umount2(".", Int32(MNT_DETACH)) }
        try check("chdir /") { chdir("/") }
        try check("make / read-only") {
            mount(nil, "/", nil, UInt(MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV), nil)
        }
    }

    static func bindReadOnly(_ source: String, _ target: String) throws(SetupError) {
        try check("bind \(source)") { mount(source, target, nil, UInt(MS_BIND | MS_REC), nil) }
        try check("make \(target) read-only") {
            mount(nil, target, nil, UInt(MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV), nil)
        }
    }

    static func makeDirectories(_ path: String) throws(SetupError) {
        var current = ""
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST { throw SetupError(step: "mkdir \(current)", code: errno) }
        }
    }

    static func touch(_ path: String) throws(SetupError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SetupError(step: "create \(path)", code: errno) }
        close(fd)
    }

    static func parent(_ path: String) -> String {
        String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
    }
}
