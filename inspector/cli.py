"""The command line: global options, verbs, and the only place that reads the clock.

Global options (``--db``, ``--today``, ``--lang``, ``--catalog``, ``--user``)
work before or after the verb. Every failure is one line on stderr in the
interface language, never a traceback:

    2   bad arguments, a broken or foreign database (nothing is created or changed)
    1   a refusal: unknown id or name, read-only database, a file that cannot be written
    70  an internal error (EX_SOFTWARE): the trace goes to a log file the line names
    130 interrupted (Ctrl+C)
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import shutil
import signal
import sys
import tempfile
import traceback
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Sequence

from . import __version__, i18n
from .commands.common import DAY_MAX, DAY_MIN, Refused, bad_date_message, check_day, os_reason  # noqa: F401  (verbs share them)
from .i18n import t
from .core.errors import UserError
from .core.repository import NotFound, RepositoryError

# "Today" and as-of dates are refused outside this century: the demo reaches 20 years
# back, deadlines 10 years ahead, and China's working-day calendar only covers
# 2004 onwards; a date beyond these is a typo, and at the edges of what `date`
# holds (0001-01-01, 9999-12-31) that arithmetic overflows.
# Demo sizes: 20,000 villages is a large prefecture (a county has 200-600);
# 20 years is longer than the lists have existed (2019 onwards). Beyond these the
# demo would run for hours or fill the disk, so they are refused before anything is made.
DEMO_VILLAGES = (1, 20_000)
DEMO_YEARS = (1, 20)
DEMO_SEED = (0, 2**32 - 1)
EXIT_INTERNAL = 70  # sysexits.h EX_SOFTWARE


class UsageError(Exception):
    """Bad arguments: printed as one line, exit status 2."""


# ── argparse in the interface language ────────────────────────────────────────

# argparse's own messages (Python 3.11-3.13), by the msgid it passes to gettext.
_ARGPARSE_KEYS = {
    "usage: ": "usage",
    "positional arguments": "positionals",
    "options": "options",
    "optional arguments": "options",
    "show this help message and exit": "help",
    "argument %(argument_name)s: %(message)s": "argument",
    "unrecognized arguments: %s": "unrecognized",
    "the following arguments are required: %s": "required",
    "expected one argument": "expected_one",
    "expected at most one argument": "expected_at_most_one",
    "expected at least one argument": "expected_at_least_one",
    "expected %s argument": "expected_n",
    "expected %s arguments": "expected_n",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "not allowed with argument %s": "not_allowed_with",
    "one of the arguments %s is required": "one_required",
    "ignored explicit argument %r": "ignored_argument",
    "unexpected option string: %s": "unexpected_option",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "unknown_parser",
}


def _argparse_gettext(message: str) -> str:
    key = _ARGPARSE_KEYS.get(message)
    return t(f"cli.argparse.{key}") if key and i18n.has(f"cli.argparse.{key}") else message


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    return _argparse_gettext(singular if n == 1 else plural)


def _install_argparse_translation() -> None:
    """argparse asks gettext for each message through its module globals ``_`` and
    ``ngettext``; answering from our catalog puts usage, help and errors in the
    interface language (no .mo files to build and ship)."""
    argparse._ = _argparse_gettext  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_ngettext  # type: ignore[attr-defined]


class _Formatter(argparse.HelpFormatter):
    """Placeholders in the interface language (``--db 路径``, not ``--db DB``)."""

    def format_help(self) -> str:
        # argparse ends each section title with an ASCII colon ("选项:"); Chinese takes "：".
        text = super().format_help()
        return re.sub(r"(?m)^(\S[^\n]*?):$", r"\1：", text) if i18n.language() == "zh" else text

    def _get_default_metavar_for_optional(self, action: argparse.Action) -> str:
        return t(f"cli.metavar.{action.dest}") if i18n.has(f"cli.metavar.{action.dest}") else action.dest.upper()

    def _get_default_metavar_for_positional(self, action: argparse.Action) -> str:
        return t(f"cli.metavar.{action.dest}") if i18n.has(f"cli.metavar.{action.dest}") else action.dest


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def add_argument(self, *names, **kwargs):
        # A positional's name shows in "required" errors too, so it gets the translated placeholder.
        if len(names) == 1 and not names[0].startswith("-") and "metavar" not in kwargs and i18n.has(f"cli.metavar.{names[0]}"):
            kwargs["metavar"] = t(f"cli.metavar.{names[0]}")
        return super().add_argument(*names, **kwargs)

    def error(self, message: str) -> None:  # one line, exit 2 (argparse prints usage too)
        raise UsageError(message)


# ── argument types ────────────────────────────────────────────────────────────


def _date(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(bad_date_message(text, "cli.bad_date")) from None
    try:
        return check_day(day)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _count(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip()) if len(text) <= 30 else None  # 30 digits: no 4,300-digit int() work
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(t("cli.err.bad_count", value=text[:30], low=low, high=high))
        return value

    return parse


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
    _install_argparse_translation()
    parser = _Parser(prog="inspector", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"inspector {__version__}", help=t("cli.help.version"))
    parser.add_argument("--demo", action="store_true", help=t("cli.help.demo_here"))
    parser.add_argument("--reset", action="store_true", help=t("cli.help.demo_reset"))
    _globals(parser, suppress=False)
    verbs = parser.add_subparsers(dest="verb", parser_class=_Parser, metavar=t("cli.metavar.verb"))

    def verb(sub, name: str, help_key: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=t(help_key), description=t(help_key))
        _globals(p, suppress=True)
        return p

    demo = verb(verbs, "demo", "cli.help.demo_verb")
    demo.add_argument("--villages", type=_count(*DEMO_VILLAGES), default=12, help=t("cli.help.demo_villages", low=DEMO_VILLAGES[0], high=DEMO_VILLAGES[1]))
    demo.add_argument("--years", type=_count(*DEMO_YEARS), default=2, help=t("cli.help.demo_years", low=DEMO_YEARS[0], high=DEMO_YEARS[1]))
    demo.add_argument("--seed", type=_count(*DEMO_SEED), default=1, help=t("cli.help.demo_seed"))

    village = verbs.add_parser("village", help=t("cli.help.village"), description=t("cli.help.village"))
    vsub = village.add_subparsers(dest="action", required=True, parser_class=_Parser, metavar=t("cli.metavar.action"))
    add = verb(vsub, "add", "cli.help.village_add")
    add.add_argument("name", help=t("cli.help.village_name"))
    add.add_argument("--township", required=True, help=t("cli.help.township"))
    add.add_argument("--new-township", action="store_true", help=t("cli.help.new_township"))
    add.add_argument("--kind", choices=("village", "community"), default="village", help=t("cli.help.kind"))
    add.add_argument("--county", default="", help=t("cli.help.county"))
    add.add_argument("--contact", default="", help=t("cli.help.contact"))
    add.add_argument("--phone", default="", help=t("cli.help.phone"))
    vlist = verb(vsub, "list", "cli.help.village_list")
    vlist.add_argument("--json", action="store_true", help=t("commands.help_json"))
    vlist.add_argument("--all", action="store_true", help=t("cli.help.village_all"))
    from .commands import imports

    imports.add_parser(vsub, verb)

    edit = verb(vsub, "edit", "cli.help.village_edit")
    edit.add_argument("id", help=t("cli.help.village_id"))
    edit.add_argument("--in-township", dest="in_township", help=t("cli.help.in_township"))
    edit.add_argument("--name", help=t("cli.help.village_name"))
    edit.add_argument("--township", help=t("cli.help.township"))
    edit.add_argument("--new-township", action="store_true", help=t("cli.help.new_township"))
    for field in ("county", "contact", "phone"):
        edit.add_argument(f"--{field}", help=t(f"cli.help.{field}"))
    edit.add_argument("--kind", choices=("village", "community"), help=t("cli.help.kind"))
    archive = verb(vsub, "archive", "cli.help.village_archive")
    archive.add_argument("id", help=t("cli.help.village_id"))
    archive.add_argument("--in-township", dest="in_township", help=t("cli.help.in_township"))
    archive.add_argument("--undo", action="store_true", help=t("cli.help.village_unarchive"))

    inspection = verbs.add_parser("inspection", help=t("cli.help.inspection"), description=t("cli.help.inspection"))
    isub = inspection.add_subparsers(dest="action", required=True, parser_class=_Parser, metavar=t("cli.metavar.action"))
    ilist = verb(isub, "list", "cli.help.inspection_list")
    ilist.add_argument("--village", help=t("cli.help.village_filter"))
    ilist.add_argument("--since", type=_date, help=t("scale.help.since"))
    ilist.add_argument("--limit", type=_count(1, 1_000_000), help=t("scale.help.limit"))
    ilist.add_argument("--json", action="store_true", help=t("commands.help_json"))

    report = verbs.add_parser("report", help=t("cli.help.report"), description=t("cli.help.report"))
    rsub = report.add_subparsers(dest="action", required=True, parser_class=_Parser, metavar=t("cli.metavar.action"))
    rinsp = verb(rsub, "inspection", "cli.help.report_inspection")
    rinsp.add_argument("id", help=t("cli.help.inspection_id"))
    rinsp.add_argument("--out", type=Path, help=t("cli.help.out"))
    rinsp.add_argument("--format", choices=("md", "docx"), default="md", help=t("office.help.format"))
    from .commands import supervise

    supervise.add_parsers(verbs, rsub, verb)
    from .commands import evidence

    evidence.add_parser(verbs, verb)
    from .commands import devices, sync

    devices.add_parser(verbs, verb)
    sync.add_parser(verbs, verb)

    catalog = verbs.add_parser("catalog", help=t("cli.help.catalog_verb"), description=t("cli.help.catalog_verb"))
    csub = catalog.add_subparsers(dest="action", required=True, parser_class=_Parser, metavar=t("cli.metavar.action"))
    check = verb(csub, "check", "cli.help.catalog_check")
    check.add_argument("dir", nargs="?", type=Path, help=t("cli.help.catalog_dir"))
    clist = verb(csub, "list", "cli.help.catalog_list")
    clist.add_argument("--json", action="store_true", help=t("cli.help.json"))

    classify = verb(verbs, "classify", "cli.help.classify")
    classify.add_argument("text", help=t("cli.help.classify_text"))
    classify.add_argument("--json", action="store_true", help=t("cli.help.json"))
    classify.add_argument("--set", dest="listset", default=None, help=t("cli.help.listset"))
    return parser


def make_clock(today: date | None) -> Callable[[], datetime]:
    """The one clock of the program. A fixed ``today`` keeps the time of day real."""
    if today is None:
        return datetime.now
    return lambda: datetime.combine(today, datetime.now().time())


def _env_defaults(args: argparse.Namespace) -> None:
    from .settings import resolve_user, user_is_saved

    if getattr(args, "db", None) is None and os.environ.get("INSPECTOR_DB"):
        args.db = Path(os.environ["INSPECTOR_DB"])
    if getattr(args, "today", None) is None and os.environ.get("INSPECTOR_TODAY"):
        args.today = _date_or_usage(os.environ["INSPECTOR_TODAY"])
    # One notion of who is using the app: --user, INSPECTOR_USER, the saved name, the login name.
    explicit = getattr(args, "user", None) or os.environ.get("INSPECTOR_USER", "")
    args.user_chosen = bool(explicit.strip()) or user_is_saved()  # else the app asks once
    args.user = resolve_user(explicit)
    if getattr(args, "lang", None) is None:
        env = os.environ.get("INSPECTOR_LANG")
        args.lang = env if env in i18n.LANGUAGES else i18n.DEFAULT


def _date_or_usage(text: str) -> date:
    try:
        return _date(text)
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"INSPECTOR_TODAY: {exc}") from None


def _pre_language(argv: Sequence[str]) -> None:
    """Pick the language before building the parser, so help and errors are translated."""
    lang = os.environ.get("INSPECTOR_LANG", i18n.DEFAULT)
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    i18n.set_language(lang if lang in i18n.LANGUAGES else i18n.DEFAULT)


def check_db_path(path: Path) -> None:
    """A --db that is a dangling symlink or a symlink loop: one line, before anything is made."""
    try:
        os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise UsageError(t("cli.err.dangling_link", path=path)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageError(t("cli.err.link_loop", path=path)) from None
        raise


def _check_is_database(path: Path) -> None:
    """A read verb never creates a database: a mistyped --db is refused (exit 2), nothing made."""
    from .storage.database import REGISTRY

    if not (Path(path) / REGISTRY).is_file():
        raise Refused(t("f3.not_a_database", path=path), 2)


def open_db(args: argparse.Namespace, *, read_only: bool = False, defer_index: bool = False):
    from .commands.rebuild_progress import rebuild_line
    from .paths import default_db
    from .wiring import open_database

    path = args.db or default_db()
    check_db_path(path)
    if read_only:
        _check_is_database(path)
    if args.db is None:
        path.parent.mkdir(parents=True, exist_ok=True)
    # A lost query index is rebuilt here: a terminal sees a progress line (the app shows its own screen).
    with rebuild_line() as progress:
        return open_database(path, clock=make_clock(args.today), read_only=read_only, progress=progress, defer_index=defer_index)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `inspector ... | head` ends quietly
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a handler below failed too (e.g. a broken message catalog)
        return _internal_error(exc)


def _main(argv: list[str]) -> int:
    if argv == ["--version"]:  # answered before the parser imports every verb's module
        print(f"inspector {__version__}")
        return 0
    try:
        _pre_language(argv)
        args = build_parser().parse_args(argv)
        _env_defaults(args)
        i18n.set_language(args.lang)
        return _dispatch(args)
    except UsageError as exc:
        print(f"inspector: {exc}", file=sys.stderr)
        return 2
    except Refused as exc:
        if exc.message:  # empty: the verb printed its lines already
            print(exc.message, file=sys.stderr)
        return exc.status
    except NotFound as exc:
        from .core.ids import short

        print(t("cli.not_found", what=t(f"noun.{exc.what}"), id=short(str(exc.key))), file=sys.stderr)  # the id as people see it
        return 1
    except RepositoryError as exc:
        print(store_message(exc), file=sys.stderr)
        return getattr(exc, "exit_status", 2)
    except UserError as exc:  # one a verb leaves to this level: this laptop's identity file is damaged
        print(exc.message(), file=sys.stderr)
        return 2
    except OSError as exc:
        print(os_error_line(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(t("cli.err.interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:  # the last resort: no traceback ever reaches the user
        return _internal_error(exc)


def store_message(exc: RepositoryError) -> str:
    """One line (two with a backup) that says what is wrong with which file."""
    message = getattr(exc, "message", None)
    if callable(message):
        return message()
    return str(exc)


def os_error_line(exc: OSError) -> str:
    """One line naming the file and what the system said, in the interface language."""
    text = os_reason(exc)
    path = exc.filename if exc.filename is not None else "?"
    if exc.filename2 is not None:
        path = f"{path} → {exc.filename2}"
    return t("cli.os.line", path=path, reason=text)


def crash_log_folder() -> Path:
    from platformdirs import user_log_path

    return user_log_path("inspector", appauthor=False)


def _internal_error(exc: BaseException) -> int:
    """Write the trace to a log file and say, in one line, where it is."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join(traceback.format_exception(exc))
    where: Path | None = None
    try:
        folders = [crash_log_folder(), Path(tempfile.gettempdir())]
    except Exception:  # platformdirs itself failing: the temp folder still serves
        folders = [Path(tempfile.gettempdir())]
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f"inspector-crash-{stamp}-", suffix=".txt", dir=folder)  # never overwrites
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(f"inspector {__version__}\n{' '.join(sys.argv)}\n\n{text}")
            where = Path(name)
            break
        except OSError:
            where = None
    kind = type(exc).__name__
    try:
        line = t("cli.err.internal", kind=kind, path=where) if where else t("cli.err.internal_no_log", kind=kind)
    except Exception:  # the message catalog itself is broken: say it without it
        line = f"inspector: internal error ({kind})" + (f"; details in {where}" if where else "")
    print(line, file=sys.stderr)
    return EXIT_INTERNAL


