"""What a caller may read: for an anonymous caller (or a key without the drafts scope) exactly what readers see,
from the site's own rules (``Article.objects.published()``, ``Correction.objects.public()``, the live pages
readers may see and their shown updates); for a key with the drafts scope, every article and what hangs off it,
but for a live page's updates awaiting approval or deleted (``updates``)."""

from django.db.models import Exists, OuterRef
from taggit.models import Tag

from articles.models import Article, Author, Byline, Correction, Image, TaggedArticle
from live.models import Update
from live.public.page import readable_pages


def articles(caller):
    return Article.objects.all() if caller.drafts else Article.objects.published()


def sections(caller):
    return articles(caller).sections()


def tags(caller):
    """The tags the caller's articles carry (without counts: a count is the list of a tag's articles)."""
    return Tag.objects.filter(
        Exists(TaggedArticle.objects.filter(tag=OuterRef("pk"), content_object__in=articles(caller)))
    )


def authors(caller):
    """The authors credited on the caller's articles."""
    return Author.objects.filter(Exists(Byline.objects.filter(author=OuterRef("pk"), article__in=articles(caller))))


def pictures(caller):
    """Library pictures: for readers, those they see (``Image.objects.public``); for the drafts scope, every one."""
    return Image.objects.all() if caller.drafts else Image.objects.public()


def corrections(caller):
    return Correction.objects.all() if caller.drafts else Correction.objects.public()


def live_pages(caller):
    return Article.objects.live_pages() if caller.drafts else readable_pages()


def updates(caller, article):
    """The updates of a live page the caller may read: the shown ones (approved, not deleted), whatever the key; an
    update awaiting approval is the desk's, not a preview's."""
    return Update.objects.filter(article=article).shown()
