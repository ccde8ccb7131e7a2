"""HTTPS on the center's LAN: ``nafitha tls init``, a server speaking HTTPS, clients that check it,
and staff secrets refused over plain HTTP when TLS is required (docs/operations.md, "TLS")."""

from __future__ import annotations

import ipaddress
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from nafitha.client import ApiError, Client, ServerUnreachable
from nafitha.demo import DEMO_PASSWORD, KIOSK_TOKENS, seed_demo
from nafitha.harness.ports import free_port
from nafitha.harness.server import start_server
from nafitha.paths import ROOT
from nafitha.settings import ConfigError
from server.config import ServerSettings, TlsSettings, load_server_settings
from tests.support.cli import run_nafitha


@dataclass
class TlsServer:
    url: str
    ca: Path
    process: subprocess.Popen[bytes]


def tls_init(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = run_nafitha("tls", "init", "--dir", str(folder), *args)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    """``nafitha server`` with ``[tls]`` from ``nafitha tls init``, demo accounts, a free port."""
    folder = tmp_path_factory.mktemp("tls")
    tls_init(folder / "tls", "--ip", "127.0.0.1", "--center", "Test center")
    db = folder / "nafitha.db"
    seed_demo(db)
    config = folder / "server.toml"
    cert, key = folder / "tls/server.crt", folder / "tls/server.key"
    config.write_text(f'[tls]\ncertificate = "{cert}"\nkey = "{key}"\n', encoding="utf-8")
    port = free_port()
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "nafitha.cli", "server", "--config", str(config), "--db", str(db),
         "--port", str(port), "--ignore-hours", "--demo"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    log.close()
    server = TlsServer(f"https://127.0.0.1:{port}", folder / "tls/ca.crt", process)
    deadline = time.monotonic() + 40
    while True:
        try:
            Client(server.url, verify=str(server.ca), retries=0).health()
            break
        except ServerUnreachable:
            if time.monotonic() > deadline or process.poll() is not None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
                raise RuntimeError((folder / "server.log").read_text(errors="replace")) from None
            time.sleep(0.2)
    try:
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_tls_init_makes_a_ca_and_a_server_certificate_for_the_lan_addresses(
    tmp_path: Path,
) -> None:
    out = tls_init(tmp_path, "--ip", "192.168.1.10", "--ip", "10.0.0.2", "--name", "center.lan")
    assert "ca_file" in out.stdout and "certutil" in out.stdout
    assert "سلطة الشهادات" in out.stdout  # the instructions in both languages
    assert (tmp_path / "ca.key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "server.key").stat().st_mode & 0o777 == 0o640
    pems = (tmp_path / "server.crt").read_bytes()
    leaf, chained_ca = x509.load_pem_x509_certificates(pems)
    ca = x509.load_pem_x509_certificate((tmp_path / "ca.crt").read_bytes())
    assert chained_ca == ca
    leaf.verify_directly_issued_by(ca)
    names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.IPAddress) == [
        ipaddress.ip_address("192.168.1.10"),
        ipaddress.ip_address("10.0.0.2"),
    ]
    assert names.get_values_for_type(x509.DNSName) == ["center.lan"]
    usage = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ExtendedKeyUsageOID.SERVER_AUTH in usage
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert (leaf.not_valid_after_utc - leaf.not_valid_before_utc).days <= 826

    # a new address: a new server certificate from the same CA (nothing to trust again)
    tls_init(tmp_path, "--ip", "192.168.1.11")
    again = x509.load_pem_x509_certificates((tmp_path / "server.crt").read_bytes())[0]
    again.verify_directly_issued_by(ca)
    assert x509.load_pem_x509_certificate((tmp_path / "ca.crt").read_bytes()) == ca


def test_kiosks_and_counters_reach_the_server_over_https_trusting_only_the_center_ca(
    tls_server: TlsServer,
) -> None:
    kiosk = Client(tls_server.url, token=KIOSK_TOKENS[0], verify=str(tls_server.ca))
    ticket = kiosk.issue_ticket("civil-extract")
    assert ticket["number"].startswith("A-")
    clerk = Client(tls_server.url, verify=str(tls_server.ca))
    assert clerk.login("clerk1", DEMO_PASSWORD, "c1")["role"] == "clerk"

    # the system's CAs do not know the center's CA: the certificate check fails, never skipped
    with pytest.raises(ServerUnreachable) as unknown:
        Client(tls_server.url, retries=0).health()
    assert "CERTIFICATE_VERIFY_FAILED" in unknown.value.detail
    # and plain HTTP gets no answer from an HTTPS port
    with pytest.raises(ApiError):
        Client(tls_server.url.replace("https://", "http://"), retries=0).health()


def test_the_kiosk_and_counter_settings_carry_the_ca_file(tmp_path: Path) -> None:
    from counter.config import CounterSettings
    from kiosk.config import KioskSettings

    ca = tmp_path / "center-ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    for model in (KioskSettings, CounterSettings):
        settings = model(server="https://10.0.0.2:8000", ca_file=str(ca))
        assert settings.verify == str(ca)
        assert model().verify is True  # verify by default, against the system's CAs
        with pytest.raises(ValueError, match="no such file"):
            model(ca_file=str(tmp_path / "missing.crt"))


def test_tls_settings_need_both_files(tmp_path: Path) -> None:
    cert = tmp_path / "server.crt"
    cert.write_text("x", encoding="utf-8")
    config = tmp_path / "server.toml"
    config.write_text(f'[tls]\ncertificate = "{cert}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="certificate and key go together"):
        load_server_settings(config)
    assert ServerSettings(tls=TlsSettings()).tls.require is True


def test_every_tls_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for name in TlsSettings.model_fields:
        assert f"`{name}`" in doc, f"TlsSettings.{name} is not in docs/configuration.md"


def test_staff_secrets_over_plain_http_are_refused_when_tls_is_required(tmp_path: Path) -> None:
    """A server behind a TLS proxy (no certificate of its own) with ``require``: only requests the
    trusted proxy marks ``X-Forwarded-Proto: https`` may carry a password or a token."""
    config = tmp_path / "server.toml"
    config.write_text(
        'forwarded_allow_ips = "127.0.0.1"\n\n[tls]\nrequire = true\n', encoding="utf-8"
    )
    server = start_server(tmp_path / "data", extra_args=["--config", str(config)])
    try:
        login = {"username": "clerk1", "password": DEMO_PASSWORD, "counter": "c1"}
        plain = requests.post(f"{server.url}/api/v1/auth/login", json=login, timeout=10)
        assert plain.status_code == 403
        error = plain.json()["error"]
        assert error["code"] == "tls_required" and error["message"]["ar"] and error["message"]["en"]
        # a kiosk's token over plain HTTP too
        kiosk = server.client(server.kiosk_token)
        with pytest.raises(ApiError) as refused:
            kiosk.issue_ticket("civil-extract")
        assert refused.value.code == "tls_required"
        # the trusted proxy's word counts (a header from elsewhere does not: the next test)
        proxied = requests.post(
            f"{server.url}/api/v1/auth/login",
            json=login,
            headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.5"},
            timeout=10,
        )
        assert proxied.status_code == 200, proxied.text
        # public pages and the citizens' reads stay on plain HTTP
        assert requests.get(f"{server.url}/api/v1/services", timeout=10).status_code == 200
        assert requests.get(f"{server.url}/board", timeout=10).status_code == 200
    finally:
        server.stop()


def test_without_a_trusted_proxy_its_https_header_is_not_believed(tmp_path: Path) -> None:
    config = tmp_path / "server.toml"
    config.write_text("[tls]\nrequire = true\n", encoding="utf-8")
    server = start_server(tmp_path / "data", extra_args=["--config", str(config)])
    try:
        login = {"username": "clerk1", "password": DEMO_PASSWORD, "counter": "c1"}
        forged = requests.post(
            f"{server.url}/api/v1/auth/login",
            json=login,
            headers={"X-Forwarded-Proto": "https"},
            timeout=10,
        )
        assert forged.status_code == 403 and forged.json()["error"]["code"] == "tls_required"
    finally:
        server.stop()


def test_the_board_works_over_https_in_a_browser_trusting_the_center_ca(
    tls_server: TlsServer,
) -> None:
    """Chromium shows a call on the board over HTTPS (page, scripts, live stream), trusting the
    center's CA key; without that trust it refuses the page."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from nafitha.harness.browser import CHROMIUM, CHROMIUM_ARGS
    from server.tls import spki_pin  # what `nafitha install --role board` writes

    pin = f"--ignore-certificate-errors-spki-list={spki_pin(tls_server.ca.read_bytes())}"
    kiosk = Client(tls_server.url, token=KIOSK_TOKENS[1], verify=str(tls_server.ca))
    kiosk.issue_ticket("civil-extract")
    with sync_playwright() as playwright:
        untrusting = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with pytest.raises(PlaywrightError, match="ERR_CERT_AUTHORITY_INVALID"):
                untrusting.new_page().goto(tls_server.url + "/board")
        finally:
            untrusting.close()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, pin])
        try:
            page = browser.new_page()
            page.goto(tls_server.url + "/board")
            page.wait_for_selector("#now-ticket")
            clerk = Client(tls_server.url, verify=str(tls_server.ca))
            clerk.login("clerk2", DEMO_PASSWORD, "c2")
            called = clerk.call_next("c2")
            assert called is not None
            page.wait_for_function(
                "n => document.getElementById('now-ticket').textContent === n",
                arg=called["number"],
                timeout=10000,
            )
        finally:
            browser.close()
