"""Whole numbers in the Studio form, shared by the block's settings and its peer step."""

from .errors import InvalidInput, _


def whole(data, key, label, *, minimum, maximum, fallback):
    """``data[key]`` as a whole number in ``[minimum, maximum]`` (digits as text too); empty
    gives ``fallback``. Raises ``InvalidInput`` naming ``label``."""
    value = data.get(key, fallback)
    if value in (None, ""):
        value = fallback
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(_("{label} must be a whole number."), label=label)
    if not minimum <= value <= maximum:
        raise InvalidInput(
            _("{label} must be between {minimum} and {maximum}."),
            label=label,
            minimum=minimum,
            maximum=maximum,
        )
    return value
