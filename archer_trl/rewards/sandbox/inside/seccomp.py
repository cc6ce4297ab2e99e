"""The seccomp filter every process that runs untrusted code installs on itself (standard library only: this file
runs inside the sandbox, next to ``harness.py``).

Refused with EPERM (ENOSYS for ``clone3``, so glibc falls back to ``clone``, which is checked):

- new processes: ``fork``, ``vfork``, ``clone`` without ``CLONE_THREAD`` (threads are fine);
- executable memory of a program's own: an anonymous mapping or a writable mapping with ``PROT_EXEC``,
  ``mprotect``/``pkey_mprotect`` to ``PROT_EXEC``, and every ``personality`` but a query (``READ_IMPLIES_EXEC`` made
  readable pages executable): a program's own machine code had ``clflush`` and ``rdtsc`` (rounds 32-33);
- sockets, pipes, eventfds and shared anonymous mappings: their inodes (and eventfd ids) are numbered by
  host-wide counters a concurrent program reads back (the test process holds two pipes and two socket pairs
  for asyncio and ThreadPool);
- signals, ``prlimit`` and ``get_robust_list`` aimed at any pid but the caller's own (``kill(0, ...)`` reaches only
  its own process group, which it leads alone), and every indirect way to make the kernel signal someone else:
  ``fcntl`` ``F_SETOWN`` / ``F_SETOWN_EX`` / ``F_SETSIG`` / ``F_SETLEASE`` / ``F_NOTIFY``, ``F_SETFL`` with
  ``O_ASYNC``, and the ``FIOSETOWN`` / ``SIOCSPGRP`` / ``FIOASYNC`` / ``TIOCSTI`` ioctls (since round 18 every ioctl
  outside a short allow-list of terminal and descriptor queries answers ENOTTY; ``fcntl`` is an allow-list too);
- scheduler and priority changes (``setpriority``, ``sched_set*``, ``ioprio_set``), page migration of other pids;
- SysV IPC (``shm*``, ``sem*``, ``msg*``) and POSIX message queues (``mq_*``): shared state between programs;
- kernel objects charged to the caller's uid or shared with the host: ``inotify_*`` and ``fanotify_*`` (instances
  and watches count against per-user limits; inotify would also see host activity on bound directories) and file
  locks (``flock``, ``fcntl`` ``F_*LK*``: visible to the host and to concurrent programs), ``F_SETPIPE_SZ`` (pipe
  pages are counted per host uid), ``memfd_create`` (its pages are outside the address-space rlimit and the tmpfs
  caps), ``syslog`` (the host's kernel log), ``io_setup`` (AIO contexts come from a host-wide pool,
  ``aio-max-nr``), ``mmap`` with ``MAP_HUGETLB`` (the host's huge-page pool), and ``sysinfo``, ``statfs``,
  ``fstatfs`` (host-wide task count, memory, load, uptime and disk use: no namespace covers them, and the task
  count is a channel between concurrent programs), ``sync`` / ``syncfs`` (they write back the whole host's dirty
  pages: ``fsync`` / ``fdatasync`` of the program's own files stay), and the page-cache probes ``mincore``,
  ``cachestat``, ``fadvise64`` and ``readahead`` (the host's page cache is shared by every sandbox: these read and
  reset it cleanly; timing a read still senses it, see docs/sandbox.md);
- ``setpgid`` / ``setsid``, ``ptrace``, ``process_vm_*``, ``process_madvise``, ``pidfd_*``, ``kcmp``, mounts,
  namespaces, ``chroot``, ``bpf``, ``perf_event_open``, ``userfaultfd``, keyrings, ``io_uring``, kernel modules;
- ``execve``/``execveat`` (a test process is forked, never exec'd; a running program file answers "text file busy"
  to a write attempt before the read-only mount does, a channel between samples: round 19) and ``quotactl``/
  ``quotactl_fd`` (they force journal commits of the host's filesystem);
- ``sendmsg``/``sendmmsg`` (descriptors in flight over a Unix socket are counted per host uid, a counter every
  sandbox reads through ``ETOOMANYREFS``: round 15);
- ``futex`` wakes and requeues without ``FUTEX_PRIVATE_FLAG`` (shared waits return EAGAIN) and the futex2 syscalls (a shared futex on a page of
  a file every sandbox maps is keyed by its inode: an exact channel between concurrent programs);
- every syscall numbered from ``FIRST_UNREVIEWED_SYSCALL`` on (ENOSYS: added after this filter was reviewed);
- every x32 syscall (they share the x86_64 audit arch); any other architecture's syscalls (i386 ``int 0x80``)
  answer ENOSYS, since a kill would be logged to the host's kernel log under a name the program chooses.
"""

