"""fetch_document against servers on 127.0.0.1 (and one in-memory transport): discovery and failures."""

from __future__ import annotations

import contextlib
import json
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from servers import LocalServer, Route, serve, unused_port
from specpipe.errors import FetchError
from specpipe.fetch import MAX_DOCUMENT_BYTES, USER_AGENT, WELL_KNOWN_PATHS, Fetched, fetch_document

DOC = {"openapi": "3.0.3", "info": {"title": "Tiny", "version": "1"}, "paths": {}}
DOC_BYTES = json.dumps(DOC).encode()
OTHER_DOC_BYTES = json.dumps({"openapi": "3.1.0", "info": {"title": "Other", "version": "2"}}).encode()
YAML_DOC = b"swagger: '2.0'\ninfo:\n  title: Tiny YAML\n  version: '1'\npaths: {}\n"
DOC_ROUTE = Route(DOC_BYTES, headers={"Content-Type": "application/json"})


def page(body: str) -> str:
    return f"<!doctype html><html><head><title>API</title></head><body>{body}</body></html>"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with serve() as running:
        yield running


def fetch(url: str) -> Fetched:
    return fetch_document(url, timeout=3.0)


def fetch_error(
    source: str,
    timeout: float = 3.0,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    transport: httpx.BaseTransport | None = None,
) -> str:
    """The one-line message of the FetchError that fetching ``source`` raises."""
    with pytest.raises(FetchError) as caught:
        fetch_document(source, timeout=timeout, max_bytes=max_bytes, transport=transport)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


# --- discovery ---------------------------------------------------------------------------------


def test_scalar_data_url_relative(server: LocalServer) -> None:
    server.routes["/docs"] = Route.html(
        page('<script id="api-reference" data-url="/openapi/v1.json"></script><script src="x.js"></script>')
    )
    server.routes["/openapi/v1.json"] = DOC_ROUTE

    fetched = fetch(server.url("/docs"))

    assert fetched == Fetched(server.url("/openapi/v1.json"), DOC_BYTES, "scalar")
    assert server.hits("/x.js") == 0


def test_scalar_create_api_reference_absolute(server: LocalServer) -> None:
    server.routes["/spec/main.json"] = DOC_ROUTE
    server.routes["/docs"] = Route.html(
        page(
            '<div id="app"></div><script src="https://cdn.example.invalid/scalar.js"></script>'
            "<script>Scalar.createApiReference('#app', { theme: 'purple', "
            f"url: '{server.url('/spec/main.json')}', hideModels: true }})</script>"
        )
    )

    fetched = fetch(server.url("/docs"))

    assert (fetched.url, fetched.via, fetched.content) == (server.url("/spec/main.json"), "scalar", DOC_BYTES)


def test_scalar_sources_win_over_servers_urls(server: LocalServer) -> None:
    server.routes["/openapi/v2.json"] = DOC_ROUTE
    server.routes["/docs"] = Route.html(
        page(
            '<script>const configuration = {"servers": [{"url": "/not-the-doc"}], '
            '"sources": [{"title": "v2", "url": "/openapi/v2.json"}, {"url": "/openapi/v1.json"}]};'
            "Scalar.createApiReference('#app', configuration)</script>"
        )
    )

    fetched = fetch(server.url("/docs"))

    assert (fetched.url, fetched.via) == (server.url("/openapi/v2.json"), "scalar")
    assert server.hits("/not-the-doc") == 0


def test_scalar_data_configuration_attribute(server: LocalServer) -> None:
    server.routes["/api/spec.json"] = DOC_ROUTE
    server.routes["/reference"] = Route.html(
        page(
            '<script id="api-reference" data-configuration="{&quot;spec&quot;: '
            '{&quot;url&quot;: &quot;api/spec.json&quot;}}"></script>'
        )
    )

    fetched = fetch(server.url("/reference"))

    assert (fetched.url, fetched.via) == (server.url("/api/spec.json"), "scalar")


