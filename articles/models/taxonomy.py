"""How articles are filed: one section each (the site's own structure, ordered by the editors) and any
number of tags."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.text import slugify
from taggit.models import Tag, TaggedItemBase

from articles.models.base import section_path, unique_slug
from articles.models.text import NormalText, normalize_text, one_spaced, refuse_taken_name
from pagecache.registry import PageRetiringQuerySet


class SectionQuerySet(PageRetiringQuerySet):
    def in_navigation(self):
        return self.filter(in_navigation=True)

    def get_or_create_by_name(self, name, slug=""):
        """The section called ``name`` (in any letter case) or whose slug is ``slug``, made when there is none."""
        name = one_spaced(name)[:100]
        slug = slugify(slug or "", allow_unicode=True)[:100]
        wanted = models.Q(folded=Lower(Value(name)))  # names compared as the unique index compares them
        found = self.alias(folded=Lower("name")).filter(wanted | models.Q(slug=slug) if slug else wanted).first()
        if found:
            return found, False
        return self.create(name=name, slug=slug), True


class Section(NormalText, models.Model):
    name = models.CharField(max_length=100, help_text="As readers see it: in the header, on the front and as kicker.")
    slug = models.SlugField(
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The section's address. Made from the name when left empty; an old address keeps redirecting.",
    )
    description = models.TextField(blank=True, help_text="A sentence or two under the section's name and in its feed.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in this order, lowest first, in the header and on the front page."
    )
    in_navigation = models.BooleanField(
        default=True,
        verbose_name="in navigation",
        help_text="Shown in the site's header and as a block of its latest stories on the front page.",
    )
    modified_at = models.DateTimeField(auto_now=True)

    objects = SectionQuerySet.as_manager()
    normal_forms = {"name": one_spaced}

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="section_name_unique_ci")]

    def __str__(self):
        return self.name

    @classmethod
    def from_db(cls, db, field_names, values):
        section = super().from_db(db, field_names, values)
        section._loaded_slug = section.__dict__.get("slug")
        return section

    @classmethod
    def redirected_slugs(cls, base, exclude_pk):
        aliases = SectionAlias.objects.filter(slug__startswith=base).exclude(section_id=exclude_pk)
        return set(aliases.values_list("slug", flat=True))

    def clean(self):
        refuse_taken_name(self)
        if self.slug:
            alias = SectionAlias.objects.filter(slug=self.slug).exclude(section_id=self.pk).select_related("section")
            alias = alias.first()
            if alias:
                raise ValidationError(
                    {"slug": f"{section_path(self.slug)} is an old address of “{alias.section}” and leads there."}
                )

    def save(self, *args, **kwargs):
        normalize_text(self)
        if not self.slug:
            self.slug = unique_slug(Section, self.name, exclude_pk=self.pk, max_length=100, fallback="section")
        super().save(*args, **kwargs)
        old_slug = getattr(self, "_loaded_slug", None)
        if old_slug and old_slug != self.slug:
            # The old address keeps working, as an article's does: it redirects here.
            SectionAlias.objects.get_or_create(slug=old_slug, defaults={"section": self})
            SectionAlias.objects.filter(slug=self.slug, section=self).delete()
        self._loaded_slug = self.slug

    def get_absolute_url(self):
        return section_path(self.slug)

    @property
    def url(self):
        return section_path(self.slug)


class SectionAlias(NormalText, models.Model):
    """An old slug of a section: its addresses (front, feeds) redirect to the section's current ones."""

    slug = models.CharField(max_length=100, unique=True)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="aliases")

    objects = PageRetiringQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name_plural = "section aliases"

    def __str__(self):
        return self.slug


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="tagged_items")

    objects = PageRetiringQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique")]


def tag_address(sender, instance, **kwargs):
    """Before a new tag is saved (connected in ``ArticlesConfig.ready``): an address readers can open, for any
    name. django-taggit makes it from the name, which leaves none for a name without a letter or digit ("!!!")
    and one too long for the column for a name whose letters spell out longer ("ﬀ" is "ff"), or once it has
    added "_1" to tell two alike apart; such a tag is given a unique address that fits, "tag" when nothing else
    will do."""
    length = Tag._meta.get_field("slug").max_length
    if instance._state.adding and not 0 < len(instance.slug or "") <= length:
        instance.slug = unique_slug(Tag, instance.name, max_length=length, fallback="tag")
