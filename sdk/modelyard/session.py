"""The HTTP session under the client: one signed-in connection, retries, paging,
uploads and downloads. The entities talk to the server through it."""

from __future__ import annotations

import hashlib
import os
import random
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import requests

from modelyard import errors
from modelyard.multipart import Field, FilePart, MultipartBody

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})
MAX_BACKOFF = 30.0
PAGE_SIZE = 500


class Session:
    """A signed-in connection to one Modelyard server (see `modelyard.Client`)."""

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 60.0,
        connect_timeout: float = 10.0,
        retries: int = 4,
        backoff: float = 0.5,
    ) -> None:
        url = url or os.environ.get("MODELYARD_URL")
        token = token or os.environ.get("MODELYARD_TOKEN")
        if not url or not token:
            raise errors.NotLoggedIn(
                "Call modelyard.login(url, token) or set MODELYARD_URL and MODELYARD_TOKEN."
            )
        self.url = _server_url(url)
        self.token = token
        self.timeout = (connect_timeout, timeout)
        self.retries = retries
        self.backoff = backoff
        self.session = requests.Session()
        self.session.headers.update(
            {"Authorization": f"Token {token}", "Accept": "application/json"}
        )
        self.session.headers["User-Agent"] = "modelyard-sdk/0.1"

    def __repr__(self) -> str:
        return f"<modelyard.{type(self).__name__} {self.url}>"

    @classmethod
    def token_for(cls, url: str, username: str, password: str) -> str:
        """Trade a username and password for a new API token (POST /api/v1/auth/token)."""
        response = requests.post(
            _server_url(url) + "/api/v1/auth/token",
            json={"username": username, "password": password},
            timeout=30,
        )
        if response.status_code >= 400:
            raise errors.error_for(response)
        return str(response.json()["token"])

    def copy(self, **options: Any) -> Session:
        """A client with its own session (sessions are not shared between threads)."""
        settings = {"timeout": self.timeout[1], "connect_timeout": self.timeout[0]}
        settings |= {"retries": self.retries, "backoff": self.backoff} | options
        return type(self)(self.url, self.token, **settings)

    def request(
        self, method: str, path: str, *, retry: bool | None = None, **kwargs: Any
    ) -> requests.Response:
        """One API call; a 4xx/5xx answer raises the matching `modelyard.errors` class."""
        method = method.upper()
        retry = method in IDEMPOTENT if retry is None else retry
        attempts = self.retries + 1 if retry else 1
        kwargs.setdefault("timeout", self.timeout)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self.session.request(method, self.endpoint(path), **kwargs)
            except (requests.ConnectionError, requests.Timeout) as error:
                if last:
                    raise errors.ConnectionFailed(f"{method} {path}: {error}") from error
                time.sleep(self.delay(attempt))
                continue
            if response.status_code in RETRY_STATUSES and not last:
                response.close()
                time.sleep(self.delay(attempt, response))
                continue
            if response.status_code >= 400:
                raise errors.error_for(response)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def delay(self, attempt: int, response: requests.Response | None = None) -> float:
        """Seconds to wait before the next attempt: Retry-After, or backoff with jitter."""
        after = response.headers.get("Retry-After", "") if response is not None else ""
        if after.isdigit():
            return min(float(after), MAX_BACKOFF)
        return min(self.backoff * 2**attempt, MAX_BACKOFF) * random.uniform(0.5, 1.0)

    def endpoint(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.url}/api/v1/{path.lstrip('/')}"

    def get(self, path: str, **params: Any) -> Any:
        return _json(self.request("GET", path, params=_clean(params)))

    def post(self, path: str, body: Any = None) -> Any:
        return _json(self.request("POST", path, json=body if body is not None else {}))

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        # A partial update sets the same fields to the same values when repeated.
        return _json(self.request("PATCH", path, json=body, retry=True))

    def delete(self, path: str) -> None:
        self.request("DELETE", path)

    def paginate(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every row of a list endpoint, following ``next`` page after page."""
        params = {"page_size": PAGE_SIZE, **_clean(params)}
        url: str | None = path
        while url is not None:
            body = _json(self.request("GET", url, params=params))
            if isinstance(body, list):  # an unpaginated list
                yield from body
                return
            yield from body.get("results", [])
            url, params = body.get("next"), {}

    def upload(
        self, path: str, fields: Sequence[Field] = (), files: Sequence[FilePart] = ()
    ) -> Any:
        """POST a multipart form streamed from disk."""
        body = MultipartBody(fields, files)
        headers = {"Content-Type": body.content_type}
        return _json(self.request("POST", path, data=body, headers=headers))

    def download(self, path: str, dest: str | os.PathLike[str], sha256: str = "") -> Path:
        """Stream a file to ``dest``; with ``sha256``, refuse a file whose digest differs."""
        dest = Path(dest)
        partial = dest.with_name(dest.name + ".part")
        digest = hashlib.sha256()
        with self.request("GET", path, stream=True) as response, open(partial, "wb") as out:
            for block in response.iter_content(chunk_size=1024 * 1024):
                digest.update(block)
                out.write(block)
        if sha256 and digest.hexdigest() != sha256:
            partial.unlink()
            raise errors.ModelyardError(f"{dest.name}: the download's sha256 does not match.")
        partial.replace(dest)
        return dest


def _server_url(url: str) -> str:
    url = url.rstrip("/")
    for suffix in ("/api/v1", "/api"):
        if url.endswith(suffix):
            url = url[: -len(suffix)]
    return url


def _clean(params: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in params.items() if value is not None}


def _json(response: requests.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    return response.json()
