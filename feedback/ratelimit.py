"""Per-client rate limits for anonymous posts, kept in Django's cache.

Fixed windows counted with cache.add and cache.incr (atomic on Redis). Clients
are known only by a salted hash of their address, never stored in the database.
django-ratelimit was considered: it refuses the file and local-memory caches that
the zero-configuration default uses.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """Return (count, seconds) for "5/m"."""
    count, _, unit = rate.partition("/")
    return int(count), PERIODS[unit]


def client_address(request):
    """Return the client's address, as the outermost trusted proxy saw it."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if settings.NUM_PROXIES and hops:
        return hops[-min(settings.NUM_PROXIES, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def over_limit(request, scope, rates):
    """Count this request against each rate; return True if any is exceeded."""
    client = salted_hmac(
        f"ratelimit:{scope}", client_address(request), algorithm="sha256"
    ).hexdigest()
    now = time.time()
    exceeded = False
    for rate in rates:
        allowed, seconds = parse_rate(rate)
        key = f"ratelimit:{scope}:{client}:{seconds}:{int(now // seconds)}"
        cache.add(key, 0, timeout=seconds)
        try:
            hits = cache.incr(key)
        except ValueError:  # the window expired between add and incr
            cache.set(key, 1, timeout=seconds)
            hits = 1
        exceeded = exceeded or hits > allowed
    return exceeded
