import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.db import transaction

from articles.models import Author, SiteSettings
from articles.models.site import default_values

USERNAME = "editor"
NAMES = {USERNAME: ("Dana", "Park"), "writer": ("Lena", "Hoffmann")}
# The demo's writer: a Writer-group login credited as this author, to see the desk as a writer does.
WRITER, WRITER_AUTHOR = "writer", "Lena Hoffmann"
# The public address the demo last gave the site settings: the demo changes only an address it set itself.
ADDRESS_FILE = "demo-site-address.txt"


class Command(BaseCommand):
    help = (
        "Create the demo editor and writer accounts if there are none, print their logins, and make the address "
        "the site is served at its public address unless an editor set another (development only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--site", default="http://127.0.0.1:8000", help="the address the site is served at")

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("demo_editor creates a known login: it only runs with DJANGO_DEBUG on.")
        options["site"] = options["site"].rstrip("/")
        try:
            URLValidator(schemes=["http", "https"])(options["site"])
        except ValidationError:
            example = "http://127.0.0.1:8000"
            raise CommandError(f"--site {options['site']!r} is not an http(s) address such as {example}") from None
        self.stdout.write(self.public_address(options["site"]))
        username, password = self.account(USERNAME, "demo-login.txt", superuser=True)
        self.stdout.write(f"Admin login: {options['site']}/admin/  user: {username}  password: {password}")
        username, password = self.account(WRITER, "demo-writer-login.txt", group="Writer")
        self.stdout.write(f"Writer login: {options['site']}/admin/  user: {username}  password: {password}")

    def public_address(self, served_at):
        """Make ``served_at`` the site's public address (canonical links, feeds, sitemaps and e-mails use it)
        when the address is still a fresh install's or the one this command set last time; an address an
        editor set in Site settings is kept. Says which."""
        recorded = settings.VAR_DIR / ADDRESS_FILE
        ours = {default_values()["public_url"].rstrip("/")}
        if recorded.exists():
            ours.add(recorded.read_text().strip())
        with transaction.atomic():
            site = SiteSettings.load()
            if site.public_url not in ours:
                return f"Site address: {site.public_url} (as an editor set it in Site settings: links go there)"
            if site.public_url != served_at:
                site.public_url = served_at
                site.save()
        recorded.parent.mkdir(parents=True, exist_ok=True)
        recorded.write_text(served_at + "\n")
        return f"Site address: {served_at} (canonical links, feeds, sitemaps and e-mails)"

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
