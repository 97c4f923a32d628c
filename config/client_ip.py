"""The client address for login throttling (django-axes)."""

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or behind the ward's TLS proxy the last X-Forwarded-For entry: the one
    the proxy itself appended. Earlier entries come from the client and prove nothing."""
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR", "")
