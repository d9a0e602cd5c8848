"""Fetch the vendor's OpenAPI document: from its URL, from a docs page that links to it, or from a file.

Only the question "does this look like an OpenAPI/Swagger document?" is answered here (a parseable
mapping with a top-level ``openapi`` or ``swagger`` key); versions and validity are checked by the loader.
One deliberate exception: a body that does not parse but is served with a JSON/YAML Content-Type is
returned as-is, so that the loader can report the precise parse error (line and column) instead of a
vague "not a document" from here.

Fetching as a whole (every request, redirect, discovered link and well-known path) ends within ``timeout``
seconds: each request waits at most the time left, and a server sending a byte at a time is cut off there.
Requests go only to the host the caller named: a redirect or a link found on a docs page that leads to
another host (a cloud metadata address such as ``169.254.169.254``, a private network, a CDN) is refused with
one line, naming the URL to pass directly if it is wanted.
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit
from urllib.request import url2pathname

import httpx
import yaml  # type: ignore[import-untyped, unused-ignore]

from .errors import FetchError
from .netdeadline import PASSED, bounded_transport

DEFAULT_DOCS_URL = "https://api.dimescheduler.com/docs"

# Tried in this order when a docs page links to no document. ASP.NET Core first (the vendor's stack:
# Microsoft.AspNetCore.OpenApi, then Swashbuckle), then the common generic locations.
WELL_KNOWN_PATHS: tuple[str, ...] = (
    "/openapi/v1.json",
    "/swagger/v1/swagger.json",
    "/openapi.json",
    "/swagger.json",
    "/openapi.yaml",
    "/openapi/v1.yaml",
    "/api-docs",
    "/v3/api-docs",
)

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "dimescheduler-openapi-specpipe/0.1 (python-httpx)"

_ACCEPT = "application/json, application/yaml;q=0.9, text/html;q=0.8, */*;q=0.5"
# Scripts a Swagger UI page loads its configuration from (swagger-ui dist, Swashbuckle, swagger-ui-express).
_INITIALIZER_SCRIPTS = frozenset({"swagger-initializer.js", "index.js", "swagger-ui-init.js"})


@dataclass(frozen=True)
class Fetched:
    """A fetched document; ``content`` is the body exactly as served (after Content-Encoding)."""

    url: str
    content: bytes = field(repr=False)
    via: str

    def __repr__(self) -> str:
        return f"Fetched(url={display_url(self.url)!r}, via={self.via!r}, bytes={len(self.content)})"


def fetch_document(
    source: str,
    *,
    timeout: float = 20.0,
    transport: httpx.BaseTransport | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Fetched:
    """Fetch the OpenAPI document named by ``source`` (http(s) URL of the document or of a docs page,
    ``file://`` URL or local path). Raises FetchError with a one-line message on any failure."""
    source = source.strip()
    if not source:
        raise FetchError("No document source given: pass a URL or a file path")
    scheme_match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", source)
    scheme = scheme_match.group(1).lower() if scheme_match else ""
    if scheme in ("http", "https"):
        host = urlsplit(source).hostname
        if not host:
            raise FetchError(f"No host in the URL {display_url(source)!r}: expected e.g. https://host/docs")
        at = time.monotonic() + timeout
        with httpx.Client(
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
            transport=transport if transport is not None else bounded_transport(at),
            event_hooks={"request": [_same_host(host)]},
        ) as client:
            return _fetch_url(_Getter(client, timeout, max_bytes, at), source)
    if scheme == "file":
        return _read_file(_file_url_path(source), max_bytes)
    if scheme:
        shown = display_url(source)
        raise FetchError(f"Unsupported URL scheme {scheme!r} in {shown}: use http(s), file or a path")
    return _read_file(Path(source).expanduser(), max_bytes)


# --- local files ---------------------------------------------------------------------------------


def _file_url_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(f"Unsupported file URL {url}: only local files (file:///path) can be read")
    return Path(url2pathname(unquote(parts.path)))


def _read_file(path: Path, max_bytes: int) -> Fetched:
    absolute = path.resolve()
    if not absolute.exists():
        raise FetchError(f"File not found: {absolute}")
    if not absolute.is_file():
        raise FetchError(f"Not a file: {absolute}")
    try:
        size = absolute.stat().st_size
        if size > max_bytes:
            raise FetchError(f"File {absolute} is {size} bytes, over the {_format_size(max_bytes)} limit")
        content = absolute.read_bytes()
    except OSError as exc:
        raise FetchError(f"Cannot read {absolute}: {exc.strerror or exc}") from None
    return Fetched(url=str(absolute), content=content, via="file")


# --- HTTP ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Response:
    url: str
    status: int
    reason: str
    content_type: str
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class _OffHost(Exception):
    """A request (a redirect hop or a discovered link) to another host than the one named."""

    def __init__(self, url: str, host: str) -> None:
        super().__init__(url)
        self.url, self.host = url, host


def _same_host(host: str) -> Any:
    named = host.lower()

    def guard(request: httpx.Request) -> None:
        if request.url.host.lower() != named:
            raise _OffHost(str(request.url), named)

    return guard


class _Getter:
    """GETs URLs with one client, turning transport failures into one-line FetchErrors; every request
    ends by `at` (time.monotonic()), the overall deadline."""

    def __init__(self, client: httpx.Client, timeout: float, max_bytes: int, at: float) -> None:
        self._client = client
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._at = at

    def _too_slow(self, url: str, context: str) -> FetchError:
        return FetchError(
            f"Fetching did not finish within the {self._timeout:g} s timeout: {display_url(url)}{context} "
            "was still answering (too slowly)"
        )

    def get(self, url: str, context: str = "") -> _Response:
        """The response (any status); the body is read only for 2xx answers."""
        left = self._at - time.monotonic()
        if left <= 0:
            raise self._too_slow(url, context)
        try:
            with self._client.stream("GET", url, timeout=min(self._timeout, left)) as response:
                final_url = str(response.url)
                body = self._read_body(response, final_url, context) if response.is_success else b""
                return _Response(
                    url=final_url,
                    status=response.status_code,
                    reason=response.reason_phrase,
                    content_type=response.headers.get("content-type", ""),
                    body=body,
                )
        except _OffHost as exc:
            hop = "" if exc.url == str(httpx.URL(url)) else f" (a redirect from {display_url(url)})"
            raise FetchError(
                f"Refusing to fetch {display_url(exc.url)}{hop}{context}: the fetcher only goes to "
                f"{exc.host}, the host named; pass that URL itself to fetch from there"
            ) from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"Invalid URL {display_url(url)}{context}: {exc}") from None
        except httpx.TimeoutException as exc:
            if str(exc) == PASSED:  # cut off at the deadline while data was still arriving
                raise self._too_slow(url, context) from None
            raise FetchError(self._describe(exc, url) + context) from None
        except httpx.HTTPError as exc:
            raise FetchError(self._describe(exc, url) + context) from None

    def get_ok(self, url: str, context: str = "") -> _Response:
        response = self.get(url, context)
        if not response.ok:
            raise FetchError(
                f"HTTP {response.status} {response.reason} from {display_url(response.url)}{context}".rstrip()
            )
        return response

    def _read_body(self, response: httpx.Response, url: str, context: str) -> bytes:
        limit = _format_size(self._max_bytes)
        too_big = f"Response from {display_url(url)}{context} is larger than the {limit} limit"
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise FetchError(too_big)
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > self._max_bytes:
                raise FetchError(too_big)
            if time.monotonic() >= self._at:
                raise self._too_slow(url, context)
        return bytes(body)

    def _describe(self, exc: httpx.HTTPError, requested: str) -> str:
        try:
            raw_url = str(exc.request.url)
        except RuntimeError:  # the error was raised before a request existed
            raw_url = requested
        url = display_url(raw_url)
        seconds = f"{self._timeout:g} s"
        if isinstance(exc, httpx.ConnectTimeout):
            return f"Connect timeout after {seconds} connecting to {url}"
        if isinstance(exc, httpx.ReadTimeout):
            return f"Read timeout after {seconds} waiting for data from {url}"
        if isinstance(exc, httpx.TimeoutException):
            return f"Timeout after {seconds} talking to {url}"
        if isinstance(exc, httpx.TooManyRedirects):
            return f"More than {MAX_REDIRECTS} redirects starting from {display_url(requested)}"
        if isinstance(exc, httpx.UnsupportedProtocol):
            return f"Unsupported URL {url}: {exc}"
        if isinstance(exc, httpx.ConnectError):
            cause = _root_cause(exc)
            host = urlsplit(raw_url).hostname or "?"
            if isinstance(cause, socket.gaierror):
                return f"DNS lookup failed for host {host!r} ({cause.strerror or cause}) fetching {url}"
            if isinstance(cause, ConnectionRefusedError):
                return f"Connection refused by {host} fetching {url}"
            return f"Cannot connect to {host} fetching {url}: {cause}"
        if isinstance(exc, httpx.RemoteProtocolError):
            return f"Server closed the connection or broke the HTTP protocol fetching {url}: {exc}"
        return f"Cannot fetch {url}: {type(exc).__name__}: {exc}"


