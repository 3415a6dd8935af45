"""“Publish and send to list X” on an article's change page, for breaking news: in one transaction the article
is published through the workflow (``transitions.apply``; a refusal is shown and nothing is sent), an issue of
that article alone is made and queued. An article already published is only sent. Nothing is sent of an
article readers cannot see: one the workflow will not publish (an embargo, a missing checklist item), or that
its publication leaves not public, takes the whole step back."""

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from articles.models import Article
from articles.workflow import transitions
from newsletters import sending
from newsletters.admin.lists import counted
from newsletters.models import Edition, EditionArticle, Newsletter

PUBLISHABLE = transitions.TRANSITIONS["publish"].sources


class Refused(Exception):
    pass


def may_send(user):
    return all(user.has_perm(p) for p in ("articles.publish_article", "newsletters.add_edition",
                                          "newsletters.change_edition"))  # fmt: skip


def article_panel(request, article):
    """The lists this article can be sent to, one button each, for an editor who may publish and send."""
    if not may_send(request.user):
        return None
    public = article.is_published()
    if not public and article.state() not in PUBLISHABLE:
        return None
    lists = list(counted(Newsletter.objects.all()))
    if not lists:
        return None
    sent = Edition.objects.filter(source_article=article).select_related("newsletter").order_by("-created_at")[:5]
    return {
        "template": "admin/newsletters/_article_panel.html",
        "jump": {"href": "#nl-article-panel", "label": "Send to a newsletter"},
        "article": article,
        "public": public,
        "lists": lists,
        "sent": list(sent),
        "url": reverse("admin:newsletters_edition_publish_and_send", args=[article.pk]),
    }


@require_POST
def publish_and_send(request, article_pk):
    if not may_send(request.user):
        raise PermissionDenied
    article = get_object_or_404(Article, pk=article_pk)
    back = reverse("admin:articles_article_change", args=[article.pk])
    chosen = request.POST.get("newsletter", "")
    newsletter = Newsletter.objects.filter(pk=int(chosen)).first() if chosen.isdigit() and len(chosen) < 10 else None
    if newsletter is None:
        flash.error(request, "Choose the list to send it to.")
        return redirect(back)
    published_now = False
    try:
        with transaction.atomic():
            if not article.is_published():
                article = transitions.apply(article, "publish", request.user)
                published_now = True
            if not Article.objects.published().filter(pk=article.pk).exists():
                raise Refused("Readers cannot see it now, so it was not sent.")
            edition = Edition.objects.create(
                newsletter=newsletter, subject=article.title[:200], mode=Edition.Mode.CHOSEN,
                source_article=article, created_by=request.user,
            )  # fmt: skip
            EditionArticle.objects.create(edition=edition, article=article, position=0)
            sending.queue(edition)
    except transitions.TransitionError as error:
        flash.error(request, f"Not published, and not sent: {error}.")
        return redirect(back)
    except (Refused, sending.NotSendable) as error:
        flash.error(request, f"Nothing was published or sent: {error}")
        return redirect(back)
    done = "Published, and on its way" if published_now else "On its way"
    flash.success(request, f"{done} to {newsletter}.")
    return redirect(reverse("admin:newsletters_edition_change", args=[edition.pk]))
