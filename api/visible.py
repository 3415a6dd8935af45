"""What a caller may read: for an anonymous caller (or a key without the drafts scope) exactly what readers see,
from the site's own rules (``Article.objects.published()``, ``Correction.objects.public()``, the live pages
readers may see and their shown updates); for a key with the drafts scope, every article and what hangs off it,
but for a live page's updates awaiting approval or deleted (``updates``)."""

from django.db.models import Exists, OuterRef
from taggit.models import Tag

from articles.models import Article, ArticleImage, Author, Byline, Correction, Image, TaggedArticle
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
    """Library pictures: for readers, those a published article shows (as its lead, in its body or in its
    corrections) whose rights have not run out; for the drafts scope, every one."""
    if caller.drafts:
        return Image.objects.all()
    shown = articles(caller)
    in_use = Exists(shown.filter(lead_image=OuterRef("pk"))) | Exists(
        ArticleImage.objects.filter(image=OuterRef("pk"), article__in=shown)
    )
    return Image.objects.filter(in_use).exclude(pk__in=Image.objects.rights_expired().values("pk"))


def corrections(caller):
    return Correction.objects.all() if caller.drafts else Correction.objects.public()


def live_pages(caller):
    return Article.objects.live_pages() if caller.drafts else readable_pages()


def updates(caller, article):
    """The updates of a live page the caller may read: the shown ones (approved, not deleted), whatever the key; an
    update awaiting approval is the desk's, not a preview's."""
    return Update.objects.filter(article=article).shown()
