"""The newsroom's models, by concern: articles and what hangs off them, the people in bylines, sections
and tags, the front page's pins and banner, and the site's own settings."""

from articles.models import states
from articles.models.articles import (
    SEARCH_CONFIG,
    SEARCH_RANKED,
    Article,
    ArticleAlias,
    ArticleImage,
    ArticleQuerySet,
    ArticleTransition,
    Byline,
    Credit,
    ShareLink,
    StaleArticleError,
    Topic,
    _in_a_week,
    _new_token,
    attach_credits,
    lead_image_path,
)
from articles.models.base import StaleEditError, article_path, author_path, section_path, tag_path, unique_slug
from articles.models.corrections import Correction
from articles.models.desk import Autosave, DeskPreferences
from articles.models.frontpage import Banner, FrontPage, Pin, front_page, front_page_layout
from articles.models.mail import UndeliveredMail
from articles.models.media import EXPIRING_DAYS, Image, ImageQuerySet, day_start, library_path, site_today
from articles.models.people import Author, author_photo_path
from articles.models.site import SiteSettings, site_host
from articles.models.taxonomy import Section, SectionAlias, TaggedArticle, published_tags
from articles.models.text import NormalText, normalize_text, one_line, one_spaced

__all__ = [
    "SEARCH_CONFIG", "SEARCH_RANKED", "Article", "ArticleAlias",
    "ArticleImage", "ArticleQuerySet", "Autosave", "DeskPreferences",
    "EXPIRING_DAYS", "Image", "ImageQuerySet", "day_start", "library_path",
    "site_today", "ArticleTransition", "Author", "Banner", "Byline", "Correction", "Credit", "FrontPage",
    "Pin", "front_page", "front_page_layout",
    "Section", "SectionAlias", "ShareLink", "SiteSettings", "StaleArticleError", "StaleEditError", "TaggedArticle",
    "Topic", "UndeliveredMail",
    "_in_a_week", "_new_token", "article_path", "attach_credits", "author_path", "author_photo_path",
    "lead_image_path", "published_tags", "section_path", "site_host", "states", "tag_path", "unique_slug",
    "NormalText", "normalize_text", "one_line", "one_spaced",
]  # fmt: skip
