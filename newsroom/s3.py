"""Media in an S3 bucket (``NEWSROOM_S3_BUCKET``): the storage settings that put them there."""


def s3_storage(bucket, *, endpoint_url=None, public_url="", access_key=None, secret_key=None, region=None):
    """The STORAGES entry for media in an S3 bucket: public, unsigned addresses (pages and feeds are cached,
    so a signed address would expire inside them), never overwriting a file of the same name."""
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "querystring_auth": False,
        "file_overwrite": False,
        "default_acl": None,
        "addressing_style": "path" if endpoint_url else None,
    }
    if public_url:
        scheme, _, rest = public_url.partition("://")
        options |= {"url_protocol": f"{scheme}:", "custom_domain": rest}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