def _dispatch(args: argparse.Namespace) -> int:
    verb = args.verb
    if verb is None:
        return _run_app(args)
    if args.demo or args.reset:
        raise UsageError(t("cli.err.demo_is_for_app"))
    if verb == "demo":
        return _demo(args)
    if verb == "village":
        if args.action == "import":
            from .commands import imports

            return imports.run(args, open_db)
        from .commands import villages

        return villages.run(args, open_db)
    if verb == "inspection":
        from .commands import inspections

        return inspections.list_inspections(args, open_db)
    if verb in ("overdue", "finding") or (verb == "report" and args.action in ("village", "township", "overdue")):
        from .commands import supervise

        return supervise.run(args, open_db)
    if verb == "report":
        from .commands import inspections

        return inspections.report(args, open_db)
    if verb == "evidence":
        from .commands import evidence

        return evidence.run(args, open_db)
    if verb == "device":
        from .commands import devices

        return devices.run(args, open_db)
    if verb == "sync":
        from .commands import sync

        return sync.run(args, open_db)
    if verb == "catalog":
        from .commands import catalogs

        return catalogs.run(args)
    if verb == "classify":
        from .commands import catalogs

        return catalogs.classify(args)
    raise UsageError(verb)


def write_demo(root: Path, *, villages: int, years: int, seed: int, today: date, catalog_dir: Path | None) -> dict:
    """Build a demo database at ``root``; on any failure remove what this call made."""
    from .wiring import build_demo

    existed = root.exists()
    before = set(root.iterdir()) if existed else set()
    try:
        return build_demo(root, villages=villages, years=years, seed=seed, today=today, catalog_dir=catalog_dir)
    except BaseException:
        if not existed:
            shutil.rmtree(root, ignore_errors=True)
        else:  # an empty folder the user gave: empty it again
            for path in set(root.iterdir()) - before:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        raise


