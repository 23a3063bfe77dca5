"""Every interface string has its English (issue 13, item 5), read from the committed catalog:
no entry without English, none fuzzy, placeholders kept, the compiled .mo in step with the .po,
and every literal {% translate %} / gettext string in our templates and code present in it.
The Indonesian admin catalog (locale/id/, Wagtail's strings) is held to the same rules."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
EN = ROOT / "locale/en/LC_MESSAGES/django.po"
ID = ROOT / "locale/id/LC_MESSAGES/django.po"
ID_JS = ROOT / "locale/id/LC_MESSAGES/djangojs.po"
APPS = ["config", "marketplace", "payments", "cms", "search", "webhooks"]
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "pgettext",
    "pgettext_lazy",
    "ngettext",
    "ngettext_lazy",
}
TEMPLATE_STRING = re.compile(
    r"""{%\s*trans(?:late)?\s+(["'])(.+?)\1(?:\s+context\s+(["'])(.+?)\3)?"""
)
BLOCK = re.compile(r"{%\s*blocktrans(?:late)?\b(.*?)%}(.*?){%\s*endblocktrans(?:late)?\s*%}", re.S)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def entries(path: Path):
    return [entry for entry in polib.pofile(str(path)) if not entry.obsolete]


def texts(entry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("path", [EN, ID, ID_JS], ids=["en", "id", "id-js"])
def test_every_entry_is_translated_and_none_is_fuzzy(path):
    missing = [entry.msgid for entry in entries(path) if not all(texts(entry))]
    fuzzy = [entry.msgid for entry in entries(path) if "fuzzy" in entry.flags]
    assert missing == [] and fuzzy == [], {"missing": missing, "fuzzy": fuzzy}


@pytest.mark.parametrize("path", [EN, ID, ID_JS], ids=["en", "id", "id-js"])
def test_translations_keep_the_placeholders(path):
    wrong = []
    for entry in entries(path):
        source = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in texts(entry):
            # A plural's singular may say "1" where the msgid says it in words; no new names.
            if not set(PLACEHOLDER.findall(text)) <= source:
                wrong.append(entry.msgid)
    assert wrong == []


@pytest.mark.parametrize("path", [EN, ID, ID_JS], ids=["en", "id", "id-js"])
def test_the_compiled_catalog_matches_the_po(path):
    compiled = {(e.msgctxt, e.msgid): texts(e) for e in polib.mofile(str(path.with_suffix(".mo")))}
    stale = [e.msgid for e in entries(path) if compiled.get((e.msgctxt, e.msgid)) != texts(e)]
    assert stale == [], "run po_add.py (it compiles) or save_as_mofile"


def block_msgid(options: str, body: str) -> str | None:
    """The msgid Django makes of a {% blocktranslate %} body: {{ x }} → %(x)s, % → %%;
    `trimmed` joins the stripped lines with spaces. None when the body holds other tags."""
    if "{%" in body:
        return None
    text = VARIABLE.sub(lambda m: f"%({m.group(1)})s", body.replace("%", "%%"))
    if re.search(r"\btrimmed\b", options):
        text = " ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    return text


def source_strings() -> set[tuple[str | None, str]]:
    """Literal strings our templates and Python code mark for translation."""
    found: set[tuple[str | None, str]] = set()
    for template in (ROOT / "templates").rglob("*.*"):
        if "wagtailadmin" in template.parts:
            continue
        source = template.read_text()
        for match in TEMPLATE_STRING.finditer(source):
            found.add((match.group(4), match.group(2)))
        for match in BLOCK.finditer(source):
            options, body = match.groups()
            context = re.search(r"""\bcontext\s+(["'])(.+?)\1""", options)
            singular = body.split("{% plural %}")[0] if "{% plural %}" in body else body
            msgid = block_msgid(options, singular)
            if msgid:
                found.add((context.group(2) if context else None, msgid))
    for app in APPS:
        for module in (ROOT / app).rglob("*.py"):
            if "migrations" in module.parts:
                continue
            for node in ast.walk(ast.parse(module.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                literals = [a.value for a in node.args if isinstance(a, ast.Constant)]
                if name not in GETTEXT or not literals or not isinstance(literals[0], str):
                    continue
                if name.startswith("pgettext") and len(literals) > 1:
                    found.add((literals[0], literals[1]))
                elif not name.startswith("pgettext"):
                    found.add((None, literals[0]))
    return found


def test_every_marked_string_of_ours_has_english():
    catalog = {(e.msgctxt, e.msgid) for e in entries(EN) if all(texts(e))}
    missing = sorted(msgid for key in source_strings() if key not in catalog for msgid in [key[1]])
    assert missing == [], missing
