"""The change log in words (GET /api/v1/admin/events, in-process): each change described in both
languages from the catalog, with the names an admin knows, and a new service told apart from an
edited one."""

from __future__ import annotations

from tests.server.conftest import AppEnv, app_env, seeded_db  # noqa: F401 - fixtures

NEW = {
    "id": "tax-certificate",
    "category": "civil",
    "prefix": "TX",
    "name": {"ar": "شهادة ضريبية", "en": "Tax certificate"},
    "documents": [{"ar": "صورة الهوية", "en": "Copy of the ID card"}],
    "hours": [{"days": ["mon", "tue"], "open": "08:00", "close": "13:00"}],
}


def descriptions(env: AppEnv, admin: dict[str, str], count: int) -> list[dict[str, str]]:
    answer = env.http.get(f"/api/v1/admin/events?limit={count}", headers=admin)
    assert answer.status_code == 200, answer.text
    return [event["description"] for event in answer.json()]


def test_changes_are_described_in_both_languages(app_env: AppEnv) -> None:  # noqa: F811
    env = app_env
    admin = env.login("admin")
    categories = env.http.get("/api/v1/admin/catalog", headers=admin).json()["categories"]
    NEW["category"] = categories[0]["id"]
    put = env.http.put(f"/api/v1/admin/services/{NEW['id']}", json=NEW, headers=admin)
    assert put.status_code == 200, put.text
    assert descriptions(env, admin, 1) == [
        {
            "ar": "أُضيفت الخدمة «شهادة ضريبية» (الحرف TX)",
            "en": "Service «Tax certificate» added (letter TX)",
        }
    ]
    changed = {**NEW, "target_wait_min": 20}
    assert env.http.put(
        f"/api/v1/admin/services/{NEW['id']}", json=changed, headers=admin
    ).is_success
    assert descriptions(env, admin, 1)[0]["en"] == "Service «Tax certificate» changed (letter TX)"

    revoked = env.http.post("/api/v1/admin/devices/demo-kiosk-2/revoke", headers=admin)
    assert revoked.status_code == 200, revoked.text
    assert descriptions(env, admin, 1) == [
        {"ar": "سُحبت صلاحية الجهاز demo-kiosk-2", "en": "Access of device demo-kiosk-2 revoked"}
    ]
    manager = env.login("manager")
    env.http.put("/api/v1/board/message", json={"message": "Closed Friday"}, headers=manager)
    latest = descriptions(env, admin, 3)
    assert {"ar": "رسالة اللوحة: «Closed Friday»", "en": "Board message: «Closed Friday»"} in latest
    assert {"ar": "دخل manager", "en": "manager signed in"} in latest
    for text in (d[lang] for d in descriptions(env, admin, 50) for lang in ("ar", "en")):
        assert "_" not in text.replace("demo-kiosk", "") and "{" not in text, text
