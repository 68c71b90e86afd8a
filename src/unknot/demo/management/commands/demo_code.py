from typing import Any

from django.core.management.base import BaseCommand

from unknot.demo.load import demo_code


class Command(BaseCommand):
    help = "Prints the demo staff's second-factor code of this moment (the published demo key)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo_code())