def _root_cause(exc: BaseException) -> BaseException:
    seen: list[BaseException] = [exc]
    current = exc
    while len(seen) < 10:
        nxt = current.__cause__ or current.__context__
        if nxt is None or nxt in seen:
            break
        seen.append(nxt)
        current = nxt
    return current


def _fetch_url(getter: _Getter, url: str) -> Fetched:
    page = getter.get_ok(url)
    kind = _classify(page.body, page.content_type)
    if kind in (_Kind.DOCUMENT, _Kind.UNPARSEABLE_DATA):
        return Fetched(url=page.url, content=page.body, via="direct")
    if kind is not _Kind.HTML:
        raise FetchError(
            f"{display_url(page.url)} answered with {_describe_body(kind, page.content_type)}, "
            "neither an OpenAPI document nor an HTML docs page"
        )

    link = _discover(page, getter)
    if link is not None:
        target, via = link
        context = f" (linked from {display_url(page.url)})"
        document = getter.get_ok(target, context)
        doc_kind = _classify(document.body, document.content_type)
        if doc_kind in (_Kind.DOCUMENT, _Kind.UNPARSEABLE_DATA):
            return Fetched(url=document.url, content=document.body, via=via)
        raise FetchError(
            f"{display_url(document.url)}{context} answered with "
            f"{_describe_body(doc_kind, document.content_type)}, not an OpenAPI document"
        )

    bases = _well_known_bases(page.url)
    for base in bases:
        for path in WELL_KNOWN_PATHS:
            candidate = getter.get(urljoin(base, path.lstrip("/")))
            if candidate.ok and _classify(candidate.body, candidate.content_type) is _Kind.DOCUMENT:
                return Fetched(url=candidate.url, content=candidate.body, via="well-known")
    where = " and ".join(display_url(base) for base in bases)
    raise FetchError(
        f"No OpenAPI document link found on HTML page {display_url(page.url)}, and none of the "
        f"{len(WELL_KNOWN_PATHS)} well-known paths under {where} answered with a document"
    )


