"""What the bad-input survey (survey.py) sends: hostile path segments, query strings, headers and charsets,
Markdown bodies, front-matter files and pictures made to break a decoder."""

import io
import struct
import zlib

SEGMENTS = ["nope", "' OR 1=1--", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%00", "%E2%80%AE", "%F0%9F%98%80" * 40,
            "a" * 3000, "%ff%fe", "<script>alert(1)</script>", "%", "%%32%65", "..", ".", "~", "%C0%AE",
            "con", "1e9999", "-1", "0"]  # fmt: skip
PREFIXES = ["/articles/{}/", "/authors/{}/", "/tags/{}/", "/tags/{}/feed/rss/", "/authors/{}/feed/json/",
            "/share/{}/", "/sitemap-{}.xml", "/archive/{}/", "/archive/2026/{}/", "/preview/{}/", "/{}",
            "/admin/articles/article/{}/change/", "/media/{}", "/static/{}"]  # fmt: skip
QUERIES = [{"page": v} for v in ("-1", "0", "abc", "1e9", "9" * 40, "", "2.5", "%00")] + [
    {"q": v} for v in ("' OR 1=1--", "a" * 20000, "\x01\x02", "🙂 &&& ||| !!! ((( :*", "-", '"x', "<img src=x>", "%")
] + [{"utm_source": "x" * 5000}, {"p": "-3"}, {"page": "2", "q": "x"}]  # fmt: skip
PAGES = ["/", "/search/", "/tags/", "/archive/", "/archive/2026/", "/feed/rss/", "/feed/atom/", "/feed/json/",
         "/sitemap.xml", "/sitemap-articles.xml", "/sitemap-news.xml", "/robots.txt", "/readyz"]  # fmt: skip
HEADERS = [
    {"If-Modified-Since": "yesterday"}, {"If-Modified-Since": "Mon, 99 Foo 99999 99:99:99 GMT"},
    {"If-None-Match": '"' * 500}, {"If-None-Match": "*"}, {"Range": "bytes=999999999-"}, {"Range": "bytes=-x"},
    {"Accept-Language": "xx-" + "a" * 300}, {"Accept-Language": ";q=foo,,,"}, {"Cookie": "sessionid=garbage"},
    {"Cookie": "sessionid=" + "a" * 4000}, {"Cookie": "csrftoken=\x7f\x7f; sessionid=;;;"},
    {"Host": "evil.example"}, {"Host": "127.0.0.1:99999"}, {"Host": "[::1"}, {"X-Forwarded-For": "not-an-ip, ,"},
    {"X-Forwarded-Proto": "gopher"}, {"Accept-Encoding": "gzip;q=x, br, *"}, {"Content-Length": "5"},
]  # fmt: skip
CHARSETS = ["latin-1", "bogus", "utf-16", "utf-8", ""]


def png_with_chunk(kind, payload):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, "PNG")
    png = buffer.getvalue()
    chunk = struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
    return png[:33] + chunk + png[33:]


def hostile_images():
    from PIL import Image

    def encoded(image, fmt):
        buffer = io.BytesIO()
        image.save(buffer, fmt)
        return buffer.getvalue()

    jpeg = encoded(Image.new("RGB", (800, 600), "teal"), "JPEG")
    return {
        "ztxt.png": png_with_chunk(b"zTXt", b"c\x00\x00" + zlib.compress(b"a" * 20_000_000)),
        "iccp.png": png_with_chunk(b"iCCP", b"i\x00\x00" + zlib.compress(b"\x00" * 20_000_000)),
        "strip.png": encoded(Image.new("RGB", (60000, 1), "red"), "PNG"),
        "tall.png": encoded(Image.new("RGB", (1, 30000), "red"), "PNG"),
        "bomb.png": encoded(Image.new("1", (20000, 20000)), "PNG"),
        "truncated.jpg": jpeg[: len(jpeg) // 2],
        "text.jpg": b"<html>not an image</html>",
        "empty.jpg": b"",
        "bmp.jpg": encoded(Image.new("RGB", (20, 20)), "BMP"),
        "gif.gif": encoded(Image.new("P", (30, 30)), "GIF"),
        "cmyk.jpg": encoded(Image.new("CMYK", (300, 200)), "JPEG"),
        "la.png": encoded(Image.new("LA", (300, 200)), "PNG"),
        "i16.png": encoded(Image.new("I;16", (300, 200)), "PNG"),
    }


HOSTILE_BODIES = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "# " * 2000,
    "> " * 500 + "deep", "- " * 1000 + "x", "```\n" * 300, "|a|" * 2000 + "\n|-|\n", "\x00\x01\x02", "&#0;&#xD800;",
    "[^1]\n\n[^1]: " * 200, "*" * 5000, "_" * 5000, "\u202e" * 100, "😀" * 5000, "<iframe src=//evil.example>",
    "a\r\nb\rc\n", "x" * 200_000,
]  # fmt: skip
HOSTILE_FILES = {
    "month.md": "---\ntitle: A\ndate: 2026-13-45\n---\nB.",
    "feb30.md": '---\ntitle: A\ndate: "2026-02-30T10:00:00"\n---\nB.',
    "year1.md": "---\ntitle: A\ndate: 0001-01-01T00:00:00+05:00\n---\nB.",
    "year9999.md": "---\ntitle: A\ndate: 9999-12-31T23:00:00-05:00\n---\nB.",
    "deep.json.md": '{"title": "A", "x": ' + "[" * 5000 + "]" * 5000 + "}\nB.",
    "deep.toml.md": "+++\ntitle = 'A'\nx = " + "[" * 5000 + "]" * 5000 + "\n+++\nB.",
    "bomb.md": "---\na: &a [x,x,x,x,x,x,x,x,x]\n"
    + "".join(f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip("abcde", "bcdef", strict=True))
    + "title: Bomb\n---\nB.",
    "undated.md": "---\ntitle: Undated\ndraft: false\n---\nB.",
    "gone.md": "---\ntitle: Never out\nstatus: withdrawn\n---\nB.",
    "binary.md": b"\x89PNG\r\n\x1a\n\x00\x00",
    "latin1.md": "---\ntitle: Caf\xe9\n---\nB.".encode("latin-1"),
    "unclosed.md": "---\ntitle: A\n",
    "list.md": "---\n- a\n---\nB.",
    "python.md": "---\n!!python/object/apply:os.system ['true']\n---\nB.",
    "longslug.md": "---\ntitle: A\nslug: " + "ж" * 190 + "\n---\nB.",
    "nul.md": "---\ntitle: A\x00B\n---\nB.",
}