def test_older_scalar_spec_url_in_configuration_variable(server: LocalServer) -> None:
    server.routes["/v1/openapi.yaml"] = Route(YAML_DOC, headers={"Content-Type": "application/yaml"})
    server.routes["/docs/"] = Route.html(
        page(
            '<script id="api-reference"></script><script>var configuration = { proxy: "", '
            "spec: { url: '/v1/openapi.yaml' } }; document.getElementById('api-reference')"
            ".dataset.configuration = JSON.stringify(configuration)</script>"
        )
    )

    fetched = fetch(server.url("/docs/"))

    assert (fetched.url, fetched.via, fetched.content) == (server.url("/v1/openapi.yaml"), "scalar", YAML_DOC)


def test_swagger_ui_inline_url(server: LocalServer) -> None:
    server.routes["/swagger/v1/swagger.json"] = DOC_ROUTE
    server.routes["/swagger/index.html"] = Route.html(
        page(
            '<div id="swagger-ui"></div><script>window.onload = () => { window.ui = SwaggerUIBundle({'
            '\n  url: "v1/swagger.json",\n  dom_id: "#swagger-ui",\n  oauth2RedirectUrl: "/cb" });'
            " };</script>"
        )
    )

    fetched = fetch(server.url("/swagger/index.html"))

    assert (fetched.url, fetched.via) == (server.url("/swagger/v1/swagger.json"), "swagger-ui")


def test_swagger_ui_urls_list_takes_first(server: LocalServer) -> None:
    server.routes["/first.json"] = DOC_ROUTE
    server.routes["/second.json"] = Route(OTHER_DOC_BYTES)
    server.routes["/ui"] = Route.html(
        page(
            "<script>const ui = SwaggerUIBundle({ dom_id: '#ui', urls: ["
            "{url: '/first.json', name: 'First'}, {url: '/second.json', name: 'Second'}] })</script>"
        )
    )

    fetched = fetch(server.url("/ui"))

    assert (fetched.url, fetched.content, fetched.via) == (server.url("/first.json"), DOC_BYTES, "swagger-ui")
    assert server.hits("/second.json") == 0


def test_swagger_ui_initializer_script(server: LocalServer) -> None:
    server.routes["/swagger/"] = Route.html(
        page(
            '<div id="swagger-ui"></div><script src="./swagger-ui-bundle.js"></script>'
            '<script src="./swagger-initializer.js" charset="UTF-8"></script>'
        )
    )
    # Relative document URLs in the script resolve against the page, as in a browser.
    server.routes["/swagger/swagger-initializer.js"] = Route.text(
        'window.onload = function() {\n  window.ui = SwaggerUIBundle({\n    url: "v1/swagger.json",\n'
        '    dom_id: "#swagger-ui",\n    presets: [SwaggerUIBundle.presets.apis]\n  });\n};\n',
        content_type="application/javascript",
    )
    server.routes["/swagger/v1/swagger.json"] = DOC_ROUTE

    fetched = fetch(server.url("/swagger/"))

    assert (fetched.url, fetched.via) == (server.url("/swagger/v1/swagger.json"), "swagger-ui")
    assert server.hits("/swagger/swagger-initializer.js") == 1
    assert server.hits("/swagger/swagger-ui-bundle.js") == 0


def test_swashbuckle_index_js_with_json_config(server: LocalServer) -> None:
    server.routes["/swagger/index.html"] = Route.html(page('<script src="index.js"></script>'))
    server.routes["/swagger/index.js"] = Route.text(
        "window.onload = function () {\n  var configObject = JSON.parse('"
        '{"urls":[{"url":"\\/swagger\\/v1\\/swagger.json","name":"Dime.Scheduler v1"}],'
        '"deepLinking":false}\');\n  configObject.dom_id = "#swagger-ui";\n'
        "  const ui = SwaggerUIBundle(configObject);\n};\n",
        content_type="text/javascript",
    )
    server.routes["/swagger/v1/swagger.json"] = DOC_ROUTE

    fetched = fetch(server.url("/swagger/index.html"))

    assert (fetched.url, fetched.via) == (server.url("/swagger/v1/swagger.json"), "swagger-ui")


