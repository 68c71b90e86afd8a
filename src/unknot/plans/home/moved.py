"""Links to the home programme's old address, /care/..., answered with its new one.

The pages moved to /home-programme/ so that "care" names only the clinical core. Emails already
sent, bookmarks and printed handouts still carry the old links, so every old path is
redirected permanently: /care/home/... became /home-programme/..., and the rest kept its path.
308 keeps the method, so a form posted from a page loaded before the move still arrives; the
new page then applies its own access rule.

A middleware rather than a URL pattern: the old prefix is not a page of the site (no access
rule, no row in the access matrix), and a catch-all path would carry arbitrary text in a URL.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

OLD_PREFIX = "/care/"
NEW_PREFIX = "/home-programme/"


def new_path(rest: str) -> str:
    """The new address of /care/<rest>."""
    if rest == "home" or rest.startswith("home/"):  # the programme itself is now the root
        rest = rest[len("home/") :]
    return NEW_PREFIX + rest


class MovedFromCareMiddleware:
    """Answers every request under /care/ with a 308 to its address under /home-programme/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(OLD_PREFIX):
            return self.get_response(request)
        query = request.META.get("QUERY_STRING", "")
        target = new_path(path.removeprefix(OLD_PREFIX)) + (f"?{query}" if query else "")
        return HttpResponsePermanentRedirect(target, preserve_request=True)  # 308
