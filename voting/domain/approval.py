"""Approval ballots over several measures: selections, their count, the ranking. Pure: no I/O."""
from __future__ import annotations


from services.errors import DomainError


def check_selections(selections: list[str], options: list[str], max_selections: int) -> list[str]:
    """An approval ballot: distinct known options, at most `max_selections` (none at all is a blank ballot)."""
    chosen = list(dict.fromkeys(selections))
    errors = []
    if len(chosen) != len(selections):
        errors.append("Each measure may be selected once.")
    unknown = [s for s in chosen if s not in options]
    if unknown:
        errors.append(f"Unknown measures: {', '.join(unknown)}.")
    if len(chosen) > max_selections:
        errors.append(f"Select at most {max_selections}.")
    if errors:
        raise DomainError("The ballot is not valid.", errors={"json": {"selections": errors}})
    return sorted(chosen)


def apply_approval(tally: dict, selections: list[str], replaced: list[str] | None) -> dict:
    result = dict(tally)
    for option in selections:
        result[option] = result.get(option, 0) + 1
    for option in replaced or ():
        result[option] = result.get(option, 0) - 1
    return result


def rank(tally: dict, options: list[str]) -> list[str]:
    """Measures by approvals, most first; equal approvals keep the order of the ballot paper."""
    return sorted(options, key=lambda o: (-tally.get(o, 0), options.index(o)))
