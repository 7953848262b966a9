#ifndef PODIUM_CSANDBOX_SHIM_H
#define PODIUM_CSANDBOX_SHIM_H
// libseccomp and the few kernel calls the sandbox launcher needs, made callable from Swift
// (no variadic functions, no function-like macros). Only the launcher imports this module.
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <seccomp.h>

static inline int podium_prctl(int option, unsigned long a2, unsigned long a3) {
    return prctl(option, a2, a3, 0UL, 0UL);
}

/// New user, mount, network, IPC, UTS, cgroup and PID namespaces for the caller.
static inline int podium_unshare_namespaces(void) {
    return (int)syscall(SYS_unshare, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
                                     CLONE_NEWCGROUP | CLONE_NEWPID);
}

static inline int podium_pipe(int fds[2]) {
    return (int)syscall(SYS_pipe2, fds, O_CLOEXEC);
}

static inline int podium_setresuid(unsigned int r, unsigned int e, unsigned int s) {
    return (int)syscall(SYS_setresuid, r, e, s);
}

static inline int podium_setresgid(unsigned int r, unsigned int e, unsigned int s) {
    return (int)syscall(SYS_setresgid, r, e, s);
}

static inline int podium_setrlimit(int resource, unsigned long long value) {
    struct rlimit l = { value, value };
    return setrlimit(resource, &l);
}

static const int podium_rlimit_cpu = RLIMIT_CPU;
static const int podium_rlimit_as = RLIMIT_AS;
static const int podium_rlimit_fsize = RLIMIT_FSIZE;
static const int podium_rlimit_nofile = RLIMIT_NOFILE;
static const int podium_rlimit_nproc = RLIMIT_NPROC;
static const int podium_rlimit_core = RLIMIT_CORE;

static const uint32_t podium_act_allow = SCMP_ACT_ALLOW;
static const uint32_t podium_act_kill_process = SCMP_ACT_KILL_PROCESS;
static inline uint32_t podium_act_errno(int e) { return SCMP_ACT_ERRNO(e); }

static inline int podium_pivot_root(const char *new_root, const char *put_old) {
    return (int)syscall(SYS_pivot_root, new_root, put_old);
}

static inline int podium_close_range(unsigned int first, unsigned int last) {
    return (int)syscall(SYS_close_range, first, last, 0);
}

/// Drops every capability: effective, permitted and inheritable sets.
static inline int podium_drop_capabilities(void) {
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
    return (int)syscall(SYS_capset, &header, data);
}

/// A rule with no argument condition.
static inline int podium_rule(scmp_filter_ctx ctx, uint32_t action, int syscall_nr) {
    return seccomp_rule_add_array(ctx, action, syscall_nr, 0, NULL);
}

/// A rule on one argument: (arg & mask) == value, compared on 64 or on the low 32 bits.
static inline int podium_rule_masked(scmp_filter_ctx ctx, uint32_t action, int syscall_nr, unsigned int arg,
                                     uint64_t mask, uint64_t value, int low32) {
    struct scmp_arg_cmp cmp;
    if (low32) {
        cmp = SCMP_CMP32(arg, SCMP_CMP_MASKED_EQ, mask, value);
    } else {
        cmp = SCMP_CMP64(arg, SCMP_CMP_MASKED_EQ, mask, value);
    }
    return seccomp_rule_add_array(ctx, action, syscall_nr, 1, &cmp);
}

/// A rule on one argument: arg != value (64-bit).
static inline int podium_rule_not_equal(scmp_filter_ctx ctx, uint32_t action, int syscall_nr, unsigned int arg, uint64_t value) {
    struct scmp_arg_cmp cmp = SCMP_CMP64(arg, SCMP_CMP_NE, value);
    return seccomp_rule_add_array(ctx, action, syscall_nr, 1, &cmp);
}
#endif
