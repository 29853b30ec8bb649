"""The command line: global options, verbs, and the only place that reads the clock.

Global options (``--db``, ``--today``, ``--lang``, ``--catalog``) work before
or after the verb. Bad arguments give one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Sequence

from . import __version__, i18n
from .i18n import t
from .storage.errors import CorruptFile, NewerSchema, NotADatabase, NotFound, ReadOnly, StoreError


class UsageError(Exception):
    """Bad arguments: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints usage too)
        raise UsageError(message)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_date", value=text)) from None


def _lang(text: str) -> str:
    if text not in i18n.LANGUAGES:
        raise argparse.ArgumentTypeError(t("cli.bad_lang", value=text, choices=", ".join(i18n.LANGUAGES)))
    return text


def _globals(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", type=Path, default=default, help=t("cli.help.db"))
    parser.add_argument("--today", type=_date, default=default, help=t("cli.help.today"))
    parser.add_argument("--lang", type=_lang, default=default, help=t("cli.help.lang"))
    parser.add_argument("--catalog", type=Path, default=default, help=t("cli.help.catalog"))
    parser.add_argument("--user", default=default, help=t("cli.help.user"))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="inspector", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"inspector {__version__}")
    parser.add_argument("--demo", action="store_true", help=t("cli.help.demo"))
    _globals(parser, suppress=False)
    verbs = parser.add_subparsers(dest="verb", parser_class=_Parser)

    def verb(sub, name: str, help_key: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=t(help_key))
        _globals(p, suppress=True)
        return p

    demo = verb(verbs, "demo", "cli.help.demo_verb")
    demo.add_argument("--villages", type=int, default=12)
    demo.add_argument("--years", type=int, default=2)
    demo.add_argument("--seed", type=int, default=1)

    village = verbs.add_parser("village", help=t("cli.help.village"))
    vsub = village.add_subparsers(dest="action", required=True, parser_class=_Parser)
    add = verb(vsub, "add", "cli.help.village_add")
    add.add_argument("name")
    add.add_argument("--township", required=True)
    add.add_argument("--kind", choices=("village", "community"), default="village")
    add.add_argument("--county", default="")
    add.add_argument("--contact", default="")
    add.add_argument("--phone", default="")
    vlist = verb(vsub, "list", "cli.help.village_list")
    vlist.add_argument("--json", action="store_true")
    vlist.add_argument("--all", action="store_true", help=t("cli.help.village_all"))
    from .commands import village_import

    village_import.add_parser(vsub, verb)

    edit = verb(vsub, "edit", "cli.help.village_edit")
    edit.add_argument("id")
    for field in ("name", "township", "county", "contact", "phone"):
        edit.add_argument(f"--{field}")
    edit.add_argument("--kind", choices=("village", "community"))
    archive = verb(vsub, "archive", "cli.help.village_archive")
    archive.add_argument("id")
    archive.add_argument("--undo", action="store_true", help=t("cli.help.village_unarchive"))

    inspection = verbs.add_parser("inspection", help=t("cli.help.inspection"))
    isub = inspection.add_subparsers(dest="action", required=True, parser_class=_Parser)
    ilist = verb(isub, "list", "cli.help.inspection_list")
    ilist.add_argument("--village", help=t("cli.help.village_filter"))
    ilist.add_argument("--json", action="store_true")

    report = verbs.add_parser("report", help=t("cli.help.report"))
    rsub = report.add_subparsers(dest="action", required=True, parser_class=_Parser)
    rinsp = verb(rsub, "inspection", "cli.help.report_inspection")
    rinsp.add_argument("id")
    rinsp.add_argument("--out", type=Path, help=t("cli.help.out"))
    from .commands import supervise

    supervise.add_parsers(verbs, rsub, verb)

    catalog = verbs.add_parser("catalog", help=t("cli.help.catalog_verb"))
    csub = catalog.add_subparsers(dest="action", required=True, parser_class=_Parser)
    check = verb(csub, "check", "cli.help.catalog_check")
    check.add_argument("dir", nargs="?", type=Path)
    clist = verb(csub, "list", "cli.help.catalog_list")
    clist.add_argument("--json", action="store_true")

    classify = verb(verbs, "classify", "cli.help.classify")
    classify.add_argument("text")
    classify.add_argument("--json", action="store_true")
    classify.add_argument("--set", dest="listset", default=None)
    return parser


def make_clock(today: date | None) -> Callable[[], datetime]:
    """The one clock of the program. A fixed ``today`` keeps the time of day real."""
    if today is None:
        return datetime.now
    return lambda: datetime.combine(today, datetime.now().time())


