from typing import Any

from django.core.management.base import BaseCommand

from unknot.demo.load import load_demo


class Command(BaseCommand):
    help = "Loads the fictional demo practice (once; later runs keep existing data)."

    def handle(self, *args: Any, **options: Any) -> None:
        if load_demo():
            self.stdout.write(self.style.SUCCESS("Demo practice loaded."))
        else:
            self.stdout.write("Demo practice already present; nothing changed.")
