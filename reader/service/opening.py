"""Where a library's documents and store are: the one policy every command shares.

:func:`locate` decides, for the TUI and every subcommand, which folder of documents and
which store a command works on. Without ``--db`` (or ``READER_DB``) and without a PATH:

1. the current folder, when it holds a store (``.reader/``, or the per-user store kept for
   it because it could not be written) or documents (not the home folder: a stray note
   there must not import everything below it);
2. else ``./seeds``, when it exists;
3. else the samples shipped with reader (their store is per user: never in the package).

A folder's store is ``<folder>/.reader/`` (made on first use); a folder that cannot be
written gets a per-user store (:func:`fallback_store_dir`), which later commands find again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

STORE_DIRNAME = ".reader"

#: the suffixes of the files a library imports
DOCUMENT_SUFFIXES = frozenset(
    {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".eml"}
)
#: saved web pages may be gzipped (``page.html.gz``); other ``.gz`` files are not documents
COMPRESSED_DOCUMENT_SUFFIXES = (".html.gz", ".htm.gz")


def is_document_name(name: str) -> bool:
    """Whether a file of this name is a document a library imports."""
    lowered = name.lower()
    return Path(lowered).suffix in DOCUMENT_SUFFIXES or lowered.endswith(
        COMPRESSED_DOCUMENT_SUFFIXES
    )


#: files of a project folder that are not clippings (a clone holding ``seeds/`` opens those)
_NOT_CLIPPINGS = ("readme", "changelog", "license", "licence", "contributing", "notice")


def samples_path() -> Path:
    """The sample documents shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "samples"


def holds_documents(folder: Path) -> bool:
    """Whether ``folder`` itself holds a document (a project's README and such do not count)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return False
    for entry in entries:
        name = entry.name
        if name.startswith(".") or not is_document_name(name):
            continue
        if name.lower().startswith(_NOT_CLIPPINGS):
            continue
        try:
            if entry.is_file():
                return True
        except OSError:
            continue
    return False


def default_library_path(cwd: Path | None = None) -> Path:
    """What ``reader`` opens without a PATH: the current folder when it holds a store or
    documents, else ``./seeds`` when it exists, else the samples shipped in the package."""
    cwd = (cwd or Path.cwd()).resolve()
    if (cwd / STORE_DIRNAME).is_dir() or _has_store(fallback_store_dir(cwd)):
        return cwd
    if holds_documents(cwd) and cwd not in _too_wide():
        return cwd
    if (cwd / "seeds").is_dir():
        return cwd / "seeds"
    return samples_path()


def fallback_store_dir(docs_root: Path) -> Path:
    """A per-user store for a library whose folder cannot be written (and the samples')."""
    from platformdirs import user_data_dir

    digest = hashlib.sha1(str(docs_root).encode()).hexdigest()[:12]
    return Path(user_data_dir("reader", appauthor=False)) / "stores" / f"{docs_root.name}-{digest}"


def writable_dir(path: Path) -> bool:
    """Whether ``path`` exists (made if needed) and this process may write in it."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK | os.X_OK)


def _too_wide() -> set[Path]:
    """Folders never opened just because a document lies in them: the home folder and the
    root (importing them would walk every file below; ``reader ~`` still opens home)."""
    wide = {Path(Path.cwd().anchor).resolve()}
    with contextlib.suppress(RuntimeError):  # no home folder known
        wide.add(Path.home().resolve())
    return wide


def _has_store(folder: Path) -> bool:
    return (folder / "meta.json").is_file()


class LocationError(Exception):
    """No library can be named (a missing PATH, nothing to open)."""


@dataclass(frozen=True)
class Location:
    """A library's documents and store, as :func:`locate` chose them."""

    #: the folder of documents (None: a bare ``--db`` store that remembers its own)
    docs_root: Path | None
    #: the store folder
    store_dir: Path
    #: the single document opened (``reader FILE``), else empty
    files: list[Path] = field(default_factory=list)
    #: how the store was chosen: "db", "folder", "fallback" or "samples"
    kind: str = "folder"
    #: said when the library opens: the store is not where the user would look
    notice: str | None = None

    @property
    def is_samples(self) -> bool:
        """Whether these are the samples shipped with reader."""
        return self.kind == "samples"

    def where_written(self) -> str | None:
        """After a write: where it went, when that is not ``<folder>/.reader/`` (or --db)."""
        if self.kind == "samples":
            return (
                f"no documents, store or seeds/ here: this went to the samples' store "
                f"{self.store_dir} (give a folder, or cd into one)"
            )
        if self.kind == "fallback":
            return f"notes for {self.docs_root} are kept in {self.store_dir}"
        return None


def locate(
    path: Path | None = None,
    db: Path | None = None,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    default: bool = True,
) -> Location:
    """The documents and store a command works on.

    ``path`` is a folder or one document; ``db`` (else ``READER_DB``) a store folder. With
    neither (and ``default``), :func:`default_library_path` names the folder.
    """
    env = os.environ if env is None else env
    if db is None and env.get("READER_DB"):
        db = Path(env["READER_DB"])
    if path is None and db is None and default:
        path = default_library_path(cwd)
    files: list[Path] = []
    docs_root: Path | None = None
    if path is not None:
        path = Path(path).expanduser()
        if not path.is_absolute() and cwd is not None:
            path = cwd / path
        if not path.exists():
            raise LocationError(f"{path}: no such file or folder")
        path = path.resolve()
        if not path.is_dir():  # a file (a named pipe too: skipped with its reason at import)
            docs_root, files = path.parent, [path]
        else:
            docs_root = path
    if db is not None:
        return Location(docs_root, Path(db).expanduser().resolve(), files, "db")
    if docs_root is None:
        raise LocationError("no library: give a folder of documents or --db PATH")
    if docs_root == samples_path():
        # never write into the installed package: the samples' notes live per user
        return Location(docs_root, fallback_store_dir(docs_root), files, "samples")
    own = docs_root / STORE_DIRNAME
    fallback = fallback_store_dir(docs_root)
    if not own.is_dir() and _has_store(fallback):
        # made when the folder could not be written: found again by every later command
        notice = _fallback_notice(docs_root, found_again=True)
        return Location(docs_root, fallback, files, "fallback", notice)
    if writable_dir(own):
        return Location(docs_root, own, files, "folder")
    return Location(docs_root, fallback, files, "fallback", _fallback_notice(docs_root))


def _fallback_notice(docs_root: Path, *, found_again: bool = False) -> str:
    store = fallback_store_dir(docs_root)
    if found_again and os.access(docs_root, os.W_OK | os.X_OK):
        # writable again: the notes stay where they are, and the notice must not say otherwise
        return f"notes for {docs_root} are kept in {store} (made when it could not be written)"
    return f"{docs_root} is not writable; notes are kept in {store}"
