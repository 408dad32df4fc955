"""Shared test fixtures: where the shared data lives, and a deterministic Textual."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

#: ../shared beside the clone (CI) or beside the work tree
SHARED = (ROOT / ".." / "shared").resolve()
SEED_FILE = SHARED / "seeds" / "000_8086b627738b3232.txt"
CORPORA = SHARED / "corpora"
W3C_TESTS = SHARED / "w3c-web-annotation-tests"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared, read-only data folder (seed, corpora, W3C tests)."""
    if not SHARED.is_dir():
        pytest.fail(f"shared data not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def seed_file(shared_dir: Path) -> Path:
    """The real clipping."""
    return SEED_FILE
