"""A page and what it shows, out to translators as XLIFF and back as drafts.

Export: one unit per translated text of each object (`app.model.pk.field`),
the source language's text as `<source>`, the current translation as
`<target>` when there is one, and a state: `initial` when the translation is
missing or out of date (publishing.currency), `translated` when current on a
page visitors do not see yet, `final` when current and published. Rich text
is cut into one segment per block (paragraph, list item, heading); links,
bold and italic travel as paired inline codes (`<pc>` in XLIFF 2.0, `<g>` in
1.2), never as markup a translator could break.

Import (`read`, then `changes`, then `apply`): the whole file is refused, with
a message and nothing saved, when it is too big, not well-formed, has a DTD
or an entity, names other languages, has unknown ids, or a target whose
inline codes are not its source's. Units whose source changed since the
export are listed and left out. What is left becomes drafts, through
publishing.workflow, for review: the page's (with its areas of action) and
each office's. The block structure comes from the source as it is now, the
inline codes' tags from the current translation when it has the same codes
(its links keep their own addresses), else from the source.
"""

import hashlib
import html
import re
from dataclasses import dataclass, field

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import ParseError, fromstring
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django_prose_editor.fields import ProseEditorField
from lxml import etree
from lxml import html as lxml_html

from . import currency, drafts, workflow
from .languages import LANGUAGES, text_label
from .models import Draft, Status

