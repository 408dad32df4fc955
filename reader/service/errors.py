"""The service's one error type, and the boundary that turns the store's errors into it.

The UI and the CLI catch :class:`LibraryError` alone: a store that cannot be written (disk
full, lock busy, a corrupt file) reaches them as one, with the store's own message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from reader.store import StoreError

T = TypeVar("T")


class LibraryError(Exception):
    """A problem the user can act on; ``str()`` is one clear line."""


def _translated(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except StoreError as error:
            raise LibraryError(str(error)) from error

    return call


def store_errors_as_library_errors(cls: type[T]) -> type[T]:
    """Class decorator: every public method raises :class:`LibraryError` where the store
    raised :class:`StoreError` (the service's boundary)."""
    for name, value in list(vars(cls).items()):
        if name.startswith("_") or not callable(value):
            continue
        setattr(cls, name, _translated(value))
    return cls
