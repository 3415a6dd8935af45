"""What a change purges at the edge: the one home of the rule, for every model readers see, in the names of
``articles.models.surrogates``. Registered with the edge (``edge.register``) from ``ArticlesConfig.ready()``.

An article's own key (``a<pk>``) is purged when it is or was shown (published, or withdrawn after publication:
its address answers 410 with the note); the lists holding it (the latest, its section, tags and authors, the
tag list, the corrections, the navigation) only when its place in them changed: it went public or stopped being
public, or moved (publication time, section), or was deleted; a shown article given another kind of work purges
the lists of its old and its new kind (the API's, filtered by kind). A banner leading to it is on every page but
tagged only ``banner``: a change of where it leads or of whether it shows (the article's address, its going
public or not, its deletion) purges ``banner`` too. A draft's save purges nothing. What a scheduled publication or an
expiry changes by itself is no purge's business: the edge keeps no page past it; but setting or moving such a
moment purges the lists it will change, whose pages were kept until the moment known before.

A live page's coverage times decide the LIVE label of its card in every list and of a banner leading to it:
setting or moving them purges the article's key, which every list showing its card carries (pages tag each card
they show, ``articles.public.shown.cards``), as any edit of a shown article does, and ``banner`` when a banner
leads to it. Kept until the moment known before, those pages learn the new one.

Soft or hard: a change that only refreshes what pages show (a publication, an edit, a correction added, a pin,
a banner, the site's settings, a rename) is purged soft, so the edge goes on serving the old copy for the few
seconds one background fetch takes to refresh it, and readers never wait on the origin. A change that stops
something being shown is purged hard (``edge.hard``), so no reader is served it again, not even from grace while
the origin is down: an article withdrawn, unpublished, put under embargo, expired by an edit or deleted (its
page and every list that showed it); a picture deleted, taken off an article or whose rights were made to end
already; a section, tag, author or address alias deleted; a correction deleted (most often one posted by
mistake, which should not stay on the page); a banner deleted or ended early by an edit (a banner pulled is
usually one that was wrong).
"""

from typing import NamedTuple

from django.utils import timezone

import edge
from articles.models import Banner, Section, states
from articles.models import surrogates as key

TIME_FIELDS = ("status", "published_at", "expires_at", "embargo_until")  # what decides when readers see it
COVERAGE_FIELDS = ("live_from", "live_until")  # when its card and the banner leading to it say LIVE
LIST_FIELDS = (*TIME_FIELDS, "section_id", "slug", *COVERAGE_FIELDS, "kind_id")


class ArticleBefore(NamedTuple):
    """An article as stored before a write: whether readers saw it, where it stood in the lists, and (when
    shown) what the lists it leaves name, read now since a delete takes its links with it."""

    pk: int
    live: bool
    shown: bool
    approved: bool
    times: tuple
    section_id: int | None
    slug: str
    coverage: tuple
    tag_ids: frozenset
    author_ids: frozenset
    corrected: bool
    bannered: bool
    kind_id: int | None


def _state(article, now):
    live = states.is_live(article, now)
    return live, live or states.is_gone(article)


def _links(article):
    return (
        frozenset(article.tagged_items.values_list("tag_id", flat=True)),
        frozenset(article.bylines.values_list("author_id", flat=True)),
        article.corrections.exists(),
    )


def article_before(article):
    """Read the stored row of ``article`` (two queries; three more when it is shown or approved)."""
    if article.pk is None:
        return None
    stored = type(article).objects.filter(pk=article.pk).values(*LIST_FIELDS).first()
    if stored is None:
        return None
    old = type(article)(pk=article.pk, **stored)
    live, shown = _state(old, timezone.now())
    approved = states.is_approved(old)
    links = _links(old) if shown or approved else (frozenset(), frozenset(), False)
    # Read before the write: deleting the article unlinks its banners before the delete signal.
    bannered = Banner.objects.filter(article_id=article.pk, expires_at__gt=timezone.now()).exists()
    coverage = _coverage(old)
    return ArticleBefore(article.pk, live, shown, approved, _times(old), old.section_id, old.slug, coverage, *links,
                         bannered, old.kind_id)  # fmt: skip


def _times(article):
    return tuple(getattr(article, name) for name in TIME_FIELDS)


def _coverage(article):
    return tuple(getattr(article, name) for name in COVERAGE_FIELDS)


def article_keys(article, before, deleted):
    """The keys a save or a delete of ``article`` purges (see the module's docstring). An approved article
    readers do not see yet (scheduled, embargoed) purges its lists when its times change: the pages they
    hold were kept until the next moment known when they were rendered, which may be past its new one."""
    live, shown = (False, False) if deleted else _state(article, timezone.now())
    approved = not deleted and states.is_approved(article)
    retimed = before is None or _times(article) != before.times
    timed = (approved or (before is not None and before.approved)) and retimed
    if not shown and not (before and before.shown) and not timed:
        return set()
    pk = article.pk if before is None else before.pk  # a deleted copy has lost its pk
    keys = {key.article(pk)}
    if before is not None and article.kind_id != before.kind_id:  # it left one kind's list for another's
        keys |= {key.kind_list(kind) for kind in (article.kind_id, before.kind_id) if kind is not None}
    stopped = before is not None and ((before.live and not live) or (before.shown and not shown))
    mode = edge.hard if stopped else set
    moved = (
        deleted
        or timed
        or before is None
        or live != before.live
        or shown != before.shown
        or article.section_id != before.section_id
    )
    relabelled = before is not None and _coverage(article) != before.coverage
    if before is not None and before.bannered and (moved or relabelled or article.slug != before.slug):
        keys.add(key.BANNER)
    if not moved:
        return mode(keys)
    tag_ids, author_ids, corrected = (
        (before.tag_ids, before.author_ids, before.corrected) if deleted or not (shown or approved) else _links(article)
    )
    if before is not None:
        tag_ids, author_ids = tag_ids | before.tag_ids, author_ids | before.author_ids
        corrected = corrected or before.corrected
    sections = {article.section_id, before.section_id if before else None} - {None}
    keys |= {key.LATEST, key.MISSING, key.TAGS}
    keys |= {key.section_list(pk) for pk in sections}
    keys |= {key.tag_list(pk) for pk in tag_ids} | {key.author_list(pk) for pk in author_ids}
    if corrected:
        keys.add(key.CORRECTIONS)
    if _navigation_changed(article, before, live, sections):
        keys.add(key.NAVIGATION)
    return mode(keys)


