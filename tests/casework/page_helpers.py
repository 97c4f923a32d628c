"""Helpers of the casework page tests: the URL of a page, and the number of queries a
page takes."""

from django.urls import reverse
from django.utils import timezone

TODAY = timezone.localdate


def url(name, obj=None):
    return reverse(f"casework:{name}", kwargs={"pk": obj.pk} if obj is not None else None)


def count_queries(client, django_assert_max_num_queries, path, params=None, limit=20):
    with django_assert_max_num_queries(limit) as captured:
        assert client.get(path, params or {}).status_code == 200
    return len(captured.captured_queries)
