from django.conf import settings
from django.http import HttpRequest


def practice(request: HttpRequest) -> dict[str, str]:
    return {"practice_name": settings.PRACTICE_NAME}
