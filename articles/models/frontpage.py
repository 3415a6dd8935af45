"""What editors choose for the front page: pinned stories and the breaking-news banner.

Neither needs a job to run: a pin or a banner past its expiry simply stops counting at query time, and the
page cache is never kept past the next such moment (``pagecache.schedule``, told of them by the ``moments``
of ``PinQuerySet`` and ``BannerQuerySet``).
"""

import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from articles.models import surrogates as names
from articles.models.aliases import ArticleAlias
from articles.models.articles import Article
from articles.models.credits import attach_credits
from articles.models.sharing import ShareLink
from articles.models.text import NormalText, normalize_text, one_spaced
from pagecache.keys import tag
from pagecache.registry import PageRetiringQuerySet, moments_of


class PinQuerySet(PageRetiringQuerySet):
    def moments(self, now):
        """When a pin next expires and when one last did (``Pin.schedule_fields``), for the page cache."""
        return moments_of(self, now, Pin.schedule_fields)

    def live(self):
        """Pins in force now: not expired. Whether the article itself may be shown is the article's business
        (``Article.objects.published()``); a pinned draft or withdrawn article is simply never shown."""
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))

    def front(self):
        """The live pins whose articles readers may see, as the front page orders them."""
        return self.live().filter(article__in=Article.objects.published()).order_by("position", "-pinned_at", "pk")


class Pin(NormalText, models.Model):
    class Place(models.TextChoices):
        LEAD = "lead", "Lead story"
        TOP = "top", "Top story"

    schedule_fields = ("expires_at",)  # moments no cached page outlives

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="pin", help_text="Any article: only published "
        "ones are shown, so an article can be pinned before it goes out and drops out when it is withdrawn."
    )  # fmt: skip
    place = models.CharField(
        max_length=8,
        choices=Place.choices,
        default=Place.TOP,
        help_text="One lead story opens the front page: the first on the board if there are several.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="The order on the board (and so on the front page), lowest first."
    )
    expires_at = models.DateTimeField(
        null=True, blank=True, verbose_name="until", help_text="Unpinned from this time on. Empty: until unpinned."
    )
    pinned_at = models.DateTimeField(default=timezone.now, editable=False)
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PinQuerySet.as_manager()

    class Meta:
        ordering = ["place", "position", "-pinned_at", "pk"]
        verbose_name = "front-page pin"

    def __str__(self):
        return f"{self.get_place_display()}: {self.article}"

    def is_live(self):
        return self.expires_at is None or self.expires_at > timezone.now()


def validate_link(value):
    """A link on the site (a path: one slash, then no host) or an absolute http(s) address.

    Backslashes, spaces and control characters are refused anywhere: browsers read ``/\\evil.example`` and
    ``/<TAB>/evil.example`` as ``//evil.example``, an address on another site."""
    if "\\" in value or any(char.isspace() or unicodedata.category(char)[0] == "C" for char in value):
        raise ValidationError("A link has no backslashes, spaces, tabs, line breaks or other control characters.")
    if value.startswith("/"):
        if value.startswith("//") or not url_has_allowed_host_and_scheme(value, allowed_hosts=None):
            raise ValidationError("A path on this site starts with a single slash, as in /articles/….")
        return
    URLValidator(schemes=["http", "https"])(value)


class BannerQuerySet(PageRetiringQuerySet):
    def moments(self, now):
        """When a banner next starts or ends and when one last did (``Banner.schedule_fields``), for the page
        cache."""
        return moments_of(self, now, Banner.schedule_fields)

    def live(self):
        now = timezone.now()
        return self.filter(starts_at__lte=now, expires_at__gt=now).order_by("-starts_at", "-pk")

    def shown(self, site_url):
        """The banner readers see now: the newest live one whose link readers may follow (``withheld``), or
        None. ``site_url`` is the site's public address (its settings)."""
        live = self.live().select_related("article")[:20]
        return next((banner for banner in live if banner.withheld(site_url) is None), None)


