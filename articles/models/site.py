"""The site's settings, edited in the admin: one row, made by a migration from the environment's settings.

Everything reads them through ``SiteSettings.current()``: its name, address (``absolute``) and time zone
(``zone``) are each worked out here and nowhere else.
"""

import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import DatabaseError, models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from articles import signals
from articles.media import renditions
from articles.models.base import _delete_replaced, _random_name, saving_next_version
from articles.models.text import NormalText, normalize_text
from pagecache.memo import held, per_process
from pagecache.registry import PageRetiringQuerySet

LOGO_LONGEST = 600
LANGUAGE_TAG = RegexValidator(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "A language tag such as en, en-GB or pt-BR.")
HANDLE = RegexValidator(r"^@?[A-Za-z0-9_]{1,15}$", "A handle such as @newsroom (letters, digits, underscores).")
HELD_AS = "site-settings"  # the name the page cache's per-process memo keeps the settings under
HEADLINE_LIMIT = 110  # characters: what Google shows of a NewsArticle headline


class Check(models.TextChoices):
    """The publish checklist's items an editor may make required (``SiteSettings.required_checks``): until then
    the desk is told of them, not stopped. Alt text, a headline, a dek, a body and a byline are always required."""

    CREDIT = "credit", "Every picture has a credit"
    LICENCE = "licence", "Every picture has a licence"
    RIGHTS = "rights", "No picture's rights end before the article could be read"
    KIND = "kind", "A kind of work is chosen"
    HEADLINE = "headline", "The headline is no longer than the site's limit"
    SPONSOR = "sponsor", "A sponsored piece names its sponsor"


def _valid_checks(value):
    if not isinstance(value, list) or any(item not in Check.values for item in value):
        raise ValidationError(f"Choose among: {', '.join(Check.values)}.", code="invalid")


def site_image_path(instance, filename):
    return _random_name("site", filename)


def _time_zones():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def default_values():
    """A fresh install's settings: the environment's (``NEWSROOM_SITE_*``, ``LANGUAGE_CODE``, ``TIME_ZONE``)."""
    return {
        "name": settings.NEWSROOM_SITE_NAME,
        "tagline": settings.NEWSROOM_SITE_DESCRIPTION,
        "public_url": settings.NEWSROOM_SITE_URL,
        "publisher_name": settings.NEWSROOM_SITE_NAME,
        "language": settings.LANGUAGE_CODE,
        "time_zone": settings.TIME_ZONE,
    }


def host_of(url):
    return urlsplit(url or "").hostname or ""


def zone_named(name):
    """The time zone named ``name``, else the project's default (a name the system does not know)."""
    try:
        return zoneinfo.ZoneInfo(name or "")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def site_host():
    """The host of the site's public address, as its settings give it (a fresh install's from the environment):
    what the Markdown renderer is told, so that links to any other host are marked external."""
    return host_of(SiteSettings.current().public_url)


