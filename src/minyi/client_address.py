"""The address a request is counted under by the per-address limits (public forms, sign-in, consultation codes)."""

from __future__ import annotations

import ipaddress
from typing import Any


def client_address(request: Any) -> str:
    """The client's address, an IPv6 one by its /64 (one machine, or one household's line, holds a whole /64 and
    may send each request from another address in it) and an IPv4-mapped one as IPv4."""
    client = getattr(request, "client", None)
    host = str(client.host) if client else "unknown"
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return host
