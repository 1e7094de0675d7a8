"""The review service's answers checked against the contract's own schemas, at the client's edge.

The schemas are read from the project's copy of the contract
(``docs/contract/review-service.openapi.yaml``, bundled with the kiosk) and compiled once per
schema with ``jsonschema-rs`` (JSON Schema 2020-12, the dialect of OpenAPI 3.1), formats
included: a ``date-time`` that does not parse is as wrong as a missing member.

:func:`check` returns the answer when it follows the schema and raises :class:`AnswerInvalid`
otherwise; the reason names members (JSON pointers) and the kind of error, never a value
(answers carry personal data). :func:`salvage` is for the answers to creating requests the service
has already committed (``201``): the members that follow the schema are kept, and only a wrong
*identifying* member makes the answer unusable.
"""

from __future__ import annotations

import functools
import sys
import threading
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml

CONTRACT_NAME = "review-service.openapi.yaml"
_lock = threading.Lock()


class AnswerInvalid(ValueError):
    """An answer that does not follow the contract. ``str()`` names members, never values."""


def contract_path() -> Path:
    """The project's copy of the contract: in the source tree, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parents[1]
    return root / "docs" / "contract" / CONTRACT_NAME


@functools.cache
def _components() -> dict[str, Any]:
    with open(contract_path(), encoding="utf-8") as f:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return dict(yaml.load(f, Loader=loader)["components"])


@functools.cache
def _validator(name: str) -> Any:
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"#/components/schemas/{name}",
        "components": _components(),
    }
    return jsonschema_rs.validator_for(schema, validate_formats=True)


@functools.cache
def _property_validator(name: str, member: str) -> Any:
    sub = _components()["schemas"][name]["properties"][member]
    return jsonschema_rs.validator_for(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", **sub, "components": _components()},
        validate_formats=True,
    )


def validator(name: str) -> Any:
    """The compiled validator of the contract's schema ``name`` (compiled once, thread-safe)."""
    with _lock:
        return _validator(name)


def problems(name: str, answer: Any) -> list[str]:
    """What is wrong with ``answer`` as a ``name``: ``/member kind`` for each error, no values."""
    out = []
    for e in validator(name).iter_errors(answer):
        pointer = "/" + "/".join(str(p) for p in e.instance_path)
        out.append(f"{pointer} {type(e.kind).__name__}")
    return sorted(set(out))


def check(name: str, answer: Any) -> dict[str, Any]:
    """``answer`` if it is a valid ``name`` of the contract, else :class:`AnswerInvalid`."""
    wrong = problems(name, answer)
    if wrong:
        raise AnswerInvalid(f"not a valid {name}: {'; '.join(wrong[:5])}")
    return answer


def salvage(name: str, answer: Any, essential: tuple[str, ...]) -> tuple[dict[str, Any], list[str]]:
    """The members of ``answer`` that follow schema ``name`` and the names of those dropped.

    For a committed ``201``: the service has the request, so the answer is used as long as its
    ``essential`` members are valid; anything else that is wrong is dropped (and named).
    Raises :class:`AnswerInvalid` when ``answer`` is not an object or an essential member is wrong.
    """
    if not isinstance(answer, dict):
        raise AnswerInvalid(f"not a valid {name}: / Type")
    if not problems(name, answer):
        return dict(answer), []
    with _lock:
        members = _components()["schemas"][name].get("properties", {})
        kept: dict[str, Any] = {}
        dropped: list[str] = []
        for member, value in answer.items():
            if member in members and not _property_validator(name, member).is_valid(value):
                dropped.append(member)
            else:
                kept[member] = value
    missing = [m for m in essential if m not in kept]
    if missing:
        raise AnswerInvalid(f"not a valid {name}: /{', /'.join(missing)} missing or wrong")
    return kept, sorted(dropped)
