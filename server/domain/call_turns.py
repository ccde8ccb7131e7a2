"""A counter's next calls while both kinds wait, in closed form: how many are priority, and its
run of calls after them. What the wait estimate plays forward (``ahead.other_kind_called``)
without stepping through thousands of calls on the kiosk's hot path.

While priority and normal tickets both wait, a counter's kinds follow its profile alone
(``calling_profile.kind_due``): ``first`` calls priority every time; ``ratio`` N calls the normal
ones its run still owes (N less the normal calls it has just made), then one priority, then N
normal and one priority again and again; ``capped`` M is the same with the kinds swapped.
"""

from __future__ import annotations

from server.domain.calling_profile import Kind, Profile, Run


def _shape(profile: Profile) -> tuple[Kind, Kind, int]:
    """(the kind called most, the one called once a period, the run of the first before it)."""
    if profile.priority == "ratio":
        return "normal", "priority", profile.normal_per_priority
    return "priority", "normal", profile.max_priority_run


def _lead(profile: Profile, run: Run) -> int:
    """Calls of the kind called most before the first of the other, from ``run``."""
    majority, _, size = _shape(profile)
    done = run.of(majority)
    return size - done if done < size else 0


def priority_calls(profile: Profile, run: Run, turns: int) -> int:
    """How many of the counter's next ``turns`` calls are priority ones, both kinds waiting."""
    if profile.priority == "first" or turns <= 0:
        return max(turns, 0)
    _, minority, size = _shape(profile)
    lead = _lead(profile, run)
    rare = 0 if turns <= lead else 1 + (turns - lead - 1) // (size + 1)
    return rare if minority == "priority" else turns - rare


def run_after(profile: Profile, run: Run, turns: int) -> Run:
    """The counter's run after its next ``turns`` calls, both kinds waiting."""
    if turns <= 0:
        return run
    if profile.priority == "first":
        return Run("priority", run.of("priority") + turns)
    majority, minority, size = _shape(profile)
    lead = _lead(profile, run)
    if turns <= lead:
        return Run(majority, run.of(majority) + turns)
    since = (turns - lead - 1) % (size + 1)  # calls since the last of the rare kind
    return Run(minority, 1) if since == 0 else Run(majority, since)
