"""The JSON API under /api/: the one NinjaAPI (`root.py`) and what every app's router shares.

`auth.py` authenticates every request (bearer token or browser session), `schemas.py` holds the
error body (`ErrorOut`, `error_responses`), `pagination.py` the paging of every list (`PageQuery`,
its bounds, the page's body), `params.py` the parsers of query and body values with Chinese
messages; `root.py` maps every error to `ErrorOut`. `api` is loaded on first use rather than here,
so that the routers, which `root.py` mounts, can import this package's shared modules without an
import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ninja import NinjaAPI


def __getattr__(name: str) -> NinjaAPI:
    if name != "api":
        raise AttributeError(name)
    from onewindow.api.root import api

    return api
