"""The one bilingual text type: built from answers, strict where the config declares it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from nafitha.bilingual import TEXT_MAX, Bilingual


def test_a_text_is_built_from_an_answer_a_string_or_one_language() -> None:
    assert Bilingual.of({"ar": "جواز", "en": "Passport"}) == Bilingual(ar="جواز", en="Passport")
    assert Bilingual.of("A-001") == Bilingual(ar="A-001", en="A-001")
    assert Bilingual.of({"en": "Passport"}).get("ar") == "Passport"
    assert Bilingual.of({"ar": "جواز", "en": ""}).get("en") == "جواز"
    with pytest.raises(ValueError, match="needs ar or en"):
        Bilingual.of({"fr": "Passeport"})
    with pytest.raises(TypeError):
        Bilingual.of(7)  # type: ignore[arg-type]


def test_a_declared_text_needs_both_languages_within_the_limit_and_no_other_key() -> None:
    for bad in (
        {"ar": "", "en": "x"},
        {"ar": "x"},
        {"ar": "x", "en": "x", "fr": "x"},
        {"ar": "x" * (TEXT_MAX + 1), "en": "x"},
    ):
        with pytest.raises(ValidationError):
            Bilingual.model_validate(bad)


def test_a_text_is_frozen_and_hashable() -> None:
    text = Bilingual(ar="ا", en="a")
    assert {text, Bilingual(ar="ا", en="a")} == {text}
    with pytest.raises(ValidationError):
        text.ar = "ب"  # type: ignore[misc]


def test_config_workflows_and_printers_share_the_one_type() -> None:
    from printers.printables import Ticket
    from server.config import Service
    from server.domain.workflow import Stage

    assert Service.model_fields["name"].annotation is Bilingual
    assert Stage.model_fields["name"].annotation is Bilingual
    assert Ticket.__dataclass_fields__["service_name"].type in ("Bilingual", Bilingual)
