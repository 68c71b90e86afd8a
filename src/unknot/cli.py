"""The `unknot` command. Subcommands register themselves in _COMMANDS; `assess` is the first."""

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from unknot.care import CaseError, assess, case_schema, parse_case, parse_settings, to_json

EXIT_BAD_INPUT = 2


def _read(path: str, stdin: TextIO) -> object:
    if path == "-":
        return json.load(stdin)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _assess(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    if args.schema:
        out.write(json.dumps(case_schema(), indent=2) + "\n")
        return 0
    if args.file is None:
        err.write("unknot assess: give a case FILE (or - for stdin), or --schema\n")
        return EXIT_BAD_INPUT
    try:
        data = _read(args.file, stdin)
        result = assess(parse_case(data), parse_settings(data))
    except OSError as error:
        err.write(f"unknot assess: cannot read {args.file}: {error.strerror}\n")
        return EXIT_BAD_INPUT
    except json.JSONDecodeError as error:
        err.write(f"unknot assess: {args.file} is not valid JSON: {error}\n")
        return EXIT_BAD_INPUT
    except CaseError as error:
        err.write(f"unknot assess: {error.field}: {error.reason}\n")
        return EXIT_BAD_INPUT
    out.write(json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n")
    return 0


Handler = Callable[[argparse.Namespace, TextIO, TextIO, TextIO], int]


def _add_assess(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser(
        "assess",
        help="triage, scores, safety and a plan for one case (JSON in, JSON out)",
        description="Read one case as JSON and print the assessment as JSON. "
        "Bad input: a message on stderr naming the field, exit code 2.",
    )
    parser.add_argument("file", nargs="?", help="case JSON file, or - for stdin")
    parser.add_argument("--schema", action="store_true", help="print the input JSON Schema")
    parser.set_defaults(handler=_assess)


_COMMANDS: tuple[Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None], ...] = (
    _add_assess,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="unknot", description="unknot command line tools")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in _COMMANDS:
        add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    return handler(args, sys.stdout, sys.stderr, sys.stdin)


if __name__ == "__main__":
    sys.exit(main())
