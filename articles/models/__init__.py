"""The newsroom's models, by concern: articles and what hangs off them, the people in bylines, sections
and tags, the front page's pins and banner, and the site's own settings."""

from . import states
from .articles import (
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
from .base import StaleEditError, article_path, author_path, section_path, tag_path, unique_slug
from .corrections import Correction
from .desk import Autosave, DeskPreferences
from .frontpage import Banner, FrontPage, Pin, front_page, front_page_layout
from .mail import UndeliveredMail
from .media import EXPIRING_DAYS, Image, ImageQuerySet, day_start, library_path, site_today
from .people import Author, author_photo_path
from .site import SiteSettings, site_host
from .taxonomy import Section, SectionAlias, TaggedArticle, published_tags
from .text import NormalText, normalize_text, one_line, one_spaced

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