def _well_known_bases(page_url: str) -> list[str]:
    """The page's directory first (an API mounted under a path prefix), then the origin."""
    parts = urlsplit(page_url)
    origin = urlunsplit((parts.scheme, parts.netloc, "/", "", ""))
    directory = urljoin(page_url, ".")
    return [origin] if directory == origin else [directory, origin]


# --- "does this look like a document?" -----------------------------------------------------------


class _Kind(Enum):
    DOCUMENT = "document"
    UNPARSEABLE_DATA = "unparseable JSON/YAML"
    HTML = "HTML"
    EMPTY = "empty"
    NOT_OPENAPI = "mapping without openapi/swagger"
    OTHER = "other"


def _classify(body: bytes, content_type: str) -> _Kind:
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        return _Kind.EMPTY
    mime = content_type.split(";", 1)[0].strip().lower()
    if head.startswith(b"<"):
        start = head[:1024].lower()
        if "html" in mime or b"<!doctype html" in start or b"<html" in start:
            return _Kind.HTML
        return _Kind.OTHER
    parsed = _parse(body)
    if parsed is _UNPARSEABLE:
        return _Kind.UNPARSEABLE_DATA if _is_data_mime(mime) else _Kind.OTHER
    if isinstance(parsed, dict) and ("openapi" in parsed or "swagger" in parsed):
        return _Kind.DOCUMENT
    return _Kind.NOT_OPENAPI


