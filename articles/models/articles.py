"""The article: its fields, what every write of it makes true, its state and its owners for one article in
hand, and what readers are shown of it (bylines, tags, lead image, body). Which articles (``querysets``), their
credits (``credits``), old addresses (``aliases``), pictures (``pictures``), workflow log (``workflowlog``)
and share links (``sharing``) have modules of their own."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from articles import signals
from articles.markup import limits, markdown
from articles.models import credits, kinds, states
from articles.models.aliases import ArticleAlias
from articles.models.base import StaleEditError, _random_name, article_path, unique_slug
from articles.models.coverage import LiveCoverage
from articles.models.credits import BylineShown, RevisionCredits, TagShown
from articles.models.kinds import KindOfWork
from articles.models.people import Author
from articles.models.pictures import ArticleImage, ArticlePictures
from articles.models.querysets import ArticleManager
from articles.models.site import site_host
from articles.models.taxonomy import Section
from articles.models.text import NormalText, normalize_text, one_spaced


def lead_image_path(instance, filename):
    return _random_name("articles", filename)


class Article(NormalText, ArticlePictures, LiveCoverage, models.Model):
    Status = states.Status
    schedule_fields = ("published_at", "expires_at", "embargo_until", "live_from", "live_until")  # moments no
    # cached page outlives (the start and end of live coverage move its LIVE label)

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The last part of the article's address. Made from the title when left empty.",
    )
    dek = models.TextField(blank=True, verbose_name="dek", help_text="The summary shown under the headline.")
    body = models.TextField(blank=True, help_text="Markdown.", validators=[limits.validate_source_size])
    body_html = models.TextField(blank=True, editable=False)
    body_html_key = models.CharField(max_length=40, blank=True, editable=False)
    html_renderer = models.CharField(
        max_length=8, blank=True, editable=False, help_text="The renderer version that made body_html."
    )

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Visible to readers only when Published and this time has passed; "
        "a future time schedules the article.",
    )
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text="Shown to readers as 'Updated': set it for substantive updates only."
    )
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Hidden from readers from this time on.")
    embargo_until = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name="embargoed until",
        help_text="Nobody outside the newsroom sees the article before this time, whatever its state: it can be "
        "approved, scheduled and shared with a preview link, and cannot be published before then.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_articles",
        verbose_name="assigned to",
        help_text="The editor who reviews it: they see it first on their desk and are told by e-mail.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="Where the article is filed: its kicker, its section front and feed, its breadcrumb.",
    )
    kind = models.ForeignKey(
        KindOfWork,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name="kind of work",
        help_text="News, analysis, opinion…: labelled on cards and its page, in feeds and for search engines.",
    )
    sponsor = models.CharField(
        max_length=200, blank=True, help_text="Who paid for a sponsored piece, as readers are told above the headline."
    )
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    tags = TaggableManager(through="TaggedArticle", blank=True)

    lead_image = models.ForeignKey(
        "Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of",
        help_text="A picture from the media library (or upload a new one below).",
    )
    lead_image_url = models.URLField(
        max_length=1000, blank=True, help_text="An external image, used when no file is uploaded."
    )
    lead_image_alt = models.CharField(max_length=300, blank=True, verbose_name="alt text")
    lead_image_caption = models.CharField(max_length=500, blank=True, verbose_name="caption")
    lead_image_credit = models.CharField(max_length=200, blank=True, verbose_name="credit")

    source_key = models.CharField(
        max_length=300, blank=True, db_index=True, editable=False, help_text="Where an imported article came from."
    )
    front_matter = models.JSONField(
        default=dict, blank=True, editable=False, help_text="Imported front-matter fields kept for export."
    )
    withdrawal_note = models.TextField(
        blank=True, help_text="Shown to readers at the article's address after it is withdrawn."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(
        default=0, help_text="Counts saves; a save from an out-of-date form is refused instead of overwriting."
    )
    imported_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The version the last Markdown import wrote; any other version means the newsroom edited it since.",
    )
    # Written by the database itself (a PostgreSQL trigger, migration 0006), never by Django; unused elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleManager()
    normal_forms = {"sponsor": one_spaced}  # a name, as Hugo front matter's ``sponsor`` is read
    history = HistoricalRecords(
        excluded_fields=[
            "body_html",
            "body_html_key",
            "front_matter",
            "modified_at",
            "lead_image_renditions",
            "search_vector",
            "imported_version",
            "html_renderer",
        ],  # fmt: skip
        bases=[RevisionCredits],
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_published"),
            # A section's front and its feed, newest first, without walking other sections' articles.
            models.Index(fields=["section", "status", "-published_at"], name="article_section_published"),
            # The desk's embargoed articles and the next embargo to end, without reading every article.
            models.Index(fields=["embargo_until"], name="article_embargo_until"),
        ]
        permissions = [
            ("publish_article", "Can publish, schedule and send back articles"),
            ("withdraw_article", "Can withdraw published articles"),
            ("edit_any_article", "Can edit articles written by others"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article._loaded_slug = article.__dict__.get("slug")
        return article

    @classmethod
    def redirected_slugs(cls, base, exclude_pk):
        """Slugs whose addresses redirect to another article (see ``unique_slug``)."""
        prefix = ArticleAlias.path_for_slug(base)
        paths = ArticleAlias.objects.filter(path__startswith=prefix[:-1]).exclude(article_id=exclude_pk)
        return {path.rstrip("/").rsplit("/", 1)[-1] for path in paths.values_list("path", flat=True)}

    def prepare_for_write(self):
        """What every write of an article makes true of its row, whichever path writes it: ``save()``, or the
        importer's bulk insert, which stores the fields as they are after this. Text in the form it is stored
        in (``normalize_text``: no NUL, single-line fields on one line), a slug, and the body rendered from the
        text as stored, by this renderer. A new rule for the row goes here, never into one path:
        ``tests/test_write_paths.py`` holds both paths to the same rows."""
        normalize_text(self)
        if not self.slug:
            self.slug = unique_slug(Article, self.title, exclude_pk=self.pk)
        self.render()

    def save(self, *args, **kwargs):
        self.prepare_for_write()
        with transaction.atomic():
            stored_version, was_assigned = None, None
            if self.pk is not None:
                stored = Article.objects.select_for_update().filter(pk=self.pk).values_list("version", "assignee_id")
                stored_version, was_assigned = stored.first() or (None, None)
                if stored_version is not None and stored_version != self.version:
                    raise StaleArticleError(self, stored_version)
            self.version += 1
            new = self._state.adding
            super().save(*args, **kwargs)
            update_fields = kwargs.get("update_fields")
            if self.assignee_id not in (None, was_assigned) and (update_fields is None or "assignee" in update_fields):
                signals.send_on_commit(
                    signals.article_assigned, Article, article_pk=self.pk, assignee_pk=self.assignee_id,
                    actor=signals.acting_user(self),
                )  # fmt: skip
            # A new article whose body shows no picture has none recorded yet: nothing to ask or change.
            if (update_fields is None or "body_html" in update_fields) and not (
                new and "data-image=" not in self.body_html
            ):
                # Its corrections' pictures stay recorded too: read through the relation ``Correction`` declares.
                shown = self.corrections.filter(text_html__contains="data-image=").values_list("text_html", flat=True)
                ArticleImage.record([self], {self.pk: list(shown)})
        old_slug = getattr(self, "_loaded_slug", None)
        if old_slug and old_slug != self.slug:
            # The old address keeps working: it redirects here. An address that is now this article's own
            # needs no alias of its own; another article's alias is never touched (forms refuse that slug).
            ArticleAlias.objects.get_or_create(path=ArticleAlias.path_for_slug(old_slug), defaults={"article": self})
            ArticleAlias.objects.filter(path=ArticleAlias.path_for_slug(self.slug), article=self).delete()
        self._loaded_slug = self.slug

    def get_absolute_url(self):
        return article_path(self.slug)

    record_credits_in = staticmethod(credits.record_credits_in)

    def record_credits(self):
        """Write the bylines and tags as they are now into the newest revision (after they were saved)."""
        latest = self.history.order_by("-history_date", "-history_id").first()
        if latest is not None:
            credits.record_credits_in([latest])

    @property
    def bylines_shown(self):
        """The bylines in order, as readers are shown them (attached by ``with_credits``, else read now)."""
        if hasattr(self, "_bylines_shown"):
            return self._bylines_shown
        rows = self._rows("bylines", "author", "position")
        return [BylineShown(b.author.name, b.author.slug, b.role, b.author_id, b.author.job_title) for b in rows]

    @property
    def kind_label(self):
        """The label above the headline saying what kind of piece this is (``kinds.label``), or None."""
        return kinds.label(self.kind if self.kind_id is not None else None, self.sponsor)

    @property
    def kicker(self):
        """What is printed above the headline: the section, else the first tag (each has .name and .url)."""
        if self.section_id is not None:
            return self.section
        tags = self.tags_shown
        return tags[0] if tags else None

    @property
    def tags_shown(self):
        """The tags in the order they were given (the first is the article's kicker), as readers are shown them
        (attached by ``with_credits``, else read now)."""
        if hasattr(self, "_tags_shown"):
            return self._tags_shown
        return [TagShown(item.tag_id, item.tag.name, item.tag.slug) for item in self._rows("tagged_items", "tag")]

    def _rows(self, relation, joined, *order):
        """The rows of a reverse relation in order: prefetched (``with_bylines``), or read now with ``joined``."""
        rows = getattr(self, relation).all()
        if relation not in getattr(self, "_prefetched_objects_cache", {}):
            rows = rows.select_related(joined).order_by(*order, "pk")
        return rows

    def is_published(self):
        """The same rule as ArticleQuerySet.published(), for one article in hand."""
        return states.is_live(self, timezone.now())

    is_published.boolean = True

    def is_gone(self):
        return states.is_gone(self)

    def is_owned_by(self, user):
        """The same rule as ArticleQuerySet.owned_by(), for one article in hand."""
        return states.is_owned_by(self, user)

    def state(self):
        """The state shown to editors now, a key of ``states.LABELS``."""
        return states.state_of(self, timezone.now())

    @property
    def is_embargoed(self):
        return states.is_under_embargo(self, timezone.now())

    @staticmethod
    def rendering(body, title, lead_image_url, *, site_host):
        """(body_html, body_html_key) for a body: the one place article Markdown is rendered. ``site_host``:
        the host of the site's public address (``site_host()``), told by the caller, as an import runs
        without the database."""
        html = markdown.render_markdown(body, site_host=site_host, title=title, lead_image_url=lead_image_url)
        return html, markdown.source_key(body, title, lead_image_url)

    def render(self):
        """Render the body to HTML unless the stored rendering is of the same source."""
        if markdown.source_key(self.body, self.title, self.lead_image_url) != self.body_html_key:
            self.body_html, self.body_html_key = self.rendering(self.body, self.title, self.lead_image_url,
                                                                site_host=site_host())  # fmt: skip
        self.html_renderer = markdown.RENDERER_VERSION


class StaleArticleError(StaleEditError):
    """Someone else saved the article after this copy of it was loaded (named by its headline)."""

    def __init__(self, article, stored_version):
        super().__init__(
            article,
            f"{article.title!r} was saved by someone else (version {stored_version}) after you opened "
            f"version {article.version}; nothing was overwritten.",
        )
        self.article, self.stored_version = article, stored_version
