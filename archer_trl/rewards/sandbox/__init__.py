"""The sandbox for model-written programs. `executor` starts and talks to one bubblewrap sandbox from the trainer;
`pool` keeps several and runs programs on them; everything under ``inside/`` runs inside the sandbox and is the only
code bound there (`inside.harness` the template and program init, `inside.testproc` one test, `inside.rpc` the
plain-data channel of assert harnesses, `inside.seccomp` the syscall filter)."""

from .executor import BACKENDS, FIX_HINT, SANDBOX_ENV, SandboxConfig, SandboxError, SandboxUnavailable, bwrap_command
from .pool import RunSettings, SandboxPool, Verdict, check_sandbox, get_pool, run_suite

__all__ = ["BACKENDS", "FIX_HINT", "SANDBOX_ENV", "RunSettings", "SandboxConfig", "SandboxError", "SandboxPool",
           "SandboxUnavailable", "Verdict", "bwrap_command", "check_sandbox", "get_pool", "run_suite"]  # fmt: skip
