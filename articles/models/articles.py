"""Articles and what hangs off each: bylines, old addresses, the workflow log, corrections, share links."""

import functools
import secrets
from datetime import timedelta
from typing import NamedTuple
from urllib.parse import unquote

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core import signing
from django.db import connection, models, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)  # fmt: skip
from django.db.models.query import ModelIterable
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from taggit.managers import TaggableManager
from taggit.models import Tag

from articles import signals
from articles.markup import figures
from articles.markup import markdown as markup
from articles.models import states
from articles.models.base import StaleEditError, _random_name, article_path, author_path, tag_path, unique_slug
from articles.models.people import Author
from articles.models.site import site_host
from articles.models.taxonomy import Section, TaggedArticle
from articles.models.text import NormalText, normalize_text
from pagecache.registry import PageRetiringQuerySet, moments_of

SEARCH_CONFIG = "english"
SEARCH_RANKED = 200


def lead_image_path(instance, filename):
    return _random_name("articles", filename)


class ArticleQuerySet(PageRetiringQuerySet):
    def moments(self, now):
        """When what readers see of articles next changes by itself, and when it last did: a publication, an
        expiry or an embargo's end (``Article.schedule_fields``) of an approved article, the only ones the clock
        alone moves (``states``: scheduled, embargoed, published, expired). For the page cache's schedule."""
        return moments_of(self.filter(states.approved()), now, Article.schedule_fields)

    def published(self):
        """What readers may see: the *published* state (``states.live``)."""
        return self.filter(states.live(timezone.now()))

    def embargoed(self):
        """Articles whose embargo has not ended: whatever their state, readers see none of them yet."""
        return self.filter(states.under_embargo(timezone.now()))

    def in_state(self, key):
        """Articles in one of the states shown to editors (``states.LABELS``), now."""
        return self.filter(states.state(key, timezone.now()))

    def owned_by(self, user):
        """The user's own articles: started by them or crediting them (``Article.is_owned_by``)."""
        return self.filter(states.owned_by(user))

    def for_lists(self):
        """Only what an article card shows: the bodies stay in the database."""
        return self.defer("body", "body_html", "body_html_key", "front_matter", "withdrawal_note")

    def with_credits(self):
        """What reader pages show of bylines and tags, as plain values: ``article.credits`` and
        ``article.tag_list`` come with every article fetched, in one more query whatever the number of rows
        and without a model instance per byline, author or tag (see ``attach_credits``)."""
        clone = self.select_related("section", "lead_image")
        clone._iterable_class = _WithCredits
        return clone

    def in_section(self, section):
        return self.filter(section=section)

    def with_bylines(self):
        """Bylines (in order, with their authors) and tags as model instances in a constant number of queries,
        for the admin and exports, which work with the rows themselves."""
        return self.prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author").order_by("position", "pk")),
            Prefetch("tagged_items", queryset=TaggedArticle.objects.select_related("tag").order_by("pk")),
        )

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def withdrawn(self):
        """Taken down after publication (``states.gone``)."""
        return self.filter(states.gone())

    def related_to(self, article, limit=4):
        """Other articles sharing tags with ``article``: among the 200 newest that share any, most shared first.

        Bounded so that it costs the same with a hundred articles or a million.
        """
        tag_ids = [tag.pk for tag in article.tag_list]
        if not tag_ids:
            return self.none()
        candidates = (
            self.with_any_tag(tag_ids).exclude(pk=article.pk).order_by("-published_at", "-pk").values("pk")[:200]
        )
        shared = (
            TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag_id__in=tag_ids)
            .values("content_object")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            self.filter(pk__in=Subquery(candidates))
            .annotate(shared=Subquery(shared, output_field=IntegerField()))
            .order_by("-shared", "-published_at", "-pk")[:limit]
        )

    def with_any_tag(self, tag_ids):
        """Articles carrying one of the tags, as EXISTS: newest-first lists stop at the first page's rows."""
        return self.filter(Exists(TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag_id__in=tag_ids)))

    def search(self, query):
        """Articles matching every word of ``query``, best first.

        PostgreSQL ranks with full-text search over the stored, GIN-indexed ``search_vector`` (headline,
        dek and body, weighted; kept up to date by a trigger, see migration 0006); other databases fall
        back to matching words and weighting where they hit.

        Only the newest matches are ranked (``SEARCH_RANKED``): a news search wants recent stories, and a
        common word then costs the same in an archive of any size.
        """
        words = query.split()[:12]
        if not words:
            return self.none()
        if connection.vendor == "postgresql":
            search_query = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="websearch")
            newest = self.filter(search_vector=search_query).order_by("-published_at", "-pk").values("pk")
            return (
                self.filter(pk__in=Subquery(newest[:SEARCH_RANKED]))
                .annotate(rank=SearchRank(F("search_vector"), search_query))
                .order_by("-rank", "-published_at", "-pk")
            )
        matches = self
        score = Value(0)
        for word in words:
            matches = matches.filter(Q(title__icontains=word) | Q(dek__icontains=word) | Q(body__icontains=word))
            for field, weight in (("title", 4), ("dek", 2), ("body", 1)):
                score += Case(When(**{f"{field}__icontains": word}, then=Value(weight)), default=Value(0))
        rank = ExpressionWrapper(score, output_field=IntegerField())
        newest = matches.order_by("-published_at", "-pk").values("pk")[:SEARCH_RANKED]
        return self.filter(pk__in=Subquery(newest)).annotate(rank=rank).order_by("-rank", "-published_at", "-pk")


