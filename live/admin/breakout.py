"""Breaking a key event out into an article of its own: a draft made of the update, which links back to the
update's permalink, for the desk to finish and publish. An update is broken out once: asking again (a double
click, two editors at once) answers with the draft already made."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import Truncator

from articles.models import Article, Byline, SiteSettings
from live import rules
from live.models import Update
from live.public.page import permalink
from live.public.structured import text_of

TITLE_WORDS = 12


def _draft(update, user):
    live_page = update.article
    title = update.headline or Truncator(text_of(update)).words(TITLE_WORDS)
    name = live_page.title.replace("[", "\\[").replace("]", "\\]")  # a bracket in it would end the link's text
    address = SiteSettings.current().absolute(permalink(live_page, update))
    body = f"{update.body.rstrip()}\n\n[Follow the live coverage: {name}]({address})"
    article = Article(title=title[:300], body=body, section=live_page.section, created_by=user,
                      status=Article.Status.DRAFT)  # fmt: skip
    article._history_user = user
    article.save()
    for position, author in enumerate(update.authors.all()):
        Byline.objects.create(article=article, author=author, position=position)
    return article


def break_out(update, user):
    """The draft article made of key event ``update`` and whether this call made it: the update's headline (else
    its first words), its text and a line linking to its permalink, the live page's section and the update's
    authors as bylines, created by ``user``. Raises PermissionDenied, or ValidationError for an update that is
    deleted or not a key event."""
    live_page = update.article
    if not (user.has_perm("articles.add_article") and rules.may_post(user, live_page)):
        raise PermissionDenied("You may not make an article of this update.")
    with transaction.atomic():
        current = Update.objects.select_for_update().get(pk=update.pk)  # a second request waits for the first
        current.article = live_page
        if current.deleted_at is not None:
            raise ValidationError("This update was deleted; it cannot be broken out.")
        if current.broken_out_as_id is not None:  # unset again if that draft is deleted
            return current.broken_out_as, False
        if not current.key_event:
            raise ValidationError("Only a key event can be broken out as an article.")
        article = _draft(current, user)
        current.broken_out_as = article
        current.save(update_fields=["broken_out_as"])
    return article, True
