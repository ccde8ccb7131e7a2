"""The steps of the center config are checked at load (file, key, reason), and what does not
stop the server (a step no counter serves, a step-only service nobody reaches) is printed at
start in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from nafitha.settings import ConfigError
from server.config import DEFAULT_CENTER, load_center_config
from server.usecases.catalog import load_catalog
from tests.server.conftest import make_env

STEPS = 'steps = ["cashier", "passport-collect"]'


def load_changed(tmp_path: Path, old: str, new: str) -> object:
    text = DEFAULT_CENTER.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "center.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_center_config(path)


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        ('steps = ["cashier", "ghost"]', "unknown step service 'ghost'"),
        ('steps = ["cashier", "cashier"]', "repeats the step before it"),
    ],
)
def test_bad_steps_name_the_service_and_why(tmp_path: Path, new: str, reason: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_changed(tmp_path, STEPS, new)
    assert caught.value.key.startswith("services[") and caught.value.key.endswith("].steps")
    assert reason in caught.value.reason


def test_a_step_with_steps_of_its_own_is_refused_no_cycle_can_form(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_changed(
            tmp_path, "kiosk = false\n", 'kiosk = false\nsteps = ["passport-new"]\n'
        )  # cashier → passport-new, while passport-new → cashier: a cycle
    assert "steps of its own" in caught.value.reason


def test_outcomes_need_unique_ids_and_one_resolved(tmp_path: Path) -> None:
    handed = '{ id = "served", name = { ar = "تم التسليم", en = "Handed over" }, resolved = true }'
    with pytest.raises(ConfigError) as caught:
        load_changed(tmp_path, handed, handed.replace("resolved = true", "resolved = false"))
    assert "at least one outcome must be resolved" in caught.value.reason
    with pytest.raises(ConfigError) as caught:
        load_changed(tmp_path, '{ id = "not_ready"', '{ id = "served"')
    assert "duplicate outcome 'served'" in caught.value.reason


def test_warnings_at_start_name_unserved_steps(
    seeded_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from server.commands.serve import preflight

    config = load_center_config(DEFAULT_CENTER)
    counters = [c for c in config.counters if c.id != "c11"]  # nobody serves the cashier
    unserved = config.model_copy(update={"counters": counters})
    env_iter = make_env(seeded_db, tmp_path, center=unserved)
    env = next(env_iter)
    try:
        assert load_catalog(env.ctx).counters.get("c11") is None
        assert preflight(env.ctx.settings.model_copy(update={"demo": True}), env.ctx) == 0
    finally:
        env_iter.close()
    err = capsys.readouterr().err
    assert 'Service "cashier" is a step of a visit but no counter serves it' in err
    assert "الخدمة «cashier» خطوة في زيارة ولا يخدمها أي شباك" in err