from __future__ import annotations

import ctypes
import platform
import struct

PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2

_COMMON = {  # syscall numbers shared by x86_64 and aarch64 (the asm-generic numbers above 400)
    "clone3": 435, "pidfd_open": 434, "pidfd_send_signal": 424, "pidfd_getfd": 438, "open_tree": 428,
    "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442,
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "process_madvise": 440,
    "process_mrelease": 448, "cachestat": 451, "memfd_secret": 447, "statmount": 457, "listmount": 458,
    "futex_waitv": 449, "futex_wake": 454, "quotactl_fd": 443, "futex_wait": 455, "futex_requeue": 456,
}  # fmt: skip
_ARCH = {  # audit arch, then syscall numbers
    "x86_64": {
        "audit": 0xC000003E, "fork": 57, "vfork": 58, "clone": 56, "socket": 41, "socketpair": 53, "membarrier": 324, "uretprobe": 335, "uprobe": 336, "kill": 62, "tkill": 200,
        "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297, "prlimit64": 302, "get_robust_list": 274,
        "fcntl": 72, "ioctl": 16, "futex": 202, "sendmsg": 46, "sendmmsg": 307, "setsockopt": 54, "name_to_handle_at": 303, "open_by_handle_at": 304, "execve": 59, "execveat": 322, "quotactl": 179, "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312,
        "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161, "unshare": 272, "setns": 308, "bpf": 321,
        "perf_event_open": 298, "userfaultfd": 323, "keyctl": 250, "add_key": 248, "request_key": 249,
        "init_module": 175, "finit_module": 313, "delete_module": 176, "setpgid": 109, "setsid": 112,
        "setpriority": 141, "sched_setparam": 142, "sched_setscheduler": 144, "sched_setaffinity": 203,
        "sched_setattr": 314, "ioprio_set": 251, "migrate_pages": 256, "move_pages": 279, "mbind": 237, "set_mempolicy": 238,
        "get_mempolicy": 239, "set_mempolicy_home_node": 450, "shmget": 29,
        "shmat": 30, "shmctl": 31, "shmdt": 67, "semget": 64, "semop": 65, "semctl": 66, "semtimedop": 220,
        "msgget": 68, "msgsnd": 69, "msgrcv": 70, "msgctl": 71, "mq_open": 240, "mq_unlink": 241,
        "mq_timedsend": 242, "mq_timedreceive": 243, "mq_notify": 244, "mq_getsetattr": 245, "flock": 73,
        "inotify_init": 253, "inotify_init1": 294, "inotify_add_watch": 254, "fanotify_init": 300,
        "fanotify_mark": 301, "memfd_create": 319, "syslog": 103, "io_setup": 206, "mmap": 9, "sysinfo": 99,
        "statfs": 137, "fstatfs": 138, "sync": 162, "syncfs": 306, "mincore": 27, "fadvise64": 221,
        "readahead": 187, "ustat": 136, "getsockopt": 55, "preadv2": 327, "pwritev2": 328, "madvise": 28,
        "utime": 132, "utimes": 235, "utimensat": 280, "futimesat": 261,
        "prctl": 157, "seccomp": 317, "sendfile": 40, "splice": 275, "tee": 276, "vmsplice": 278, "listen": 50,
        "accept": 43, "accept4": 288, "pipe": 22, "pipe2": 293, "eventfd": 284, "eventfd2": 290,
        "mprotect": 10, "pkey_mprotect": 329, "personality": 135, "mknod": 133, "mknodat": 259, "statx": 332,
        "adjtimex": 159, "clock_adjtime": 305,
        **_COMMON,
    },
    "aarch64": {
        "audit": 0xC00000B7, "clone": 220, "socket": 198, "socketpair": 199, "membarrier": 283, "kill": 129, "tkill": 130, "tgkill": 131,
        "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240, "prlimit64": 261, "get_robust_list": 100, "fcntl": 25, "futex": 98, "sendmsg": 211, "sendmmsg": 269, "setsockopt": 208, "name_to_handle_at": 264, "open_by_handle_at": 265, "execve": 221, "execveat": 281, "quotactl": 60,
        "ioctl": 29, "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271, "kcmp": 272, "mount": 40,
        "umount2": 39, "pivot_root": 41, "chroot": 51, "unshare": 97, "setns": 268, "bpf": 280,
        "perf_event_open": 241, "userfaultfd": 282, "keyctl": 219, "add_key": 217, "request_key": 218,
        "init_module": 105, "finit_module": 273, "delete_module": 106, "setpgid": 154, "setsid": 157,
        "setpriority": 140, "sched_setparam": 118, "sched_setscheduler": 119, "sched_setaffinity": 122,
        "sched_setattr": 274, "ioprio_set": 30, "migrate_pages": 238, "move_pages": 239, "mbind": 235, "get_mempolicy": 236,
        "set_mempolicy": 237, "set_mempolicy_home_node": 450, "shmget": 194,
        "shmat": 196, "shmctl": 195, "shmdt": 197, "semget": 190, "semop": 193, "semctl": 191, "semtimedop": 192,
        "msgget": 186, "msgsnd": 189, "msgrcv": 188, "msgctl": 187, "mq_open": 180, "mq_unlink": 181,
        "mq_timedsend": 182, "mq_timedreceive": 183, "mq_notify": 184, "mq_getsetattr": 185, "flock": 32,
        "inotify_init1": 26, "inotify_add_watch": 27, "fanotify_init": 262, "fanotify_mark": 263, "memfd_create": 279,
        "syslog": 116, "io_setup": 0, "mmap": 222, "sysinfo": 179, "statfs": 43,
        "fstatfs": 44, "sync": 81, "syncfs": 267, "mincore": 232, "fadvise64": 223, "readahead": 213, "getsockopt": 209,
        "utimensat": 88,
        "prctl": 167, "seccomp": 277, "sendfile": 71, "splice": 76, "tee": 77, "vmsplice": 75, "listen": 201,
        "accept": 202, "accept4": 242, "pipe2": 59, "eventfd2": 19, "mprotect": 226, "pkey_mprotect": 288, "personality": 92,
        "preadv2": 286, "pwritev2": 287, "madvise": 233, "mknodat": 33, "statx": 291, "adjtimex": 171,
        "clock_adjtime": 266,
        **_COMMON,
    },
}  # fmt: skip
_DENY_ALWAYS = [
    "fork", "vfork", "ptrace", "process_vm_readv", "process_vm_writev", "process_madvise", "process_mrelease",
    "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "kcmp", "mount", "umount2", "pivot_root", "chroot", "unshare",
    "setns", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "bpf",
    "perf_event_open", "userfaultfd", "keyctl", "add_key", "request_key", "init_module", "finit_module",
    "delete_module", "io_uring_setup", "io_uring_enter", "io_uring_register", "setpgid", "setsid", "setpriority",
    "sched_setparam", "sched_setscheduler", "sched_setaffinity", "sched_setattr", "ioprio_set", "migrate_pages",
    "move_pages",
    # round 24: on a host with several NUMA nodes, mbind with MPOL_MF_MOVE moves pages of the shared root copy between
    # nodes and get_mempolicy reads back where each page is: an exact channel between programs (latent here: one node)
    "mbind", "set_mempolicy", "get_mempolicy", "set_mempolicy_home_node", "shmget", "shmat", "shmctl", "shmdt", "semget", "semop", "semctl", "semtimedop", "msgget",
    "msgsnd", "msgrcv", "msgctl", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify",
    "mq_getsetattr", "flock", "inotify_init", "inotify_init1", "inotify_add_watch", "fanotify_init",
    "fanotify_mark", "memfd_create", "syslog", "io_setup", "sysinfo", "statfs", "fstatfs",
    "sync", "syncfs", "mincore", "cachestat", "fadvise64", "readahead", "ustat", "memfd_secret", "statmount",
    "listmount", "futex_waitv", "futex_wake", "futex_wait", "futex_requeue", "sendmsg", "sendmmsg", "name_to_handle_at", "open_by_handle_at", "execve", "execveat", "quotactl", "quotactl_fd",
    # round 21: a filter of one's own compiles into the host-wide BPF JIT pool (seccomp, and socket filters that
    # outlive their descriptor in a listener's accept queue), and sendfile/splice/tee/vmsplice queue references to
    # the host's page-cache pages in a socket, uncharged to the executor's memory
    "seccomp", "sendfile", "splice", "tee", "vmsplice", "listen", "accept", "accept4",
    # round 22: the bound device nodes are the host's inodes and mode 0666, so utime("/dev/null") stamped the host's
    # file (a channel read back through stat); no other bound path is writable, so file times are refused whole
    "utime", "utimes", "utimensat", "futimesat",
    # round 26: membarrier's expedited commands interrupt every core that runs a registered process (an
    # inter-processor interrupt a receiver on another core counts: a 20-bit answer between concurrent programs, and
    # across two trainers, past the per-executor core pinning); no C library or CPython needs it
    "membarrier",
    # round 27: numbered below FIRST_UNREVIEWED_SYSCALL but added after the table was reviewed (x86_64 only);
    # listed for completeness: the kernel passes both through seccomp by design (their trampolines must work under
    # any filter); called from anywhere else, uprobe fails (ENXIO) and uretprobe kills its caller (SIGILL)
    "uretprobe", "uprobe",
    # round 30: pipe and socket inodes are numbered by one host-wide counter (get_next_ino, handed out in per-CPU
    # batches), read back with fstat, which no filter can refuse by descriptor type: a program that creates them
    # moves a counter every concurrent program reads (round 7: a 96-bit answer, exact). No program may create one;
    # the test process holds two pipes and two socket pairs made before the filter (asyncio, ThreadPool: testproc.py).
    # eventfd ids come from a host-wide allocator (lowest free id, shown in fdinfo): the same channel.
    "pipe", "pipe2", "socket", "socketpair", "eventfd", "eventfd2",
    # round 37: mknod made a FIFO (a pipe by another name); statx reads a mount's id, which the host allocates
    # (lowest free, or a host-wide counter) like the tmpfs device numbers; adjtimex and clock_adjtime, even read-only,
    # report the host clock's discipline state. CPython's os.stat uses newfstatat, never statx
    "mknod", "mknodat", "statx", "adjtimex", "clock_adjtime",
]  # fmt: skip
# Syscalls numbered from here on were added after this filter was reviewed (LSM queries, mseal, xattr-at, ...):
# refused with ENOSYS, which libc treats as an older kernel, so that a new kernel's syscalls are not allowed unread
FIRST_UNREVIEWED_SYSCALL = 459
# A futex without FUTEX_PRIVATE_FLAG is keyed by the page it lives on; on a page of a file every sandbox maps (a
# bound library, read-only or private) the key is the file's inode, shared by every sandbox: a wake there reports
# how many waiters of *another* program it woke, and a shared wait returns when another program (or the kernel, at
# the exit of a thread whose clear-child-tid address points there: round 15) wakes it, exact channels between
# concurrent samples. Shared wakes and requeues are refused; shared waits return EAGAIN at once ("the value
# changed"), which libc retries: a thread join (a shared wait on the thread's tid) spins until the kernel clears it.
FUTEX_PRIVATE_FLAG, FUTEX_SHARED_WAITS = 128, (0, 9, 9 | 256)  # FUTEX_WAIT, FUTEX_WAIT_BITSET (+CLOCK_REALTIME)
_SELF_ONLY = ("kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "prlimit64", "get_robust_list")
# Refused by the fcntl allow-list below, among all others: the commands that route signals to another process
# (F_SETOWN, F_SETOWN_EX, F_SETSIG, F_SETLEASE, F_NOTIFY, and F_SETFL with O_ASYNC), record locks (a lock on a
# read-only host file is seen by the host and by every other sandbox), F_SETPIPE_SZ (pipe pages count per host uid)
F_SETFL, O_ASYNC = 4, 0o20000
# The fcntl commands a program may use (descriptor flags, status flags without O_ASYNC, duplication, pipe size
# queries); every other command is refused, F_SET_RW_HINT among them (round 17: the write-life hint of a read-only
# host file's inode is writable by its owner, which the sandbox's uid is, and seen by every sandbox and the host)
F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_GETOWN, F_GETSIG, F_DUPFD_CLOEXEC, F_GETPIPE_SZ = 0, 1, 2, 3, 9, 11, 1030, 1032
_FCNTL_ALLOWED = (F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_GETOWN, F_GETSIG, F_DUPFD_CLOEXEC, F_GETPIPE_SZ)
# refused by the ioctl allow-list below, among all others: FIOSETOWN, SIOCSPGRP, FIOASYNC, TIOCSTI (signal routes)
# The ioctls a program may make: terminal queries (isatty, the window size, the foreground group), FIONREAD,
# FIONBIO, FIOCLEX/FIONCLEX. Every other one answers ENOTTY ("not supported here"): round 18 set, cleared and read
# ext4's per-file extent cache of read-only host files (FS_IOC_FIEMAP, EXT4_IOC_CLEAR_ES_CACHE / GET_ES_CACHE), an
# exact channel between samples that outlived the executors, and FS_IOC_GETFSMAP read the host disk's map
TCGETS, TIOCGPGRP, TIOCGWINSZ, FIONREAD, FIONBIO, FIONCLEX, FIOCLEX = (
    0x5401,
    0x540F,
    0x5413,
    0x541B,
    0x5421,
    0x5450,
    0x5451,
)
_IOCTL_ALLOWED = (TCGETS, TIOCGPGRP, TIOCGWINSZ, FIONREAD, FIONBIO, FIONCLEX, FIOCLEX)
_X32_SYSCALL_BIT = 0x40000000
# host-wide counters readable through a socket option (SO_COOKIE, SO_NETNS_COOKIE): a channel between programs
_SOCKOPT_DENIED, _SOL_SOCKET = (
    (57, 71, 76, 77, 26, 50, 51, 52),  # 26 SO_ATTACH_FILTER, 50-52 SO_ATTACH_BPF and the reuseport filters (round 21)
    1,
)  # 76 SO_PASSPIDFD (set), 77 SO_PEERPIDFD (get)  # SO_PEERPIDFD (77): a pidfd, numbered from a host-wide counter
# A thread is all clone may make, with the flags glibc's (and musl's) pthread_create pass: CLONE_PIDFD in particular
# returns a pidfd whose inode number comes from one counter for the whole host (kernel 6.9+), which every task
# created anywhere advances: an exact channel between concurrent samples (round 16: a 24-bit answer, 3 of 3)
_CLONE_THREAD_FLAGS = 0x00000F00 | 0x00010000 | 0x00040000 | 0x00080000 | 0x00100000 | 0x00200000  # VM FS FILES
# SIGHAND, THREAD, SYSVSEM, SETTLS, PARENT_SETTID, CHILD_CLEARTID
_CLONE_DETACHED = 0x00400000
# the page cache of a file every sandbox reads (a bound library) is a channel between programs: RWF_NOWAIT reads
# whether a page is cached without caching it, MADV_COLD / MADV_PAGEOUT evict pages; refused with mincore and fadvise
RWF_NOWAIT, MADV_COLD, MADV_PAGEOUT = 0x8, 20, 21
# prctl: an allow-list since round 24, which found PR_FUTEX_HASH (78) charging 256 MiB of kernel memory to an
# executor under an RSS of 20 MB (the OOM killer then chose an innocent program), after round 23 had found
# PR_SCHED_CORE (62, a core-scheduling cookie shared between tasks) and PR_SET_MEMORY_MERGE (67, KSM for the whole
# process: merging identical pages across processes is a timing channel) passing; PR_SET_SECCOMP (22) would take
# BPF JIT pool pages. Allowed: what the C library, CPython and numpy ask of their own process (PDEATHSIG, GET_DUMPABLE,
# KEEPCAPS, GET_NAME, GET_SECCOMP, CAPBSET_READ/DROP, GET_TIMERSLACK, GET_CHILD_SUBREAPER, NO_NEW_PRIVS, GET_TID_ADDRESS,
# THP_DISABLE, CAP_AMBIENT, GET_SPECULATION_CTRL, and PR_SET_VMA for naming anonymous mappings)
# (PR_SET_DUMPABLE left the list in round 26: a test process made itself dumpable again, and a crash then reaches a
# host's core_pattern helper where one pipes cores to apport or systemd-coredump)
# (PR_SET_NAME, 15, left it in round 27: a crash is logged on the host under the process's name, which it chose)
PRCTL_ALLOWED = (1, 2, 3, 7, 16, 21, 23, 24, 30, 37, 38, 39, 40, 41, 42, 47, 52, 0x53564D41)
# madvise: an allow-list since round 23. MADV_COLLAPSE (25) rebuilt the pages of a file every sandbox maps (the
# read-only root copy) as huge pages: a state of the shared file that others could time, and memory charged to the
# executor that collapsed it; MADV_HUGEPAGE (14) asks khugepaged for the same, MADV_MERGEABLE (12) shares pages
# across processes (KSM), and MADV_COLD/MADV_PAGEOUT evict cached pages. What allocators and programs use stays:
# NORMAL, RANDOM, SEQUENTIAL, WILLNEED, DONTNEED, FREE, REMOVE, DONTFORK, DOFORK, NOHUGEPAGE, DONTDUMP, DODUMP,
# WIPEONFORK, KEEPONFORK, POPULATE_READ/WRITE (no more than reading or writing the pages), DONTNEED_LOCKED and the
# guard regions (102, 103); numpy's MADV_HUGEPAGE hint for large arrays ignores the refusal
MADV_ALLOWED = (0, 1, 2, 3, 4, 8, 9, 10, 11, 15, 16, 17, 18, 19, 22, 23, 24, 102, 103)
# preadv2/pwritev2 flags: only HIPRI, DSYNC, SYNC and APPEND (RWF_DONTCACHE, round 16, read pages without leaving
# them cached: the timing channel above without disturbing it; newer flags are refused unread)
_RWF_REFUSED = 0xFFFFFFFF & ~(0x1 | 0x2 | 0x4 | 0x10)
_RET_ALLOW = 0x7FFF0000
_RET_EPERM, _RET_ENOSYS, _RET_EAGAIN, _RET_ENOTTY = 0x00050000 | 1, 0x00050000 | 38, 0x00050000 | 11, 0x00050000 | 25
_LD_ABS, _JEQ, _JGE, _JSET, _RET, _JA = 0x20, 0x15, 0x35, 0x45, 0x06, 0x05
SUPPORTED_MACHINES = frozenset(_ARCH)  # platform.machine() values the filter is written for
_OFF_NR, _OFF_ARCH, _OFF_ARG0, _OFF_ARG1, _OFF_ARG2, _OFF_ARG3, _OFF_ARG5 = 0, 4, 16, 24, 32, 40, 56  # low words
MAP_HUGETLB, MAP_ANONYMOUS, MAP_SHARED, PROT_EXEC, PROT_WRITE = 0x40000, 0x20, 0x01, 0x4, 0x2
PID_PLACEHOLDER = 0x7FFFFFFE


def seccomp_filter(own_pid: int, machine: str | None = None, threads: bool = True) -> bytes:
    """The BPF program. ``own_pid`` (as the process sees it) is the only pid it may signal or re-limit. ``threads``
    False refuses thread creation too: the last resort on a host where nothing else caps a sandbox's tasks."""
    numbers = _ARCH.get(machine or platform.machine())
    if numbers is None:
        raise OSError(f"no seccomp syscall table for architecture {machine or platform.machine()!r}")
    # Each entry: (code, k, jump-true label, jump-false label); a label is an instruction name or None (next).
    program: list[tuple] = []
    labels: dict[str, int] = {}

    def emit(code, k=0, jt=None, jf=None, label=None):
        if label:
            labels[label] = len(program)
        program.append((code, k, jt, jf))

    emit(_LD_ABS, _OFF_ARCH)
    emit(_JEQ, numbers["audit"], "native", None)
    # a syscall of another architecture (i386's int 0x80) is refused, not killed: the kernel logs every seccomp kill
    # to the host's kernel log with the process's name, which a program chooses (red-team round 24: a write to the
    # host's log, and a flood that spent its rate limit)
    emit(_RET, _RET_ENOSYS)
    emit(_LD_ABS, _OFF_NR, label="native")
    emit(_JGE, _X32_SYSCALL_BIT, "deny", None)
    for name in _DENY_ALWAYS:
        if name in numbers:  # aarch64 has no fork/vfork syscalls
            emit(_JEQ, numbers[name], "deny", None)
    # a refusal right after the list, jumped over by the rest: a conditional jump reaches 255 instructions at most,
    # and the filter has grown past that (round 33)
    emit(_JA, 1)
    emit(_RET, _RET_EPERM, label="deny")
    emit(_JGE, FIRST_UNREVIEWED_SYSCALL, "enosys", None)
    emit(_JEQ, numbers["clone3"], "enosys", None)
    emit(_JEQ, numbers["futex"], "futex", None)
    emit(_JEQ, numbers["clone"], "clone", None)
    emit(_JEQ, numbers["fcntl"], "fcntl", None)
    emit(_JEQ, numbers["ioctl"], "ioctl", None)
    emit(_JEQ, numbers["mmap"], "mmap", None)
    emit(_JEQ, numbers["mprotect"], "mprotect", None)
    emit(_JEQ, numbers["personality"], "personality", None)
    emit(_JEQ, numbers["pkey_mprotect"], "mprotect", None)
    emit(_JEQ, numbers["getsockopt"], "getsockopt", None)
    emit(_JEQ, numbers["setsockopt"], "getsockopt", None)  # same options: SO_PASSPIDFD hands over pidfds
    emit(_JEQ, numbers["preadv2"], "rwf", None)
    emit(_JEQ, numbers["pwritev2"], "rwf", None)
    emit(_JEQ, numbers["madvise"], "madvise", None)
    emit(_JEQ, numbers["prctl"], "prctl", None)
    for name in _SELF_ONLY:
        emit(_JEQ, numbers[name], "self_only", None)
    emit(_RET, _RET_ALLOW)
    emit(_LD_ABS, _OFF_ARG0, label="clone")
    # exactly pthread_create's flags, not any subset (round 20: a thread without CLONE_FILES has a descriptor table,
    # and RLIMIT_NOFILE, of its own, so one test process held 6,960 descriptors); musl adds CLONE_DETACHED
    emit(_JEQ, _CLONE_THREAD_FLAGS, "allow" if threads else "eperm", None)
    emit(_JEQ, _CLONE_THREAD_FLAGS | _CLONE_DETACHED, "allow" if threads else "eperm", "eperm")
    emit(_LD_ABS, _OFF_ARG1, label="fcntl")
    for command in _FCNTL_ALLOWED:  # an allow-list since round 17: F_SET_RW_HINT wrote host files' inodes
        emit(_JEQ, command, "allow", None)
    emit(_JEQ, F_SETFL, None, "eperm")
    emit(_LD_ABS, _OFF_ARG2)
    emit(_JSET, O_ASYNC, "eperm", "allow")
    emit(_LD_ABS, _OFF_ARG1, label="ioctl")
    for command in _IOCTL_ALLOWED:  # an allow-list since round 18: ext4's extent-cache ioctls were a channel
        emit(_JEQ, command, "allow", None)
    emit(_RET, _RET_ENOTTY)
    emit(_LD_ABS, _OFF_ARG2, label="mmap")
    emit(_JSET, PROT_EXEC, None, "mmap_flags")  # executable anonymous memory: machine code of the program's own
    emit(_JSET, PROT_WRITE, "eperm", None)  # round 33: writable and executable at once (a private copy of a library)
    emit(_LD_ABS, _OFF_ARG3)
    emit(_JSET, MAP_ANONYMOUS, "eperm", None)
    emit(_LD_ABS, _OFF_ARG3, label="mmap_flags")
    emit(_JSET, MAP_HUGETLB, "eperm", None)
    # a shared anonymous mapping is a file on the kernel's own tmpfs, numbered by a host-wide counter like a pipe
    emit(_JSET, MAP_ANONYMOUS, None, "allow")
    emit(_JSET, MAP_SHARED, "eperm", "allow")  # MAP_SHARED and MAP_SHARED_VALIDATE; MAP_PRIVATE is 0x02
    # round 32: no page may become executable (a program's own code gave it clflush and rdtsc: Flush+Reload on the
    # root copy every executor maps, 40 bits between concurrent siblings); loading a library maps its file so
    emit(_LD_ABS, _OFF_ARG2, label="mprotect")
    emit(_JSET, PROT_EXEC, "eperm", "allow")
    # round 33: READ_IMPLIES_EXEC made every readable page executable after the filter had read the arguments; only
    # a query (0xffffffff) or the default (PER_LINUX) passes
    emit(_LD_ABS, _OFF_ARG0, label="personality")
    emit(_JEQ, 0xFFFFFFFF, "allow", None)
    emit(_JEQ, 0, "allow", "eperm")
    emit(_LD_ABS, _OFF_ARG1, label="getsockopt")
    emit(_JEQ, _SOL_SOCKET, None, "allow")
    emit(_LD_ABS, _OFF_ARG2)
    for option in _SOCKOPT_DENIED:
        emit(_JEQ, option, "eperm", None)
    emit(_RET, _RET_ALLOW)
    emit(_LD_ABS, _OFF_ARG0, label="prctl")
    for option in PRCTL_ALLOWED:
        emit(_JEQ, option, "allow", None)
    emit(_RET, _RET_EPERM)
    emit(_LD_ABS, _OFF_ARG5, label="rwf")
    emit(_JSET, _RWF_REFUSED, "eperm", "allow")
    emit(_LD_ABS, _OFF_ARG2, label="madvise")
    for advice in MADV_ALLOWED:
        emit(_JEQ, advice, "allow", None)
    emit(_RET, _RET_EPERM)
    emit(_LD_ABS, _OFF_ARG1, label="futex")
    emit(_JSET, FUTEX_PRIVATE_FLAG, "allow", None)
    for operation in FUTEX_SHARED_WAITS:
        emit(_JEQ, operation, "eagain", None)
    emit(_RET, _RET_EPERM)
    emit(_LD_ABS, _OFF_ARG0, label="self_only")
    emit(_JEQ, own_pid & 0xFFFFFFFF, "allow", None)
    emit(_JEQ, 0, "allow", "eperm")
    emit(_RET, _RET_ALLOW, label="allow")
    emit(_RET, _RET_EPERM, label="eperm")
    emit(_RET, _RET_ENOSYS, label="enosys")
    emit(_RET, _RET_EAGAIN, label="eagain")

    encoded = []
    for index, (code, k, jt, jf) in enumerate(program):
        offsets = [0 if target is None else labels[target] - index - 1 for target in (jt, jf)]
        if not all(0 <= o < 256 for o in offsets):
            raise AssertionError("seccomp jump out of range")
        encoded.append(struct.pack("HBBI", code, offsets[0], offsets[1], k))
    return b"".join(encoded)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


class SeccompInstaller:
    """Prepared once in the template (ctypes set-up costs milliseconds); a process only patches in its pid and loads."""

    def __init__(self, threads: bool = True):
        template = seccomp_filter(PID_PLACEHOLDER, threads=threads)
        marker = struct.pack("I", PID_PLACEHOLDER)
        self.pid_offsets = [i * 8 + 4 for i in range(len(template) // 8) if template[i * 8 + 4 : i * 8 + 8] == marker]
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.buffer = ctypes.create_string_buffer(template, len(template))
        self.fprog = _SockFprog(len(template) // 8, ctypes.cast(self.buffer, ctypes.c_void_p))

    def install(self, own_pid: int) -> None:
        for offset in self.pid_offsets:
            struct.pack_into("I", self.buffer, offset, own_pid & 0xFFFFFFFF)
        if self.libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS failed")
        if self.libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(self.fprog), 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "installing the seccomp filter failed")
