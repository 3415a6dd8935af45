"""The newsroom's models, by concern: articles and what hangs off them, the people in bylines, sections
and tags, the front page's pins and banner, and the site's own settings."""

from articles.models import states
from articles.models.aliases import ArticleAlias
from articles.models.articles import Article, StaleArticleError, lead_image_path
from articles.models.base import StaleEditError, article_path, author_path, section_path, tag_path, unique_slug
from articles.models.corrections import Correction
from articles.models.credits import Byline, BylineShown, TagShown, attach_credits
from articles.models.desk import Autosave, DeskPreferences
from articles.models.events import ArticleEvent
from articles.models.frontpage import Banner, FrontPage, Pin, front_page, front_page_layout
from articles.models.kinds import KindOfWork, SchemaType
from articles.models.mail import UndeliveredMail
from articles.models.media import EXPIRING_DAYS, Image, ImageQuerySet, day_start, library_path, site_today
from articles.models.people import Author, author_photo_path
from articles.models.pictures import ArticleImage
from articles.models.querysets import SEARCH_CONFIG, SEARCH_RANKED, ArticleQuerySet
from articles.models.sharing import ShareLink, _in_a_week, _new_token
from articles.models.site import SiteSettings, site_host
from articles.models.taxonomy import Section, SectionAlias, TaggedArticle
from articles.models.text import NormalText, normalize_text, one_line, one_spaced
from articles.models.workflowlog import ArticleTransition

__all__ = [
    "SEARCH_CONFIG", "SEARCH_RANKED", "Article", "ArticleAlias", "ArticleEvent",
    "ArticleImage", "ArticleQuerySet", "Autosave", "DeskPreferences",
    "EXPIRING_DAYS", "Image", "KindOfWork", "SchemaType", "ImageQuerySet", "day_start", "library_path",
    "site_today", "ArticleTransition", "Author", "Banner", "Byline", "BylineShown", "Correction", "FrontPage",
    "Pin", "front_page", "front_page_layout",
    "Section", "SectionAlias", "ShareLink", "SiteSettings", "StaleArticleError", "StaleEditError", "TaggedArticle",
    "TagShown", "UndeliveredMail",
    "_in_a_week", "_new_token", "article_path", "attach_credits", "author_path", "author_photo_path",
    "lead_image_path", "section_path", "site_host", "states", "tag_path", "unique_slug",
    "NormalText", "normalize_text", "one_line", "one_spaced",
]  # fmt: skip
