from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """PDFs and drawings for any part of the site; an app only for its print stylesheet."""

    name = "unknot.documents"
    label = "documents"