class Credit(NamedTuple):
    """One byline as readers see it."""

    name: str
    slug: str
    role: str

    @property
    def url(self):
        return author_path(self.slug)


class Topic(NamedTuple):
    """One tag as readers see it."""

    pk: int
    name: str
    slug: str

    @property
    def url(self):
        return tag_path(self.slug)


class _WithCredits(ModelIterable):
    """Articles with their credits and topics attached (``attach_credits``)."""

    def __iter__(self):
        articles = list(super().__iter__())
        attach_credits(articles)
        yield from articles


def attach_credits(articles):
    """Give each article ``_credits`` (bylines in order) and ``_topics`` (tags in the order given).

    One query for both, written out: every list page and feed runs it, and building it with the ORM (two
    querysets, their joins and their compilation) cost more than the rest of a page put together.
    """
    by_pk = {article.pk: article for article in articles}
    for article in articles:
        article._credits, article._topics = [], []
    if not by_pk:
        return
    ids = list(by_pk)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CREDITS_BATCH):  # one query for a page; bounded parameters for more
            batch = ids[start : start + CREDITS_BATCH]
            cursor.execute(_credits_sql() % {"ids": ", ".join(["%s"] * len(batch))}, batch + batch)
            for kind, article_id, ref, name, slug, role, _order, _pk in cursor.fetchall():
                if kind == "b":
                    by_pk[article_id]._credits.append(Credit(name, slug, role))
                else:
                    by_pk[article_id]._topics.append(Topic(ref, name, slug))


CREDITS_BATCH = 500
_CREDITS_SQL = (
    "SELECT 'b', b.article_id, b.author_id, a.name, a.slug, b.role, b.position, b.id"
    " FROM {byline} b INNER JOIN {author} a ON a.id = b.author_id WHERE b.article_id IN (%(ids)s)"
    " UNION ALL SELECT 't', t.content_object_id, t.tag_id, g.name, g.slug, '', 0, t.id"
    " FROM {tagged} t INNER JOIN {tag} g ON g.id = t.tag_id WHERE t.content_object_id IN (%(ids)s)"
    " ORDER BY 1, 7, 8"
)


@functools.cache
def _credits_sql():
    quote = connection.ops.quote_name
    byline, author = quote(Byline._meta.db_table), quote(Author._meta.db_table)
    tagged, tag = quote(TaggedArticle._meta.db_table), quote(Tag._meta.db_table)
    # Table names come from the models; the ids are passed as parameters.
    names = {"byline": byline, "author": author, "tagged": tagged, "tag": tag}
    return _CREDITS_SQL.format_map(names)


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # The search vector is as large as the body and only the database reads it.
        return super().get_queryset().defer("search_vector")