def _env_defaults(args: argparse.Namespace) -> None:
    if getattr(args, "db", None) is None and os.environ.get("INSPECTOR_DB"):
        args.db = Path(os.environ["INSPECTOR_DB"])
    if getattr(args, "today", None) is None and os.environ.get("INSPECTOR_TODAY"):
        args.today = _date_or_usage(os.environ["INSPECTOR_TODAY"])
    if getattr(args, "user", None) is None:
        args.user = os.environ.get("INSPECTOR_USER", "")
    if getattr(args, "lang", None) is None:
        env = os.environ.get("INSPECTOR_LANG")
        args.lang = env if env in i18n.LANGUAGES else i18n.DEFAULT


def _date_or_usage(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(t("cli.bad_date", value=text)) from None


def _pre_language(argv: Sequence[str]) -> None:
    """Pick the language before building the parser, so help and errors are translated."""
    lang = os.environ.get("INSPECTOR_LANG", i18n.DEFAULT)
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    if lang in i18n.LANGUAGES:
        i18n.set_language(lang)


def open_db(args: argparse.Namespace, *, read_only: bool = False):
    from .paths import default_db
    from .storage.database import Database

    path = args.db or default_db()
    if args.db is None:
        path.parent.mkdir(parents=True, exist_ok=True)
    return Database.open(path, clock=make_clock(args.today), read_only=read_only)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `inspector ... | head` ends quietly
    _pre_language(argv)
    try:
        args = build_parser().parse_args(argv)
        _env_defaults(args)
        i18n.set_language(args.lang)
        return _dispatch(args)
    except UsageError as exc:
        print(f"inspector: {exc}", file=sys.stderr)
        return 2
    except (NotADatabase, CorruptFile, NewerSchema) as exc:
        print(store_message(exc), file=sys.stderr)
        return 2
    except ReadOnly as exc:
        print(t("store.read_only_refused", path=exc.path, holder=exc.holder), file=sys.stderr)
        return 1
    except NotFound as exc:
        print(t("cli.not_found", what=t(f"noun.{exc.what}"), key=exc.key), file=sys.stderr)
        return 1


def store_message(exc: StoreError) -> str:
    """One line (two with a backup) that says what is wrong with which file."""
    if isinstance(exc, NotADatabase):
        return t("store.not_a_database", path=exc.path, reason=t(f"store.reason.{exc.reason}", **exc.params))
    if isinstance(exc, NewerSchema):
        return t("store.newer_schema", path=exc.path, found=exc.found, supported=exc.supported)
    if isinstance(exc, CorruptFile):
        text = t("store.corrupt", path=exc.path, reason=exc.reason)
        if exc.backup:
            text += "\n" + t("store.backup_offer", backup=exc.backup, path=exc.path)
        return text
    return str(exc)


def _dispatch(args: argparse.Namespace) -> int:
    verb = args.verb
    if verb is None:
        return _run_app(args)
    if verb == "demo":
        return _demo(args)
    if verb == "village":
        if args.action == "import":
            from .commands import village_import

            return village_import.run(args, open_db)
        from .commands import village

        return village.run(args, open_db)
    if verb == "inspection":
        from .commands import inspection

        return inspection.list_inspections(args, open_db)
    if verb in ("overdue", "finding") or (verb == "report" and args.action in ("village", "township", "overdue")):
        from .commands import supervise

        return supervise.run(args, open_db)
    if verb == "report":
        from .commands import inspection

        return inspection.report(args, open_db)
    if verb == "catalog":
        from .commands import catalog

        return catalog.run(args)
    if verb == "classify":
        from .commands import catalog

        return catalog.classify(args)
    raise UsageError(verb)


def _demo(args: argparse.Namespace) -> int:
    from .core.demo import build_demo

    if args.db is None:
        raise UsageError(t("cli.demo_needs_db"))
    if args.villages < 1 or args.years < 1:
        raise UsageError(t("cli.demo_bad_size"))
    from .storage.database import check_location

    root = check_location(args.db)
    if (root / "inspector.json").exists():
        raise UsageError(t("cli.demo_exists", path=root))
    today = args.today or date.today()
    stats = build_demo(root, villages=args.villages, years=args.years, seed=args.seed, today=today, catalog_dir=args.catalog)
    print(t("cli.demo_written", path=root, **stats))
    return 0


def _run_app(args: argparse.Namespace) -> int:
    from .commands.catalog import load_or_report

    catalog = load_or_report(args, "catalog.invalid")
    if catalog is None:
        return 2
    if args.demo:
        from .core.demo import build_demo

        if args.db is not None:
            raise UsageError(t("cli.demo_and_db"))
        args.db = Path(tempfile.mkdtemp(prefix="inspector-demo-")) / "db"
        build_demo(args.db, villages=12, years=2, seed=7, today=args.today or date.today(), catalog_dir=args.catalog)
    db = open_db(args)
    from .ui.app import make_app

    app = make_app(db=db, catalog=catalog, today=args.today or date.today(), lang=args.lang, demo=args.demo, user=args.user)
    try:
        app.run()
    finally:
        db.close()
    return 0