class Banner(NormalText, models.Model):
    """A breaking-news line shown above every reader page between its start and its expiry. It leads to one of
    the site's articles (followed to wherever the article is now) or to an outside address, or nowhere."""

    schedule_fields = ("starts_at", "expires_at")  # moments no cached page outlives

    text = models.CharField(max_length=200, help_text="One line, as readers will see it.")
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="banners",
        verbose_name="story",
        help_text="The article it leads to, wherever its address moves. Or give an outside address below.",
    )
    link = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_link],
        verbose_name="or outside address",
        help_text="Where it leads when it is not one of our articles: a full https:// address (or a path here).",
    )
    # The story as it was when the banner was last saved, so that a change to it since can be pointed out.
    article_title = models.CharField(max_length=300, blank=True, editable=False)
    article_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    starts_at = models.DateTimeField(default=timezone.now, verbose_name="shown from")
    expires_at = models.DateTimeField(verbose_name="shown until", help_text="Gone from every page at this time.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BannerQuerySet.as_manager()
    normal_forms = {"text": one_spaced}

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = "breaking-news banner"

    def __str__(self):
        return self.text

    def clean(self):
        if self.starts_at and self.expires_at and self.expires_at <= self.starts_at:
            raise ValidationError({"expires_at": "The banner must end after it starts."})
        if self.article_id and self.link:
            raise ValidationError(
                {"link": "A banner leads to one of our articles or to an outside address, not both: empty this "
                         "address or clear the story."}
            )  # fmt: skip

    def save(self, *args, **kwargs):
        normalize_text(self)
        if self.article_id:
            self.article_title, self.article_version = self.article.title, self.article.version
        elif not self.link:
            self.article_title, self.article_version = "", None
        super().save(*args, **kwargs)

    def get_link(self):
        """Where the banner leads readers: its article's address now, or the address given, or ""."""
        return self.article.get_absolute_url() if self.article_id else self.link

    def story_changes(self):
        """What happened to the banner's story since the banner was saved, as sentences for the editor (none
        when nothing did): its headline rewritten, the article withdrawn or unpublished, edited or corrected."""
        if self.article_id is None:
            if self.article_title and not self.link:
                return [f"Its story, “{self.article_title}”, was deleted: the banner leads nowhere."]
            return []
        article, changes = self.article, []
        if article.title != self.article_title:
            changes.append(f"The story's headline is now “{article.title}” (it was “{self.article_title}”).")
        if article.is_gone():
            changes.append("The story was withdrawn: the banner is hidden.")
        elif not article.is_published():
            changes.append("Readers cannot see the story: the banner is hidden.")
        if article.version != self.article_version and not changes:
            changes.append("The story was edited or corrected after the banner was saved.")
        return changes

    def is_live(self):
        now = timezone.now()
        return self.starts_at <= now < self.expires_at

    is_live.boolean = True

    def withheld(self, site_url):
        """Why readers are not shown this banner (a sentence for the editor), or None when they may be.

        Like a pin, a banner that leads to an article readers cannot see (a draft, a scheduled or embargoed
        story, one no longer published, an address no article has) is not shown: its link would give the
        story away on every page before it is out. It shows the moment the article does: its publication
        and its embargo's end are moments no cached page outlives. ``site_url``: the site's public address,
        so that a full address on this site is checked as a path is.
        """
        if self.article_id:
            if self.article.is_published():
                return None
            return (
                f"It links to “{self.article.title}”, which readers cannot see (not yet out, or withdrawn): "
                "the banner is hidden until it is public."
            )
        if not self.link:
            return None
        try:
            validate_link(self.link)
        except ValidationError as error:
            return f"Its link is not valid: {' '.join(error.messages)}"
        target = _unseen_article_named_in(self.link) or _article_at(self.link, site_url)
        if target is None:
            return None
        if isinstance(target, str):
            return f"Its link, {target}, leads to no article readers can open: the banner is hidden until it does."
        if target.is_published():
            return None
        return f"It links to “{target.title}”, which readers cannot see yet: the banner is hidden until it is public."


def _unseen_article_named_in(link):
    """An article readers cannot see whose slug the link spells out anywhere (in any letter case, in its path,
    its query, under another of this site's names, or inside another site's share address): printing the link
    would give the story away, whatever page it leads to."""
    words = {word.lower() for word in re.split(r"[^\w-]+", unquote(link)) if word}
    if not words:
        return None
    named = Article.objects.annotate(lower_slug=Lower("slug")).filter(lower_slug__in=words)
    return next((article for article in named if not article.is_published()), None)


def _site_path(path):
    """The path a browser asks for: percent-escapes decoded, "." and ".." segments resolved and repeated
    slashes read as one, so that every spelling of an address is checked as the address."""
    path = unquote(path) or "/"
    normal = posixpath.normpath("/" + path.lstrip("/"))
    return normal if normal == "/" or not path.endswith("/") else normal + "/"


def _article_at(link, site_url):
    """The article a link on this site leads to (its address, an earlier address, a share link to it); the
    path when it is an article's address (or a share link) that leads to none; None when it leads elsewhere."""
    parts, site = urlsplit(link), urlsplit(site_url)
    if (parts.scheme or parts.netloc) and (parts.hostname or "").rstrip(".") != (site.hostname or ""):
        return None  # another site
    path = _site_path(parts.path)
    alias = ArticleAlias.objects.select_related("article").filter(path=ArticleAlias.normalize(path)).first()
    if alias is not None:
        return alias.article
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name == "articles:share":
        shared = ShareLink.from_signed(match.kwargs["signed"])
        return shared.article if shared is not None else path
    if match.view_name != "articles:article":
        return None
    return Article.objects.filter(slug=match.kwargs["slug"]).first() or path


@dataclass
class FrontPage:
    """The front page's stories, each shown once: the lead, the pinned top stories, a block per section and
    the latest of the rest."""

    lead: object = None
    top: list = field(default_factory=list)
    sections: list = field(default_factory=list)  # (section, [articles]) in the navigation's order
    latest: list = field(default_factory=list)

    def __iter__(self):
        yield from ([self.lead] if self.lead else [])
        yield from self.top
        for _, articles in self.sections:
            yield from articles
        yield from self.latest


PINNED_MOST = 20


def front_page_layout(sections, *, per_section=3, latest=12):
    """Which stories go where, as ids: {"lead": id or None, "top": [ids], "sections": [(section id, [ids])],
    "latest": [ids]}. Four queries whatever the number of sections or articles: the live pins, the newest story
    when no lead is pinned, the latest of each section (one query), the latest of the rest. Plain values, so
    the layout can be kept in the shared cache and worked out once per generation (see the view).

    It depends on the pins (``surrogates.HOME``), on which articles are published (``LATEST``) and on which
    each section holds (its list's key, even for a section with no block now: a publication there adds one).
    """
    tag(names.HOME, names.LATEST, *(names.section_list(section.pk) for section in sections))
    published = Article.objects.published()
    newest = ("-published_at", "-pk")
    pinned = list(Pin.objects.front().values_list("article_id", "place")[:PINNED_MOST])
    # The first lead in the board's order: by position, then the newest pinned.
    lead = next((pk for pk, place in pinned if place == Pin.Place.LEAD), None)
    top = [pk for pk, _ in pinned if pk != lead]
    shown = list(top)
    if lead is None:
        lead = published.exclude(pk__in=shown).order_by(*newest).values_list("pk", flat=True).first()
    if lead is not None:
        shown.append(lead)
    blocks = []
    if sections:
        rest = published.exclude(pk__in=shown).order_by(*newest)
        wanted = Q()
        for section in sections:
            wanted |= Q(pk__in=rest.filter(section=section).values("pk")[:per_section])
        found = {}
        for pk, section_id in published.filter(wanted).order_by(*newest).values_list("pk", "section_id"):
            found.setdefault(section_id, []).append(pk)
        blocks = [(section.pk, found[section.pk]) for section in sections if section.pk in found]
        shown += [pk for _, pks in blocks for pk in pks]
    rest = list(published.exclude(pk__in=shown).order_by(*newest).values_list("pk", flat=True)[:latest])
    return {"lead": lead, "top": top, "sections": blocks, "latest": rest}


def front_page(sections, layout=None, **options):
    """The front page for ``layout`` (``front_page_layout``, worked out now when not given) in two queries: the
    articles, of which only those readers may see now are shown, then their bylines and tags."""
    layout = layout or front_page_layout(sections, **options)
    ids = [layout["lead"], *layout["top"], *(pk for _, pks in layout["sections"] for pk in pks), *layout["latest"]]
    published = Article.objects.published().for_lists().select_related("section", "kind", "lead_image")
    found = published.in_bulk([pk for pk in ids if pk is not None])
    attach_credits(list(found.values()))

    def pick(pks):
        return [found[pk] for pk in pks if pk in found]

    by_id = {section.pk: section for section in sections}
    blocks = [(by_id[section_id], pick(pks)) for section_id, pks in layout["sections"] if section_id in by_id]
    return FrontPage(
        lead=found.get(layout["lead"]),
        top=pick(layout["top"]),
        sections=[(section, articles) for section, articles in blocks if articles],
        latest=pick(layout["latest"]),
    )
