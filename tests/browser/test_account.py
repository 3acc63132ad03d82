"""In Chromium: register, read the verification mail from the mail folder, verify, log in, log out."""
from __future__ import annotations

import email
import re
import time
import uuid
from email import policy
from pathlib import Path

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "lantern orchard thunder"


def mail_to(folder: Path, address: str, timeout: float = 5.0) -> email.message.EmailMessage:
    """The newest message to ``address`` that the file backend wrote to ``folder``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if not raw.strip():
                    continue
                message = email.message_from_bytes(raw, policy=policy.default)
                if message["To"] == address:
                    return message
        time.sleep(0.1)
    raise AssertionError(f"no mail to {address} in {folder}")


def test_register_verify_log_in_and_out(page, live_app, live_server):
    address = f"reader-{uuid.uuid4().hex[:8]}@example.org"

    page.goto("/")
    page.get_by_role("link", name="Log in").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Display name").fill("Ana Blandiana")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password").fill(PASSWORD)
    screenshot(page, "account-register")
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your mail").wait_for()
    assert address in page.inner_text("main")

    message = mail_to(Path(live_app.config["MAIL_FILE_PATH"]), address)
    assert message["Subject"] == "Confirm your email address for Tercul"
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"(http://127\.0\.0\.1:\d+/account/verify/\S+)", body).group(1)
    assert link.startswith(live_server)

    page.goto(link)
    page.get_by_role("heading", name="Your address is confirmed").wait_for()
    page.get_by_role("link", name="Log in").first.click()

    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/me")
    assert page.get_by_role("heading", name="Ana Blandiana").is_visible()
    assert "Contributor" in page.inner_text("main")
    nav = page.locator("header nav")
    assert nav.get_by_role("link", name="Ana Blandiana").is_visible()
    screenshot(page, "account-me")

    nav.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/account/login")
    assert "You have logged out." in page.inner_text("main")
    assert nav.get_by_role("link", name="Log in").is_visible()
    page.goto("/me")
    assert "/account/login" in page.url
    assert page.console_errors == []


def test_a_wrong_password_is_shown_next_to_the_field(page):
    page.goto("/account/login")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    email_field = page.get_by_label("Email address")
    assert email_field.input_value() == "nobody@example.org"
    assert email_field.get_attribute("aria-invalid") == "true"
    described = page.locator(f"#{email_field.get_attribute('aria-describedby')}")
    assert "not right" in described.inner_text()
    assert page.get_by_label("Password").input_value() == ""
    screenshot(page, "account-login-error")
    assert page.console_errors == []
