"""Where attachments (scanned signed forms, consent documents, letters) are kept, and how big
one may be. Read by config/settings.py; the variables are described in docs/attachments.md.

- TSUNAGU_ATTACHMENT_STORAGE=file (the default): a folder outside the static files,
  TSUNAGU_ATTACHMENT_DIR (default <TSUNAGU_VAR_DIR>/attachments), never served by the web
  server itself: every download goes through the access check.
- TSUNAGU_ATTACHMENT_STORAGE=s3: an S3-compatible object store through django-storages (the
  optional extra `s3`), with TSUNAGU_S3_* below. The bucket must not be public: Tsunagu reads
  the objects and hands them on, it never sends a browser to the store.

A malformed value stops start-up with ImproperlyConfigured naming the variable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_str


def attachment_storage(var_dir: Path) -> dict[str, Any]:
    """The STORAGES entry "attachments" for the current environment."""
    kind = env_str("TSUNAGU_ATTACHMENT_STORAGE", "file")
    if kind == "file":
        location = env_str("TSUNAGU_ATTACHMENT_DIR", str(var_dir / "attachments"))
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            # No base_url: the files have no address of their own.
            "OPTIONS": {
                "location": location,
                "base_url": None,
                "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700,
            },
        }
    if kind != "s3":
        raise ImproperlyConfigured(f"TSUNAGU_ATTACHMENT_STORAGE: expected file or s3, got {kind!r}")
    try:
        import storages.backends.s3  # noqa: F401
    except ImportError:
        raise ImproperlyConfigured(
            "TSUNAGU_ATTACHMENT_STORAGE=s3: django-storages is not installed "
            "(pip install -e '.[s3]')"
        ) from None
    bucket = env_str("TSUNAGU_S3_BUCKET")
    if not bucket:
        raise ImproperlyConfigured("TSUNAGU_S3_BUCKET: required when TSUNAGU_ATTACHMENT_STORAGE=s3")
    endpoint = env_str("TSUNAGU_S3_ENDPOINT_URL")
    if endpoint and not endpoint.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"TSUNAGU_S3_ENDPOINT_URL: expected https://host[:port], got {endpoint!r}"
        )
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": env_str("TSUNAGU_S3_PREFIX", "attachments").strip("/"),
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
    }
    for option, name in (
        ("endpoint_url", "TSUNAGU_S3_ENDPOINT_URL"),
        ("region_name", "TSUNAGU_S3_REGION"),
        # Without them boto3 finds its own (environment, instance role).
        ("access_key", "TSUNAGU_S3_ACCESS_KEY_ID"),
        ("secret_key", "TSUNAGU_S3_SECRET_ACCESS_KEY"),
    ):
        value = env_str(name)
        if value:
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


# The largest file one may attach (a scanned form of a few pages is well under it).
ATTACHMENT_MAX_BYTES = env_int("TSUNAGU_ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024
