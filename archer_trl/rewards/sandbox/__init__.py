"""The sandbox for model-written programs. `executor` starts and talks to one bubblewrap sandbox from the trainer;
`pool` keeps several and runs programs on them; everything under ``inside/`` runs inside the sandbox and is the only
code bound there (`inside.harness` the template and program init, `inside.testproc` one test, `inside.rpc` the
plain-data channel of assert harnesses and the solution's side of it, `inside.checkproc` the check process's side,
`inside.checkns` where the check process takes each name from,
`inside.seccomp` the syscall filter); `hostlimits` caps what an executor takes from the host (cgroup, fallbacks);
`protections` says what is active here. Judging is the caller's (a judge function): nothing here imports the code
reward."""

from .executor import BACKENDS, FIX_HINT, SANDBOX_ENV, SandboxConfig, SandboxError, SandboxUnavailable, bwrap_command
from .pool import Judge, RunSettings, SandboxPool, Suite, Verdict, check_sandbox, get_pool, run_suite
from .protections import describe_protections

__all__ = ["BACKENDS", "FIX_HINT", "SANDBOX_ENV", "Judge", "RunSettings", "SandboxConfig", "SandboxError",
           "SandboxPool", "SandboxUnavailable", "Suite", "Verdict", "bwrap_command", "check_sandbox",
           "describe_protections", "get_pool", "run_suite"]  # fmt: skip
