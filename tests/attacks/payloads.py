"""What the attack tests send: SQL fragments for query parameters, script for stored text."""

# --- query parameters ----------------------------------------------------------------------

SQL_FRAGMENTS = (
    "' OR 1=1 --",
    '" OR ""="',
    "1 OR 1=1",
    "1; DROP TABLE accounts_user",
    "name); DELETE FROM patients_patient; --",
    "1' UNION SELECT password, username FROM accounts_user --",
    "-pk",
    "pk",
    "__class__",
    "patient__user__password",
    "user__password__startswith",
    "-1",
    "0",
    "99999999999999999999999999",
    "%",
    "%_%",  # LIKE wildcards, taken literally
    "*",
    "x" * 5000,  # far past any column
    "nul\x00byte",  # PostgreSQL refuses NUL in text: must not become a 500
    "Zoë ١٢٣ 😀 \u202eevil",  # accents, Arabic digits, an emoji, a right-to-left override
    "",
)
# Off-site targets for parameters that say where to go next: they must be ignored.
REDIRECTS = ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)")

# --- stored text -----------------------------------------------------------------------------

# Every script payload sets window.__xss, which the browser test reads back.
SCRIPT = "<script>window.__xss=1</script>"
ATTRIBUTE = '"><img src=x onerror="window.__xss=1">'
SINGLE_QUOTED = "'><svg/onload=window.__xss=1>"
TEXTAREA = "</textarea><svg onload=window.__xss=1>"
TEMPLATE = "{{ 7|add:42 }}{% now 'Y' %}${7*7}"  # Django and JavaScript template syntax
LINK = "javascript:window.__xss=1"  # for text that may end up in an href
SHORT = "<svg onload=__xss=1>"  # 20 characters: for short columns
MINIMAL = "<i>\"'&"  # the characters escaping must change, for the shortest columns

ALL_AT_ONCE = SCRIPT + ATTRIBUTE + SINGLE_QUOTED + TEXTAREA + TEMPLATE
# Longest first: a column takes the first that fits, with its tag (see stored_value).
BY_LENGTH = (
    ALL_AT_ONCE, ATTRIBUTE + TEXTAREA, TEXTAREA, ATTRIBUTE, SCRIPT, TEMPLATE, SHORT, MINIMAL
)  # fmt: skip


def stored_value(tag: str, max_length: int | None, *, link: bool = False) -> str:
    """The payload for one column of one row: as much attack as fits, and a unique tag.

    The tag (like `~17.3~`) says which field of which row the text came from, so the browser
    test can tell that this very value was shown (escaped) on a page.
    """
    first = (LINK + " " + ALL_AT_ONCE) if link else ALL_AT_ONCE
    for payload in (first, *BY_LENGTH):
        value = f"{payload}{tag}"
        if max_length is None or len(value) <= max_length:
            return value
    return SHORT[:max_length] if max_length else SHORT