def test_redoc_spec_url_attribute(server: LocalServer) -> None:
    server.routes["/redoc"] = Route.html(page('<redoc spec-url="openapi.json?v=2&amp;x=1"></redoc>'))
    server.routes["/openapi.json"] = DOC_ROUTE

    fetched = fetch(server.url("/redoc"))

    assert (fetched.url, fetched.via) == (server.url("/openapi.json?v=2&x=1"), "redoc")


def test_redoc_init_call(server: LocalServer) -> None:
    server.routes["/docs/redoc.html"] = Route.html(
        page(
            '<div id="redoc-container"></div><script>Redoc.init("../specs/api.yaml", '
            '{ scrollYOffset: 50 }, document.getElementById("redoc-container"))</script>'
        )
    )
    server.routes["/specs/api.yaml"] = Route(YAML_DOC, headers={"Content-Type": "text/yaml"})

    fetched = fetch(server.url("/docs/redoc.html"))

    assert (fetched.url, fetched.via, fetched.content) == (server.url("/specs/api.yaml"), "redoc", YAML_DOC)


def test_base_href_is_honoured(server: LocalServer) -> None:
    server.routes["/app/docs"] = Route.html(
        '<html><head><base href="/service/"></head><body>'
        '<script id="api-reference" data-url="openapi.json"></script></body></html>'
    )
    server.routes["/service/openapi.json"] = DOC_ROUTE

    assert fetch(server.url("/app/docs")).url == server.url("/service/openapi.json")


def test_redirect_chain_to_document(server: LocalServer) -> None:
    server.routes["/docs"] = Route.redirect("/docs/", status=301)
    server.routes["/docs/"] = Route.html(page('<script id="api-reference" data-url="/spec"></script>'))
    server.routes["/spec"] = Route.redirect(server.url("/spec/latest"), status=302)
    server.routes["/spec/latest"] = Route.redirect("/spec/v1.json", status=307)
    server.routes["/spec/v1.json"] = DOC_ROUTE

    fetched = fetch(server.url("/docs"))

    assert fetched == Fetched(server.url("/spec/v1.json"), DOC_BYTES, "scalar")
    assert server.all_hits() == {"/docs": 1, "/docs/": 1, "/spec": 1, "/spec/latest": 1, "/spec/v1.json": 1}


def test_direct_json_document_kept_byte_for_byte(server: LocalServer) -> None:
    body = (
        b'\xef\xbb\xbf {\n  "swagger": "2.0", "info": {"title": "caf\xc3\xa9", "version": "1"},\n"paths": {}}'
    )
    # Content decides, not the Content-Type.
    server.routes["/swagger.json"] = Route(body, headers={"Content-Type": "text/html"})

    assert fetch(server.url("/swagger.json")) == Fetched(server.url("/swagger.json"), body, "direct")


def test_direct_yaml_document(server: LocalServer) -> None:
    server.routes["/openapi.yaml"] = Route(YAML_DOC, headers={"Content-Type": "text/plain"})

    assert fetch(server.url("/openapi.yaml")) == Fetched(server.url("/openapi.yaml"), YAML_DOC, "direct")


def test_unparseable_json_is_handed_to_the_loader(server: LocalServer) -> None:
    broken = b'{"openapi": "3.0.3", "info": '
    server.routes["/broken.json"] = Route(broken, headers={"Content-Type": "application/json"})

    assert fetch(server.url("/broken.json")) == Fetched(server.url("/broken.json"), broken, "direct")


def test_unparseable_text_is_rejected(server: LocalServer) -> None:
    server.routes["/broken"] = Route.text("key: [unclosed\n  - : :")

    message = fetch_error(server.url("/broken"))

    assert message == (
        f"{server.url('/broken')} answered with content that is not JSON or YAML (text/plain), "
        "neither an OpenAPI document nor an HTML docs page"
    )


def test_json_without_openapi_key_is_rejected(server: LocalServer) -> None:
    server.routes["/status"] = Route.json({"status": "ok"})

    message = fetch_error(server.url("/status"))

    assert "answered with data without a top-level 'openapi' or 'swagger' key (application/json)" in message


