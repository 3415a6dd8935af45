"""The people credited in bylines."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .. import images, markup
from .base import _delete_replaced, _random_name, author_path, strip_nul, unique_slug

AUTHOR_PHOTO_SOURCE = 1200


def author_photo_path(instance, filename):
    return _random_name("authors", filename)


class AuthorQuerySet(models.QuerySet):
    def get_or_create_by_name(self, name, **defaults):
        """One person, one Author: a name already on file (in any letter case) is reused."""
        name = " ".join(name.split())
        author = self.filter(name__iexact=name).first()
        if author:
            return author, False
        return self.create(name=name, **defaults), True


class Author(models.Model):
    name = models.CharField(max_length=200, help_text="As printed in bylines.")
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True, blank=True)
    bio = models.TextField(
        blank=True, help_text="A few sentences, in Markdown.", validators=[markup.validate_source_size]
    )
    bio_html = models.TextField(blank=True, editable=False)
    html_renderer = models.CharField(
        max_length=8, blank=True, editable=False, help_text="The renderer version that made bio_html."
    )
    photo = models.ImageField(
        upload_to=author_photo_path,
        blank=True,
        validators=[images.validate_image],
        help_text="Square crops work best; stored at 400×400 with all metadata removed.",
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

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="author_name_unique_ci")]

    def __str__(self):
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        author = super().from_db(db, field_names, values)
        author._loaded_photo = author.__dict__.get("photo")
        return author

    def save(self, *args, **kwargs):
        strip_nul(self)
        if not self.slug:
            self.slug = unique_slug(Author, self.name, exclude_pk=self.pk, fallback="author")
        self.bio_html, self.html_renderer = markup.render_markdown(self.bio), markup.RENDERER_VERSION
        if self.photo and not self.photo._committed:
            cleaned, _ = images.clean_upload(self.photo.file, longest=AUTHOR_PHOTO_SOURCE, square=images.AUTHOR_PHOTO)
            self.photo.save(cleaned.name, cleaned, save=False)
        super().save(*args, **kwargs)
        _delete_replaced([getattr(self, "_loaded_photo", None)], [self.photo.name])
        self._loaded_photo = self.photo.name

    def get_absolute_url(self):
        return author_path(self.slug)


@receiver(post_delete, sender=Author)
def _delete_author_photo(sender, instance, **kwargs):
    _delete_replaced([instance.photo.name], [])
