"""The people credited in bylines."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower

from articles.markup import figures, limits, markdown
from articles.models.base import _random_name, author_path, unique_slug
from articles.models.media import Image
from articles.models.site import site_host
from articles.models.text import NormalText, normalize_text, one_spaced, refuse_taken_name
from pagecache.registry import PageRetiringQuerySet

UNPRINTABLE_NAME = "This name is made only of control characters, which are removed: type the name as printed."


def author_photo_path(instance, filename):
    return _random_name("authors", filename)


class AuthorQuerySet(PageRetiringQuerySet):
    def get_or_create_by_name(self, name, **defaults):
        """One person, one Author: a name already on file (in any letter case) is reused."""
        name = one_spaced(name)
        author = self.alias(folded=Lower("name")).filter(folded=Lower(Value(name))).first()  # as the unique index
        if author:
            return author, False
        return self.create(name=name, **defaults), True


class Author(NormalText, models.Model):
    name = models.CharField(max_length=200, help_text="As printed in bylines.")
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True, blank=True)
    bio = models.TextField(
        blank=True, help_text="A few sentences, in Markdown.", validators=[limits.validate_source_size]
    )
    bio_html = models.TextField(blank=True, editable=False)
    html_renderer = models.CharField(
        max_length=8, blank=True, editable=False, help_text="The renderer version that made bio_html."
    )
    photo = models.ForeignKey(
        "Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="photo_of",
        help_text="A picture from the media library, shown cropped square around its focal point.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The login tied to this byline. Guest contributors need none.",
    )
    email = models.EmailField(blank=True, help_text="Not shown to readers.")
    website = models.URLField(blank=True)
    job_title = models.CharField(
        max_length=120, blank=True, verbose_name="role", help_text="As on the masthead: Health reporter, Editor."
    )
    expertise = models.TextField(
        blank=True, help_text="What this person knows and covers, one subject per line (schema.org knowsAbout)."
    )
    profiles = models.TextField(
        blank=True, help_text="This person's pages elsewhere, one https:// address per line (schema.org sameAs)."
    )
    public_email = models.EmailField(
        blank=True, verbose_name="public e-mail", help_text="Shown to readers on the author page, for tips."
    )

    objects = AuthorQuerySet.as_manager()
    normal_forms = {"name": one_spaced}

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="author_name_unique_ci")]

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        typed = str(self.name or "").strip()
        try:
            super().clean_fields(exclude)
            errors = {}
        except ValidationError as error:
            errors = error.error_dict
        if typed and not self.name:  # something was typed, and none of it is printable
            errors["name"] = [ValidationError(UNPRINTABLE_NAME, code="blank")]
        if errors:
            raise ValidationError(errors)

    def clean(self):
        refuse_taken_name(self)

    def save(self, *args, **kwargs):
        normalize_text(self)
        if not self.slug:
            self.slug = unique_slug(Author, self.name, exclude_pk=self.pk, fallback="author")
        self.bio_html = markdown.render_markdown(self.bio, site_host=site_host())
        self.html_renderer = markdown.RENDERER_VERSION
        super().save(*args, **kwargs)

    def bio_for_readers(self):
        """The bio with its library pictures filled in, as readers may see them."""
        return figures.expand(self.bio_html, Image.objects.shown_in(self.bio_html))

    @property
    def photo_url(self):
        """The photo's square crop (around its focal point), unless its rights have expired."""
        if self.photo_id is None or self.photo.rights_expired():
            return ""
        return default_storage.url(self.photo.thumbnail_name())

    def get_absolute_url(self):
        return author_path(self.slug)

    @property
    def subjects(self):
        """``expertise``, a subject a line."""
        return [line.strip() for line in self.expertise.splitlines() if line.strip()]

    @property
    def profile_urls(self):
        """``profiles``, the https:// addresses among its lines."""
        return [line.strip() for line in self.profiles.splitlines() if line.strip().startswith("https://")]
