"""OLX import: attributes back into fields exactly as XBlock's export wrote them, or one message.

XBlock exports a String field as its text and every other field as JSON (``Field.to_string``).
Its own import reads those back as YAML, which is not JSON's exact inverse (``1e-05`` comes
back as text) and crashes on a malformed value; this module reads JSON and turns every problem
into :class:`InvalidOLX` naming the block, the attribute and the reason, the message Studio's
import shows. An authored block (one with a badge) is then checked like a Studio save, so an
imported course never holds settings an author could not have saved — rich text included.
"""

import json
import logging

from lxml import etree
from xblock.core import XML_NAMESPACES
from xblock.fields import Scope, String

from . import authoring
from .errors import FieldErrors, InvalidInput, Text, _
from .studio import AUTHORED_FIELDS

log = logging.getLogger(__name__)

IGNORED = ("xblock-family",)


class InvalidOLX(ValueError):
    """An imported block's OLX cannot be turned into settings; the message says why.

    Its argument is a :class:`~.errors.Text`: ``str()`` gives the English message (what
    Studio's import shows), ``.text.render(gettext)`` the message in another language.
    """

    def __init__(self, message, **params):
        self.text = Text(message, **params)
        super().__init__(self.text)


def parse_attributes(block_class, node):
    """``{field name: value}`` from an OLX node's attributes and ``option:`` children."""
    label = _label(node)
    raw = {name: value for name, value in node.items() if name not in IGNORED}
    nones = set()
    for child in node:
        if child.tag is etree.Comment:
            continue
        qname = etree.QName(child)
        if qname.namespace != XML_NAMESPACES["option"]:
            raise InvalidOLX(
                _("{block} cannot be imported: it holds a <{tag}> element, and this block has "
                  "no children."),
                block=label,
                tag=qname.localname,
            )  # fmt: skip
        if child.get("none") == "true":
            nones.add(qname.localname)
        else:
            raw[qname.localname] = child.text or ""
    values = {}
    for name in sorted(set(raw) | nones):
        field = block_class.fields.get(name)
        if field is None or field.scope not in (Scope.settings, Scope.content):
            log.warning("%s: ignoring the OLX attribute %s, which is no setting", label, name)
            continue
        values[name] = None if name in nones else _value(field, name, raw[name], label)
    return _checked(block_class, values, label)


def _label(node):
    name = node.get("url_name") or node.get("display_name") or ""
    if name:
        return Text(_("The {tag} block “{name}”"), tag=node.tag, name=name)
    return Text(_("A {tag} block"), tag=node.tag)


def _value(field, name, text, label):
    if isinstance(field, String):
        return field.from_string(text)
    try:
        value = json.loads(text)
    except ValueError as error:
        raise InvalidOLX(
            _("{block} cannot be imported: the attribute {name} is not valid JSON ({reason})."),
            block=label,
            name=name,
            reason=str(error),
        ) from error
    try:
        return field.enforce_type(value)
    except (TypeError, ValueError) as error:
        raise InvalidOLX(
            _("{block} cannot be imported: the attribute {name} has the wrong type ({reason})."),
            block=label,
            name=name,
            reason=str(error),
        ) from error


def _checked(block_class, values, label):
    """An authored block's settings (a badge, or a badge it renews) as a Studio save would
    clean them; others unchanged."""
    badge = values.get("badge")
    if not (isinstance(badge, dict) and badge.get("slug")) and not values.get("renews"):
        return values
    authored = {
        name: values.get(name, block_class.fields[name].default) for name in AUTHORED_FIELDS
    }
    try:
        cleaned = authoring.clean_authoring(authored)
    except InvalidInput as error:
        if isinstance(error, FieldErrors):
            reason = error.as_text()
        else:
            reason = Text(error.message, **error.params)
        raise InvalidOLX(
            _("{block} cannot be imported: {reason}"), block=label, reason=reason
        ) from (error)
    return {**values, **{name: cleaned[name] for name in values if name in cleaned}}
