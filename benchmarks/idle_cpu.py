"""What the live view costs an idle window: CPU time of a ``reader`` left alone in tmux.

    python -m benchmarks.idle_cpu               # the bundled seeds, 20 s per measure
    python -m benchmarks.idle_cpu --seconds 60 --library /tmp/tuilib/library

The open window polls the store twice a second (a few ``stat`` calls) to show what other
windows and commands changed. Each figure is the CPU time (user + system, from
``/proc/PID/stat``) the app's process used while idle after its first paint, as a share of
one core, beside a bare Textual app idle in the same run (``bare_app.py``: what Textual's
own timers cost) and a ``reader`` with the live view switched off
(``READER_LIVE_POLL=0``), so the difference is the poll alone.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.tui_bench import (  # noqa: E402
    PYTHON,
    launched,
    pane_pid,
    tmux_server,
    wait_for,
    wait_still,
)

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def idle_share(command: str, marker: str, seconds: float) -> float:
    """The share of one core ``command`` uses while idle, after ``marker`` is on screen."""
    with launched(command) as (session, start):
        wait_for(session, marker, start)
        wait_still(session, quiet=1.0)
        pid = pane_pid(session)
        before, t0 = cpu_seconds(pid), time.perf_counter()
        time.sleep(seconds)
        return (cpu_seconds(pid) - before) / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--library", type=Path, help="a library folder (default: a copy of seeds)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, tmux_server():
        library = args.library
        if library is None:
            library = Path(tmp) / "seeds"
            shutil.copytree(ROOT / "seeds", library)
        folder = shlex.quote(str(library))
        reader = f"{PYTHON} -m reader.cli {folder}"
        bare = f"{PYTHON} {shlex.quote(str(ROOT / 'benchmarks' / 'bare_app.py'))}"
        # a first launch imports the folder; the measured ones find nothing new
        idle_share(reader, "highlight", 1.0)
        rows = [
            ("bare Textual app", idle_share(bare, "BAREITEM 2", args.seconds)),
            (
                "reader, live view off",
                idle_share(f"env READER_LIVE_POLL=0 {reader}", "highlight", args.seconds),
            ),
            ("reader, live view on", idle_share(reader, "highlight", args.seconds)),
        ]
    print(f"idle CPU over {args.seconds:.0f} s, share of one core")
    for name, share in rows:
        print(f"  {name:<24} {share * 100:6.2f} %")
    print(f"  the live view's own cost: {(rows[2][1] - rows[1][1]) * 100:+.2f} % of a core")


if __name__ == "__main__":
    main()
