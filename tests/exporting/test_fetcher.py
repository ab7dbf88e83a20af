"""The PDF renderer's URL fetcher: the app's static files and data: URIs, nothing else."""

import pytest
from weasyprint.urls import URLFetchingError, fetch

from evidence.fetcher import PDF_STATIC, StaticOnlyFetcher


@pytest.fixture
def fetcher():
    return StaticOnlyFetcher()


def test_static_files_and_data_uris_are_served(fetcher):
    with fetch(fetcher, (PDF_STATIC / "chronology.css").as_uri()) as response:
        assert b"@font-face" in response.read()
    with fetch(fetcher, (PDF_STATIC / "fonts" / "LiberationSerif-Regular.ttf").as_uri()) as response:
        assert len(response.read()) > 100_000
    with fetch(fetcher, "data:text/plain;base64,aGVsbG8=") as response:
        assert response.read() == b"hello"
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        "file:///etc/passwd",
        (PDF_STATIC / ".." / ".." / "manage.py").as_uri().replace("/static/pdf/../../", "/static/pdf/%2e%2e/%2e%2e/"),
        f"file://{PDF_STATIC}/../../manage.py",
        f"file://otherhost{PDF_STATIC}/chronology.css",
        (PDF_STATIC / "missing.css").as_uri(),
        "javascript:alert(1)",
    ],
)
def test_everything_else_is_refused(fetcher, url):
    with pytest.raises(URLFetchingError, match="Refused to fetch"), fetch(fetcher, url):
        pass
    assert fetcher.refused == [url]


def test_a_symlink_out_of_the_static_root_is_refused(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (root / "link.txt").symlink_to(secret)
    (root / "ok.txt").write_text("ok")
    fetcher = StaticOnlyFetcher(roots=[root])
    with fetch(fetcher, (root / "ok.txt").as_uri()) as response:
        assert response.read() == b"ok"
    with pytest.raises(URLFetchingError, match="Refused to fetch"), fetch(fetcher, (root / "link.txt").as_uri()):
        pass
    assert fetcher.refused == [(root / "link.txt").as_uri()]
