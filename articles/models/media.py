"""The media library: every picture the site shows, cleaned once, with its renditions, its credit, its licence
and the date its rights run out.

Articles point at library pictures (the lead image, and ``![alt](image:ID "caption")`` in a body, see
``articles.markup.figures``) and authors at their photo. A picture in use cannot be deleted; a picture whose rights
have expired is left out of every reader page from that day on.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from articles.markup import figures
from articles.media import renditions
from articles.media.rights import Rights, signature, xmp_packet
from articles.models.base import (
    StaleEditError,
    _delete_replaced,
    _random_name,
    saving_next_version,
)
from articles.models.site import SiteSettings
from articles.models.text import NormalText, normalize_text
from pagecache.registry import Moments, PageRetiringQuerySet

logger = logging.getLogger(__name__)

EXPIRING_DAYS = 30


def library_path(instance, filename):
    return _random_name("library", filename)


def site_today(zone=None):
    """Today in the site's display time zone (or ``zone``): rights run out at the start of a day there."""
    if zone is None:
        zone = SiteSettings.current().zone
    return timezone.localdate(timezone=zone)


def day_start(day, zone):
    """The moment ``day`` starts in the time zone ``zone``."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


# The rows that show a picture: articles' bodies (ArticleImage), articles' lead images, authors' photos.
USES = ("uses", "lead_of", "photo_of")


def _users(relation):
    """The rows that point at the outer query's picture through ``relation`` (one of USES), and the name of
    their field that does."""
    reverse = Image._meta.get_field(relation)
    name = reverse.field.name
    return reverse.related_model.objects.filter(**{name: OuterRef("pk")}), name


class ImageQuerySet(PageRetiringQuerySet):
    def moments(self, now):
        """When a picture's rights next run out and when they last did, for the page cache: at the start of
        that day (``Image.schedule_fields``) in the site's display time zone."""
        zone = SiteSettings.stored_zone()
        today = timezone.localdate(now, timezone=zone)
        found = self.aggregate(
            ends=Min("rights_expire_on", filter=Q(rights_expire_on__gt=today)),
            ended=Max("rights_expire_on", filter=Q(rights_expire_on__lte=today)),
        )
        return Moments(*(day and day_start(day, zone) for day in (found["ends"], found["ended"])))

    def rights_expired(self, today=None):
        return self.filter(rights_expire_on__lte=today or site_today())

    def public(self):
        """The pictures readers see: shown by a published article (``Article.objects.published``) as its lead or
        in its body, and whose rights have not run out."""
        from articles.models import Article, ArticleImage  # they refer to pictures: imported when asked

        shown = Article.objects.published()
        in_use = Exists(shown.filter(lead_image=OuterRef("pk"))) | Exists(
            ArticleImage.objects.filter(image=OuterRef("pk"), article__in=shown)
        )
        return self.filter(in_use).exclude(rights_expire_on__lte=site_today())

    def rights_expiring(self, days=EXPIRING_DAYS, today=None):
        """Still shown, but not for more than ``days`` days."""
        today = today or site_today()
        return self.filter(rights_expire_on__gt=today, rights_expire_on__lte=today + datetime.timedelta(days=days))

    def without_alt(self):
        return self.filter(alt="")

    def used(self, used=True):
        """Pictures an article (as its lead or in its body) or an author (as a photo) points at."""
        exists = [Exists(_users(relation)[0]) for relation in USES]
        in_use = exists[0] | exists[1] | exists[2]
        return self.filter(in_use if used else ~in_use)

    def with_use_counts(self):
        """``use_count``: the articles (lead image or body) and authors (photo) that show each picture, counted
        per picture (a subquery each, so a page of the list costs the same however big the newsroom)."""

        def count(relation):
            users, name = _users(relation)
            return Coalesce(Subquery(users.order_by().values(name).annotate(n=Count("pk")).values("n")), 0)

        counts = [count(relation) for relation in USES]
        return self.annotate(use_count=counts[0] + counts[1] + counts[2])

    def add(self, file, *, user=None, **fields):
        """(picture, created): ``file`` stored in the library, cleaned and with its renditions, unless the
        library already holds the same bytes (as uploaded, or as stored), which is then returned as it is."""
        digest = renditions.sha256(file)
        with transaction.atomic(using=self.db):
            self._hold(digest)
            existing = self.same_file(digest)
            if existing is not None:
                return existing, False
            image = self.model(file=file, uploaded_by=user, **fields)
            image._upload_sha256 = digest  # known already: the upload is not read a second time for it
            image.save()
        return image, True

    def _hold(self, digest):
        """Until the transaction ends, keep any other upload of the same bytes waiting, so that two sent at once
        make one picture: PostgreSQL locks the digest; SQLite's transactions (begun IMMEDIATE) already wait
        for one another."""
        connection = connections[self.db]
        if digest and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(digest[:15], 16)])

    def shown_in(self, html):
        """{id: picture} of the library pictures a rendered text shows (``figures``): no query when it shows none."""
        numbers = figures.referenced_ids(html)
        return self.in_bulk(numbers) if numbers else {}

    def same_file(self, digest):
        """The picture whose stored file, or whose upload, had these bytes (SHA-256), if any."""
        if not digest:
            return None
        return self.filter(Q(sha256=digest) | Q(upload_sha256=digest)).order_by("pk").first()