def _navigation_changed(article, before, live, sections):
    """Whether a section in the navigation gained its first published article (this one) or lost its last
    (this one): the header shows only sections with published articles."""
    published = type(article).objects.published()
    for pk in Section.objects.filter(pk__in=sections, in_navigation=True).values_list("pk", flat=True):
        count = published.filter(section_id=pk)[:2].count()
        if count == 1 and live and article.section_id == pk:
            return True
        if count == 0 and before is not None and before.live and before.section_id == pk:
            return True
    return False


def _article_shown(article_id, model):
    article = model.objects.filter(pk=article_id).only(*LIST_FIELDS).first()
    return article is not None and _state(article, timezone.now())[1]


def _of_shown_article(own_keys, hard_when_deleted=False):
    """Keys of a row hanging off an article (``article_id``), purged only while that article is shown (hard
    when the row is deleted and ``hard_when_deleted``)."""

    def keys_of(instance, before, deleted):
        model = instance._meta.get_field("article" if hasattr(instance, "article_id") else "content_object")
        article_id = getattr(instance, model.attname)
        if not _article_shown(article_id, model.related_model):
            return set()
        keys = {key.article(article_id), *own_keys(instance)}
        return edge.hard(keys) if deleted and hard_when_deleted else keys

    return keys_of


def _hard_when_deleted(own_keys):
    """Keys of a row that readers stop being shown when it is deleted: hard then, soft on a save."""

    def keys_of(instance, before, deleted):
        keys = own_keys(instance)
        return edge.hard(keys) if deleted else keys

    return keys_of


def _stored(instance):
    return None if instance.pk is None else type(instance).objects.filter(pk=instance.pk).first()


def _image_was_shown(image):
    stored = _stored(image)
    return stored is not None and not stored.rights_expired()


def _image_keys(image, was_shown, deleted):
    keys = {key.picture(image.pk)}
    return edge.hard(keys) if was_shown and (deleted or image.rights_expired()) else keys


def _banner_was_live(banner):
    stored = _stored(banner)
    return stored is not None and stored.is_live()


def _banner_keys(banner, was_live, deleted):
    return edge.hard({key.BANNER}) if was_live and (deleted or not banner.is_live()) else {key.BANNER}


def _article_links(list_key):
    """Keys of links between articles and authors or tags added or removed (``article.authors.add``)."""

    tags = list_key is key.tag_list

    def links_of(instance, reverse, pk_set):
        if reverse:  # instance is the author or tag; pk_set the articles
            return {list_key(instance.pk), *(key.article(pk) for pk in pk_set or ())}
        if pk_set is None:  # a clear: what it is about to remove
            field = "author_id" if list_key is key.author_list else "tag_id"
            relation = instance.bylines if list_key is key.author_list else instance.tagged_items
            pk_set = set(relation.values_list(field, flat=True))
        if not _state(instance, timezone.now())[1]:
            return set()
        return {key.article(instance.pk), *(list_key(pk) for pk in pk_set)} | ({key.TAGS} if tags else set())

    return links_of


def register_all(models, tag_model, register):
    """Register every model readers see with the edge's ``register``."""
    register(models.Article, article_keys, before=article_before)
    register(
        models.Byline,
        _of_shown_article(lambda byline: {key.author_list(byline.author_id)}),
        links_of=_article_links(key.author_list),
    )
    register(
        models.TaggedArticle,
        _of_shown_article(lambda tagged: {key.tag_list(tagged.tag_id), key.TAGS}),
        links_of=_article_links(key.tag_list),
    )
    register(models.Correction, _of_shown_article(lambda correction: {key.CORRECTIONS}, hard_when_deleted=True))
    register(models.ArticleAlias, _hard_when_deleted(lambda alias: {key.article(alias.article_id), key.MISSING}))
    register(models.Author, _hard_when_deleted(lambda author: {key.author(author.pk), key.MISSING}))
    register(tag_model, _hard_when_deleted(lambda tag: {key.tag(tag.pk), key.TAGS, key.MISSING}))
    register(models.Section, _hard_when_deleted(lambda section: {key.section(section.pk), key.NAVIGATION, key.MISSING}))
    register(models.KindOfWork, _hard_when_deleted(lambda kind: {key.kind(kind.pk)}))
    register(models.SectionAlias, _hard_when_deleted(lambda alias: {key.section(alias.section_id), key.MISSING}))
    register(models.Pin, lambda pin, before, deleted: {key.HOME}, bulk_keys=(key.HOME,))
    register(models.Banner, _banner_keys, before=_banner_was_live, bulk_keys=edge.hard({key.BANNER}))
    register(models.SiteSettings, lambda settings, before, deleted: {key.SITE})
    register(models.Image, _image_keys, before=_image_was_shown)
    # A picture in a body is the body's: the article's key covers it (pages tag it as i<pk> for the picture's edits).
    register(models.ArticleImage, _of_shown_article(lambda figure: set(), hard_when_deleted=True))