class RevisionCredits(models.Model):
    """What a revision records beyond the article's own fields: its bylines and tags as they were then (None in
    revisions made before they were recorded)."""

    history_bylines = models.JSONField(null=True, blank=True, verbose_name="bylines")
    history_tags = models.JSONField(null=True, blank=True, verbose_name="tags")

    class Meta:
        abstract = True


class Article(NormalText, models.Model):
    Status = states.Status
    schedule_fields = ("published_at", "expires_at", "embargo_until")  # moments no cached page outlives

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The last part of the article's address. Made from the title when left empty.",
    )
    dek = models.TextField(blank=True, verbose_name="dek", help_text="The summary shown under the headline.")
    body = models.TextField(blank=True, help_text="Markdown.", validators=[markup.validate_source_size])
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
                ArticleImage.record([self])
        old_slug = getattr(self, "_loaded_slug", None)
        if old_slug and old_slug != self.slug:
            # The old address keeps working: it redirects here. An address that is now this article's own
            # needs no alias of its own; another article's alias is never touched (forms refuse that slug).
            ArticleAlias.objects.get_or_create(path=ArticleAlias.path_for_slug(old_slug), defaults={"article": self})
            ArticleAlias.objects.filter(path=ArticleAlias.path_for_slug(self.slug), article=self).delete()
        self._loaded_slug = self.slug

    def get_absolute_url(self):
        return article_path(self.slug)

    def credit_snapshot(self):
        """The bylines (author id, name, role, in order) and tag names as stored now, for a revision."""
        return Article.credit_snapshots([self.pk])[self.pk] if self.pk is not None else ([], [])

    @staticmethod
    def credit_snapshots(pks):
        """{pk: (bylines, tags)} of ``credit_snapshot`` for many articles, in two queries."""
        found = {pk: ([], []) for pk in pks}
        bylines = Byline.objects.filter(article_id__in=found).order_by("article_id", "position", "pk")
        for article, author, name, role in bylines.values_list("article_id", "author_id", "author__name", "role"):
            found[article][0].append({"author": author, "name": name, "role": role})
        for article, name in TaggedArticle.objects.filter(content_object_id__in=found).values_list(
            "content_object_id", "tag__name"
        ):
            found[article][1].append(name)
        for _bylines, tags in found.values():
            tags.sort(key=str.casefold)
        return found

    @staticmethod
    def record_credits_in(revisions):
        """Write the bylines and tags as they are now into these revisions (the newest of their articles)."""
        snapshots = Article.credit_snapshots([revision.id for revision in revisions])
        for revision in revisions:
            revision.history_bylines, revision.history_tags = snapshots[revision.id]
        Article.history.model.objects.bulk_update(revisions, ["history_bylines", "history_tags"], batch_size=500)

    def record_credits(self):
        """Write the bylines and tags as they are now into the newest revision (after they were saved)."""
        latest = self.history.order_by("-history_date", "-history_id").first()
        if latest is not None:
            Article.record_credits_in([latest])

    @property
    def credits(self):
        """The bylines in order, as readers see them (attached by ``with_credits``, else read now)."""
        if hasattr(self, "_credits"):
            return self._credits
        return [Credit(b.author.name, b.author.slug, b.role) for b in self._rows("bylines", "author", "position")]

    @property
    def kicker(self):
        """What is printed above the headline: the section, else the first tag (a Credit-like pair with .url)."""
        if self.section_id is not None:
            return self.section
        tags = self.tag_list
        return tags[0] if tags else None

    @property
    def tag_list(self):
        """The tags in the order they were given (the first is the article's kicker), as readers see them."""
        if hasattr(self, "_topics"):
            return self._topics
        return [Topic(item.tag_id, item.tag.name, item.tag.slug) for item in self._rows("tagged_items", "tag")]

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

    @property
    def body_leads_with_image(self):
        """The body opens with a picture of its own (an outside one, or the lead image from the library), so the
        page shows that one instead of a second hero."""
        html = self.body_html
        return html.startswith("<p><img ") or (
            self.lead_image_id is not None and html.startswith(f'<figure data-image="{self.lead_image_id}">')
        )

    @property
    def shown_lead_image(self):
        """The library lead image readers may be shown: None when there is none or its rights have expired."""
        if self.lead_image_id is None:
            return None
        image = self.lead_image
        return None if image.rights_expired() else image

    @property
    def image_url(self):
        """The lead image to show: the library picture first (unless its rights have expired), else the
        external URL."""
        if self.lead_image_id is not None:
            image = self.shown_lead_image
            return image.url if image is not None else ""
        return self.lead_image_url

    @property
    def lead_image_renditions(self):
        image = self.shown_lead_image
        return image.renditions if image is not None else {}

    def _lead_text(self, name):
        """The article's own alt text, caption or credit for its lead image, else the library picture's."""
        return getattr(self, f"lead_image_{name}") or (getattr(self.lead_image, name) if self.lead_image_id else "")

    lead_alt = property(lambda self: self._lead_text("alt"))
    lead_caption = property(lambda self: self._lead_text("caption"))
    lead_credit = property(lambda self: self._lead_text("credit"))

    @property
    def pictures(self):
        """The library pictures the body shows, {id: Image}: attached for many articles at once by
        ``ArticleImage.attach``, else read now."""
        if not hasattr(self, "_pictures"):
            ArticleImage.attach([self])
        return self._pictures

    @property
    def bundled_pictures(self):
        """Every library picture the article shows (its lead image, then its body's), in order, each once:
        what an export writes beside it."""
        from articles.models.media import Image

        numbers = [self.lead_image_id] if self.lead_image_id else []
        numbers = list(dict.fromkeys(numbers + figures.referenced_ids(self.body_html)))
        if not numbers:
            return []
        found = Image.objects.in_bulk(numbers)
        return [found[number] for number in numbers if number in found]

    def body_for_readers(self):
        """The stored body with its library pictures filled in, as readers may see them."""
        return figures.expand(self.body_html, self.pictures)

    @staticmethod
    def rendering(body, title, lead_image_url, *, site_host):
        """(body_html, body_html_key) for a body: the one place article Markdown is rendered. ``site_host``:
        the host of the site's public address (``site_host()``), told by the caller, as an import runs
        without the database."""
        html = markup.render_markdown(body, site_host=site_host, title=title, lead_image_url=lead_image_url)
        return html, markup.source_key(body, title, lead_image_url)

    def render(self):
        """Render the body to HTML unless the stored rendering is of the same source."""
        if markup.source_key(self.body, self.title, self.lead_image_url) != self.body_html_key:
            self.body_html, self.body_html_key = self.rendering(self.body, self.title, self.lead_image_url,
                                                                site_host=site_host())  # fmt: skip
        self.html_renderer = markup.RENDERER_VERSION