def test_well_known_path_fallback_from_page_without_link(server: LocalServer) -> None:
    server.routes["/docs"] = Route.html(page("<h1>API documentation</h1><script>console.log('hi')</script>"))
    server.routes["/swagger/v1/swagger.json"] = DOC_ROUTE
    server.routes["/openapi.json"] = Route(OTHER_DOC_BYTES)

    fetched = fetch(server.url("/docs"))

    assert fetched == Fetched(server.url("/swagger/v1/swagger.json"), DOC_BYTES, "well-known")
    assert WELL_KNOWN_PATHS.index("/openapi/v1.json") < WELL_KNOWN_PATHS.index("/swagger/v1/swagger.json")
    assert server.hits("/openapi/v1.json") == 1
    assert server.hits("/openapi.json") == 0


def test_well_known_tries_page_directory_before_origin(server: LocalServer) -> None:
    server.routes["/api/docs.html"] = Route.html(page("no link here"))
    server.routes["/api/openapi.json"] = DOC_ROUTE
    server.routes["/openapi/v1.json"] = Route(OTHER_DOC_BYTES)
    # An HTML answer at a well-known path (an SPA fallback) is not a document.
    server.routes["/api/openapi/v1.json"] = Route.html(page("app shell"))

    fetched = fetch(server.url("/api/docs.html"))

    assert (fetched.url, fetched.content) == (server.url("/api/openapi.json"), DOC_BYTES)
    assert server.hits("/openapi/v1.json") == 0


# --- failures ----------------------------------------------------------------------------------


def test_http_404(server: LocalServer) -> None:
    assert fetch_error(server.url("/missing")) == f"HTTP 404 Not Found from {server.url('/missing')}"


def test_http_500(server: LocalServer) -> None:
    server.routes["/docs"] = Route.text("boom", status=500)

    assert fetch_error(server.url("/docs")) == f"HTTP 500 Internal Server Error from {server.url('/docs')}"


def test_linked_document_404_names_the_page(server: LocalServer) -> None:
    server.routes["/docs"] = Route.html(page('<redoc spec-url="/gone.json"></redoc>'))

    assert fetch_error(server.url("/docs")) == (
        f"HTTP 404 Not Found from {server.url('/gone.json')} (linked from {server.url('/docs')})"
    )


def test_read_timeout(server: LocalServer) -> None:
    server.routes["/slow"] = Route(DOC_BYTES, delay=10.0)

    started = time.monotonic()
    message = fetch_error(server.url("/slow"), timeout=0.3)

    assert message == f"Read timeout after 0.3 s waiting for data from {server.url('/slow')}"
    assert time.monotonic() - started < 3.0


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{unused_port()}/docs"

    assert fetch_error(url, timeout=2.0) == f"Connection refused by 127.0.0.1 fetching {url}"


def test_dns_failure_is_fast() -> None:
    started = time.monotonic()
    message = fetch_error("http://nothing-here.invalid/docs", timeout=2.0)

    assert message.startswith("DNS lookup failed for host 'nothing-here.invalid' (")
    assert message.endswith(") fetching http://nothing-here.invalid/docs")
    assert time.monotonic() - started < 5.0


def test_page_without_link_and_no_well_known_path(server: LocalServer) -> None:
    server.routes["/docs/index.html"] = Route.html(page("<p>Nothing to see</p>"))

    message = fetch_error(server.url("/docs/index.html"))

    assert message == (
        f"No OpenAPI document link found on HTML page {server.url('/docs/index.html')}, and none of the "
        f"{len(WELL_KNOWN_PATHS)} well-known paths under {server.url('/docs/')} and {server.url('/')} "
        "answered with a document"
    )
    for path in WELL_KNOWN_PATHS:
        assert server.hits(path) == 1
        assert server.hits("/docs" + path) == 1


def test_linked_url_answering_html(server: LocalServer) -> None:
    server.routes["/docs"] = Route.html(page('<script id="api-reference" data-url="/login"></script>'))
    server.routes["/login"] = Route.html(page("<form>sign in</form>"))

    assert fetch_error(server.url("/docs")) == (
        f"{server.url('/login')} (linked from {server.url('/docs')}) answered with an HTML page, "
        "not an OpenAPI document"
    )


