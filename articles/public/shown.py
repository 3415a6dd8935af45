"""What reader pages show, tagged as surrogate keys (``articles.models.surrogates``, ``pagecache.keys``) where a
page chooses it: the views, the feeds and the values they remember, never only inside a fragment kept in the
cache (a page put together from cached fragments tags what it shows all the same).
"""

from articles.markup import figures
from articles.models import ArticleImage
from articles.models import surrogates as names
from pagecache.keys import tag


def card_keys(article):
    """What an article's card, feed entry or page header shows: the article, its section, its kind of work, its
    authors, its tags and its lead picture (its library picture, even one whose rights have run out: renewing them shows
    it again)."""
    found = [names.article(article.pk)]
    if article.section_id is not None:
        found.append(names.section(article.section_id))
    if article.kind_id is not None:
        found.append(names.kind(article.kind_id))
    found += [names.author(byline.author_id) for byline in article.bylines_shown if byline.author_id is not None]
    found += [names.tag(shown.pk) for shown in article.tags_shown]
    if article.lead_image_id is not None:
        found.append(names.picture(article.lead_image_id))
    return found


def cards(articles):
    """Tag the cards of ``articles``."""
    for article in articles:
        tag(*card_keys(article))


def body_pictures(articles):
    """Tag the library pictures the bodies and corrections of ``articles`` show (as recorded at each save,
    ``ArticleImage``), in one query."""
    pks = [article.pk for article in articles]
    if pks:
        tag(*map(names.picture, ArticleImage.objects.filter(article_id__in=pks).values_list("image_id", flat=True)))


def article_page(article):
    """Tag an article's page: its card's keys, the pictures of its body and corrections (asked for only when
    its body or a correction shows a library picture, as few do), its corrections being its own."""
    tag(*card_keys(article))
    texts = [article.body_html, *(correction.text_html for correction in article.corrections.all())]
    if any("data-image=" in text for text in texts):
        body_pictures([article])


def author_page(author):
    """Tag an author's page: the author, their list, their photo and the library pictures of their bio (read
    from the text, no query)."""
    tag(names.author(author.pk), names.author_list(author.pk))
    if author.photo_id is not None:
        tag(names.picture(author.photo_id))
    tag(*map(names.picture, figures.referenced_ids(author.bio_html)))


def corrections(found):
    """Tag a list of corrections (the corrections page, its feed): the list, the articles they name, and the
    library pictures their texts show (read from the texts, no query)."""
    tag(names.CORRECTIONS)
    for correction in found:
        tag(names.article(correction.article_id), *map(names.picture, figures.referenced_ids(correction.text_html)))
