"""Small helpers shared by the data classes when writing OB 3.0 JSON."""

from datetime import UTC, datetime


def compact(entries: dict) -> dict:
    """Drop absent values (``None`` and empty lists) so optional fields are simply left out."""
    return {key: value for key, value in entries.items() if value is not None and value != []}


def json_list(items) -> list:
    """Each item's JSON, as the arrays the 1EdTech schema requires."""
    return [item.to_json() for item in items]


def format_datetime(moment: datetime | None) -> str | None:
    """An aware datetime as ``YYYY-MM-DDTHH:MM:SSZ``; a naive one is refused, not guessed at."""
    if moment is None:
        return None
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValueError(f"{moment!r} must be a timezone-aware datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
