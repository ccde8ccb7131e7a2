"""The rating box of the phone ticket page in real headless Chromium, in Arabic and in English:
hidden while the visit goes on, shown live once the clerk finishes it, large star buttons with
their words, an optional comment, sent once, and a thank-you that a reload keeps."""

from __future__ import annotations

import sqlite3

import pytest

from nafitha.text import t
from tests.ratings.serving import call_mine, issue, token_of
from tests.support.server import RunningServer

pytestmark = pytest.mark.browser

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">\u202egnp.exe'


@pytest.mark.parametrize(
    ("lang", "stars", "comment"),
    [("ar", 4, "موظف لطيف " + HOSTILE), ("en", 2, "Too long a wait " + HOSTILE)],
    ids=["ar", "en"],
)
def test_a_finished_visit_is_rated_once_from_the_phone(
    demo_server: RunningServer, open_page, artifacts, lang: str, stars: int, comment: str
) -> None:
    ticket = issue(demo_server, "work-permit")
    clerk = demo_server.login("clerk8", counter="c8")
    call_mine(clerk, "c8", ticket)
    recorded = open_page(390, 844, locale="ar-LB" if lang == "ar" else "en-US")
    page = recorded.page
    page.goto(f"{demo_server.url}/t/{token_of(ticket)}?lang={lang}")
    page.wait_for_selector("#ticket:not(.hidden)")
    assert page.is_hidden("#rating-box")  # still being served: nothing to rate
    clerk.ticket_action(ticket["id"], "finish")
    page.wait_for_selector("#rating-box:not(.hidden)")  # live, from the event stream
    assert page.inner_text("#rating-title") == t("ratings.phone_title", lang)
    buttons = page.locator("#rating-stars button")
    assert buttons.count() == 5
    assert buttons.nth(4).get_attribute("aria-label") == t(
        "ratings.stars_label", lang, stars=5, word=t("ratings.star_5", lang)
    )
    box = buttons.nth(0).bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44  # a thumb's target
    # Arabic reads right to left: the first star stands right of the fifth
    first, fifth = buttons.nth(0).bounding_box(), buttons.nth(4).bounding_box()
    assert (first["x"] > fifth["x"]) == (lang == "ar")
    page.click("#rating-send")
    assert page.inner_text("#rating-error") == t("ratings.phone_choose_first", lang)
    buttons.nth(stars - 1).click()
    assert page.inner_text("#rating-word") == t(f"ratings.star_{stars}", lang)
    assert buttons.nth(stars - 1).get_attribute("aria-checked") == "true"
    page.fill("#rating-comment", comment)
    page.screenshot(path=str(artifacts / "ratings" / f"phone_rating_{lang}.png"), full_page=True)
    page.click("#rating-send")
    page.wait_for_selector("#rating-thanks:not(.hidden)")
    assert page.inner_text("#rating-thanks .thanks") == t("ratings.phone_thanks", lang)
    page.screenshot(path=str(artifacts / "ratings" / f"phone_thanks_{lang}.png"), full_page=True)
    assert page.evaluate("window.__pwned") is None
    with sqlite3.connect(demo_server.db) as db:
        kept = db.execute(
            "SELECT stars, comment, lang, source FROM ratings WHERE ticket_id = ?", [ticket["id"]]
        ).fetchone()
    assert kept == (stars, comment.replace("\u202e", ""), lang, "phone")
    # a reload (or a second phone) shows the thanks, never the form again
    page.reload()
    page.wait_for_selector("#rating-thanks:not(.hidden)")
    assert page.is_hidden("#rating-form")
    assert recorded.outside(demo_server.url) == []
