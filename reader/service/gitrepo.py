"""The ``git`` executable, run safely on sync's own repository.

Only plumbing that runs no hook, filter or merge driver: commits are made with
``write-tree`` / ``commit-tree`` / ``update-ref``, merges by reader itself
(:mod:`reader.core.merge`), never ``git merge``. Every call also turns hooks off
(``core.hooksPath``), ignores the system config (``GIT_CONFIG_NOSYSTEM``) and never asks for
a password on the terminal (``GIT_TERMINAL_PROMPT=0``: a TUI worker must not hang). The
user's own git config still applies (their credential helper, ``ssh`` and ``insteadOf``
settings: what a person who keeps notes in git expects); reader stores no credential, and
refuses a remote URL with a password in it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

from reader.service.errors import LibraryError

BRANCH = "main"
REMOTE = "origin"
REMOTE_REF = f"refs/remotes/{REMOTE}/{BRANCH}"
#: git's id of the empty tree
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

#: settings given on every call: no hooks, no fsmonitor, no line-ending conversion, no
#: symbolic links checked out
_SAFE = (
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.fsmonitor=false",
    "-c", "core.autocrlf=false",
    "-c", "core.symlinks=false",  # a link from the remote is a file: writes stay inside
    "-c", "core.attributesFile=/dev/null",
    "-c", "commit.gpgSign=false",
    "-c", "user.name=reader",
    "-c", "user.email=reader@localhost",
)  # fmt: skip
#: .git/info/attributes (the strongest attributes file): no filter, driver or conversion
#: named by a .gitattributes that came from a remote applies to any file
_ATTRIBUTES = "* -text -filter -diff -merge -ident -working-tree-encoding\n"


class GitError(LibraryError):
    """A git command failed; ``str()`` is one line."""


class PushRejected(GitError):
    """The remote has commits this repository does not (someone pushed first)."""


def check_remote(url: str) -> str:
    """``url`` as given (a local path made absolute: git would read it from the sync
    folder), unless it carries a password (reader never stores credentials)."""
    url = url.strip()
    if not url:
        raise LibraryError("an empty remote: give a git URL or the path of a repository")
    if "://" not in url and ":" not in url.split("/", 1)[0]:  # not host:path (scp style)
        return str(Path(url).expanduser().resolve())
    if "://" in url:
        try:
            password = urlsplit(url).password
        except ValueError:
            password = None
        if password:
            raise LibraryError(
                "the remote URL holds a password: reader never stores credentials; use an "
                "ssh key or git's credential helper instead"
            )
    return url


class Git:
    """sync's repository: a work tree at ``folder`` (its ``.git`` inside)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        exe = shutil.which("git")
        if exe is None:
            raise LibraryError("sync needs git, which is not installed (https://git-scm.com)")
        self.exe = exe
        self.env = {
            **os.environ,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "LC_ALL": "C",
        }
        for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
            self.env.pop(name, None)  # sync's repository is always this one

    # ------------------------------------------------------------------ running
    def run(self, *args: str, stdin: bytes | None = None, ok: tuple[int, ...] = (0,)) -> str:
        """Run ``git ARGS`` in the folder; its output. GitError with git's first line if
        its exit status is not in ``ok``."""
        done = self._run(args, stdin)
        if done.returncode not in ok:
            raise GitError(f"git {args[0]} failed: {_first_line(done.stderr or done.stdout)}")
        return done.stdout.decode("utf-8", "replace")

    def _run(
        self, args: tuple[str, ...], stdin: bytes | None
    ) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [self.exe, *_SAFE, *args],
            cwd=self.folder,
            env=self.env,
            input=stdin,
            capture_output=True,
            check=False,
        )

    # ------------------------------------------------------------------ set up
    @property
    def exists(self) -> bool:
        """Whether the repository was made."""
        return (self.folder / ".git").is_dir()

    def init(self, remote: str) -> None:
        """Make the repository (if needed) and point its remote at ``remote``."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if not self.exists:
            self.run("init", "-q", "-b", BRANCH)
        info = self.folder / ".git" / "info"
        info.mkdir(parents=True, exist_ok=True)
        (info / "attributes").write_text(_ATTRIBUTES, encoding="utf-8")
        if self.run("remote").split():
            self.run("remote", "set-url", REMOTE, remote)
        else:
            self.run("remote", "add", REMOTE, remote)

    def remote_url(self) -> str:
        """The remote's URL."""
        return self.run("remote", "get-url", REMOTE).strip()

    # ------------------------------------------------------------------ reading
    def rev(self, name: str) -> str | None:
        """The commit ``name`` names, or None."""
        out = self.run("rev-parse", "-q", "--verify", f"{name}^{{commit}}", ok=(0, 1))
        return out.strip() or None

    def merge_base(self, a: str, b: str) -> str | None:
        """Their best common ancestor, or None (unrelated histories)."""
        return self.run("merge-base", a, b, ok=(0, 1)).strip() or None

    def changed(self, a: str | None, b: str) -> dict[str, tuple[str | None, str | None]]:
        """Paths whose content differs between commits ``a`` (None: nothing) and ``b``,
        each with its blob id at ``a`` and at ``b`` (None where the path is absent)."""
        found: dict[str, tuple[str | None, str | None]] = {}
        if a is None:
            out = self.run("ls-tree", "-r", "-z", b)
            for entry in out.split("\0"):
                if entry:
                    meta, _, path = entry.partition("\t")
                    found[path] = (None, meta.split()[2])
            return found
        out = self.run("diff-tree", "-r", "-z", "--no-renames", a, b)
        fields = out.split("\0")
        for meta, path in zip(fields[0:-1:2], fields[1::2], strict=False):
            parts = meta.split()  # :old-mode new-mode old-id new-id status
            found[path] = (_blob(parts[2]), _blob(parts[3]))
        return found

    def read(self, blobs: dict[str, str]) -> dict[str, bytes]:
        """The content of each path's blob (``blobs``: path -> blob id), in one process.

        By blob id, not ``commit:path``: git resolves a path by reading the trees on the
        way, and the highlights folder's tree lists ~12,000 files (0.24 s for 1,000 paths
        against 0.03 s by id)."""
        if not blobs:
            return {}
        paths = list(blobs)
        request = "".join(f"{blobs[p]}\n" for p in paths).encode()
        done = self._run(("cat-file", "--batch", "--buffer"), request)
        if done.returncode != 0:
            raise GitError(f"git cat-file failed: {_first_line(done.stderr)}")
        out, found, pos = done.stdout, {}, 0
        for path in paths:
            end = out.index(b"\n", pos)
            header = out[pos:end].split()
            pos = end + 1
            if len(header) == 2 and header[1] == b"missing":
                continue
            size = int(header[2])
            found[path] = out[pos : pos + size]
            pos += size + 1
        return found

    # ------------------------------------------------------------------ writing
    def repair(self, head: str | None, clean: bool = False) -> None:
        """Undo what a sync killed half-way left: a stale index lock, a work tree or
        index that differ from ``head`` (both are rebuilt from the store and HEAD).

        ``clean``: the last sync ended at ``head`` and none ran since (sync's marker), so
        the work tree and index are the ones it left: the scan of the ~12,000 sync files
        (``git status``) is skipped."""
        _wait_for_orphan(self.folder / ".git" / "index.lock")
        if head is None:  # nothing committed yet: an empty work tree
            self.run("read-tree", "--empty")
            self.run("clean", "-q", "-f", "-d")
            return
        if clean:
            return
        try:
            dirty = self.run("status", "--porcelain", "-z", "--untracked-files=all")
        except GitError:  # a torn index (git does not fsync it): rebuilt from HEAD
            (self.folder / ".git" / "index").unlink(missing_ok=True)
            dirty = "index"
        if dirty:
            self.run("reset", "-q", "--hard", "HEAD")
            self.run("clean", "-q", "-f", "-d")

    def commit(self, message: str, parents: list[str]) -> str | None:
        """Commit the whole work tree on top of ``parents``; None when nothing changed
        (one parent whose tree is the same, or no parent and nothing to commit)."""
        self.run("add", "-A")
        tree = self.run("write-tree").strip()
        if not parents and tree == EMPTY_TREE:
            return None  # nothing to start a history with
        if len(parents) == 1 and self.run("rev-parse", f"{parents[0]}^{{tree}}").strip() == tree:
            return None
        args = ["commit-tree", tree, "-m", message]
        for parent in parents:
            args += ["-p", parent]
        return self.run(*args).strip()

    def move_head(self, commit: str) -> None:
        """Make the branch point at ``commit`` (the work tree already holds its files)."""
        self.run("update-ref", f"refs/heads/{BRANCH}", commit)

    def checkout(self, commit: str) -> None:
        """Point the branch at ``commit`` and make the work tree its files."""
        self.run("reset", "-q", "--hard", commit)

    def start_checkout(self, head: str | None, commit: str) -> subprocess.Popen[bytes]:
        """Start bringing the index and work tree from ``head`` (None: nothing) to
        ``commit`` in the background (``read-tree -m -u``: only the files that differ are
        written); the branch stays where it is until :meth:`finish_checkout`."""
        return subprocess.Popen(
            [self.exe, *_SAFE, "read-tree", "-m", "-u", head or EMPTY_TREE, commit],
            cwd=self.folder,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def finish_checkout(self, started: subprocess.Popen[bytes], commit: str) -> None:
        """Wait for :meth:`start_checkout` and point the branch at ``commit`` (if the
        background update failed, a ``reset --hard`` does both)."""
        if started.wait() == 0:
            self.move_head(commit)
        else:
            self.checkout(commit)

    def fetch(self) -> str | None:
        """Fetch the remote; the commit its branch holds (None: the remote is empty)."""
        return self.finish_fetch(self.start_fetch())

    def start_fetch(self) -> subprocess.Popen[bytes]:
        """Start fetching the remote in the background (it writes objects and the
        remote-tracking branch only, never the index or the work tree)."""
        return subprocess.Popen(
            [self.exe, *_SAFE, "fetch", "-q", "--no-tags", "--no-recurse-submodules", REMOTE],
            cwd=self.folder,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def finish_fetch(self, started: subprocess.Popen[bytes]) -> str | None:
        """Wait for :meth:`start_fetch`; what :meth:`fetch` returns."""
        for _attempt in range(3):
            _, err = started.communicate()
            if started.returncode == 0:
                return self.rev(REMOTE_REF)
            if b"cannot lock ref" not in err and b".lock" not in err:
                break
            # the fetch of a sync killed a moment ago still runs (a kill does not reach
            # its git) and holds the remote-tracking branch: fetch again once it is done
            time.sleep(ORPHAN_WAIT)
            started = self.start_fetch()
        raise GitError(f"git fetch failed: {_first_line(err)}")

    def push(self) -> None:
        """Push the branch; :class:`PushRejected` if the remote moved on meanwhile."""
        done = self._run(("push", "--porcelain", REMOTE, f"HEAD:refs/heads/{BRANCH}"), None)
        if done.returncode == 0:
            return
        text = (done.stdout + done.stderr).decode("utf-8", "replace")
        if "[rejected]" in text or "fetch first" in text or "non-fast-forward" in text:
            raise PushRejected("the remote moved on meanwhile")
        if "cannot lock ref" in text or "failed to lock" in text or ".lock" in text:
            # another push holds the remote branch (a sync killed mid-push leaves its git
            # running until it finishes): fetch, merge and push again in a moment
            time.sleep(PUSH_LOCK_WAIT)
            raise PushRejected("the remote branch is busy")
        raise GitError(f"git push failed: {_first_line(done.stderr or done.stdout)}")


#: how long to wait before pushing again to a remote branch another push holds (seconds)
PUSH_LOCK_WAIT = 0.5


#: how long a fresh index.lock may still be held by the git of a killed sync (seconds)
ORPHAN_WAIT = 1.0


def _wait_for_orphan(lock: Path) -> None:
    """Remove a stale ``index.lock``. Only one sync runs (sync's lock), but the git
    process of a sync killed a moment ago runs on until it finishes (a kill does not reach
    it): a lock younger than :data:`ORPHAN_WAIT` is given that long to go away first."""
    deadline = time.monotonic() + ORPHAN_WAIT
    while time.monotonic() < deadline:
        try:
            age = time.time() - lock.stat().st_mtime
        except FileNotFoundError:
            return
        if age > ORPHAN_WAIT:
            break
        time.sleep(0.02)
    lock.unlink(missing_ok=True)


def _blob(oid: str) -> str | None:
    """A blob id from ``diff-tree``, None for git's all-zero id (no file)."""
    return None if not oid.strip("0") else oid


def _first_line(output: bytes) -> str:
    lines = [
        line.strip()
        for line in output.decode("utf-8", "replace").splitlines()
        if line.strip() and not line.startswith("hint:")
    ]
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line.split(":", 1)[1].strip()
    return lines[0] if lines else "no message"
