"""E-mail over TLS with real parts: an SMTP server in this process (aiosmtpd) that offers
STARTTLS or speaks TLS from the start, with certificates of a test authority (trustme), and
asks for a login only over an encrypted connection.

The server's certificate and name are checked: a server that fails the check receives
neither the message nor the password, and the message is recorded as failed with the reason.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from flask import Flask

from app.config import ConfigError, load_config
from app.mail.models import MailMessage, MailState
from app.mail.services import queue_message

USER, PASSWORD = "pvetrack", "relay-password-5521"


@dataclass
class Relay:
    """What the server saw: messages, whether each came over TLS, and the logins tried."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    encrypted: list[bool] = field(default_factory=list)
    logins: list[tuple[str, str, bool]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        self.encrypted.append(_encrypted(server, session))
        return "250 OK"

    def authenticate(self, server: Any, session: Any, _envelope: Any, _mechanism: str,
                     data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login, password = data.login.decode(), data.password.decode()
        self.logins.append((login, password, _encrypted(server, session)))
        return AuthResult(success=(login, password) == (USER, PASSWORD))


def _encrypted(server: Any, session: Any) -> bool:
    """Upgraded by STARTTLS (the session's TLS details) or TLS from the start (the
    connection's)."""
    return session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(authority: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "relay-ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return str(path)


def _relay(certificate: trustme.LeafCert, *, implicit: bool) -> Iterator[Relay]:
    relay = Relay()
    context = trustme.ssl.create_default_context(trustme.ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    # aiosmtpd counts only STARTTLS as TLS for auth_require_tls; over TLS from the start the
    # relay offers a login as such servers do, and records whether it came encrypted
    tls: dict[str, Any] = ({"ssl_context": context, "auth_require_tls": False} if implicit
                           else {"tls_context": context, "require_starttls": True,
                                 "auth_require_tls": True})
    controller = Controller(relay, hostname="127.0.0.1", port=_free_port(),
                            authenticator=relay.authenticate, **tls)
    controller.start()
    relay.port = controller.port
    try:
        yield relay
    finally:
        controller.stop()


@pytest.fixture
def starttls_relay(authority: trustme.CA) -> Iterator[Relay]:
    yield from _relay(authority.issue_cert("127.0.0.1"), implicit=False)


@pytest.fixture
def smtps_relay(authority: trustme.CA) -> Iterator[Relay]:
    yield from _relay(authority.issue_cert("127.0.0.1"), implicit=True)


@pytest.fixture
def relay_for_another_name(authority: trustme.CA) -> Iterator[Relay]:
    yield from _relay(authority.issue_cert("mail.example.org"), implicit=False)


@pytest.fixture
def sending(app: Flask) -> Iterator[Any]:
    """Set the mail settings for one test; the app's are put back after it."""
    names = ("REDIS_URL", "MAIL_HOST", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL",
             "MAIL_CA_FILE", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_RETRY_INTERVALS",
             "MAIL_SENDER")
    saved = {name: app.config.get(name) for name in names}

    def configure(port: int, **settings: Any) -> None:
        app.config.update(REDIS_URL="", MAIL_HOST="127.0.0.1", MAIL_PORT=port,
                          MAIL_USE_TLS=False, MAIL_USE_SSL=False, MAIL_CA_FILE="",
                          MAIL_USERNAME=USER, MAIL_PASSWORD=PASSWORD, MAIL_RETRY_INTERVALS=[],
                          MAIL_SENDER="PVE Track <noreply@pvetrack.test>")
        app.config.update(settings)

    try:
        yield configure
    finally:
        app.config.update(saved)


def _send(app: Flask, session: Any, key: str) -> MailMessage:
    """Record a message and commit: without a queue and outside a request, it is sent at
    once. The message as recorded afterwards."""
    with app.app_context():
        message = queue_message(session, to_address="officer@example.org", to_name="Officer",
                                subject="Values due", text="The values of Q1 are due.",
                                kind="test", dedupe_key=key)
        assert message is not None
        session.commit()
    session.expire_all()
    found = session.get(MailMessage, message.id)
    assert found is not None
    return found


def test_starttls_carries_the_message_and_the_login_encrypted(
        app: Flask, session: Any, sending: Any, starttls_relay: Relay, ca_file: str) -> None:
    sending(starttls_relay.port, MAIL_USE_TLS=True, MAIL_CA_FILE=ca_file)
    message = _send(app, session, "tls-1")
    assert message.state is MailState.SENT, message.last_error
    assert [m["Subject"] for m in starttls_relay.messages] == ["Values due"]
    assert starttls_relay.encrypted == [True]
    assert starttls_relay.logins == [(USER, PASSWORD, True)]


def test_tls_from_the_start_carries_the_message_and_the_login(
        app: Flask, session: Any, sending: Any, smtps_relay: Relay, ca_file: str) -> None:
    sending(smtps_relay.port, MAIL_USE_SSL=True, MAIL_CA_FILE=ca_file)
    message = _send(app, session, "tls-2")
    assert message.state is MailState.SENT, message.last_error
    assert smtps_relay.encrypted == [True]
    assert smtps_relay.logins == [(USER, PASSWORD, True)]


def test_a_certificate_of_an_untrusted_authority_gets_no_message_and_no_password(
        app: Flask, session: Any, sending: Any, starttls_relay: Relay) -> None:
    sending(starttls_relay.port, MAIL_USE_TLS=True)  # the test authority is not trusted
    message = _send(app, session, "tls-3")
    assert message.state is MailState.FAILED
    assert "CERTIFICATE_VERIFY_FAILED" in (message.last_error or "")
    assert starttls_relay.messages == [] and starttls_relay.logins == []


def test_a_certificate_for_another_name_gets_no_message_and_no_password(
        app: Flask, session: Any, sending: Any, relay_for_another_name: Relay,
        ca_file: str) -> None:
    sending(relay_for_another_name.port, MAIL_USE_TLS=True, MAIL_CA_FILE=ca_file)
    message = _send(app, session, "tls-4")
    assert message.state is MailState.FAILED
    assert "127.0.0.1" in (message.last_error or "")  # the name the certificate lacks
    assert relay_for_another_name.messages == [] and relay_for_another_name.logins == []


def test_a_relay_that_insists_on_starttls_refuses_a_plain_connection(
        app: Flask, session: Any, sending: Any, starttls_relay: Relay, ca_file: str) -> None:
    sending(starttls_relay.port, MAIL_CA_FILE=ca_file, MAIL_USERNAME="")
    message = _send(app, session, "tls-5")
    assert message.state is MailState.FAILED
    assert "STARTTLS" in (message.last_error or "")
    assert starttls_relay.messages == []


# --- settings ----------------------------------------------------------------------------

def test_a_ca_file_is_checked_when_the_app_starts(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path, ca_file: str) -> None:
    not_pem = tmp_path / "notes.txt"
    not_pem.write_text("not a certificate\n", encoding="utf-8")
    for path in (tmp_path / "missing.pem", not_pem):
        monkeypatch.setenv("MAIL_CA_FILE", str(path))
        message = re.escape(f"MAIL_CA_FILE {path}: not a readable file")
        with pytest.raises(ConfigError, match=message):
            load_config({"ENV": "testing"})
    monkeypatch.setenv("MAIL_CA_FILE", ca_file)
    assert load_config({"ENV": "testing"})["MAIL_CA_FILE"] == ca_file


@pytest.mark.parametrize(("settings", "refused"), [
    ({"MAIL_HOST": "smtp.example.org", "MAIL_USE_TLS": "0"}, True),
    ({"MAIL_HOST": "smtp.example.org", "MAIL_USE_TLS": "1"}, False),
    ({"MAIL_HOST": "smtp.example.org", "MAIL_USE_TLS": "0", "MAIL_USE_SSL": "1"}, False),
    ({"MAIL_HOST": "localhost", "MAIL_USE_TLS": "0"}, False),
    ({"MAIL_HOST": "127.0.0.1", "MAIL_USE_TLS": "0"}, False),
])
def test_a_login_is_never_sent_unencrypted_across_the_network(
        monkeypatch: pytest.MonkeyPatch, settings: dict[str, str], refused: bool) -> None:
    monkeypatch.setenv("MAIL_USERNAME", USER)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    if refused:
        with pytest.raises(ConfigError, match=r"MAIL_USERNAME needs MAIL_USE_TLS or "
                                              r"MAIL_USE_SSL.*smtp\.example\.org"):
            load_config({"ENV": "testing"})
    else:
        assert load_config({"ENV": "testing"})["MAIL_USERNAME"] == USER
