import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "editor"


class Command(BaseCommand):
    help = "Create the demo editor account if there is none, and print its login (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--site", default="http://127.0.0.1:8000", help="the address the site is served at")

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("demo_editor creates a known login: it only runs with DJANGO_DEBUG on.")
        login_file = settings.VAR_DIR / "demo-login.txt"
        User = get_user_model()
        user = User.objects.filter(username=USERNAME).first()
        if user is None or not login_file.exists():
            password = secrets.token_urlsafe(12)
            user = user or User(username=USERNAME, email="editor@example.org")
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            login_file.parent.mkdir(parents=True, exist_ok=True)
            login_file.write_text(f"{USERNAME} {password}\n")
            login_file.chmod(0o600)
        username, password = login_file.read_text().split()
        self.stdout.write(f"Admin login: {options['site']}/admin/  user: {username}  password: {password}")
