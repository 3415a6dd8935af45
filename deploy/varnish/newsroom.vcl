vcl 4.1;
# Newsroom's edge: Varnish in front of the app servers, purged by surrogate keys.
#
# Debian: apt-get install varnish varnish-modules (Varnish 7.1; varnish-modules brings the xkey module).
# Start varnishd with the parameters in deploy/varnish/varnishd.params (long xkey headers need them), e.g.
#     varnishd -a :80 -f /etc/varnish/newsroom.vcl -s malloc,1G $(cat deploy/varnish/varnishd.params)
#
# What it does:
#   * Pages are stored only when the app says so, with `Surrogate-Control: max-age=N` (the app sends it on
#     anonymous reader pages when NEWSROOM_EDGE_PURGE_URLS names this edge); N is the time to live, capped by
#     the app at the next scheduled change. Static files (/static/) follow the app's Cache-Control. Nothing else
#     is stored: signed-in requests, the admin, previews, share links, health checks, anything but GET/HEAD,
#     responses that set a cookie, 5xx.
#   * Each stored page carries the keys of what it shows (the app's `xkey` header). When something changes the
#     app sends `PURGE /` with `X-Purge-Secret` and the keys in one or both of two headers:
#       - `xkey-softpurge: k1 k2 ...` for a change that only refreshes what pages show (a publication, an edit,
#         a correction added, a pin, a banner, the site's settings, a rename): every page tagged with one of the
#         keys expires but stays in grace, so the next readers get the old copy at once while one background
#         fetch refreshes it. While the origin is down, a soft-purged page goes on being served from grace.
#       - `xkey-purge: k1 k2 ...` for a change that stops something being shown (an article withdrawn,
#         unpublished, embargoed or deleted; a picture deleted or whose rights ended; a section, tag or author
#         deleted; a correction or banner removed): every page tagged with one of the keys is dropped at once,
#         from grace too. A hard-purged page is never served again, not even while the origin is down.
#   * Grace: while the origin's /readyz probe is sick, stored pages are served up to 6 hours past their time
#     to live; while it is healthy, at most 10 seconds (the time a background refresh takes).
#   * `xkey` and `Surrogate-Control` never reach readers; `X-Cache: HIT|MISS` and `Age` do.

import std;
import xkey;

# The origin: gunicorn (or a load balancer in front of several app servers). The probe asks the app's
# readiness check, which answers 200 when its database answers and 503 when not. The probe's Host header is
# the .host below: it must be in DJANGO_ALLOWED_HOSTS (or set .host_header to a name that is).
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    .probe = {
        .url = "/readyz";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;      # the last three probes...
        .threshold = 2;   # ...two of which must be 200: sick within about two seconds of an outage
        .initial = 2;     # healthy at start, so the first requests are not refused while probes accumulate
    }
}

# Who may purge: the app servers. Purges from elsewhere get 403 whatever secret they carry. Add the app
# servers' addresses when the edge runs on its own machine.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        call newsroom_purge;
    }

    # Grace: a stored page past its time to live is served (while one background fetch refreshes it) for
    # 10 seconds when the origin is healthy, and for the object's whole grace (6 hours) when it is sick.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # /readyz tells the truth through the edge: when the probe says the origin is not ready, say so here
    # (Varnish fetches nothing from a sick backend); otherwise ask the app itself.
    if (req.url ~ "^/readyz(\?|$)" && !std.healthy(req.backend_hint)) {
        return (synth(503, "Origin not ready"));
    }
    if (req.url ~ "^/(admin|preview|share)/" || req.url ~ "^/(readyz|healthz)(\?|$)") {
        return (pass);
    }
    # A session cookie means someone signed in: their pages are theirs, never stored, never served from store.
    if (req.http.Cookie ~ "(^|;)\s*sessionid=") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Every other cookie (a CSRF token, analytics) changes nothing the app renders for readers: dropping it
    # makes the app's `Vary: Cookie` match one stored copy for everyone.
    unset req.http.Cookie;

    # Reader pages read two query parameters, `page` and `q` (the app's page cache keys on those alone:
    # pagecache.middleware.KEPT_PARAMETERS). Every other one (tracking parameters such as utm_*, fbclid and
    # gclid, or junk meant to split the cache) is removed before the lookup and before the origin sees the
    # address, the two kept in their order. A reader page that comes to read another must be named here too.
    # The content API reads every parameter (filters, limit, cursor, include): its addresses are kept whole, as
    # the app's page cache keys them (`reader_parameters`).
    if (req.url ~ "\?" && req.url !~ "^/api/") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:page|q)=)[^&]*(&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
    }

    # Accept-Encoding: gzip or nothing. Varnish stores one gzipped copy and unzips it for clients that
    # do not take gzip (http_gzip_support, on by default).
    if (req.http.Accept-Encoding ~ "(?i)\bgzip\b(?!\s*;\s*q=0(\.0+)?\s*(,|$))") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    return (hash);
}

