"""Several writes in one PostgreSQL statement, as the ORM would write each of them.

PostgreSQL runs the data-modifying parts of a WITH clause (INSERT, UPDATE) exactly once and
to completion, all in one statement: writes that always go together (a booking's
consequences, an email and its worker's task) cost one round trip instead of one each. The
statements are compiled by the ORM itself (`update_sql`, `insert_sql`, `insert_select_sql`),
so the values are stored as `save()` and `update()` store them; only the joining is ours.
SQLite has no data-modifying WITH: callers keep their plain ORM path for it
(`postgres_writes_together`).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import connections, router
from django.db.models import AutoField, Field, Model, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.sql import InsertQuery, UpdateQuery


def postgres_writes_together(model: type[Model]) -> bool:
    """Whether writes to `model` can be joined into one statement (its database is PostgreSQL)."""
    return connections[router.db_for_write(model)].vendor == "postgresql"


@dataclass(frozen=True)
class Writes:
    """One caller's part of a joint statement: named parts of its WITH clause, and what it
    reads back.

    `parts` are (name, SQL) pairs, `WITH name AS (SQL)`, in order; their `params` follow the
    same order. Names must be unique across the statement: prefix them with the app's name.
    `result` is a SQL expression over the parts (no parameters), e.g. `(SELECT count(*) FROM
    x)`; `then` gets its value once the statement has run.
    """

    parts: tuple[tuple[str, str], ...]
    params: tuple[Any, ...]
    result: str
    then: Callable[[Any], object]


def write_together(writes: Sequence[Writes], using: str) -> None:
    """Runs every part of `writes` as one statement, then hands each its result."""
    if not writes:
        return
    parts = ",\n".join(f"{name} AS ({sql})" for w in writes for name, sql in w.parts)
    results = ", ".join(w.result for w in writes)
    params = [param for w in writes for param in w.params]
    with connections[using].cursor() as cursor:
        cursor.execute(f"WITH {parts}\nSELECT {results}", params)
        row = cursor.fetchone()
    for w, value in zip(writes, row, strict=True):
        w.then(value)


def update_sql(rows: QuerySet[Any], **values: Any) -> tuple[str, list[Any]]:
    """The UPDATE that `rows.update(**values)` would run, compiled and not run."""
    query = cast(UpdateQuery, rows.query.chain(UpdateQuery))
    query.add_update_values(values)
    query.annotations = {}  # as QuerySet.update: an UPDATE selects nothing
    sql, params = query.get_compiler(using=rows.db).as_sql()
    return sql, list(params)


def _inserted_fields(model: type[Model]) -> list[Field[Any, Any]]:
    """The columns an INSERT of a new `model` row writes (the database numbers the id)."""
    return [
        field
        for field in model._meta.concrete_fields
        if not field.generated and not (field.primary_key and isinstance(field, AutoField))
    ]


def _column(field: Field[Any, Any]) -> str:
    assert field.column is not None  # a concrete field: it has a column
    return field.column


def _compiler(model: type[Model], using: str, rows: Sequence[Model]) -> Any:
    query = InsertQuery(model)
    query.insert_values(_inserted_fields(model), list(rows))
    return query.get_compiler(using=using)


def insert_sql(rows: Sequence[Model], using: str) -> tuple[str, list[Any]]:
    """The INSERT that `bulk_create(rows)` would run (one statement), returning the new ids."""
    model = type(rows[0])
    compiler = _compiler(model, using, rows)
    compiler.returning_fields = [model._meta.pk]
    [(sql, params)] = compiler.as_sql()
    return sql, list(params)


def insert_select_sql(row: Model, using: str, *, when: str, **as_sql: str) -> tuple[str, list[Any]]:
    """`row` inserted only `when` a SQL condition holds, returning its new id.

    Every column takes the value `save()` would store, but those named in `as_sql`, which
    take a SQL expression instead (e.g. the id another part of the statement inserted).
    """
    model = type(row)
    compiler = _compiler(model, using, [row])
    fields = _inserted_fields(model)
    values = [
        compiler.prepare_value(
            field,
            RawSQL(as_sql[field.attname], ())  # noqa: S611  # the caller's SQL, no input
            if field.attname in as_sql
            else compiler.pre_save_val(field, row),
        )
        for field in fields
    ]
    [placeholders], [params] = compiler.assemble_as_sql(fields, [values])
    quote = connections[using].ops.quote_name
    table, pk = quote(model._meta.db_table), quote(_column(model._meta.pk))
    columns = ", ".join(quote(_column(field)) for field in fields)
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT {', '.join(placeholders)}"
        f" WHERE {when} RETURNING {table}.{pk}"
    )
    return sql, list(params)