_UNPARSEABLE = object()


def _parse(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # too deep: libyaml below refuses it too, loader.py says why
        pass
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        result: object = yaml.load(body, Loader=loader)
    except (yaml.YAMLError, ValueError, RecursionError):
        return _UNPARSEABLE
    return result


def _is_data_mime(mime: str) -> bool:
    return "json" in mime or "yaml" in mime or "vnd.oai.openapi" in mime


def _describe_body(kind: _Kind, content_type: str) -> str:
    shown = content_type.split(";", 1)[0].strip() or "no Content-Type"
    if kind is _Kind.HTML:
        return "an HTML page"
    if kind is _Kind.EMPTY:
        return "an empty body"
    if kind is _Kind.NOT_OPENAPI:
        return f"data without a top-level 'openapi' or 'swagger' key ({shown})"
    return f"content that is not JSON or YAML ({shown})"


# --- discovery on docs pages ---------------------------------------------------------------------


class _PageScanner(HTMLParser):
    """Collects what discovery needs: <base href>, scripts (attributes and text), Redoc/Scalar attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base_href: str | None = None
        self.scripts: list[tuple[dict[str, str], list[str]]] = []
        self.redoc_spec_urls: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): value or "" for name, value in attrs}
        if tag == "base" and self.base_href is None and attributes.get("href"):
            self.base_href = attributes["href"]
        elif tag == "redoc" and attributes.get("spec-url"):
            self.redoc_spec_urls.append(attributes["spec-url"])
        elif tag == "script":
            self.scripts.append((attributes, []))
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and self.scripts:
            self.scripts[-1][1].append(data)


def _discover(page: _Response, getter: _Getter) -> tuple[str, str] | None:
    """(absolute document URL, via) for the first document link the page embeds, or None."""
    scanner = _PageScanner()
    scanner.feed(_decode(page.body, page.content_type))
    scanner.close()
    base = urljoin(page.url, scanner.base_href) if scanner.base_href else page.url

    for link, via in _page_links(scanner, base, getter):
        absolute = urljoin(base, link.strip())
        if urlsplit(absolute).scheme in ("http", "https"):
            return absolute, via
    return None


def _page_links(scanner: _PageScanner, base: str, getter: _Getter) -> Iterator[tuple[str, str]]:
    """Candidate links in priority order; external scripts are fetched only if nothing earlier matched."""
    for attributes, _ in scanner.scripts:
        if attributes.get("id") == "api-reference" and attributes.get("data-url"):
            yield attributes["data-url"], "scalar"
    for attributes, _ in scanner.scripts:
        configuration = attributes.get("data-configuration")
        if configuration and (url := _config_url(configuration, 0)):
            yield url, "scalar"
    for spec_url in scanner.redoc_spec_urls:
        yield spec_url, "redoc"
    for _, chunks in scanner.scripts:
        yield from _script_links("".join(chunks))
    for attributes, _ in scanner.scripts:
        src = attributes.get("src", "")
        if src and urlsplit(src).path.rsplit("/", 1)[-1] in _INITIALIZER_SCRIPTS:
            script = getter.get(urljoin(base, src))
            if script.ok:
                yield from _script_links(_decode(script.body, script.content_type))


# Where a configuration object starts, and which UI it belongs to.
_CONFIG_ANCHORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"createApiReference\s*\("), "scalar"),
    (re.compile(r"\bSwaggerUIBundle\s*\("), "swagger-ui"),
    (re.compile(r"\bSwaggerUI\s*\("), "swagger-ui"),
    (re.compile(r"\bconfigObject\s*="), "swagger-ui"),  # Swashbuckle's index.js
    (re.compile(r"\bconfiguration\s*="), "scalar"),  # older Scalar pages
)
_REDOC_INIT = re.compile(r"""\bRedoc\.init\s*\(\s*(["'`])((?:\\.|(?!\1).)*)\1""", re.DOTALL)
_URL_KEY = re.compile(r"""(?<![\w$.-])(["']?)url\1\s*:\s*(["'`])((?:\\.|(?!\2).)*)\2""", re.DOTALL)
_KEY_BEFORE_BRACKET = re.compile(r"""(\w+)["']?\s*:\s*$""")
# Objects/arrays a document URL may sit in; a `url` inside e.g. `servers: [...]` is not the document.
_URL_CONTAINERS = frozenset({"sources", "spec", "urls"})


def _script_links(script: str) -> Iterator[tuple[str, str]]:
    # JSON embedded in a JS string (Swashbuckle: JSON.parse('{\"urls\": ...}')) is read like plain JS.
    text = script.replace('\\"', '"').replace("\\/", "/")
    hits: list[tuple[int, str, str]] = []
    for anchor, via in _CONFIG_ANCHORS:
        for match in anchor.finditer(text):
            url = _config_url(text, match.end())
            if url:
                hits.append((match.start(), url, via))
    for match in _REDOC_INIT.finditer(text):
        hits.append((match.start(), _unescape_js(match.group(2)), "redoc"))
    for _, url, via in sorted(hits, key=lambda hit: hit[0]):
        yield url, via


def _config_url(text: str, start: int) -> str | None:
    """The document URL in the object literal that starts at or after ``start``: the first ``url`` key
    that is at the top level of that object or inside ``sources``/``spec``/``urls``."""
    stack: list[str | None] = []
    position = start
    while position < len(text):
        char = text[position]
        if char in "{[":
            key = _KEY_BEFORE_BRACKET.search(text, max(start, position - 80), position)
            stack.append(key.group(1) if key else None)
        elif char in "}]" or (not stack and char in ");"):
            if len(stack) <= 1:
                return None  # the configuration object ended (or never started) without a usable url
            stack.pop()
        elif char == "u" and stack:
            quoted = position > start and text[position - 1] in "\"'"
            match = _URL_KEY.match(text, position - 1 if quoted else position)
            if match and all(key is None or key in _URL_CONTAINERS for key in stack):
                value = _unescape_js(match.group(3)).strip()
                if value and "${" not in value:
                    return value
        position += 1
    return None


def _unescape_js(value: str) -> str:
    value = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), value)
    return re.sub(r"\\(.)", r"\1", value)


def _decode(body: bytes, content_type: str) -> str:
    charset = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    try:
        return body.decode(charset.group(1) if charset else "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


# --- messages ------------------------------------------------------------------------------------

_SECRET_PARAM = re.compile(r"key|token|secret|passw|pwd|auth|sig|code", re.IGNORECASE)


def display_url(url: str) -> str:
    """The URL for messages and reprs: password and secret-looking query values replaced by ***."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    if parts.password is not None:
        netloc = f"{parts.username or ''}:***@{netloc.rsplit('@', 1)[1]}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(_SECRET_PARAM.search(name) for name, _ in pairs):
            query = urlencode([(n, "***" if _SECRET_PARAM.search(n) else v) for n, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _format_size(size: int) -> str:
    mebibytes = size / (1024 * 1024)
    return f"{mebibytes:g} MB" if size >= 1024 * 1024 and mebibytes == int(mebibytes) else f"{size} bytes"
