"""Reader pages of live coverage besides the article page (which shows the stream through ``page.article_part``)."""

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404

from articles.models import Article
from live.models import Update
from live.public import page


def update_permalink(request, slug, pk):
    """An update's permalink: a 302 to the page of its live page that holds it now (it moves to older pages
    as updates are posted). A 404 for a deleted or pending update, or a page readers may not see."""
    article = get_object_or_404(Article.objects.published().exclude(live_from=None), slug=slug)
    update = get_object_or_404(Update.objects.shown().filter(article=article), pk=pk)
    number = page.page_of(article, update)
    query = f"?page={number}" if number > 1 else ""
    response = HttpResponseRedirect(f"{article.get_absolute_url()}{query}#{update.anchor}")
    response["Cache-Control"] = "no-cache"
    return response
