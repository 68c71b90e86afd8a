"""What a served resource type is: its search parameters and the interactions it supports.

Each resource module declares one `ResourceType` beside the functions it names, so the
parameters a search reads and the ones the CapabilityStatement lists are the same tuple.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from unknot.fhir.refs import Context, Resource
from unknot.fhir.search import DEFAULT_COUNT, Page, Query


@dataclass(frozen=True)
class SearchParam:
    name: str
    type: str  # FHIR search parameter type: reference, token, date, string
    documentation: str
    # A value that identifies a person (a name, a date of birth): accepted only in the body
    # of POST [type]/_search, never in a URL, where logs, proxies and history would keep it.
    identifying: bool = False


@dataclass(frozen=True)
class ResourceType:
    name: str
    documentation: str
    params: tuple[SearchParam, ...] = ()
    read: Callable[[Context, str], Resource] | None = None
    search: Callable[[Context, Query], Page] | None = None
    create: Callable[[Context, Resource], Resource] | None = None
    update: Callable[[Context, str, Resource], Resource] | None = None
    patch: Callable[[Context, str, Any], Resource] | None = None
    default_count: int = DEFAULT_COUNT  # a search's page size when `_count` is not given

    @property
    def interactions(self) -> tuple[str, ...]:
        offered = {
            "read": self.read,
            "search-type": self.search,
            "create": self.create,
            "update": self.update,
            "patch": self.patch,
        }
        return tuple(name for name, function in offered.items() if function is not None)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    @property
    def identifying_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params if p.identifying)

    @property
    def writes(self) -> bool:
        return any(f is not None for f in (self.create, self.update, self.patch))
