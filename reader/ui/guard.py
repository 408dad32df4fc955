"""The one place a failed library call becomes a message on screen."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reader.service.errors import LibraryError


@contextmanager
def guard(node: Any) -> Iterator[None]:
    """Turn a :class:`LibraryError` of the body into an error notification.

    Only the library's own error: it is what a person can act on (a full disk, a locked
    store, an article that left the library); anything else is a bug and surfaces.
    """
    try:
        yield
    except LibraryError as error:
        node.notify(str(error) or type(error).__name__, severity="error", markup=False)
