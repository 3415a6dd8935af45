"""Pieces of reader pages rendered once per version of what they show: an article card, an article's body
with its header and corrections, a feed entry.

A fragment's key is a digest of every row it is rendered from (the article, its bylines and their authors,
its tags, its corrections), of the settings it reads and of the release. An edit, a rename
or a new template makes new keys, so an old fragment is never served and nothing has to be invalidated:
when an edit retires the page generation, pages are put together again from fragments, and only the rows
that changed are rendered again.

An article's own row is signed by its version (every save counts one), its creation and modification times
and the renderer that made its HTML (``rerender_markdown`` changes only that): those change whenever anything
else in the row does, and signing 25 fields of 50 rows on every feed request cost a millisecond.

Fragments live in the shared cache (every worker and server renders each version once) and, since a key
can only ever name one rendering, each process also keeps the small ones it used lately in memory
(``LOCAL``, ``NEWSROOM_FRAGMENT_LOCAL_ENTRIES`` of them), which saves the round trip.
"""

import hashlib
import threading
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.template import loader

from articles.models import SiteSettings
from articles.site import chrome
from pagecache.pages import release

SHARED_SECONDS = 7 * 24 * 3600  # unused fragments leave the shared cache after a week
LOCAL_LARGEST = 32 * 1024  # larger fragments (long article bodies) are only kept in the shared cache


SHOW_BODIES = ("article", "feed-")  # the kinds of fragment that show bodies, and so their library pictures


def _prefix(kind):
    """Everything a key shares: the release and the settings fragments read (the site settings, whose every
    save is dated, the display time zone and the media address) and, for those that show bodies, the state of
    the library pictures bodies show (``chrome.library_version``)."""
    site = SiteSettings.current()
    shared = (release(), site.pk, site.modified_at, site.time_zone, settings.MEDIA_URL)
    if kind.startswith(SHOW_BODIES):
        shared += chrome.library_version()
    return f"newsroom:fragment:{kind}:{hashlib.blake2b(repr(shared).encode(), digest_size=8).hexdigest()}:"


def key(prefix, signature):
    return prefix + hashlib.blake2b(repr(signature).encode(), digest_size=16).hexdigest()


class _Recent:
    """The fragments this process used lately, least recently used dropped first. Fragments are immutable
    strings under keys that never change meaning, so they are kept as they are (no copy, no pickling)."""

    def __init__(self):
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys):
        found = {}
        with self._lock:
            for name in keys:
                value = self._items.get(name)
                if value is not None:
                    self._items.move_to_end(name)
                    found[name] = value
        return found

    def set_many(self, values):
        limit = settings.NEWSROOM_FRAGMENT_LOCAL_ENTRIES
        with self._lock:
            self._items.update(values)
            for name in values:
                self._items.move_to_end(name)
            while len(self._items) > limit:
                self._items.popitem(last=False)

    def clear(self):
        with self._lock:
            self._items.clear()


LOCAL = _Recent()


def many(kind, items, signature, render, prepare=None):
    """The fragment of each item, in order: ``signature(item)`` is everything the fragment shows (see
    ``article_rows``); ``render(item)`` makes it on a miss, after ``prepare(missed items)`` when given.
    Looked up in this process first, then in the shared cache with one round trip; the misses are rendered
    and stored with one more."""
    if not items:
        return []
    prefix = _prefix(kind)
    keys = [key(prefix, signature(item)) for item in items]
    found = LOCAL.get_many(keys)
    wanted = [name for name in keys if name not in found]
    if wanted:
        shared = cache.get_many(wanted)
        _keep_local(shared)
        found |= shared
    missed = [(name, item) for name, item in zip(keys, items, strict=True) if name not in found]
    if missed and prepare is not None:
        prepare([item for _, item in missed])
    made = {}
    for name, item in missed:
        if name not in found:  # the same item twice in one list is rendered once
            found[name] = made[name] = render(item)
    if made:
        cache.set_many(made, timeout=SHARED_SECONDS)
        _keep_local(made)
    return [found[name] for name in keys]


def one(kind, item, signature, render):
    return many(kind, [item], signature, render)[0]


def _size(fragment):
    """Characters in a fragment: a string, or a dict of strings (an article's parts)."""
    return sum(map(len, fragment.values())) if isinstance(fragment, dict) else len(fragment)


def _keep_local(fragments):
    small = {name: fragment for name, fragment in fragments.items() if _size(fragment) <= LOCAL_LARGEST}
    if small:
        LOCAL.set_many(small)


def article_version(article):
    """What identifies one version of an article's row (see the module's notes)."""
    values = article.__dict__
    return (article.pk, values["version"], values["created_at"], values["modified_at"], values["html_renderer"])


def picture_version(image):
    """What identifies one version of a library picture as readers see it: every save is dated, and the day
    its rights run out changes what is shown without a save."""
    return image and (image.pk, image.modified_at, image.rights_expired())


def article_rows(article, *, corrections=False):
    """Everything an article's fragments show: the article's version, its section, its lead picture, its
    bylines with their authors, its tags and, when asked, its corrections (fetched with the article by
    ``with_credits`` and the detail view; a correction has no version, so its rendered text stands for it).
    The pictures of its body are in the key's prefix (``_prefix``)."""
    section = article.section if article.section_id is not None else None
    lead = picture_version(article.lead_image) if article.lead_image_id is not None else None
    rows = [article_version(article), section and (section.pk, section.name, section.slug), lead, article.credits,
            article.tag_list]  # fmt: skip
    if corrections:
        rows += [(c.pk, c.kind, c.created_at, c.text_html) for c in article.corrections.all()]
    return rows


def render_template(name, context):
    return loader.get_template(name).render(context)


def cards(articles, *, lead=False):
    """Article cards (the first one as the lead when ``lead``), each rendered once per version."""
    items = [(article, lead and n == 0) for n, article in enumerate(articles)]
    return many("card", items, lambda item: (item[1], article_rows(item[0])), lambda item: _card(*item))


def front_cards(front):
    """The front page's cards (``models.FrontPage``) in one lookup: {"lead": card or "", "top": [cards],
    "sections": [(section, [cards])], "latest": [cards]}."""
    shown = list(front)
    made = iter(many("card", [(article, article is front.lead) for article in shown],
                     lambda item: (item[1], article_rows(item[0])), lambda item: _card(*item)))  # fmt: skip
    return {
        "lead": next(made) if front.lead else "",
        "top": [next(made) for _ in front.top],
        "sections": [(section, [next(made) for _ in articles]) for section, articles in front.sections],
        "latest": [next(made) for _ in front.latest],
    }


def _card(article, lead):
    return render_template("articles/_article_card.html", {"article": article, "lead": lead})


ARTICLE_PARTS = {"meta": "articles/_article_meta.html", "head": "articles/_article_head.html",
                 "body": "articles/_article_body.html"}  # fmt: skip


def article_parts(article, *, keep=True):
    """The article as readers see it, in the pieces its page places: "meta" (Open Graph), "head" (JSON-LD)
    and "body" (header, lead figure, body, corrections, tags). Rendered once per version when ``keep``;
    asked for again during the same request, the pieces come from the article itself."""
    parts = getattr(article, "_parts", None)
    if parts is None:

        def render(item):
            return {name: render_template(template, {"article": item}) for name, template in ARTICLE_PARTS.items()}

        signature = lambda item: article_rows(item, corrections=True)  # noqa: E731
        parts = article._parts = one("article", article, signature, render) if keep else render(article)
    return parts