def _demo(args: argparse.Namespace) -> int:
    if args.db is None:
        raise UsageError(t("cli.demo_needs_db"))
    from .wiring import check_location

    check_db_path(args.db)
    root = check_location(args.db)
    if (root / "inspector.json").exists():
        raise UsageError(t("cli.demo_exists", path=root))
    today = args.today or date.today()
    stats = write_demo(root, villages=args.villages, years=args.years, seed=args.seed, today=today, catalog_dir=args.catalog)
    print(t("cli.demo_written", path=root, **stats))
    return 0


def _demo_database(args: argparse.Namespace) -> Path:
    """The user's one demo database: made on first use, remade only with --reset."""
    from .paths import demo_db

    root = demo_db()
    check_db_path(root)
    made = False
    if args.reset and root.exists():
        if (root / "inspector.json").exists():  # never pull the demo from under a running copy
            from .wiring import open_database

            db = open_database(root, clock=make_clock(args.today))
            held, holder = db.read_only, db.holder
            db.close()
            if held:
                raise Refused(t("cli.demo.in_use", path=root, holder=holder))
        shutil.rmtree(root)
    if not (root / "inspector.json").exists():
        root.parent.mkdir(parents=True, exist_ok=True)
        if root.exists() and not any(root.iterdir()):
            root.rmdir()
        write_demo(root, villages=12, years=2, seed=7, today=args.today or date.today(), catalog_dir=args.catalog)
        made = True
    print(t("cli.demo.made" if made else "cli.demo.reused", path=root))
    return root


def _run_app(args: argparse.Namespace) -> int:
    from .commands.catalogs import load_or_report

    if args.reset and not args.demo:
        raise UsageError(t("cli.err.reset_needs_demo"))
    if args.demo and args.db is not None:
        raise UsageError(t("cli.demo_and_db"))
    catalog = load_or_report(args, "catalog.invalid")
    if catalog is None:
        return 2
    if args.demo:
        args.db = _demo_database(args)
    db = open_db(args, defer_index=True)  # a lost index is rebuilt inside the app, behind a progress bar
    from .ui.app import make_app

    # ask_user: with no --user and no saved name, the app asks once who is using it.
    from .settings import keymap_path

    app = make_app(db=db, catalog=catalog, today=args.today or date.today(), lang=args.lang, demo=args.demo, user=args.user,
                   ask_user=not args.user_chosen, keymap=keymap_path())
    try:
        app.run()
    finally:
        db.close()
    error = getattr(app, "load_error", None)
    if error is not None:
        raise error  # the index rebuild stopped: said in one line like any verb's (a damaged village file...)
    return app.return_code or 0  # 1 after an unexpected error (the app has said it in one line)
