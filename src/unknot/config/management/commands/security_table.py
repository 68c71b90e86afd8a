from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unknot.config.urltable import SECURITY_MARKERS, security_summary, with_security_summary


class Command(BaseCommand):
    help = (
        "Prints the per-area access table that docs/security.md carries (from the access "
        "declarations); with --update FILE, rewrites the table between the file's markers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--update", metavar="FILE", help="the Markdown file to rewrite")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["update"]:
            self.stdout.write(security_summary(), ending="")
            return
        path = Path(options["update"])
        try:
            path.write_text(with_security_summary(path.read_text("utf-8")), "utf-8")
        except (OSError, ValueError) as problem:
            markers = " ".join(SECURITY_MARKERS)
            raise CommandError(f"{path}: {problem} (markers: {markers})") from problem
        self.stdout.write(f"{path}: access table updated")
