"""A Sphinx directive, ``ready-options``, that renders the one option table of ``virtualenv_ready.options``.

Every name an option has (flag, ``VIRTUALENV_READY_*`` variable, ``virtualenv.ini`` key, ``[tool.virtualenv-ready]``
key, tox key) is read from the table at build time, so the reference cannot drift from the code. :func:`entries` is
plain data (no docutils), so a test can check it without Sphinx.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from virtualenv_ready.options import OPTIONS, TOOL_TABLE, Option

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx

RECORD_RULES = {
    "what": "kept in the record; sync installs the recorded value",
    "where": "kept in the record; sync takes today's value when one is set, the recorded one otherwise",
    "compare": "kept in the record so that a change is noticed; sync takes today's value",
}
COLUMNS = ("option", "what it does", f"[{TOOL_TABLE}] key", "tox key")


@dataclass(frozen=True)
class Entry:
    """One option as the reference shows it: each cell is text, ``""`` where the option has no such name."""

    flag: str
    metavar: str
    help: str
    default: str
    env_var: str
    ini_key: str
    project: str
    project_note: str
    tox_key: str
    tox_help: str
    record: str

    @property
    def anchor(self) -> str:
        return self.flag.lstrip("-")

    def cells(self) -> tuple[str, ...]:
        """The summary table's row, in the order of :data:`COLUMNS` (the variable and the ini key follow the flag
        by rule, and each option's entry below names them)."""
        return (self.flag, self.help, self.project or "—", self.tox_key or "—")


def _default(opt: Option) -> str:
    if "(default: " in opt.help:
        return opt.help.rpartition("(default: ")[2].removesuffix(")")
    if opt.kind == "flag":
        return "off"
    return "" if opt.default in (None, ()) else str(opt.default)


def _project_note(opt: Option) -> str:
    if opt.project_refused:
        return "a project cannot set it: its files choose what to install, never where it comes from"
    if opt.project_ignored:
        return f"a project that sets it is ignored with one line: {opt.project_ignored}"
    if opt.anchored and opt.project_key:
        return "paths there are relative to the project directory"
    return ""


def entries() -> list[Entry]:
    """Every option of the table, in its order."""
    return [
        Entry(
            flag=opt.flag,
            metavar=opt.metavar or "",
            help=opt.help.rpartition(" (default: ")[0] if "(default: " in opt.help else opt.help,
            default=_default(opt),
            env_var=opt.env_var,
            ini_key=opt.ini_key,
            project=opt.project_key or "",
            project_note=_project_note(opt),
            tox_key=opt.tox_key or "",
            tox_help=opt.tox_help or "",
            record=RECORD_RULES.get(opt.in_record or "", ""),
        )
        for opt in OPTIONS
    ]


def _literal(text: str) -> nodes.Node:
    from docutils import nodes

    return nodes.literal(text, text) if text and text != "—" else nodes.Text(text)


def _summary() -> nodes.table:
    from docutils import nodes

    table = nodes.table(classes=["ready-options"])
    group = nodes.tgroup(cols=len(COLUMNS))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in COLUMNS)
    head, body = nodes.thead(), nodes.tbody()
    group += [head, body]
    head += nodes.row("", *(nodes.entry("", nodes.paragraph("", name)) for name in COLUMNS))
    for entry in entries():
        flag, what, *keys = entry.cells()
        link = nodes.reference("", "", _literal(flag), refid=entry.anchor, internal=True)
        cells = [nodes.paragraph("", "", link), nodes.paragraph("", what)]
        cells += [nodes.paragraph("", "", _literal(text)) for text in keys]
        body += nodes.row("", *(nodes.entry("", cell) for cell in cells))
    return table


def _field(name: str, *content: nodes.Node) -> nodes.list_item:
    from docutils import nodes

    return nodes.list_item("", nodes.paragraph("", "", nodes.strong(name, name), nodes.Text(": "), *content))


def _details(entry: Entry) -> nodes.definition_list_item:
    from docutils import nodes

    term_text = f"{entry.flag} {entry.metavar}".strip()
    term = nodes.term("", "", nodes.literal(term_text, term_text), ids=[entry.anchor])
    fields = nodes.bullet_list(bullet="-")
    if entry.default:
        fields += _field("default", nodes.Text(entry.default))
    fields += _field("environment", _literal(entry.env_var))
    fields += _field("virtualenv.ini", _literal(entry.ini_key), nodes.Text(" under [virtualenv]"))
    if entry.project:
        fields += _field(f"[{TOOL_TABLE}]", _literal(entry.project))
    if entry.project_note:
        fields += _field("in a project", nodes.Text(entry.project_note))
    if entry.tox_key:
        fields += _field("tox", _literal(entry.tox_key), nodes.Text(f": {entry.tox_help}" if entry.tox_help else ""))
    if entry.record:
        fields += _field("record", nodes.Text(entry.record))
    definition = nodes.definition("", nodes.paragraph("", entry.help), fields)
    return nodes.definition_list_item("", term, definition)


def render() -> list[nodes.Node]:
    """The directive's output: the summary table, then each option with every name it has."""
    from docutils import nodes

    return [_summary(), nodes.definition_list("", *(_details(entry) for entry in entries()))]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register ``ready-options``; the directive takes no arguments and no content."""
    from sphinx.util.docutils import SphinxDirective

    class ReadyOptions(SphinxDirective):
        def run(self) -> list[nodes.Node]:
            # the table is code: a change to it must rebuild the page
            from virtualenv_ready import options

            self.env.note_dependency(options.__file__)
            return render()

    app.add_directive("ready-options", ReadyOptions)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
