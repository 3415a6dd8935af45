"""Reader pages of live coverage besides the article page (which shows the stream through ``page.article_part``)."""

from django.http import Http404, HttpResponseRedirect

from articles.models import surrogates as names
from live.models import Update
from live.public import page
from pagecache.keys import tag


def update_permalink(request, slug, pk):
    """An update's permalink: a 302 to the page of its live page that holds it now (it moves to older pages
    as updates are posted). A 404 for a deleted or pending update, or a page readers may not see.

    Served from the page cache under the stream's token and tagged with the stream's surrogate key: any change
    to the stream (a post moves the update to an older page) retires it."""
    article = page.readable_page(slug)
    if article is None:
        raise Http404("There is no live page at this address.")
    tag(names.article(article.pk), names.stream(article.pk))
    update = Update.objects.shown().filter(article=article, pk=pk).first()
    if update is None:
        raise Http404("There is no such update on this live page.")
    number = page.page_of(article, update)
    query = f"?page={number}" if number > 1 else ""
    return HttpResponseRedirect(f"{article.get_absolute_url()}{query}#{update.anchor}")
