"""Absolute addresses for emails: a link in an email must name the site as well as the page."""

from django.conf import settings


def absolute(path: str) -> str:
    return settings.UNKNOT_BASE_URL.rstrip("/") + path