class SiteSettings(NormalText, models.Model):
    """The one row (pk 1) every page, feed and piece of JSON-LD reads the site's name and publisher from."""

    SINGLETON = 1
    IMAGE_FIELDS = ("logo", "publisher_logo", "social_image")

    name = models.CharField(max_length=100, help_text="In the header, page titles, feeds and the admin.")
    tagline = models.CharField(max_length=200, blank=True, help_text="Under the name: the home page's description.")
    public_url = models.URLField(
        verbose_name="public URL",
        help_text="The address readers use, without a trailing slash: canonical links, feeds and sitemaps use it.",
    )
    logo = models.ImageField(
        upload_to=site_image_path, blank=True, validators=[renditions.validate_image],
        width_field="logo_width", height_field="logo_height",
        help_text="Shown in the header instead of the name set in type. Stored at most 600 pixels wide.",
    )  # fmt: skip
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    publisher_name = models.CharField(max_length=200, help_text="The organisation named in NewsArticle JSON-LD.")
    publisher_logo = models.ImageField(
        upload_to=site_image_path, blank=True, validators=[renditions.validate_image],
        help_text="For search engines (JSON-LD). A wide logo, at most 600 pixels wide, works best.",
    )  # fmt: skip
    social_image = models.ImageField(
        upload_to=site_image_path, blank=True, validators=[renditions.validate_image],
        verbose_name="default social image",
        help_text="Shown by social sites for pages without a picture of their own; cropped to 1200×630.",
    )  # fmt: skip
    twitter_handle = models.CharField(
        max_length=16, blank=True, validators=[HANDLE], verbose_name="X / Twitter handle", help_text="twitter:site"
    )
    social_profiles = models.TextField(
        blank=True, help_text="The site's profiles elsewhere, one address per line (JSON-LD sameAs)."
    )
    language = models.CharField(max_length=35, validators=[LANGUAGE_TAG], help_text="The pages' and feeds' language.")
    time_zone = models.CharField(
        max_length=64, choices=_time_zones, help_text="Dates and times are shown to readers in this zone."
    )
    footer_text = models.TextField(blank=True, help_text="Plain text at the foot of every page.")
    contact_email = models.EmailField(
        blank=True, verbose_name="contact e-mail", help_text="For corrections and tips: shown in the footer."
    )
    headline_limit = models.PositiveSmallIntegerField(
        default=HEADLINE_LIMIT,
        help_text="The longest headline, in characters, the publish checklist accepts without a warning.",
    )
    required_checks = models.JSONField(
        default=list,
        blank=True,
        validators=[_valid_checks],
        verbose_name="required before publishing",
        help_text="Checklist items that stop a publication; the others only warn.",
    )
    version = models.PositiveIntegerField(
        default=0, help_text="Counts saves; a save from an out-of-date page is refused instead of overwriting."
    )
    modified_at = models.DateTimeField(auto_now=True)

    objects = PageRetiringQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"

    @classmethod
    def current(cls):
        """The site's settings as every page reads them: from the database once per process and generation of the
        page cache (``pagecache.memo.per_process``; a save starts a new generation); while the database does not
        answer, the environment's defaults (the page around cached content, a health check, an error page still
        render)."""
        try:
            return per_process(HELD_AS, cls.load)
        except DatabaseError:
            return cls(**default_values())

    @classmethod
    def last_known(cls):
        """The settings as this process last read them, with no query or cache call (for the 500 page, which must
        not depend on either); the environment's defaults before any were read."""
        found = held(HELD_AS)
        return found if found is not None else cls(**default_values())

    @classmethod
    def load(cls):
        """The settings row, made from the environment's defaults if it is missing."""
        found, _ = cls.objects.get_or_create(pk=cls.SINGLETON, defaults=default_values())
        return found

    @classmethod
    def stored_zone(cls):
        """The time zone as stored now, read past ``current()``'s memo: for what that memo itself waits on, the
        next scheduled change (a picture's rights run out at the start of a day in this zone, see
        ``ImageQuerySet.moments``)."""
        return zone_named(cls.objects.filter(pk=cls.SINGLETON).values_list("time_zone", flat=True).first())

    @property
    def zone(self):
        """The time zone readers and the desk are shown dates in (``time_zone``), else the project's default."""
        return zone_named(self.time_zone)

    def absolute(self, path_or_url):
        """An address on the public site for a path (unchanged when already absolute, or empty)."""
        if not path_or_url or "://" in path_or_url:
            return path_or_url
        return self.public_url.rstrip("/") + path_or_url

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._loaded_files = row.files()
        row._loaded_host = host_of(row.__dict__.get("public_url"))
        if row.__dict__.get("logo") and row.__dict__.get("logo_width") and row.__dict__.get("logo_height"):
            # The stored logo's size is known: a form that hands the same file back (every save that does not
            # replace it) must not open the file to measure it again, which fails once the file has gone.
            row.logo._dimensions_cache = (row.logo_width, row.logo_height)
        return row

    def files(self):
        return [getattr(self.__dict__.get(name), "name", self.__dict__.get(name)) for name in self.IMAGE_FIELDS]

    def save(self, *args, **kwargs):
        normalize_text(self)
        self.pk = self.SINGLETON
        self.public_url = self.public_url.rstrip("/")
        if self.twitter_handle:
            self.twitter_handle = "@" + self.twitter_handle.lstrip("@")
        with saving_next_version(self) as written:
            for name, longest, card in (("logo", LOGO_LONGEST, False), ("publisher_logo", LOGO_LONGEST, False),
                                        ("social_image", renditions.MASTER_MAX, True)):  # fmt: skip
                field = getattr(self, name)
                if field and not field._committed:
                    upload = field.file
                    if card:
                        cleaned = renditions.clean_card(upload)
                    else:
                        cleaned, _ = renditions.clean_upload(upload, longest=longest)
                    field.save(cleaned.name, cleaned, save=False)
                    written.append(field.name)
            super().save(*args, **kwargs)
        _delete_replaced(getattr(self, "_loaded_files", []), self.files())
        self._loaded_files = self.files()
        moved_from, self._loaded_host = getattr(self, "_loaded_host", None), host_of(self.public_url)
        if moved_from is not None and moved_from != self._loaded_host:
            signals.site_moved.send(sender=SiteSettings, old_host=moved_from, new_host=self._loaded_host)

    def requires(self, check):
        """Whether the checklist item ``check`` (a ``Check``) stops a publication rather than warning."""
        return check in (self.required_checks or [])

    @property
    def profiles(self):
        return [line.strip() for line in self.social_profiles.splitlines() if line.strip().startswith("https://")]


@receiver(post_delete, sender=SiteSettings)
def _delete_site_images(sender, instance, **kwargs):
    _delete_replaced(instance.files(), [])
