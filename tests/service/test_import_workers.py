"""A killed ``reader import`` leaves no parse workers behind (issue 14)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_FILE

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
    pytest.mark.timeout(90),
]

#: an import that parses in worker processes, then stops with its pool up (as one of 500+
#: files would, mid-import), printing the workers' and the resource tracker's pids
SCRIPT = """
import sys, time
from pathlib import Path
from multiprocessing import resource_tracker
from reader.service import parse_workers
from reader.service.documents import Namer
parse_workers.PARALLEL_MIN_FILES = 2
parse_workers.PARALLEL_CHUNK = 1
files = sorted(Path(sys.argv[1]).glob("*.txt"))
ahead = parse_workers.ParseAhead(files, {}, Namer(Path(sys.argv[1])))
ahead.result(files[0].name, "")  # the workers are up and working
pids = list(ahead._pool._processes) + [resource_tracker._resource_tracker._pid]
print(" ".join(str(pid) for pid in pids if pid), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return "\nState:\tZ" not in status  # a zombie has ended (its new parent reaps it)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_workers_end_with_a_killed_import(tmp_path: Path, how: signal.Signals) -> None:
    for index in range(6):
        (tmp_path / f"doc{index}.txt").write_bytes(SEED_FILE.read_bytes())
    parent = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    pids = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(pids) >= 2 and all(_alive(pid) for pid in pids)
    parent.send_signal(how)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.1)
    left = [pid for pid in pids if _alive(pid)]
    for pid in left:  # never leave them running after a failed test
        os.kill(pid, signal.SIGKILL)
    assert left == []