XLIFF_2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF_1 = "urn:oasis:names:tc:xliff:document:1.2"
VERSIONS = ("2.0", "1.2")
# The limits the messages state: 5 MB, 10,000 units.
MAX_BYTES = 5 * 1024 * 1024
MAX_UNITS = 10_000
# Deeper than any file a translation tool writes (xliff, file, group, unit,
# segment, target, a few codes); a bound on the reader's recursion.
MAX_DEPTH = 32
# Only Unicode: a file declaring another encoding has been re-encoded by
# something, or lies about its bytes.
ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16"}
DECLARED_ENCODING = re.compile(
    rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*\bencoding=["']([^"']{1,40})["']"""
)

BLOCKS = {"p", "h3", "h4", "li", "blockquote"}
INLINE = {"a": "link", "strong": "fmt", "em": "fmt"}
# XLIFF 1.2's names for the same codes (<g ctype>).
CTYPE = {"a": "link", "strong": "bold", "em": "italic"}
ATTRIBUTES = ("href", "hreflang", "lang")


class Refused(ValidationError):
    """The file is refused whole; nothing was saved."""


# Texts as blocks of inline content: [("text", str) | ("code", tag, attrs, [...])]


def is_rich(obj, name):
    return isinstance(type(obj)._meta.get_field(name), ProseEditorField)


def blocks_of(value, rich):
    """Return the blocks of a stored text: one per paragraph, list item or
    heading of rich text; the whole text of plain text."""
    value = currency.text(value)
    if not rich:
        return [[("text", value)]] if value.strip() else []
    if not value.strip():
        return []
    root = lxml_html.fragment_fromstring(value, create_parent="div")
    found = leaf_blocks(root)
    return [inline_of(element) for element in found] or [inline_of(root)]


def leaf_blocks(root):
    """The blocks of rich text that hold no other block, in order."""
    return [
        element
        for element in root.iter(*BLOCKS)
        if not any(child.tag in BLOCKS for child in element.iterdescendants())
    ]


def inline_of(element):
    content = []
    if element.text:
        content.append(("text", element.text))
    for child in element:
        if not isinstance(child.tag, str):
            pass  # a comment: not content
        elif child.tag in INLINE:
            attrs = {name: child.get(name) for name in ATTRIBUTES if child.get(name)}
            content.append(("code", child.tag, attrs, inline_of(child)))
        else:
            content.extend(inline_of(child))
        if child.tail:
            content.append(("text", child.tail))
    return content


def codes_of(content):
    """Return the tags of the inline codes of `content`, in order."""
    found = []
    for part in content:
        if part[0] == "code":
            found.append(part[1])
            found.extend(codes_of(part[3]))
    return found


def attrs_of(content):
    found = []
    for part in content:
        if part[0] == "code":
            found.append(part[2])
            found.extend(attrs_of(part[3]))
    return found


def plain(content):
    return "".join(part[1] if part[0] == "text" else plain(part[3]) for part in content)


def words(blocks):
    """The words of a text, for telling whether a source changed."""
    return "\n".join(" ".join(plain(block).split()) for block in blocks)


# The units of a page


@dataclass
class Unit:
    id: str
    obj: object
    field: str
    source: list
    target: list | None
    status: str
    rich: bool
    source_language: str
    target_language: str
    label: str = ""
    # Its TranslationSource as the draft leaves it (currency.problems).
    row: object = None


def unit_id(obj, name):
    return f"{obj._meta.app_label}.{obj._meta.model_name}.{obj.pk}.{name}"


def units(page, source, changed_only=False):
    """Return the Units of `page` and what it shows, from `source`."""
    target = currency.other(source)
    objects, found = workflow.as_drafted(page, parts_drafts=True)
    objects = [obj for obj in objects if obj.pk is not None]
    problems = {
        (type(obj), obj.pk, name, language): (status, row)
        for obj, name, language, status, row in found
    }
    made = []
    for obj in objects:
        for name in currency.translated_fields(type(obj)):
            rich = is_rich(obj, f"{name}_{source}")
            source_blocks = blocks_of(getattr(obj, f"{name}_{source}"), rich)
            if not source_blocks:
                continue
            status, row = problems.get(
                (type(obj), obj.pk, name, target), (currency.CURRENT, None)
            )
            if changed_only and status == currency.CURRENT:
                continue
            target_blocks = blocks_of(getattr(obj, f"{name}_{target}"), rich)
            made.append(
                Unit(
                    id=unit_id(obj, name),
                    obj=obj,
                    field=name,
                    source=source_blocks,
                    target=target_blocks or None,
                    status=status,
                    rich=rich,
                    source_language=source,
                    target_language=target,
                    label=text_label(page, obj, name),
                    row=row,
                )
            )
    return made


def same_codes(source, target):
    """True if `target` has the blocks and inline codes of `source`."""
    return target is not None and [codes_of(b) for b in source] == [
        codes_of(b) for b in target
    ]


def state(unit, page):
    if unit.status != currency.CURRENT:
        return "initial"
    return (
        "final"
        if page.status in (Status.PUBLISHED, Status.ARCHIVED)
        else ("translated")
    )


# Export


def export(page, source="en", version="2.0", changed_only=False):
    """Return the XLIFF file (bytes) of `page` and what it shows."""
    if source not in LANGUAGES:
        raise ValueError(source)
    if version not in VERSIONS:
        raise ValueError(version)
    target = currency.other(source)
    found = units(page, source, changed_only)
    if version == "1.2":
        root = export_1_2(page, source, target, found)
    else:
        root = export_2_0(page, source, target, found)
    return etree.tostring(
        # Not indented: whitespace inside a <source> or <target> would be text.
        root,
        xml_declaration=True,
        encoding="UTF-8",
    )


def file_id(page):
    return f"{page._meta.app_label}.{page._meta.model_name}.{page.pk}"


def export_2_0(page, source, target, found):
    x = f"{{{XLIFF_2}}}"
    root = etree.Element(
        x + "xliff",
        nsmap={None: XLIFF_2},
        version="2.0",
        srcLang=source,
        trgLang=target,
    )
    file = etree.SubElement(
        root, x + "file", id=file_id(page), original=page.display_name()
    )
    if not found:
        # A file holds one unit at least: say there is nothing to translate.
        notes = etree.SubElement(file, x + "notes")
        etree.SubElement(notes, x + "note").text = "Nothing to translate."
        unit = etree.SubElement(file, x + "unit", id="nothing", translate="no")
        segment = etree.SubElement(unit, x + "segment")
        etree.SubElement(segment, x + "source")
        return root
    for each in found:
        unit = etree.SubElement(file, x + "unit", id=each.id, name=each.label)
        if each.status == currency.OUT_OF_DATE:
            notes = etree.SubElement(unit, x + "notes")
            etree.SubElement(
                notes, x + "note", category="status"
            ).text = "Out of date: the source changed since this translation."
        data = {}
        counter = iter(range(1, 10**6))
        source_ids = [number_codes(block, counter) for block in each.source]
        with_target = same_codes(each.source, each.target)
        original = etree.SubElement(unit, x + "originalData")
        for index, block in enumerate(each.source):
            segment = etree.SubElement(
                unit, x + "segment", id=f"s{index + 1}", state=state(each, page)
            )
            write_2_0(
                etree.SubElement(segment, x + "source"),
                block,
                source_ids[index],
                data,
                "d",
            )
            if with_target:
                write_2_0(
                    etree.SubElement(segment, x + "target"),
                    each.target[index],
                    source_ids[index],
                    data,
                    "t",
                )
            else:
                segment.set("state", "initial")
        if data:
            for key, value in data.items():
                etree.SubElement(original, x + "data", id=key).text = value
        else:
            unit.remove(original)
    return root


def number_codes(content, counter):
    """Return the ids of the inline codes of `content`, in order."""
    ids = []
    for part in content:
        if part[0] == "code":
            ids.append(str(next(counter)))
            ids.extend(number_codes(part[3], counter))
    return ids


def start_tag(tag, attrs):
    shown_attrs = "".join(
        f' {name}="{html.escape(value, quote=True)}"' for name, value in attrs.items()
    )
    return f"<{tag}{shown_attrs}>"


def write_2_0(element, content, ids, data, prefix):
    """Write inline `content` into `element`, codes numbered by `ids`."""
    ids = iter(ids)
    x = f"{{{XLIFF_2}}}"

    def write(parent, parts):
        last = None
        for part in parts:
            if part[0] == "text":
                if last is None:
                    parent.text = (parent.text or "") + part[1]
                else:
                    last.tail = (last.tail or "") + part[1]
                continue
            _kind, tag, attrs, inner = part
            number = next(ids)
            start = start_tag(tag, attrs)
            key = f"d{number}"
            if prefix == "t" and data.get(key) != start:
                key = f"t{number}"
            data[key] = start
            data[f"e{tag}"] = f"</{tag}>"
            last = etree.SubElement(
                parent,
                x + "pc",
                id=number,
                type=INLINE[tag],
                dataRefStart=key,
                dataRefEnd=f"e{tag}",
            )
            write(last, inner)

    write(element, content)


def export_1_2(page, source, target, found):
    x = f"{{{XLIFF_1}}}"
    root = etree.Element(x + "xliff", nsmap={None: XLIFF_1}, version="1.2")
    file = etree.SubElement(
        root,
        x + "file",
        original=file_id(page),
        datatype="html",
        **{"source-language": source, "target-language": target},
    )
    body = etree.SubElement(file, x + "body")
    for each in found:
        group = etree.SubElement(body, x + "group", id=each.id, resname=each.label)
        counter = iter(range(1, 10**6))
        with_target = same_codes(each.source, each.target)
        for index, block in enumerate(each.source):
            ids = number_codes(block, counter)
            unit = etree.SubElement(
                group, x + "trans-unit", id=f"{each.id}.s{index + 1}"
            )
            write_1_2(etree.SubElement(unit, x + "source"), block, ids)
            if with_target:
                element = etree.SubElement(unit, x + "target")
                element.set(
                    "state",
                    {"initial": "needs-translation", "translated": "translated"}.get(
                        state(each, page), "final"
                    ),
                )
                write_1_2(element, each.target[index], ids)
            if each.status == currency.OUT_OF_DATE:
                etree.SubElement(
                    unit, x + "note"
                ).text = "Out of date: the source changed since this translation."
    return root


def write_1_2(element, content, ids):
    ids = iter(ids)
    x = f"{{{XLIFF_1}}}"

    def write(parent, parts):
        last = None
        for part in parts:
            if part[0] == "text":
                if last is None:
                    parent.text = (parent.text or "") + part[1]
                else:
                    last.tail = (last.tail or "") + part[1]
                continue
            _kind, tag, _attrs, inner = part
            last = etree.SubElement(parent, x + "g", id=next(ids), ctype=CTYPE[tag])
            write(last, inner)

    write(element, content)


# Import


@dataclass
class Translated:
    """What a file holds: its languages, and per unit id its segments'
    source texts (words), its targets' inline content (None: not translated)."""

    source: str
    target: str
    units: dict = field(default_factory=dict)
    # What the file says it was exported from ("relations.relationship.1").
    page: str = ""


def language_of(code):
    code = (code or "").strip().lower()
    for language in LANGUAGES:
        if code == language or code.startswith(language + "-"):
            return language
    return None


def read(data):
    """Parse an XLIFF 2.0 or 1.2 file; return Translated or raise Refused."""
    if len(data) > MAX_BYTES:
        raise Refused(too_big())
    declared = DECLARED_ENCODING.match(data)
    if declared and declared.group(1).decode("ascii", "replace").lower() not in (
        ENCODINGS
    ):
        raise Refused(
            gettext("The file must be in UTF-8 or UTF-16: nothing was imported.")
        )
    try:
        root = fromstring(data, forbid_dtd=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise Refused(
            gettext(
                "The file declares a DTD or entities, which are not accepted: "
                "nothing was imported."
            )
        ) from None
    except (ParseError, ValueError, UnicodeError, LookupError):
        raise Refused(
            gettext("The file is not well-formed XML: nothing was imported.")
        ) from None
    if too_deep(root):
        raise Refused(
            gettext(
                "The file nests elements more than %(depth)s deep: nothing was "
                "imported."
            )
            % {"depth": MAX_DEPTH}
        )
    if root.tag == f"{{{XLIFF_2}}}xliff":
        return read_2_0(root)
    if root.tag == f"{{{XLIFF_1}}}xliff":
        return read_1_2(root)
    raise Refused(gettext("The file is not XLIFF 2.0 or 1.2: nothing was imported."))


def too_deep(root):
    """True if elements nest deeper than MAX_DEPTH (looked at without
    recursion: the reading below recurses, and only this deep)."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in element)
    return False


def too_big():
    return gettext("The file is larger than 5 MB: nothing was imported.")


def languages(source, target):
    source, target = language_of(source), language_of(target)
    if source is None or target is None or source == target:
        raise Refused(languages_message())
    return Translated(source=source, target=target)


def languages_message():
    return gettext(
        "The file’s languages must be English and French, one the source and "
        "the other the target: nothing was imported."
    )


def too_many(count):
    if count > MAX_UNITS:
        raise Refused(
            gettext("The file has more than 10,000 units: nothing was imported.")
        )


def read_2_0(root):
    x = f"{{{XLIFF_2}}}"
    found = languages(root.get("srcLang"), root.get("trgLang"))
    first = root.find(f"{x}file")
    found.page = "" if first is None else first.get("id", "")
    all_units = list(root.iter(f"{x}unit"))
    too_many(len(all_units))
    for unit in all_units:
        unit_key = unit.get("id", "")
        if unit_key == "nothing":
            continue
        data = {
            item.get("id"): "".join(item.itertext())
            for item in unit.findall(f"{x}originalData/{x}data")
        }
        segments = []
        for segment in unit.findall(f"{x}segment"):
            source = segment.find(f"{x}source")
            target = segment.find(f"{x}target")
            source_content = read_inline(source, x, "pc", data, unit_key)
            translated = segment.get("state", "initial") != "initial"
            target_content = (
                read_inline(target, x, "pc", data, unit_key)
                if target is not None
                else None
            )
            segments.append((source_content, target_content, translated))
        if unit_key in found.units:
            raise Refused(duplicate(unit_key))
        found.units[unit_key] = segments
    return found


def read_1_2(root):
    x = f"{{{XLIFF_1}}}"
    files = root.findall(f"{x}file")
    if not files:
        raise Refused(gettext("The file holds no translations: nothing was imported."))
    found = languages(files[0].get("source-language"), files[0].get("target-language"))
    found.page = files[0].get("original", "")
    for other_file in files[1:]:
        also = languages(
            other_file.get("source-language"), other_file.get("target-language")
        )
        if (also.source, also.target) != (found.source, found.target):
            raise Refused(languages_message())
    groups = root.findall(f"{x}file/{x}body/{x}group")
    too_many(sum(len(group.findall(f"{x}trans-unit")) for group in groups))
    for group in groups:
        unit_key = group.get("id", "")
        segments = []
        for unit in group.findall(f"{x}trans-unit"):
            source = unit.find(f"{x}source")
            target = unit.find(f"{x}target")
            source_content = read_inline(source, x, "g", None, unit_key)
            target_content = None
            translated = False
            if target is not None:
                target_content = read_inline(target, x, "g", None, unit_key)
                translated = target.get("state", "translated") not in {
                    "new",
                    "needs-translation",
                }
            segments.append((source_content, target_content, translated))
        if unit_key in found.units:
            raise Refused(duplicate(unit_key))
        found.units[unit_key] = segments
    return found


def duplicate(unit_key):
    return gettext("The unit “%(id)s” appears twice: nothing was imported.") % {
        "id": unit_key[:100]
    }


def read_inline(element, x, code, data, unit_key):
    """Return the inline content of a <source> or <target>: text and
    ("code", id, None, [...]) for each paired code; refuse other codes."""
    if element is None:
        raise Refused(
            gettext(
                "The unit “%(id)s” has a segment without a source: nothing was "
                "imported."
            )
            % {"id": unit_key[:100]}
        )
    content = []
    if element.text:
        content.append(("text", element.text))
    for child in element:
        if child.tag == f"{x}{code}":
            if data is not None and child.get("dataRefStart") not in data:
                raise Refused(mismatch(unit_key))
            if not child.get("id"):
                raise Refused(mismatch(unit_key))
            content.append(
                (
                    "code",
                    child.get("id", ""),
                    None,
                    read_inline(child, x, code, data, unit_key),
                )
            )
        elif child.tag == f"{x}mrk":
            # An annotation a tool added (a comment, a term): its text only.
            content.extend(read_inline(child, x, code, data, unit_key))
        else:
            raise Refused(mismatch(unit_key))
        if child.tail:
            content.append(("text", child.tail))
    return content


def mismatch(unit_key):
    return gettext(
        "The inline codes (links, bold, italic) of the unit “%(id)s” do not match "
        "its source: nothing was imported."
    ) % {"id": unit_key[:100]}


# From a file to drafts


@dataclass
class Change:
    unit: Unit
    old: str
    new: str


@dataclass
class Plan:
    """What an import would do: `changes` to apply, `stale` units whose
    source changed since the export (left out), `untranslated` units with
    no translation yet (left out), `shared` changes to agreements and
    organizations, which have no drafts (left out: change them in their
    own form), `unsupported` units of rich text with words outside its
    blocks, which segments cannot carry (left out: the translation editor
    can)."""

    source: str
    target: str
    changes: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    untranslated: list = field(default_factory=list)
    shared: list = field(default_factory=list)
    unsupported: list = field(default_factory=list)

    def digest(self):
        """A fingerprint of what would change, to confirm exactly that."""
        text = "\n".join(
            f"{change.unit.id}\n{change.old}\n{change.new}" for change in self.changes
        )
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def page_of(translated, model):
    """Return the object of `model` the file says it was exported from."""
    prefix = f"{model._meta.app_label}.{model._meta.model_name}."
    pk = translated.page.removeprefix(prefix)
    page = None
    if translated.page.startswith(prefix) and pk.isdigit():
        page = model.objects.filter(pk=int(pk)).first()
    if page is None:
        raise Refused(
            gettext("The file does not name a page of this site: nothing was imported.")
        )
    return page


def plan(page, translated):
    """Match `translated` (read) with `page` as it is now; return a Plan or
    raise Refused (unknown ids, codes that do not match the source)."""
    if translated.page != file_id(page):
        raise Refused(gettext("The file is for another page: nothing was imported."))
    current = {unit.id: unit for unit in units(page, translated.source)}
    unknown = [key for key in translated.units if key not in current]
    if unknown:
        raise Refused(
            gettext(
                "The file names texts this page does not have (%(ids)s): nothing "
                "was imported. Was it exported from another page?"
            )
            % {"ids": ", ".join(key[:100] for key in unknown[:5])}
        )
    result = Plan(source=translated.source, target=translated.target)
    owners = draft_owners(page)
    for key, segments in translated.units.items():
        unit = current[key]
        for source, target, _done in segments:
            ids = code_ids(source)
            if len(set(ids)) != len(ids) or (
                target is not None and sorted(ids) != sorted(code_ids(target))
            ):
                raise Refused(mismatch(key))
        sources = [source for source, _target, _done in segments]
        if words(sources) != words(unit.source) or [
            len(code_ids(block)) for block in sources
        ] != [len(codes_of(block)) for block in unit.source]:
            result.stale.append(unit)
            continue
        if not all(
            target is not None and done and plain(target).strip()
            for _s, target, done in segments
        ):
            result.untranslated.append(unit)
            continue
        if unit.rich and loose_text(currency.text(source_text(unit))):
            result.unsupported.append(unit)
            continue
        new = rebuild(unit, segments)
        old = normal(getattr(unit.obj, f"{unit.field}_{unit.target_language}"), unit)
        if new == old:
            continue
        check(unit, new)
        change = Change(unit=unit, old=old, new=new)
        if owner_of(page, unit.obj, owners) is None:
            result.shared.append(change)
        else:
            result.changes.append(change)
    return result


def source_text(unit):
    return getattr(unit.obj, f"{unit.field}_{unit.source_language}")


def loose_text(value):
    """True if rich text has words outside its leaf blocks (beside a nested
    list, after a quotation's paragraphs): a file's segments cannot carry
    them back."""
    if not value.strip():
        return False
    root = lxml_html.fragment_fromstring(value, create_parent="div")
    leaves = leaf_blocks(root)
    if not leaves:
        return False  # the whole text is one segment
    inside = "".join("".join(leaf.itertext()) for leaf in leaves)
    everything = "".join(root.itertext())
    return "".join(everything.split()) != "".join(inside.split())


def check(unit, new):
    """Refuse a translation its field would not accept (too long, say)."""
    model_field = type(unit.obj)._meta.get_field(f"{unit.field}_{unit.target_language}")
    try:
        model_field.clean(new, unit.obj)
    except ValidationError as error:
        raise Refused(
            gettext(
                "The translation of “%(label)s” is not valid (%(error)s): nothing "
                "was imported."
            )
            % {"label": unit.label, "error": " ".join(error.messages)}
        ) from None


def draft_owners(page):
    """Return the models whose objects are drafted with `page` (its parts)."""
    return {model for _name, model, _parent in drafts.relations(page)}


def owner_of(page, obj, owners):
    """Return whose draft a change to `obj` goes into: the page's, for the
    page and its parts; the object's own, if it has drafts (an office);
    None for what has none (agreements, organizations)."""
    if obj == page or type(obj) in owners:
        return page
    if hasattr(obj, "draft_children"):
        return obj
    return None


def code_ids(content):
    found = []
    for part in content:
        if part[0] == "code":
            found.append(part[1])
            found.extend(code_ids(part[3]))
    return found


def normal(value, unit):
    """A stored text as rebuild() writes it, to tell whether it changes."""
    value = currency.text(value)
    if not unit.rich or not value.strip():
        return value
    return serialize(lxml_html.fragment_fromstring(value, create_parent="div"))


def serialize(root):
    return html.escape(root.text or "", quote=False) + "".join(
        lxml_html.tostring(child, encoding="unicode") for child in root
    )


def rebuild(unit, segments):
    """Return the stored text a unit's translated segments make: the
    source's blocks, each with its segment's translation, whose codes take
    the tags of the current translation's when it has the same codes (its
    links keep their addresses), else the source's."""
    if not unit.rich:
        return plain(segments[0][1]) if segments else ""
    pattern = unit.target if same_codes(unit.source, unit.target) else unit.source
    rendered = []
    for (source, target, _done), ours in zip(segments, pattern, strict=True):
        # The file's codes, in the order of its source, are ours in order.
        tags = dict(
            zip(
                code_ids(source),
                zip(codes_of(ours), attrs_of(ours), strict=True),
                strict=True,
            )
        )
        rendered.append(render(target, tags))
    source_text = getattr(unit.obj, f"{unit.field}_{unit.source_language}")
    return fill(currency.text(source_text), rendered)


def render(content, tags, in_link=False):
    out = []
    for part in content:
        if part[0] == "text":
            out.append(html.escape(part[1], quote=False))
            continue
        tag, attrs = tags[part[1]]
        if tag == "a" and in_link:
            # A link in a link: HTML cannot hold it.
            raise Refused(
                gettext(
                    "A translation puts a link inside another link: nothing was "
                    "imported."
                )
            )
        inner = render(part[3], tags, in_link or tag == "a")
        out.append(start_tag(tag, attrs) + inner + f"</{tag}>")
    return "".join(out)


def fill(source_html, rendered):
    """Return `source_html` with its blocks' content replaced by `rendered`."""
    root = lxml_html.fragment_fromstring(source_html, create_parent="div")
    found = leaf_blocks(root) or [root]
    for element, content in zip(found, rendered, strict=True):
        for child in list(element):
            element.remove(child)
        element.text = None
        fragment = lxml_html.fragment_fromstring(content or "", create_parent="div")
        element.text = fragment.text
        for child in list(fragment):
            element.append(child)
    return serialize(root)


def change_key(change):
    return currency.key(change.unit.obj, change.unit.field, change.unit.target_language)


def apply(page, user, result):
    """Make `result`'s changes drafts for review: the page's (its own texts
    and its areas of action) and each office's. Return the objects drafted."""
    language = result.target
    by_owner = {}
    for change in result.changes:
        obj = change.unit.obj
        owner = owner_of(page, obj, draft_owners(page))
        by_owner.setdefault((type(owner), owner.pk), (owner, []))[1].append(change)
    drafted = []
    for owner, changes in by_owner.values():
        owner = type(owner).objects.get(pk=owner.pk)
        draft = Draft.of(owner)
        values = draft.values if draft is not None else drafts.current(owner)
        for change in changes:
            obj = change.unit.obj
            column = f"{change.unit.field}_{language}"
            model_field = type(obj)._meta.get_field(column)
            if hasattr(model_field, "sanitized"):
                # Rich text waits in the draft as a save would store it.
                change.new = model_field.sanitized(change.new)
            if obj == owner and type(obj) is type(owner):
                values["fields"][column] = change.new
                continue
            for rows in values["children"].values():
                for row in rows:
                    if row["pk"] == obj.pk and column in row["fields"]:
                        row["fields"][column] = change.new
        draft = workflow.save_draft(owner, user, values, owner.version)
        # Written as translations of the source as it is: publishing them
        # flags nothing out of date, unless the source changes first.
        draft.translations = {
            **draft.translations,
            **{
                change_key(change): currency.text(source_text(change.unit))
                for change in changes
            },
        }
        draft.save(update_fields=["translations"])
        drafted.append(owner)
    return drafted
