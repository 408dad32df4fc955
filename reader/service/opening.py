"""Where a library's store lives: the policy every command shares."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

STORE_DIRNAME = ".reader"


def samples_path() -> Path:
    """The sample documents shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "samples"


def default_library_path(cwd: Path | None = None) -> Path:
    """What ``reader`` opens without a PATH: the current folder when it already holds a
    store, else ``./seeds`` when it exists, else the samples shipped in the package."""
    cwd = cwd or Path.cwd()
    if (cwd / STORE_DIRNAME).is_dir():
        return cwd
    if (cwd / "seeds").is_dir():
        return cwd / "seeds"
    return samples_path()


def fallback_store_dir(docs_root: Path) -> Path:
    """A per-user store for a library whose folder cannot be written."""
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
