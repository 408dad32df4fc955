"""A small runner for the W3C Web Annotation test suite (annotation-model JSON Schemas).

The suite's ``*.test`` files list assertions: JSON Schemas (draft-04) that carry
``assertionType`` (must/should/may), ``expectedResult`` (valid/invalid, default valid)
and ``onUnexpectedResult`` (failAndContinue, failAndSkip, failAndAbort, passAndContinue,
passAndSkip, passAndAbort). An assertion passes when validation gives the expected
result; otherwise the ``onUnexpectedResult`` prefix decides pass or fail, and its suffix
whether to go on, skip the rest or abort. An assertion may also be an object grouping
sub-assertions with ``compareWith`` "and"/"or" (none in this suite today, handled anyway).

Schemas ``$ref`` each other by bare file name ("annotations.json#/definitions/…"), so all
definition schemas are registered under their ``id``. Formats ``uri`` and ``date-time``
are checked here (jsonschema only checks them with optional packages installed), as the
suite's own harness did.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SUITE = Path(__file__).resolve().parents[2] / ".." / "shared" / "w3c-web-annotation-tests"

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:(?:[^\s<>\"{}|\\^`%]|%[0-9A-Fa-f]{2})*$")
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$"
)

FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    """RFC 3986 absolute URI: a scheme, then only URI characters or %-escapes."""
    return not isinstance(value, str) or bool(_URI.match(value))


@FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time with a zone, and a real calendar date and time."""
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Outcome:
    """The result of one assertion."""

    name: str
    assertion_type: str
    passed: bool
    message: str


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted((SUITE / "definitions").glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema.get("id", path.name), Resource.from_contents(schema, DRAFT4)))
    return Registry().with_resources(resources)


@cache
def load_schema(relative: str) -> dict[str, Any]:
    """An assertion schema by its path inside the suite."""
    return json.loads((SUITE / relative).read_text(encoding="utf-8"))


def load_test(relative: str) -> list[Any]:
    """The assertions (paths or groups) listed by a ``.test`` file."""
    return json.loads((SUITE / relative).read_text(encoding="utf-8"))["assertions"]


def is_valid(schema: dict[str, Any], instance: Any) -> bool:
    """Draft-04 validation with the suite registry and the format checks above."""
    validator = jsonschema.Draft4Validator(schema, registry=_registry(), format_checker=FORMATS)
    return validator.is_valid(instance)


def _check(assertion: Any, instance: Any) -> tuple[Outcome, str]:
    """One assertion's outcome and what to do next ("continue", "skip" or "abort")."""
    if isinstance(assertion, dict) and "assertions" in assertion:
        parts = [_check(sub, instance)[0] for sub in assertion["assertions"]]
        compare = assertion.get("compareWith", "and")
        ok = any(p.passed for p in parts) if compare == "or" else all(p.passed for p in parts)
        name = assertion.get("title", f"{compare} group")
        schema: dict[str, Any] = assertion
        valid = ok
    else:
        schema = load_schema(assertion)
        name = assertion
        valid = is_valid(schema, instance)
    expected = schema.get("expectedResult", "valid") == "valid"
    on_unexpected = schema.get("onUnexpectedResult", "failAndContinue")
    if valid == expected:
        return Outcome(name, schema.get("assertionType", "must"), True, ""), "continue"
    passed = on_unexpected.startswith("pass")
    then = on_unexpected.removeprefix("pass").removeprefix("fail").lower()
    message = "" if passed else schema.get("errorMessage", "assertion failed")
    return Outcome(name, schema.get("assertionType", "must"), passed, message), then


def run_test(test_file: str, instance: Any) -> list[Outcome]:
    """Run every assertion of a ``.test`` file against ``instance``, honouring skip/abort."""
    outcomes: list[Outcome] = []
    skipping = False
    for assertion in load_test(test_file):
        if skipping:
            continue
        outcome, then = _check(assertion, instance)
        outcomes.append(outcome)
        if then == "abort":
            break
        if then == "skip":
            skipping = True
    return outcomes


def failures(test_file: str, instance: Any) -> list[str]:
    """The failed assertions of ``test_file`` as "name: message" lines (empty = conformant)."""
    return [f"{o.name}: {o.message}" for o in run_test(test_file, instance) if not o.passed]