class ArticleImage(models.Model):
    """A library picture shown in an article's body (``![alt](image:ID)``), recorded at each save: what the
    library's "unused" filter reads, why a picture in use cannot be deleted, and how a page finds the
    pictures of its articles in one query."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="figures")
    image = models.ForeignKey("Image", on_delete=models.PROTECT, related_name="uses")

    objects = PageRetiringQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "image"], name="article_image_unique")]

    def __str__(self):
        return f"{self.image} in {self.article}"

    @classmethod
    def record(cls, articles):
        """Make the recorded pictures of ``articles`` those their stored bodies and corrections show (of those
        the library has)."""
        from articles.models.media import Image

        wanted = {article.pk: set(figures.referenced_ids(article.body_html)) for article in articles}
        Correction = apps.get_model("articles", "Correction")  # by name: corrections are built on articles
        shown = Correction.objects.filter(article_id__in=wanted, text_html__contains="data-image=")
        for article_id, html in shown.values_list("article_id", "text_html"):
            wanted[article_id] |= set(figures.referenced_ids(html))
        known = set(Image.objects.filter(pk__in=set().union(*wanted.values())).values_list("pk", flat=True))
        current = {}
        for article_id, image_id in cls.objects.filter(article_id__in=wanted).values_list("article_id", "image_id"):
            current.setdefault(article_id, set()).add(image_id)
        stale = Q()
        for article_id, ids in wanted.items():
            if gone := current.get(article_id, set()) - ids:
                stale |= Q(article_id=article_id, image_id__in=gone)
        if stale:
            cls.objects.filter(stale).delete()
        cls.objects.bulk_create(
            [cls(article_id=article_id, image_id=image_id)
             for article_id, ids in wanted.items() for image_id in (ids & known) - current.get(article_id, set())]
        )  # fmt: skip

    @classmethod
    def attach(cls, articles):
        """Give each article its body's pictures (``article.pictures``), in one query for those whose body may
        show some (none when every body is loaded and shows none, as most do)."""
        for article in articles:
            article._pictures = {}
        by_article = {
            article.pk: article
            for article in articles
            if article.pk is not None
            and ("body_html" in article.get_deferred_fields() or "data-image=" in article.body_html)
        }
        if not by_article:
            return
        for row in cls.objects.filter(article_id__in=by_article).select_related("image"):
            by_article[row.article_id]._pictures[row.image_id] = row.image


class StaleArticleError(StaleEditError):
    """Someone else saved the article after this copy of it was loaded (named by its headline)."""

    def __init__(self, article, stored_version):
        super().__init__(
            article,
            f"{article.title!r} was saved by someone else (version {stored_version}) after you opened "
            f"version {article.version}; nothing was overwritten.",
        )
        self.article, self.stored_version = article, stored_version


class Byline(NormalText, models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(
        max_length=100, blank=True, help_text="For example Reporting, Photos, Additional reporting."
    )

    objects = PageRetiringQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author")]

    def __str__(self):
        return f"{self.author} ({self.role})" if self.role else str(self.author)


class ArticleAlias(NormalText, models.Model):
    """An old address of an article (a previous slug or an imported Hugo alias) that redirects to it."""

    path = models.CharField(max_length=500, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="aliases")
    normal_forms = {"path": lambda path: path and ArticleAlias.normalize(path)}  # as the middleware looks it up

    objects = PageRetiringQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "aliases"

    def __str__(self):
        return self.path

    @classmethod
    def path_for_slug(cls, slug):
        """The article address for ``slug``, spelled as aliases are stored."""
        return cls.normalize(reverse("articles:article", kwargs={"slug": slug}))

    @classmethod
    def owner_of_slug(cls, slug, *, exclude=None):
        """The article that the address for ``slug`` already redirects to, other than ``exclude`` (a pk)."""
        path = cls.path_for_slug(slug)
        alias = cls.objects.select_related("article").filter(path=path).exclude(article_id=exclude).first()
        return alias.article if alias else None

    @staticmethod
    def normalize(path):
        """One spelling of a path: decoded (as request.path is), with one leading and one trailing slash."""
        path = "/" + unquote(path.strip()).strip("/")
        return path if path == "/" else path + "/"


class ArticleTransition(NormalText, models.Model):
    """One step of an article through the workflow: who moved it, when, from where to where, and why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="transitions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=12)
    target = models.CharField(max_length=12)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        get_latest_by = "at"

    def __str__(self):
        return f"{self.source} → {self.target}"


