"""The executors' memory caps are summed against the limit the trainer runs under (red-team round 24: inside a pod's
limit, the OOM killer's victim was an innocent program; nothing checked that the caps fit the pod)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
import warnings
from pathlib import Path

import pytest
from sandbox_helpers import needs_bwrap

from archer_trl.rewards.sandbox import SandboxConfig, check_sandbox
from archer_trl.rewards.sandbox.executor import memory_cap
from archer_trl.rewards.sandbox.hostlimits import memory_limit_here, memory_room

V1_MEMORY = Path("/sys/fs/cgroup/memory")


def test_the_sum_of_caps_is_compared_with_the_limit():
    limit, where = memory_limit_here()
    ram = next(int(line.split()[1]) << 10 for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal:"))  # fmt: skip
    assert 0 < limit <= ram and where
    assert memory_room(1, 1 << 20) is None
    message = memory_room(1000, 4 << 30)
    assert message and "1000 executors x 4.0 GiB" in message and "lower num_workers or memory_bytes" in message


def _own_v1_memory_group() -> Path | None:
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            group = V1_MEMORY / path.lstrip("/")
            return group if os.access(group, os.W_OK) else None
    return None


@pytest.mark.skipif(_own_v1_memory_group() is None, reason="no writable cgroup v1 memory hierarchy here")
def test_a_process_in_a_limited_group_sees_that_limit():
    group = _own_v1_memory_group() / f"archer-room-test-{uuid.uuid4().hex[:8]}"
    group.mkdir()
    try:
        (group / "memory.limit_in_bytes").write_text(str(3 << 30))
        probe = (
            "import os, sys\n"
            f"open('{group}/cgroup.procs', 'w').write(str(os.getpid()))\n"
            "from archer_trl.rewards.sandbox.hostlimits import memory_limit_here, memory_room\n"
            "limit, where = memory_limit_here()\n"
            "print(limit, where, memory_room(2, 2 << 30), sep='|')\n"
        )
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
        limit, where, room = out.strip().split("|")
        assert int(limit) == 3 << 30 and str(group) in where
        assert room.startswith("2 executors x 2.0 GiB") and "3.0 GiB" in room
    finally:
        group.rmdir()


@needs_bwrap
def test_the_check_at_start_warns_when_the_caps_do_not_fit():
    config = SandboxConfig(memory_bytes=(1 << 30) + 4096)  # a configuration no other test checked in this process
    executors = 2 * (memory_limit_here()[0] // memory_cap(config)) + 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_sandbox(config, executors)
    # every pool of this process counts: the warning names at least this configuration's executors
    counts = [int(m.group(1)) for w in caught if (m := re.search(r"(\d+) executors x", str(w.message)))]
    assert counts and max(counts) >= executors, [str(w.message) for w in caught]
