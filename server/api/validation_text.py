"""Why an input was refused, in each language: pydantic's own messages are English library text,
which would sit inside the Arabic message of every ``invalid_input`` answer."""

from __future__ import annotations

from typing import Any

from nafitha.text import both

# pydantic error type -> catalog key (server.reason_*) and the ``ctx`` values its text names
_REASONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "missing": ("reason_missing", ()),
    "extra_forbidden": ("reason_unknown_field", ()),
    "bool_type": ("reason_bool", ()),
    "bool_parsing": ("reason_bool", ()),
    "int_type": ("reason_int", ()),
    "int_parsing": ("reason_int", ()),
    "int_from_float": ("reason_int", ()),
    "float_type": ("reason_number", ()),
    "float_parsing": ("reason_number", ()),
    "string_type": ("reason_text", ()),
    "string_too_long": ("reason_text_too_long", ("max_length",)),
    "string_too_short": ("reason_text_too_short", ("min_length",)),
    "string_pattern_mismatch": ("reason_format", ()),
    "too_long": ("reason_list_too_long", ("max_length",)),
    "too_short": ("reason_list_too_short", ("min_length",)),
    "list_type": ("reason_list", ()),
    "dict_type": ("reason_object", ()),
    "model_type": ("reason_object", ()),
    "model_attributes_type": ("reason_object", ()),
    "greater_than_equal": ("reason_at_least", ("ge",)),
    "greater_than": ("reason_above", ("gt",)),
    "less_than_equal": ("reason_at_most", ("le",)),
    "less_than": ("reason_below", ("lt",)),
    "literal_error": ("reason_one_of", ("expected",)),
    "enum": ("reason_one_of", ("expected",)),
}


def validation_reason(error: dict[str, Any]) -> dict[str, str]:
    """The reason of one pydantic error as ``{"ar": ..., "en": ...}``.

    A type we do not name (a custom validator's message) keeps its own text in English and says
    only "not accepted" in Arabic, so no English sentence lands inside an Arabic one.
    """
    kind = str(error.get("type", ""))
    if kind in _REASONS:
        key, names = _REASONS[kind]
        ctx = error.get("ctx") or {}
        return both(f"server.{key}", **{name: ctx.get(name, "") for name in names})
    return {"ar": both("server.reason_other")["ar"], "en": str(error.get("msg", "invalid"))}
