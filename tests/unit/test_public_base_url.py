"""Links sent to citizens: the configured base URL, else the API's address as the current request reached it."""

from __future__ import annotations

import pytest

from chalicelib.settings import public_base_url, reset_settings, use_request_base_url


@pytest.fixture
def unset(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AGORA_PUBLIC_BASE_URL", "")
    reset_settings()
    yield
    use_request_base_url(None)
    monkeypatch.undo()
    reset_settings()


def test_the_configured_url_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGORA_PUBLIC_BASE_URL", "https://agora.ville-demo.fr/")
    reset_settings()
    use_request_base_url("https://abc.execute-api.eu-west-3.amazonaws.com/api")
    try:
        assert public_base_url() == "https://agora.ville-demo.fr"
    finally:
        use_request_base_url(None)
        monkeypatch.undo()
        reset_settings()


def test_without_one_the_request_gives_the_api_address(unset: None) -> None:
    use_request_base_url("https://abc.execute-api.eu-west-3.amazonaws.com/api")
    assert public_base_url() == "https://abc.execute-api.eu-west-3.amazonaws.com/api"


def test_neither_is_an_error_not_a_wrong_link(unset: None) -> None:
    with pytest.raises(RuntimeError):
        public_base_url()


def test_the_http_pipeline_reads_api_gateways_context(unset: None) -> None:
    from chalice.app import Request

    from chalicelib.api.http import http_pipeline

    event = {
        "multiValueQueryStringParameters": None,
        "headers": {},
        "pathParameters": None,
        "requestContext": {
            "domainName": "abc.execute-api.eu-west-3.amazonaws.com",
            "stage": "api",
            "resourcePath": "/health",
            "httpMethod": "GET",
        },
        "stageVariables": None,
        "body": None,
        "isBase64Encoded": False,
    }
    seen: list[str] = []

    def respond(request: Request) -> object:
        from chalice import Response

        seen.append(public_base_url())
        return Response(body={}, status_code=200)

    http_pipeline(Request(event), respond)
    assert seen == ["https://abc.execute-api.eu-west-3.amazonaws.com/api"]
