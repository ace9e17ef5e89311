"""Demo data: an organisation with two centres, their people and children, and what each app adds.

Idempotent: running it twice changes nothing. Refused when DEBUG is off, unless --force.
The foundation comes from `accounts.demo`; each app then adds its own part through its `demo.seed(demo)`.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo as foundation
from children.privacy import demo as privacy_demo
from partnership import demo as partnership_demo
from trainings import demo as trainings_demo


class Command(BaseCommand):
    help = "Create demo centres, people and data (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates accounts with a known password; refused while DEBUG is off.")
        with transaction.atomic():
            demo = foundation.seed()
            partnership_demo.seed(demo)
            trainings_demo.seed(demo)
            privacy_demo.seed(demo)
        password = foundation.DEMO_PASSWORD
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Every demo account has password '{password}'."))
