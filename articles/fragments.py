"""Pieces of reader pages rendered once per version of what they show: an article card, an article's body
with its header and corrections, a feed entry.

A fragment's key is a digest of every row it is rendered from, field by field (the article, its bylines and
their authors, its tags, its corrections), of the settings it reads and of the release. An edit, a rename
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
from django.db.models.fields.files import FieldFile
from django.template import loader

from .cache import release

# Large fields a fragment never shows as they are: what is shown is derived from them, and the derived
# value's own key field (body_html_key, html_renderer) stands for them in a signature.
UNSIGNED = frozenset({"body", "body_html", "front_matter", "search_vector", "bio", "text", "withdrawal_note"})
SHARED_SECONDS = 7 * 24 * 3600  # unused fragments leave the shared cache after a week
LOCAL_LARGEST = 32 * 1024  # larger fragments (long article bodies) are only kept in the shared cache

_attnames = {}


def row(instance):
    """What a fragment may read from one model instance: its loaded fields (large text left out)."""
    model = type(instance)
    names = _attnames.get(model)
    if names is None:
        names = _attnames[model] = [
            field.attname for field in model._meta.concrete_fields if field.attname not in UNSIGNED
        ]  # fmt: skip
    values = instance.__dict__
    return (model._meta.label, *(_value(values.get(name)) for name in names))


def _value(value):
    return value.name if isinstance(value, FieldFile) else value  # a file is the same whether opened or not


def _settings():
    """The settings fragments read (the public address, the time zone, the media address)."""
    return (settings.NEWSROOM_SITE_URL, settings.NEWSROOM_SITE_NAME, settings.TIME_ZONE, settings.MEDIA_URL)


def key(kind, signature):
    digest = hashlib.blake2b(repr((_settings(), signature)).encode(), digest_size=16).hexdigest()
    return f"newsroom:fragment:{release()}:{kind}:{digest}"


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


def _local():
    return LOCAL


def many(kind, items, signature, render, prepare=None):
    """The fragment of each item, in order: ``signature(item)`` is everything the fragment shows (rows and
    values, see ``row``); ``render(item)`` makes it on a miss, after ``prepare(missed items)`` when given.
    Looked up in this process first, then in the shared cache with one round trip; the misses are rendered
    and stored with one more."""
    if not items:
        return []
    keys = [key(kind, signature(item)) for item in items]
    local = _local()
    found = local.get_many(keys)
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


def _keep_local(fragments):
    small = {name: html for name, html in fragments.items() if len(html) <= LOCAL_LARGEST}
    if small:
        _local().set_many(small)


def article_version(article):
    """What identifies one version of an article's row (see the module's notes)."""
    values = article.__dict__
    return (article.pk, values["version"], values["created_at"], values["modified_at"], values["html_renderer"])


def article_rows(article, *, corrections=False):
    """Everything an article's fragments show: the article, its bylines with their authors, its tags and,
    when asked, its corrections (fetched with the article by ``with_credits`` and the detail view)."""
    rows = [article_version(article), article.credits, article.tag_list]
    if corrections:
        rows += [row(correction) for correction in article.corrections.all()]
    return rows


def render_template(name, context):
    return loader.get_template(name).render(context)


def cards(articles, *, lead=False):
    """Article cards (the first one as the lead when ``lead``), each rendered once per version."""
    articles = list(articles)
    if lead and articles:
        first = one("card-lead", articles[0], article_rows, lambda a: _card(a, lead=True))
        return [first, *cards(articles[1:])]
    return many("card", articles, article_rows, _card)


def _card(article, *, lead=False):
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
