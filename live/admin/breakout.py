"""Breaking a key event out into an article of its own: a draft made of the update, which links back to the
update on the live page, for the desk to finish and publish."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import Truncator

from articles.markup import reading
from articles.models import Article, Byline, SiteSettings
from live import rules

TITLE_WORDS = 12


def permalink(update):
    """The update's address on the live page, for readers (``#update-<pk>``)."""
    return SiteSettings.current().absolute(f"{update.article.get_absolute_url()}#{update.anchor}")


def break_out(update, user):
    """A new draft article: the update's headline (else its first words), its text and a line linking back to it,
    the live page's section and the update's authors as bylines, created by ``user``."""
    live_page = update.article
    if not (user.has_perm("articles.add_article") and rules.may_post(user, live_page)):
        raise PermissionDenied("You may not make an article of this update.")
    if update.deleted_at is not None:
        raise ValidationError("This update was deleted; it cannot be broken out.")
    title = update.headline or Truncator(reading.plain_text(update.body_html)).words(TITLE_WORDS)
    name = live_page.title.replace("[", "\\[").replace("]", "\\]")  # a bracket in it would end the link's text
    body = f"{update.body.rstrip()}\n\n[Follow the live coverage: {name}]({permalink(update)})"
    with transaction.atomic():
        article = Article(title=title[:300], body=body, section=live_page.section, created_by=user,
                          status=Article.Status.DRAFT)  # fmt: skip
        article._history_user = user
        article.save()
        for position, author in enumerate(update.authors.all()):
            Byline.objects.create(article=article, author=author, position=position)
    return article
