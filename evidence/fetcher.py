"""The only way WeasyPrint may load a resource while rendering a chronology: the app's own static files, and data: URIs.

Everything else (http, https, ftp, file: outside the static directories, a path that climbs out through ".." or a
symlink, a file: URL naming a host) is refused and recorded in `refused`, so nothing a user typed into an event can
make the renderer reach the network or read the server's files. Redirects cannot happen: nothing is fetched over a
protocol that has them.

It sits outside evidence.exporting so that a PDF section worker (evidence/section_worker.py) can import it without
loading the app's models.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_STATIC = Path(settings.BASE_DIR) / "static" / "pdf"


def static_roots() -> list[Path]:
    roots = [Path(p) for p in getattr(settings, "STATICFILES_DIRS", [])]
    return [r.resolve() for r in roots]


class StaticOnlyFetcher(URLFetcher):
    def __init__(self, roots: list[Path] | None = None):
        super().__init__(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = [Path(r).resolve() for r in (roots if roots is not None else static_roots())]
        self.refused: list[str] = []
        self.fetched: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            self.fetched.append(url[:40])
            return super().fetch(url, headers)
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = self._confined(Path(url2pathname(unquote(parts.path))))
            if path is not None:
                self.fetched.append(url)
                media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": media_type})
        self.refused.append(url)
        raise ValueError(f"Refused to fetch {url!r}: a chronology renders only from the app's static files.")

    def _confined(self, path: Path) -> Path | None:
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if resolved.is_file() and any(resolved.is_relative_to(root) for root in self.roots):
            return resolved
        return None