def _new_token():
    return secrets.token_urlsafe(24)


def _in_a_week():
    return timezone.now() + timedelta(days=7)


class ShareLink(models.Model):
    """A signed, expiring, revocable link that shows a draft to someone without a login."""

    SALT = "articles.sharelink"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(default=_in_a_week)
    revoked = models.BooleanField(default=False, help_text="Tick to stop the link working at once.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Share link for {self.article} until {timezone.localtime(self.expires_at):%Y-%m-%d %H:%M %Z}"

    def get_absolute_url(self):
        return reverse("articles:share", kwargs={"signed": signing.Signer(salt=self.SALT).sign(self.token)})

    def is_valid(self):
        return not self.revoked and self.expires_at > timezone.now()

    @classmethod
    def from_signed(cls, signed):
        """The link a signed token names, if the signature holds and the link is still valid."""
        try:
            token = signing.Signer(salt=cls.SALT).unsign(signed)
        except signing.BadSignature:
            return None
        link = cls.objects.select_related("article").filter(token=token).first()
        if link is None or not link.is_valid() or link.article.status == Article.Status.WITHDRAWN:
            return None  # withdrawing an article revokes its links; this also covers links made since
        return link


@receiver(pre_create_historical_record)
def _revision_credits(sender, instance, history_instance, **kwargs):
    if isinstance(instance, Article):
        history_instance.history_bylines, history_instance.history_tags = instance.credit_snapshot()
