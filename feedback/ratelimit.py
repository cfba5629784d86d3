"""Per-client rate limits for anonymous posts, kept in Django's cache.

Each window is counted with cache.add and cache.incr (atomic on Redis), and the
limit applies to a sliding estimate: this window's count plus the previous
window's, weighted by how much of the last `seconds` it still covers. Fixed
windows alone let a client send twice the rate across a window's edge.
Clients are known only by a salted hash of their address, never stored in the
database.
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
    limits = [parse_rate(rate) for rate in rates]

    def key(seconds, window):
        return f"ratelimit:{scope}:{client}:{seconds}:{window}"

    previous = cache.get_many(
        [key(seconds, int(now // seconds) - 1) for _, seconds in limits]
    )
    exceeded = False
    for allowed, seconds in limits:
        window = int(now // seconds)
        current = key(seconds, window)
        # A count is kept for two windows: in the second it is the previous one.
        cache.add(current, 0, timeout=2 * seconds)
        try:
            hits = cache.incr(current)
        except ValueError:  # the count expired between add and incr
            cache.set(current, 1, timeout=2 * seconds)
            hits = 1
        still_covered = 1 - (now % seconds) / seconds
        estimate = hits + previous.get(key(seconds, window - 1), 0) * still_covered
        exceeded = exceeded or estimate > allowed
    return exceeded
