"""Which query parameters each URL reads, found in the code rather than typed in by hand.

Three sources, so a new view, filter or search parameter is attacked without anyone
remembering to add it:

- the source of `src/unknot/`: every `request.GET.get("x")`, `request.GET["x"]`,
  `"x" in request.GET`, `request.query_params.get("x")` (a *literal* read), and every other
  use of the query dictionary (it is handed on whole: to a form, a parser, a helper), which
  is a *dynamic* read and must be resolved in `DYNAMIC` below;
- the REST API's views: their declared `filters`, `sorts` and `query_parameters`;
- the FHIR views: the search parameters of the resource type each one serves.

A read is tied to the URLs whose view reaches it through calls inside the same module (a view
calling its module's helper); a read in a helper of another module is tied through `HELPERS`.
`unresolved()` lists every read that is tied to no URL: a test insists it stays empty.
"""

import ast
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import unknot
from tests.web.urlwalk import walk

SOURCE = Path(unknot.__file__).resolve().parent
QUERY_DICTS = ("GET", "query_params")
LITERAL_METHODS = ("get", "getlist")
PAGING_AND_SORT = ("sort", "cursor", "page_size")
FHIR_CONTROL = ("_count", "_cursor", "_format")


@dataclass(frozen=True)
class Read:
    module: str  # e.g. unknot.patients.views_staff
    function: str  # qualified name of the enclosing function, e.g. PatientList.get_queryset
    param: str | None  # None: the whole query dictionary is handed on (dynamic)
    line: int

    @property
    def where(self) -> str:
        return f"{self.module}.{self.function}"


# Dynamic reads, by the function that hands the query dictionary on, and what it reads there.
# A form bound to the query string is resolved by itself (its fields); these are the rest.
def _book_prefill() -> tuple[str, ...]:
    from unknot.booking.views_frontdesk import BOOK_PREFILL

    return tuple(BOOK_PREFILL)


# What the billing reports' forms read (their period, clinic, therapist, payer and the rest).
REPORT_CHOICES = ("first", "last", "clinic", "therapist", "payer", "group_by", "every")

DYNAMIC: dict[str, Any] = {
    # the JSON availability of the booking pages: _date_range reads "from" and "to"
    "unknot.booking.api.availability": lambda: ("from", "to"),
    # the day and week calendars keep the query string in their links; it is not read here
    "unknot.booking.views_calendar._page": lambda: (),
    # the practice dashboard keeps the chosen period in its CSV link; its form reads them
    "unknot.staffarea.views._practice_page": lambda: ("first", "last", "clinic"),
    # the billing reports fill in this month for a period not given, then bind their form
    "unknot.billing.views_reports._chosen": lambda: REPORT_CHOICES,
    # ... and keep the query string in their CSV link; it is not read there
    "unknot.billing.views_reports._page": lambda: (),
    # the staff booking form is pre-filled from these keys of the query string
    "unknot.booking.views_frontdesk.prefill": _book_prefill,
    # the REST API's filter backend and paging read only what each view declares
    "unknot.api.querying.check_parameters": lambda: (),
    "unknot.api.querying.ordering": lambda: (),
    "unknot.api.querying.AllowListFilter.filter_queryset": lambda: (),
    "unknot.api.querying.Pages.paginate_queryset": lambda: (),
    "unknot.api.views_directory.Availability.get": lambda: ("clinic", "type", "from", "to"),
    # FHIR search: parse_query reads the served type's own parameters (see fhir_params)
    "unknot.fhir.views.type_view.view": lambda: (),
    # ... looking only for those that identify a person, to refuse them (attacked the same way)
    "unknot.fhir.views.refuse_identifying_in_url": lambda: (),
    # POST _search: the URL's parameters join the body's (attacked through post_searches)
    "unknot.fhir.views._posted_parameters": lambda: (),
    # the bad-input middleware looks at every parameter for control characters, for every URL
    "unknot.config.middleware.control_character_at": lambda: (),
    # the admin's date drill-down (`<field>__year`): the admin is outside the URL walk
    "unknot.clinics.admin.ScopedAdmin.changelist_view": lambda: (),
}

# Reads in helpers that views of other modules call: helper -> the URL names that use it.
HELPERS: dict[str, tuple[str, ...]] = {
    # `next` after signing in and after the second step
    "unknot.accounts.sessions.safe_next": ("accounts:login", "accounts:second_factor"),
    # the paging and sort of the REST API: every list view (attacked through api_params)
    "unknot.api.querying.check_parameters": (),
    "unknot.api.querying.ordering": (),
    "unknot.api.querying.AllowListFilter.filter_queryset": (),
    "unknot.api.querying.Pages.paginate_queryset": (),
    "unknot.api.querying._page_size": (),
    # the patient named by the link that opened a staff form finding a patient
    "unknot.booking.finding.patient_choices": (
        "booking:staff_book",
        "booking:staff_series",
        "staffarea:waitlist_add",
    ),
    # the bad-input middleware, before every URL (attacked by tests/attacks/test_hostile_input)
    "unknot.config.middleware.control_character_at": (),
    # Django's admin pages (tests/attacks/test_hostile_input.py attacks the drill-down)
    "unknot.clinics.admin.ScopedAdmin.changelist_view": (),
}


