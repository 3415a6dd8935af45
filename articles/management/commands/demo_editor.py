import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from articles.models import Author

USERNAME = "editor"
NAMES = {USERNAME: ("Dana", "Park"), "writer": ("Lena", "Hoffmann")}
# The demo's writer: a Writer-group login credited as this author, to see the desk as a writer does.
WRITER, WRITER_AUTHOR = "writer", "Lena Hoffmann"


class Command(BaseCommand):
    help = "Create the demo editor and writer accounts if there are none, and print their logins (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--site", default="http://127.0.0.1:8000", help="the address the site is served at")

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("demo_editor creates a known login: it only runs with DJANGO_DEBUG on.")
        username, password = self.account(USERNAME, "demo-login.txt", superuser=True)
        self.stdout.write(f"Admin login: {options['site']}/admin/  user: {username}  password: {password}")
        username, password = self.account(WRITER, "demo-writer-login.txt", group="Writer")
        self.stdout.write(f"Writer login: {options['site']}/admin/  user: {username}  password: {password}")

    def account(self, username, filename, *, superuser=False, group=None):
        login_file = settings.VAR_DIR / filename
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None or not login_file.exists():
            password = secrets.token_urlsafe(12)
            user = user or User(username=username, email=f"{username}@example.org")
            user.is_staff = True
            user.is_superuser = superuser
            user.set_password(password)
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
                Author.objects.filter(name=WRITER_AUTHOR, user__isnull=True).update(user=user)
            login_file.parent.mkdir(parents=True, exist_ok=True)
            login_file.write_text(f"{username} {password}\n")
            login_file.chmod(0o600)
        if not user.first_name and username in NAMES:
            user.first_name, user.last_name = NAMES[username]
            user.save(update_fields=["first_name", "last_name"])
        return login_file.read_text().split()
