"""A small JSON Schema (2020-12 subset) checker, so the published schema is the one enforced.

Only the keywords schema.py uses are supported: type, enum, minimum, maximum, minLength,
maxLength, minItems, maxItems, items, prefixItems, properties, required, additionalProperties,
propertyNames, anyOf and format "date". The first problem found is reported with its field path.
"""

import datetime
from collections.abc import Mapping
from typing import Any

Schema = Mapping[str, Any]


class SchemaError(ValueError):
    """The value at `field` breaks the schema for `reason`."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field or '(case)'}: {reason}")
        self.field = field
        self.reason = reason


def _type_ok(value: object, kind: str) -> bool:
    # bool is an int in Python but not a number in JSON.
    checks: dict[str, bool] = {
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str),
        "boolean": isinstance(value, bool),
        "null": value is None,
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
    }
    return checks[kind]


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def check(value: object, schema: Schema, path: str = "") -> None:
    """Raise SchemaError for the first place `value` breaks `schema`."""
    if "anyOf" in schema:
        _check_any_of(value, schema["anyOf"], path)
        return
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_type_ok(value, k) for k in kinds):
            raise SchemaError(path, f"must be {' or '.join(kinds)}, got {_describe(value)}")
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(repr(v) for v in schema["enum"])
        raise SchemaError(path, f"must be one of {allowed}, got {value!r}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        _check_number(value, schema, path)
    elif isinstance(value, str):
        _check_string(value, schema, path)
    elif isinstance(value, list):
        _check_array(value, schema, path)
    elif isinstance(value, dict):
        _check_object(value, schema, path)


def _describe(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _check_any_of(value: object, options: list[Schema], path: str) -> None:
    errors: list[SchemaError] = []
    for option in options:
        try:
            check(value, option, path)
        except SchemaError as error:
            errors.append(error)
        else:
            return
    # The most specific complaint is the one that got deepest into the value.
    deepest = max(errors, key=lambda e: len(e.field))
    if deepest.field != path:
        raise deepest
    raise SchemaError(path, " or ".join(sorted({e.reason for e in errors})))


def _check_number(value: float, schema: Schema, path: str) -> None:
    if "minimum" in schema and value < schema["minimum"]:
        raise SchemaError(path, f"must be at least {schema['minimum']}, got {value}")
    if "maximum" in schema and value > schema["maximum"]:
        raise SchemaError(path, f"must be at most {schema['maximum']}, got {value}")


def _check_string(value: str, schema: Schema, path: str) -> None:
    if len(value) < schema.get("minLength", 0):
        raise SchemaError(path, f"must have at least {schema['minLength']} character(s)")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        raise SchemaError(path, f"must have at most {schema['maxLength']} characters")
    if schema.get("format") == "date":
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise SchemaError(path, f"must be a date as YYYY-MM-DD, got {value!r}") from None


def _check_array(value: list[Any], schema: Schema, path: str) -> None:
    if len(value) < schema.get("minItems", 0):
        raise SchemaError(
            path, f"must have at least {schema['minItems']} item(s), got {len(value)}"
        )
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        raise SchemaError(path, f"must have at most {schema['maxItems']} items, got {len(value)}")
    prefix = schema.get("prefixItems", [])
    for index, item in enumerate(value):
        item_schema = prefix[index] if index < len(prefix) else schema.get("items")
        if item_schema is not None:
            check(item, item_schema, _join(path, index))


def _check_object(value: dict[str, Any], schema: Schema, path: str) -> None:
    for key in schema.get("required", []):
        if key not in value:
            raise SchemaError(_join(path, key), "is required")
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if "propertyNames" in schema:
            check(key, schema["propertyNames"], _join(path, key))
        if key in properties:
            check(item, properties[key], _join(path, key))
        elif extra is False:
            known = ", ".join(sorted(properties))
            raise SchemaError(_join(path, key), f"is not a known field (known: {known})")
        elif isinstance(extra, Mapping):
            check(item, extra, _join(path, key))