# --- reading the source ------------------------------------------------------------------


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        dotted = ".".join(("unknot", *path.relative_to(SOURCE).with_suffix("").parts))
        yield dotted.removesuffix(".__init__"), ast.parse(path.read_text(), str(path))


def _is_query_dict(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in QUERY_DICTS and _is_request(node.value)


def _is_post_dict(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "POST" and _is_request(node.value)


def _is_request(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return node.id == "request"
    return isinstance(node, ast.Attribute) and node.attr == "request"  # self.request


def _literal(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> str | None:
    """The parameter name when the query dictionary is read with a literal key."""
    parent = parents.get(node)
    if isinstance(parent, ast.Subscript) and isinstance(parent.slice, ast.Constant):
        return str(parent.slice.value)
    if isinstance(parent, ast.Attribute) and parent.attr in LITERAL_METHODS:
        call = parents.get(parent)
        if isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Constant):
            return str(call.args[0].value)
    if isinstance(parent, ast.Compare) and isinstance(parent.left, ast.Constant):
        return str(parent.left.value)  # "x" in request.GET
    return None


class _Scanner(ast.NodeVisitor):
    """Collects reads and, per function, the names it calls (for the same-module closure)."""

    def __init__(self, module: str, tree: ast.Module) -> None:
        self.module = module
        self.parents = {
            child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)
        }
        self.stack: list[str] = []
        self.reads: list[Read] = []
        self.post_reads: list[Read] = []  # request.POST["x"] and the like: literal keys only
        self.calls: dict[str, set[str]] = {}
        self.forms: dict[str, set[str]] = {}  # function -> names of forms bound to the query

    def _def(self, node: Any) -> None:
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _def

    @property
    def here(self) -> str:
        return ".".join(self.stack)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and self.stack:
            self.calls.setdefault(self.here, set()).add(node.func.id)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if _is_post_dict(node) and self.stack:
            param = _literal(node, self.parents)
            if param is not None:
                self.post_reads.append(Read(self.module, self.here, param, node.lineno))
        if _is_query_dict(node) and self.stack:
            param = _literal(node, self.parents)
            form = None if param is not None else self._bound_form(node)
            if form is not None:
                self.forms.setdefault(self.here, set()).add(form)
            self.reads.append(Read(self.module, self.here, param, node.lineno))
        self.generic_visit(node)

    def _bound_form(self, node: ast.AST) -> str | None:
        """`SomeForm(request.GET ...)`, possibly inside `request.POST or request.GET or None`."""
        parent = self.parents.get(node)
        while isinstance(parent, ast.BoolOp):
            parent = self.parents.get(parent)
        is_call = isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name)
        return parent.func.id if is_call and parent.func.id.endswith("Form") else None


@cache
def _scanned() -> tuple[_Scanner, ...]:
    scanners = []
    for module, tree in _modules():
        scanner = _Scanner(module, tree)
        scanner.visit(tree)
        scanners.append(scanner)
    return tuple(scanners)


def source_reads() -> list[Read]:
    return [read for scanner in _scanned() for read in scanner.reads]


def _reachable(scanner: _Scanner, start: str) -> set[str]:
    """Functions of the module that `start` reaches by calling them by name."""
    seen, todo = {start}, [start]
    while todo:
        for name in scanner.calls.get(todo.pop(), ()):
            reads = (*scanner.reads, *scanner.post_reads)
            known = name in scanner.calls or any(r.function == name for r in reads)
            if known and name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


# --- views behind the URLs ---------------------------------------------------------------


def _view_of(callback: Any) -> Any:
    view_class = getattr(callback, "view_class", None)
    return view_class if view_class is not None else inspect.unwrap(callback)


def _qualname(view: Any) -> str:
    return f"{view.__module__}.{view.__qualname__.replace('.<locals>', '')}"


@cache
def views_by_url() -> dict[str, Any]:
    return {route.name: _view_of(route.callback) for route in walk()}


def _function_reads(module: str, function: str) -> set[str]:
    """Parameters the function (or a class's methods) reads, with its module's helpers."""
    params: set[str] = set()
    for scanner in _scanned():
        if scanner.module != module:
            continue
        for start in _starts(scanner, function):
            for reached in _reachable(scanner, start):
                params |= _params_of(scanner, reached)
    return params


def _params_of(scanner: _Scanner, function: str) -> set[str]:
    params: set[str] = set()
    for read in scanner.reads:
        if read.function != function:
            continue
        if read.param is not None:
            params.add(read.param)
        elif read.where in DYNAMIC:
            params |= set(DYNAMIC[read.where]())
    for form in scanner.forms.get(function, ()):
        params |= set(_form_fields(scanner.module, form))
    return params


def _form_fields(module: str, form: str) -> tuple[str, ...]:
    import importlib

    return tuple(getattr(importlib.import_module(module), form).base_fields)


def api_params(view: Any) -> set[str]:
    """What a REST API view accepts: its filters, declared extras, and sort and paging."""
    params = set(getattr(view, "filters", {})) | set(getattr(view, "query_parameters", ()))
    if getattr(view, "sorts", None):
        params |= set(PAGING_AND_SORT)
    return params


def fhir_params(view: Any) -> set[str]:
    """A FHIR type view's search parameters (from the ResourceType it was made for)."""
    if not inspect.isfunction(view) or not any(r.where == _qualname(view) for r in source_reads()):
        return set()  # not a function, or one that reads no query (an instance view)
    kind = inspect.getclosurevars(view).nonlocals.get("kind")
    if kind is None or getattr(kind, "search", None) is None:
        return set()
    return set(kind.param_names) | set(FHIR_CONTROL)


@cache
def params_by_url() -> dict[str, frozenset[str]]:
    """url name -> every query parameter its view reads (URLs that read none are left out)."""
    found: dict[str, frozenset[str]] = {}
    for name, view in views_by_url().items():
        if getattr(view, "reads_by_post", False):
            continue  # a GET is 405 there: post_searches() covers its query and its body
        params = _function_reads(
            view.__module__, _qualname(view).removeprefix(view.__module__ + ".")
        )
        params |= api_params(view) | fhir_params(view)
        for helper, urls in HELPERS.items():
            if name in urls:
                params |= _helper_params(helper)
        if params:
            found[name] = frozenset(params)
    return found


def _helper_params(helper: str) -> set[str]:
    return {r.param for r in source_reads() if r.where == helper and r.param is not None}


def unresolved() -> list[str]:
    """Reads no URL accounts for, and dynamic reads nobody has described: each a problem."""
    tied = {
        (view.__module__, fn)
        for view in views_by_url().values()
        for scanner in _scanned()
        if scanner.module == view.__module__
        for start in _starts(scanner, _qualname(view).removeprefix(view.__module__ + "."))
        for fn in _reachable(scanner, start)
    }
    problems = []
    for read in source_reads():
        if read.param is None and read.where not in DYNAMIC and not _is_form_read(read):
            problems.append(f"{read.where} (line {read.line}): the query is handed on; "
                            "describe what it reads in DYNAMIC")  # fmt: skip
        if (read.module, read.function) not in tied and read.where not in HELPERS:
            problems.append(f"{read.where} (line {read.line}): no URL reaches this read; "
                            "name the URLs in HELPERS")  # fmt: skip
    return problems


def _starts(scanner: _Scanner, function: str) -> set[str]:
    """The function itself, or every method of a class (a class-based view)."""
    names = set(scanner.calls) | {r.function for r in scanner.reads}
    return {f for f in names if f == function or f.startswith(function + ".")}


def _is_form_read(read: Read) -> bool:
    return any(
        scanner.module == read.module and read.function in scanner.forms for scanner in _scanned()
    )


# --- searches whose terms travel in a POST body (kept out of URLs) ---------------------------


@dataclass(frozen=True)
class PostSearch:
    """A search by POST: what its body takes, what its URL takes, and how the body is sent."""

    body: frozenset[str]
    query: frozenset[str]
    encoding: str  # "form" (a page: POST, then the redirect), "json" (REST), "fhir-form"


def _post_reads(module: str, function: str) -> set[str]:
    params: set[str] = set()
    for scanner in _scanned():
        if scanner.module != module:
            continue
        for start in _starts(scanner, function):
            reached = _reachable(scanner, start)
            params |= {r.param for r in scanner.post_reads if r.function in reached and r.param}
    return params


def _post_search(name: str, callback: Any, view: Any) -> PostSearch | None:
    if getattr(view, "reads_by_post", False):  # the REST API: the body's serializer
        return PostSearch(frozenset(view.search_in().fields), frozenset(api_params(view)), "json")
    kind = inspect.getclosurevars(view).nonlocals.get("kind") if inspect.isfunction(view) else None
    if kind is not None and name.endswith("_search"):  # FHIR POST [type]/_search
        return PostSearch(frozenset({*kind.param_names, *FHIR_CONTROL}), frozenset(), "fhir-form")
    rule = getattr(callback, "access_rule", None)
    if rule is None or rule.audience != "staff" or rule.writes:
        return None  # a page that only reads for staff and takes POSTed words: a search
    module, function = view.__module__, _qualname(view).removeprefix(view.__module__ + ".")
    words = _post_reads(module, function)
    return PostSearch(frozenset(words), frozenset(), "form") if words else None


@cache
def post_searches() -> dict[str, PostSearch]:
    """url name -> the search it takes by POST: the staff pages' searches (a staff page that
    writes nothing but reads POSTed words), the REST API's POST searches and FHIR _search."""
    found = {}
    for route in walk():
        search = _post_search(route.name, route.callback, _view_of(route.callback))
        if search is not None:
            found[route.name] = search
    return found
