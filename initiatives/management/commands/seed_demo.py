from django.core.management.base import BaseCommand

from initiatives.demo import DEMO_USERS, seed


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisation, initiatives and one login per role."

    def handle(self, *args, **options):
        demo = seed()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(demo.initiatives)} initiatives, "
                f"{len(demo.departments)} departments, {len(demo.segments)} segments."
            )
        )
        self.stdout.write("Log in at http://127.0.0.1:8000 as:")
        for username, (_, _, role, password) in DEMO_USERS.items():
            if username in ("admin", "exec", "leader", "member"):
                label = role or "admin (superuser)"
                self.stdout.write(f"  {label:<20} {username:<8} password: {password}")