def test_too_many_redirects(server: LocalServer) -> None:
    for hop in range(7):
        server.routes[f"/r{hop}"] = Route.redirect(f"/r{hop + 1}")
    server.routes["/r7"] = DOC_ROUTE

    assert fetch_error(server.url("/r0")) == f"More than 5 redirects starting from {server.url('/r0')}"
    assert server.hits("/r7") == 0


def test_size_cap_from_content_length(server: LocalServer) -> None:
    server.routes["/big.json"] = Route(b" " * 200 + DOC_BYTES, headers={"Content-Type": "application/json"})

    message = fetch_error(server.url("/big.json"), max_bytes=100)

    assert message == f"Response from {server.url('/big.json')} is larger than the 100 bytes limit"


def test_size_cap_while_streaming_without_content_length() -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(4):
            yield b" " * (1024 * 1024)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_Chunks(chunks))

    message = fetch_error(
        "http://vendor.test/openapi.json", transport=httpx.MockTransport(handler), max_bytes=2 * 1024 * 1024
    )

    assert message == "Response from http://vendor.test/openapi.json is larger than the 2 MB limit"


class _Chunks(httpx.SyncByteStream):
    def __init__(self, make: Callable[[], Iterator[bytes]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[bytes]:
        return self._make()


def test_request_headers_and_custom_transport() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=YAML_DOC)

    fetched = fetch_document("https://vendor.test/openapi.yaml", transport=httpx.MockTransport(handler))

    assert fetched == Fetched("https://vendor.test/openapi.yaml", YAML_DOC, "direct")
    assert [request.headers["user-agent"] for request in seen] == [USER_AGENT]
    assert "dimescheduler" in USER_AGENT


def test_secrets_in_url_stay_out_of_messages_and_repr(server: LocalServer) -> None:
    secret_url = server.url("/spec.json?api_key=s3cr3t-value&v=1").replace("://", "://me:pa55word@")
    message = fetch_error(secret_url)
    assert "s3cr3t-value" not in message and "pa55word" not in message
    assert "api_key=***" in message and "me:***@" in message

    server.routes["/spec.json"] = DOC_ROUTE
    fetched = fetch_document(secret_url, timeout=3.0)
    assert fetched.content == DOC_BYTES
    assert "s3cr3t-value" not in repr(fetched) and "pa55word" not in repr(fetched)
    assert "bytes=" in repr(fetched) and "openapi" not in repr(fetched)


# --- local files -------------------------------------------------------------------------------


def test_local_file_missing(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "openapi.json"

    assert fetch_error(str(missing)) == f"File not found: {missing}"
    assert fetch_error(missing.as_uri()) == f"File not found: {missing}"


def test_local_yaml_file_by_path_and_file_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_bytes(YAML_DOC)
    monkeypatch.chdir(tmp_path)

    expected = Fetched(str(spec.resolve()), YAML_DOC, "file")
    assert fetch_document("openapi.yaml") == expected
    assert fetch_document(spec.as_uri()) == expected


def test_directory_and_unsupported_scheme(tmp_path: Path) -> None:
    assert fetch_error(str(tmp_path)) == f"Not a file: {tmp_path.resolve()}"
    assert fetch_error("ftp://example.invalid/openapi.json").startswith("Unsupported URL scheme 'ftp'")
    assert fetch_error("   ") == "No document source given: pass a URL or a file path"


def test_url_without_host_is_refused_in_one_line() -> None:
    with pytest.raises(FetchError) as refused:
        fetch_document("https:///openapi.json")
    assert str(refused.value) == "No host in the URL 'https:///openapi.json': expected e.g. https://host/docs"


# --- one overall deadline ------------------------------------------------------------------------------


@contextmanager
def dripping_server(head_too: bool) -> Iterator[str]:
    """A server on 127.0.0.1 answering every request a byte every 0.1 s (a docs page of about 300 bytes:
    30 s); with ``head_too`` the status line and headers drip as well. Stops when the block ends."""
    body = page("<p>" + "slow " * 50 + "</p>").encode()
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body)
    stopping = threading.Event()

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.recv(65536)
            at_once, dripped = (b"", answer + body) if head_too else (answer, body)
            with contextlib.suppress(OSError):
                self.request.sendall(at_once)
                for index in range(len(dripped)):
                    if stopping.wait(0.1):
                        return
                    self.request.sendall(dripped[index : index + 1])

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    with Server(("127.0.0.1", 0), Handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/docs"
        finally:
            stopping.set()
            httpd.shutdown()
            thread.join(5)


@pytest.mark.parametrize("head_too", [False, True], ids=["body", "status-line"])
def test_a_page_sent_a_byte_at_a_time_ends_at_the_timeout(head_too: bool) -> None:
    with dripping_server(head_too) as url:
        started = time.monotonic()
        message = fetch_error(url, timeout=1.0)
        elapsed = time.monotonic() - started
    assert message.startswith("Fetching did not finish within the 1 s timeout: ")
    assert elapsed < 2.0  # the page alone would take 30 s


# --- where the fetcher goes ----------------------------------------------------------------------------


class Recording(httpx.BaseTransport):
    """Answers from a dict of URL -> response; records every request; never opens a socket."""

    def __init__(self, answers: dict[str, httpx.Response]) -> None:
        self.answers = answers
        self.requested: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requested.append(str(request.url))
        known = self.answers.get(str(request.url))
        return httpx.Response(404) if known is None else known


METADATA = "http://169.254.169.254/latest/meta-data/openapi.json"


@pytest.mark.parametrize(
    "link",
    [
        METADATA,
        "http://10.0.0.7/openapi.json",
        "http://[fe80::1]/openapi.json",
        "http://localhost:8080/openapi.json",
        "https://cdn.example.net/openapi.json",
    ],
)
def test_a_link_to_another_host_is_refused_in_one_line_and_never_requested(link: str) -> None:
    docs = "http://docs.example.test/docs"
    transport = Recording(
        {
            docs: httpx.Response(200, html=page(f'<redoc spec-url="{link}"></redoc>')),
            link: httpx.Response(200, json={"openapi": "3.0.3"}),
        }
    )
    message = fetch_error(docs, transport=transport)
    assert message.startswith(f"Refusing to fetch {link} (linked from {docs}): the fetcher only goes to")
    assert "docs.example.test, the host named" in message
    assert transport.requested == [docs]


def test_a_redirect_to_another_host_is_refused() -> None:
    docs = "http://docs.example.test/docs"
    transport = Recording({docs: httpx.Response(302, headers={"Location": METADATA})})
    message = fetch_error(docs, transport=transport)
    assert message.startswith(f"Refusing to fetch {METADATA} (a redirect from {docs}): ")
    assert transport.requested == [docs]


def test_an_initializer_script_on_another_host_is_refused() -> None:
    docs = "http://docs.example.test/docs"
    script = "http://169.254.169.254/swagger-initializer.js"
    transport = Recording({docs: httpx.Response(200, html=page(f'<script src="{script}"></script>'))})
    message = fetch_error(docs, transport=transport)
    assert message.startswith(f"Refusing to fetch {script}")
    assert transport.requested == [docs]


def test_links_on_the_named_host_are_followed() -> None:
    docs = "http://docs.example.test/api/docs"
    document = "http://docs.example.test/api/openapi.json"
    transport = Recording(
        {
            docs: httpx.Response(200, html=page('<redoc spec-url="openapi.json"></redoc>')),
            document: httpx.Response(200, json={"openapi": "3.0.3"}),
        }
    )
    assert fetch_document(docs, transport=transport).url == document
    assert transport.requested == [docs, document]


def test_the_named_url_itself_may_be_a_private_address() -> None:
    """What the user names is theirs to choose (a mirror on the local network)."""
    document = "http://10.1.2.3/openapi.json"
    transport = Recording({document: httpx.Response(200, json={"openapi": "3.0.3"})})
    assert fetch_document(document, transport=transport).via == "direct"