class Image(NormalText, models.Model):
    schedule_fields = ("rights_expire_on",)  # a day: its start, in the site's time zone, no cached page outlives

    file = models.ImageField(
        upload_to=library_path,
        max_length=200,
        validators=[renditions.validate_image],
        help_text="JPEG, PNG, WebP or GIF up to 20 MB. Stored upright, with location and camera data removed.",
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    alt = models.CharField(
        "alt text", max_length=300, blank=True,
        help_text="What the picture shows, for readers who cannot see it. Required to publish it.",
    )  # fmt: skip
    caption = models.CharField(max_length=500, blank=True, help_text="Shown under the picture.")
    credit = models.CharField(max_length=200, blank=True, help_text="Photographer or agency, as printed.")
    source = models.CharField(
        max_length=500, blank=True, help_text="Where the picture came from (an address, an agency)."
    )
    licence = models.CharField(max_length=200, blank=True, help_text="For example: staff, CC BY 4.0, agency contract.")
    creator = models.CharField(
        max_length=200, blank=True, help_text="The photographer or artist, when the credit names an agency."
    )
    copyright_notice = models.CharField(
        max_length=300, blank=True, help_text="As the rights holder wants it: © 2026 Jane Doe / Agency."
    )
    licence_url = models.URLField(
        max_length=500, blank=True, verbose_name="licence URL", help_text="The licence's terms (schema.org license)."
    )
    licence_page_url = models.URLField(
        max_length=500,
        blank=True,
        verbose_name="where to license it",
        help_text="Where others can license this picture (schema.org acquireLicensePage).",
    )
    rights_expire_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="From this day on the picture is no longer shown to readers. Empty: no expiry.",
    )
    focal_x = models.FloatField(default=0.5, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    focal_y = models.FloatField(default=0.5, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    version = models.PositiveIntegerField(
        default=0, help_text="Counts saves; a save from an out-of-date page is refused instead of overwriting."
    )
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    upload_sha256 = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "picture"
        verbose_name_plural = "media library"

    def __str__(self):
        label = self.caption or self.alt or self.original_name or "picture"
        return f"{label[:80]} (#{self.pk})"

    @classmethod
    def from_db(cls, db, field_names, values):
        image = super().from_db(db, field_names, values)
        image._loaded_files = image.files()
        image._loaded_focal = (image.__dict__.get("focal_x"), image.__dict__.get("focal_y"))
        return image

    def files(self):
        name = self.__dict__.get("file")
        name = getattr(name, "name", name)
        made = self.__dict__.get("renditions") or {}
        return [name, *renditions.rendition_files(made), *made.get("earlier", [])]

    @property
    def url(self):
        return self.file.url if self.file else ""

    @property
    def focal(self):
        return (self.focal_x, self.focal_y)

    def rights(self):
        """What its files say about its rights: the creator (else the credit), the credit line, the copyright
        notice, the licence's terms and where to license it."""
        return Rights(self.creator or self.credit, self.credit, self.copyright_notice, self.licence_url,
                      self.licence_page_url)  # fmt: skip

    def renditions_current(self):
        """Whether its renditions carry its rights as they are now, in every format the site makes."""
        return self.renditions.get("signature") == signature(xmp_packet(self.rights()))

    def rights_expired(self, today=None):
        """Whether readers may no longer see it (today, in the site's time zone, unless ``today`` is given)."""
        if self.rights_expire_on is None:  # most pictures: no need to know what day it is
            return False
        return self.rights_expire_on <= (today or site_today())

    def thumbnail_name(self):
        """The small square (author photos, the admin's thumbnails), else the best smaller stand-in."""
        sources = self.renditions.get("sources") or []
        return (
            self.renditions.get("thumb")
            or self.renditions.get("square")
            or (sources[0]["jpg"] if sources else self.file.name)
        )

    def _process(self):
        """Clean a new upload and make its renditions, or make the crops again for a moved focal point;
        return the files written (removed again if the save fails)."""
        if self.file and not self.file._committed:
            upload = self.file.file
            self.original_name = (getattr(upload, "name", "") or "")[-255:].rsplit("/", 1)[-1]
            self.upload_sha256 = self.__dict__.pop("_upload_sha256", None) or renditions.sha256(upload)
            cleaned, picture = renditions.clean_upload(upload)
            self.sha256 = renditions.sha256(cleaned)
            self.file.save(cleaned.name, cleaned, save=False)
            try:
                self.renditions = renditions.build_renditions(
                    self.file.name, picture, focal=self.focal, xmp=xmp_packet(self.rights())
                )
            except Exception:
                renditions.delete_files([self.file.name])
                raise
            self.width, self.height = picture.size
            return self.files()
        loaded = getattr(self, "_loaded_focal", None)
        if self.file and loaded is not None and loaded != self.focal:
            try:
                picture = renditions.open_stored(self.file.name)
            except (OSError, ValidationError) as error:  # the stored file is gone or damaged: keep the old crops
                logger.warning("picture %s: crops not made again (%s)", self.pk, error)
                return []
            crops = renditions.build_crops(self.file.name, picture, self.focal, xmp=xmp_packet(self.rights()))
            self.renditions = {**self.renditions, **crops}
            return [crops[crop] for crop in renditions.CROPS]
        return []

    def save(self, *args, **kwargs):
        """Save this copy of the picture, unless someone saved the picture since it was loaded: the next version
        is claimed first (a conditional UPDATE, which also holds the row until the transaction ends), so a
        refused save raises StaleEditError before writing a file, and two saves cannot both succeed."""
        normalize_text(self)
        with saving_next_version(self) as written:
            if not self._state.adding:  # the renditions as stored: a rewrite may have replaced them since loading
                stored = type(self)._base_manager.filter(pk=self.pk).values_list("renditions", flat=True).first()
                self.renditions = self.renditions if stored is None else stored
                self._loaded_files = list(dict.fromkeys([*getattr(self, "_loaded_files", []), *self.files()]))
            written += self._process()
            super().save(*args, **kwargs)
        current = self.files()
        _delete_replaced(getattr(self, "_loaded_files", []), current)
        self._loaded_files, self._loaded_focal = current, self.focal
        if self.renditions and not self.renditions_current():
            transaction.on_commit(partial(rewrite_renditions_later, self.pk), robust=True)

    def rewrite_renditions(self):
        """Make its renditions again from the stored file, carrying its rights as they are now, and return whether
        it did: the new files are written first, and the row then points at them (refused as StaleEditError if someone
        saved the picture meanwhile), keeping the old ones as ``earlier`` files. Pages key on the picture's
        modification time and the save purges its key at the edge, so readers get the new files. Its version is
        left as it is: an editor's form opened before the rewrite still saves (and keeps the new files, which
        every save reads again)."""
        picture = renditions.open_stored(self.file.name)
        made = renditions.build_renditions(self.file.name, picture, focal=self.focal, xmp=xmp_packet(self.rights()))
        # The files they replace stay where they are, named as earlier ones (removed with the picture or its file):
        # newsletters already sent, feed readers and other sites still show them.
        made["earlier"] = [*self.renditions.get("earlier", []), *renditions.rendition_files(self.renditions)]
        try:
            with transaction.atomic():
                stored = type(self)._base_manager.select_for_update().filter(pk=self.pk)
                if stored.values_list("version", flat=True).first() != self.version:
                    raise StaleEditError(self)
                self.renditions = made
                models.Model.save(self, update_fields=["renditions", "modified_at"])
        except Exception:
            renditions.delete_files(renditions.rendition_files(made))
            raise
        self._loaded_files = self.files()
        return True


REWRITE_TASK = "articles.tasks.rewrite_renditions"


def rewrite_renditions_later(pk):
    """Ask the job queue to rewrite picture ``pk``'s renditions (``rewrite_renditions_of``); when it cannot be
    asked, rewrite them here (``manage.py rewrite_renditions`` catches up with any job lost)."""
    from newsroom import jobs

    if not jobs.send(REWRITE_TASK, pk):
        rewrite_renditions_of(pk)


def rewrite_renditions_of(pk, attempts=3):
    """Rewrite picture ``pk``'s renditions unless they are current; a save meanwhile (StaleEditError) makes it
    start again from the picture as that save left it. Returns whether files were rewritten."""
    for _ in range(attempts):
        image = Image.objects.filter(pk=pk).first()
        if image is None or not image.file or image.renditions_current():
            return False
        try:
            return image.rewrite_renditions()
        except StaleEditError:
            continue
        except (OSError, ValidationError) as error:  # the stored file is gone or damaged: keep the old renditions
            logger.warning("picture %s: renditions not rewritten (%s)", pk, error)
            return False
    return False


@receiver(post_delete, sender=Image)
def _delete_image_files(sender, instance, **kwargs):
    _delete_replaced(instance.files(), [])
