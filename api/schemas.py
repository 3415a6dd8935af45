"""What the API answers, as the OpenAPI schema documents it: one schema per kind of thing, a page of each."""

import datetime as dt

from ninja import Schema


class SectionOut(Schema):
    slug: str
    name: str
    description: str
    url: str


class TagOut(Schema):
    slug: str
    name: str
    url: str


class BylineOut(Schema):
    name: str
    slug: str
    role: str
    url: str


class LeadImageOut(Schema):
    url: str
    alt: str
    caption: str
    credit: str
    picture: int | None = None


class ArticleCardOut(Schema):
    id: int
    url: str
    slug: str
    title: str
    dek: str
    status: str
    published_at: dt.datetime | None
    updated_at: dt.datetime | None
    modified_at: dt.datetime
    section: SectionOut | None
    authors: list[BylineOut]
    tags: list[TagOut]
    lead_image: LeadImageOut | None
    live: bool


class ArticleRefOut(Schema):
    id: int
    title: str
    url: str


class CorrectionOut(Schema):
    id: int
    kind: str
    text_html: str
    created_at: dt.datetime
    url: str
    article: ArticleRefOut


class ArticleOut(ArticleCardOut):
    body_html: str
    body_source: str | None = None
    corrections: list[CorrectionOut]


class AuthorOut(Schema):
    slug: str
    name: str
    bio_html: str
    photo_url: str
    website: str
    url: str


class SourceOut(Schema):
    width: int
    height: int
    webp: str
    jpg: str


class PictureOut(Schema):
    id: int
    url: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str
    licence: str
    rights_expire_on: dt.date | None
    renditions: list[SourceOut]
    crops: dict[str, str]
    modified_at: dt.datetime


class UpdateOut(Schema):
    id: int
    headline: str
    body_html: str
    posted_at: dt.datetime
    edited_at: dt.datetime | None
    key_event: bool
    pinned: bool
    correction: str
    authors: list[str]
    url: str


class ArticlePage(Schema):
    data: list[ArticleCardOut]
    next: str | None


class SectionPage(Schema):
    data: list[SectionOut]
    next: str | None


class TagPage(Schema):
    data: list[TagOut]
    next: str | None


class AuthorPage(Schema):
    data: list[AuthorOut]
    next: str | None


class PicturePage(Schema):
    data: list[PictureOut]
    next: str | None


class CorrectionPage(Schema):
    data: list[CorrectionOut]
    next: str | None


class UpdatePage(Schema):
    data: list[UpdateOut]
    next: str | None
