"""The README tells the truth: its key table, test command and CLI reference."""

import re
from pathlib import Path

from reader.cli import COMMANDS, EPILOG
from reader.ui.keys import markdown_key_table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_key_table_is_the_registry() -> None:
    table = re.search(r"<!-- keys:begin -->\n(.*?)\n<!-- keys:end -->", README, re.S)
    assert table is not None
    assert table.group(1).strip() == markdown_key_table().strip()


def test_ci_runs_the_readme_test_command() -> None:
    command = re.search(r"<!-- test-command -->\n```sh\n(.*?)\n```", README, re.S)
    assert command is not None
    assert command.group(1) in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pytest" in command.group(1)


def test_every_command_is_in_the_readme_and_the_help() -> None:
    for command in COMMANDS:
        assert f"reader [--db PATH] {command}" in README or f"reader {command}" in README
        assert command in EPILOG
