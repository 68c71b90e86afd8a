from typing import Any

from django.core.management.base import BaseCommand

from unknot.config.urltable import markdown_table


class Command(BaseCommand):
    help = "Prints the Markdown table of every URL and the roles that may use it."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(markdown_table(), ending="")
