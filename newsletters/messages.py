"""What an issue says, rendered once for all its subscribers (``render``): its intro, and its articles as cards
(only articles readers may see now, ``Article.objects.published()``), as HTML with its CSS inlined (css-inline;
the dark-mode rules kept in a style element) and as plain text. Each subscriber's own parts (their links, their
address) stand in it as markers, put in by ``newsletters.envelope`` for each message."""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

import css_inline
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from articles.markup import markdown
from articles.models import Article, SiteSettings
from newsletters.models import Edition

PREFERENCES_URL = "https://newsletter.invalid/nr-preferences-link"
UNSUBSCRIBE_URL = "https://newsletter.invalid/nr-unsubscribe-link"
ADDRESS = "nr-subscriber-address@newsletter.invalid"
MARKERS = (PREFERENCES_URL, UNSUBSCRIBE_URL, ADDRESS)

DIGEST_LIMIT = 30  # the most articles a digest lists
DIGEST_FIRST_DAYS = 1  # a list's first digest gathers this many days
EMAIL_WIDTH = 600  # the message's column; pictures are the rendition nearest this width

SITE_PATH = re.compile(r'\b(href|src)="(/(?!/))')
SRCSET = re.compile(r'\bsrcset="([^"]*)"')
INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


@dataclass
class Rendered:
    subject: str
    html: str
    text: str
    article_pks: list = field(default_factory=list)


def digest_since(edition, now=None):
    """Where a digest starts: when the list's last issue started sending, or a day ago for its first."""
    last = (
        Edition.objects.filter(newsletter=edition.newsletter_id, started_at__isnull=False)
        .exclude(pk=edition.pk)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return last or (now or timezone.now()) - timedelta(days=DIGEST_FIRST_DAYS)


def articles_of(edition, *, since=None):
    """The articles the issue shows now, in order: the chosen ones, or the list's digest since ``since``. Only
    published articles; anything else is left out, whatever was chosen."""
    shown = Article.objects.published().for_lists().with_credits()
    if edition.mode == Edition.Mode.DIGEST:
        newsletter = edition.newsletter
        where = Q()
        sections, authors = list(newsletter.sections.all()), list(newsletter.authors.all())
        if sections:
            where |= Q(section__in=sections)
        if authors:
            where |= Q(bylines__author__in=authors)
        since = since or edition.digest_since or digest_since(edition)
        pks = shown.filter(where, published_at__gt=since).order_by("-published_at", "-pk").values_list("pk", flat=True)
        pks = list(dict.fromkeys(pks))[:DIGEST_LIMIT]
        found = {article.pk: article for article in shown.filter(pk__in=pks)}
        return [found[pk] for pk in pks if pk in found]
    order = list(edition.entries.order_by("position", "pk").values_list("article_id", flat=True))
    if not order:
        return []
    found = {article.pk: article for article in shown.filter(pk__in=order)}
    return [found[pk] for pk in order if pk in found]


def left_out(edition):
    """The chosen articles an issue would leave out now because readers cannot see them (for the preview)."""
    if edition.mode != Edition.Mode.CHOSEN or edition.pk is None:
        return []
    chosen = Article.objects.filter(pk__in=edition.entries.values("article_id"))
    return list(chosen.exclude(pk__in=Article.objects.published().values("pk")).order_by("title"))


def tracked(url, edition):
    """``url`` with the campaign's utm_ parameters when the operator turned tracking on; else unchanged."""
    if not settings.NEWSROOM_NEWSLETTER_TRACKING:
        return url
    parts = urlsplit(url)
    extra = urlencode({"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": edition.newsletter.slug})
    return urlunsplit(parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra))


def picture_url(article, site):
    """An absolute address of the lead picture's JPEG rendition nearest the column's width (mail programs show
    JPEG everywhere), or the outside address an article names; "" when there is none to show."""
    image = article.shown_lead_image
    if image is not None:
        sources = image.renditions.get("sources") or []
        if sources:
            wide = [s for s in sources if s["width"] >= EMAIL_WIDTH]
            chosen = min(wide, key=lambda s: s["width"]) if wide else max(sources, key=lambda s: s["width"])
            return site.absolute(default_storage.url(chosen["jpg"]))
        return site.absolute(image.url)
    url = article.image_url
    return url if url.startswith(("https://", "http://")) else ""


def absolute_links(html, site):
    """Addresses on the site (``/path``) made absolute: a message is read away from the site."""
    html = SITE_PATH.sub(lambda m: f'{m[1]}="{site.absolute(m[2])}', html)

    def each(match):
        candidates = [c.strip() for c in match[1].split(",")]
        made = [site.absolute(c) if c.startswith("/") and not c.startswith("//") else c for c in candidates]
        return f'srcset="{", ".join(made)}"'

    return SRCSET.sub(each, html)


def card(article, edition, site):
    label = article.kind_label  # what kind of piece it is, as the site's cards say above the headline
    return {
        "label": label.text if label else "",
        "sponsored": bool(label and label.sponsored),
        "title": article.title,
        "dek": article.dek,
        "url": tracked(site.absolute(article.get_absolute_url()), edition),
        "section": article.section.name if article.section_id else "",
        "bylines": ", ".join(byline.name for byline in article.bylines_shown),
        "published_at": article.published_at,
        "picture": picture_url(article, site),
        "alt": article.lead_alt,
    }


def render(edition, *, since=None, only=None):
    """The issue as every subscriber is sent it, markers in place of their own parts; ``only``, when given, the
    articles it may still show (those it was first sent with)."""
    site = SiteSettings.current()
    articles = articles_of(edition, since=since)
    if only is not None:
        articles = [article for article in articles if article.pk in only]
    intro_html = absolute_links(
        markdown.render_markdown(edition.intro, site_host=urlsplit(site.public_url).hostname or ""), site
    )
    context = {
        "site": site,
        "site_url": site.absolute("/"),
        "edition": edition,
        "newsletter": edition.newsletter,
        "intro_html": intro_html,
        "intro_text": edition.intro.strip(),
        "cards": [card(article, edition, site) for article in articles],
        "preferences_url": PREFERENCES_URL,
        "unsubscribe_url": UNSUBSCRIBE_URL,
        "address": ADDRESS,
        "archive_url": site.absolute("/newsletters/"),
    }
    html = INLINER.inline(render_to_string("newsletters/email/edition.html", context))
    text = render_to_string("newsletters/email/edition.txt", context)
    return Rendered(subject=edition.subject, html=html, text=text, article_pks=[a.pk for a in articles])
