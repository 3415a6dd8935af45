"""Which articles: the states readers and editors ask for, lists without bodies, related articles, and
search. ``Article.objects`` is the manager made of this queryset."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, models
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
from django.utils import timezone
from taggit.models import Tag

from articles.models import coverage, states
from articles.models.credits import Byline, CreditsIterable
from articles.models.taxonomy import Section, TaggedArticle
from pagecache.registry import PageRetiringQuerySet, moments_of

SEARCH_CONFIG = "english"
SEARCH_RANKED = 200


class ArticleQuerySet(PageRetiringQuerySet):
    def moments(self, now):
        """When what readers see of articles next changes by itself, and when it last did: a publication, an
        expiry or an embargo's end (``Article.schedule_fields``) of an approved article, the only ones the clock
        alone moves (``states``: scheduled, embargoed, published, expired). For the page cache's schedule."""
        return moments_of(self.filter(states.approved()), now, self.model.schedule_fields)

    def published(self):
        """What readers may see: the *published* state (``states.live``)."""
        return self.filter(states.live(timezone.now()))

    def embargoed(self):
        """Articles whose embargo has not ended: whatever their state, readers see none of them yet."""
        return self.filter(states.under_embargo(timezone.now()))

    def live_pages(self):
        """Live pages (``coverage.live_pages``): articles with a stream of updates, whatever their state."""
        return self.filter(coverage.live_pages())

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
        """What reader pages show of bylines and tags, as plain values: ``article.bylines_shown`` and
        ``article.tags_shown`` come with every article fetched, in one more query whatever the number of rows
        and without a model instance per byline, author or tag (see ``attach_credits``)."""
        clone = self.select_related("section", "kind", "lead_image")
        clone._iterable_class = CreditsIterable
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
        tag_ids = [tag.pk for tag in article.tags_shown]
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

    def sections(self, among=None):
        """The sections (of ``among``, by default every one) holding at least one of these articles: of
        ``published()`` ones, the sections that exist for readers."""
        among = Section.objects.all() if among is None else among
        return among.filter(Exists(self.filter(section=OuterRef("pk"))))

    def tags(self):
        """The tags these articles carry, each with how many of them carry it (``article_count``), by name."""
        return (
            Tag.objects.filter(articles_taggedarticle_items__content_object__in=self)
            .annotate(article_count=Count("articles_taggedarticle_items"))
            .order_by("name")
        )

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


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # The search vector is as large as the body and only the database reads it.
        return super().get_queryset().defer("search_vector")
