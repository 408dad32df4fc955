"""The documents of a library on disk: which files are read, how, and what they are called.

Only regular files are read (after following links), up to :data:`MAX_DOCUMENT_BYTES`; a
document is named by its path from the library folder, so equal file names in two folders
never collide.
"""

from __future__ import annotations

import errno
import os
import stat as stat_module
from pathlib import Path

#: a document larger than this is skipped (a clipping is a few kB; a bigger "document" is a
#: mistake, a log or a device, and parsing it would take the memory of several times its size)
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


class Skipped(Exception):
    """A path that is not a document reader can read; ``str(e)`` says why, in a few words."""


_KINDS = (
    (stat_module.S_ISFIFO, "a named pipe"),
    (stat_module.S_ISSOCK, "a socket"),
    (stat_module.S_ISCHR, "a character device"),
    (stat_module.S_ISBLK, "a block device"),
    (stat_module.S_ISDIR, "a folder"),
)


def check_document(path: Path) -> os.stat_result:
    """``path``'s status (links followed) if it is a regular file of at most
    :data:`MAX_DOCUMENT_BYTES`, else :class:`Skipped` saying why.

    Reading a FIFO blocks forever, ``/dev/zero`` never ends and a link loop cannot be
    resolved: an import reads only regular files, so one odd entry never stops the rest.
    """
    try:
        status = path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise Skipped("a symbolic link loop; skipped") from None
        raise Skipped(f"{error.strerror or error}; skipped") from None
    except RuntimeError:  # Python 3.11's pathlib says "Symlink loop" this way
        raise Skipped("a symbolic link loop; skipped") from None
    if not stat_module.S_ISREG(status.st_mode):
        kind = next((name for test, name in _KINDS if test(status.st_mode)), "not a file")
        raise Skipped(f"not a regular file ({kind}); skipped")
    if status.st_size > MAX_DOCUMENT_BYTES:
        raise Skipped(f"larger than {MAX_DOCUMENT_BYTES >> 20} MB; skipped")
    return status


def read_document(path: Path) -> bytes:
    """The bytes of a document, never blocking and never more than the size cap.

    The file is opened non-blocking and checked again once open, so a file swapped for a FIFO
    or a device after :func:`check_document` cannot hang or flood the import either.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise Skipped("a symbolic link loop; skipped") from None
        raise Skipped(f"{error.strerror or error}; skipped") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat_module.S_ISREG(os.fstat(fd).st_mode):
            raise Skipped("not a regular file; skipped")
        try:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
        except OSError as error:
            raise Skipped(f"{error.strerror or error}; skipped") from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise Skipped(f"larger than {MAX_DOCUMENT_BYTES >> 20} MB; skipped")
    return data


def relative_name(root: Path, path: Path) -> str:
    """A document's name inside its library: relative, with ``/`` separators."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
    except (OSError, RuntimeError):  # a link loop: named by where the link itself is
        try:
            return path.absolute().relative_to(root.absolute()).as_posix()
        except ValueError:
            return path.name


class Namer:
    """:func:`relative_name` for many files of one root, resolving each folder only once.

    A path whose last part is not a symlink resolves to its resolved folder plus its name;
    ``Path.resolve`` per file (a system call per path component) was a tenth of an import.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._folders: dict[Path, str] = {}  # folder -> its name from root
        self._names: dict[Path, str] = {}  # asked again for every file by _ParseAhead

    def __call__(self, path: Path) -> str:
        name = self._names.get(path)
        if name is None:
            name = self._names[path] = self._name(path)
        return name

    def _name(self, path: Path) -> str:
        if path.name in ("", ".", ".."):
            return relative_name(self.root, path)
        if path.is_symlink():
            try:
                target = path.resolve()
            except (OSError, RuntimeError):  # a link loop: named by itself, skipped later
                target = None
            if target is not None and target.is_relative_to(self.root):
                return target.relative_to(self.root).as_posix()  # the document it points to
            # a link to a file elsewhere is named by where the link is: two links in two
            # folders whose targets share a file name must not be one document
        folder = self._folders.get(path.parent)
        if folder is None:
            folder = self._folders[path.parent] = _folder_name(self.root, path.parent)
        return path.name if folder == "." else f"{folder}/{path.name}"


def _folder_name(root: Path, folder: Path) -> str:
    """A folder's name from the library's (resolved) folder ``root``.

    A folder outside it (a second folder imported into one store) is named by its path from
    ``root`` (``../other``), else (another drive) by its absolute path: naming files by their
    own folder let two folders' ``clip.txt`` overwrite each other's articles, and moved the
    first one's highlights onto the second one's text.
    """
    resolved = folder.resolve()
    try:
        return resolved.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return Path(os.path.relpath(resolved, root)).as_posix()
    except ValueError:
        return resolved.as_posix()


def is_outside_name(name: str) -> bool:
    """Whether a document's name says it lies outside the library's folder."""
    return name.startswith("../") or name == ".." or Path(name).is_absolute()