# PURGE / with `xkey-purge: k1 k2 ...` (hard) and/or `xkey-softpurge: k1 k2 ...` (soft), keys separated by
# spaces or commas, as many as fit in a request header (http_req_hdr_len, 64 KB with varnishd.params, thousands
# of keys; the app sends at most 100 a request), and `X-Purge-Secret`. 200 with `X-Purged: <objects purged>`
# (both kinds together); 403 from outside the ACL, without the secret, with a wrong one, or when the secret file
# is empty; 400 when neither header names a key.
sub newsroom_purge {
    if (client.ip !~ purgers) {
        return (synth(403, "Forbidden"));
    }
    # The secret: the file's content, whitespace trimmed. std.fileread reads it once per VCL load: after
    # changing it, reload the VCL (systemctl reload varnish). A missing or empty file refuses every purge.
    if (regsuball(std.fileread("/etc/varnish/newsroom-purge.secret"), "^\s+|\s+$", "") == ""
        || req.http.X-Purge-Secret != regsuball(std.fileread("/etc/varnish/newsroom-purge.secret"),
            "^\s+|\s+$", "")) {
        return (synth(403, "Forbidden"));
    }
    if (req.http.xkey-purge !~ "[^\s,]" && req.http.xkey-softpurge !~ "[^\s,]") {
        return (synth(400, "No keys"));
    }
    # Hard first: a key in both headers finds its pages gone and is not counted twice.
    set req.http.X-Purged-Hard = "0";
    set req.http.X-Purged-Soft = "0";
    if (req.http.xkey-purge ~ "[^\s,]") {
        set req.http.X-Purged-Hard = xkey.purge(req.http.xkey-purge);
    }
    if (req.http.xkey-softpurge ~ "[^\s,]") {
        set req.http.X-Purged-Soft = xkey.softpurge(req.http.xkey-softpurge);
    }
    set req.http.X-Purged = std.integer(req.http.X-Purged-Hard, 0) + std.integer(req.http.X-Purged-Soft, 0);
    return (synth(200, "Purged"));
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.host) {
        # One copy whatever the name's case or port (the app answers them alike).
        hash_data(std.tolower(regsub(req.http.host, ":[0-9]+$", "")));
    } else {
        hash_data(server.ip);
    }
    return (lookup);
}

sub vcl_backend_response {
    # A pass (signed in, admin, POST...): delivered, never stored.
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Compress text the origin sent uncompressed, so one gzipped copy serves everyone: Varnish unzips it for
    # clients that do not take gzip, adds Accept-Encoding to Vary, and leaves Accept-Encoding out of its own
    # Vary matching (it answers every encoding from the one copy).
    if (!beresp.http.Content-Encoding
        && beresp.http.Content-Type ~ "(?i)^(text/|application/([a-z.+-]*\+)?(json|xml|javascript)|image/svg\+xml)") {
        set beresp.do_gzip = true;
    }
    if (beresp.status >= 500) {
        # A refresh of a stale page that fails keeps the stale page (it goes on being served in grace).
        if (bereq.is_bgfetch) {
            return (abandon);
        }
        call newsroom_hit_for_miss;
    }
    if (beresp.http.Set-Cookie) {
        call newsroom_hit_for_miss;
    }
    if (beresp.http.Surrogate-Control ~ "(?i)(^|[,\s])max-age=[0-9]+") {
        set beresp.ttl = std.duration(regsub(beresp.http.Surrogate-Control,
            "(?i)^.*?(?:^|[,\s])max-age=([0-9]+).*$", "\1s"), 0s);
        if (beresp.ttl <= 0s) {
            call newsroom_hit_for_miss;
        }
        set beresp.grace = 6h;
        return (deliver);
    }
    if (bereq.url ~ "^/static/") {
        # Varnish has already set beresp.ttl from Cache-Control (s-maxage, max-age) or Expires; a file that
        # says neither is not stored (rather than kept for Varnish's default_ttl).
        if ((beresp.http.Cache-Control !~ "(?i)max-age=" && !beresp.http.Expires) || beresp.ttl <= 0s
            || beresp.http.Cache-Control ~ "(?i)no-cache|no-store|private") {
            call newsroom_hit_for_miss;
        }
        set beresp.grace = 6h;
        return (deliver);
    }
    call newsroom_hit_for_miss;
}

# Not stored: remember for a short while that this address is not cacheable, so requests for it go straight
# to the origin in parallel instead of queueing behind each other.
sub newsroom_hit_for_miss {
    set beresp.uncacheable = true;
    set beresp.ttl = 10s;
    set beresp.grace = 0s;
    return (deliver);
}

sub vcl_backend_error {
    # The origin could not be reached: a background refresh keeps the stale page; a reader's request gets a
    # 503 that is not stored.
    if (bereq.is_bgfetch) {
        return (abandon);
    }
    set beresp.ttl = 0s;
    set beresp.grace = 0s;
    set beresp.uncacheable = true;
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.Surrogate-Control;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    if (req.method == "PURGE" && resp.status == 200) {
        set resp.http.X-Purged = req.http.X-Purged;
    }
    if (resp.status == 503 && req.url ~ "^/readyz(\?|$)") {
        set resp.http.Content-Type = "application/json";
        set resp.http.Cache-Control = "no-cache, no-store, must-revalidate, max-age=0";
        set resp.body = {"{"ready": false, "edge": "the origin's readiness probe is failing" }
"};
        return (deliver);
    }
    set resp.body = resp.reason + {"
"};
    return (deliver);
}
