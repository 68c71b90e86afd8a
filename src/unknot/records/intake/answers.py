"""Small helpers for the stored answers: dotted paths into the care core's nested input shape.

An unanswered question is stored as an absent key, never as an empty value, so that the core
tells "not asked" from "answered no" (docs/care.md: null or absent means not asked).
"""

import copy
from typing import Any

Answers = dict[str, Any]
EMPTY: tuple[object, ...] = (None, "", [], {})


def get(answers: Answers, path: str) -> Any:
    node: Any = answers
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def has(answers: Answers, path: str) -> bool:
    *parents, last = path.split(".")
    node: Any = answers
    for key in parents:
        node = node.get(key) if isinstance(node, dict) else None
    return isinstance(node, dict) and last in node


def put(answers: Answers, path: str, value: Any) -> None:
    """Set a value; an empty one removes the key (and a parent left empty)."""
    *parents, last = path.split(".")
    if value in EMPTY:
        _drop(answers, parents, last)
        return
    node = answers
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value


def put_answered(answers: Answers, path: str, value: Any) -> None:
    """Set a value that may be null on purpose (a "not sure"): the key stays, the value is None."""
    *parents, last = path.split(".")
    node = answers
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value


def _drop(answers: Answers, parents: list[str], last: str) -> None:
    chain = [answers]
    for key in parents:
        child = chain[-1].get(key)
        if not isinstance(child, dict):
            return
        chain.append(child)
    chain[-1].pop(last, None)
    for depth in range(len(parents), 0, -1):  # tidy parents left empty
        if not chain[depth]:
            chain[depth - 1].pop(parents[depth - 1], None)


def copied(answers: Answers) -> Answers:
    return copy.deepcopy(answers) if isinstance(answers, dict) else {}
