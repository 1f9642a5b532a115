"""Examples at the end of each `runwalk COMMAND ACTION --help`, kept in one place.

tests/test_cli.py parses every example line with the real parser, so an option
renamed or dropped cannot leave a wrong example behind.
"""

from __future__ import annotations

import argparse

EXAMPLES: dict[str, list[str]] = {
    "config push": [
        "runwalk config push 4:1 --repeats 8 --warmup 5m --cooldown 5m",
        "runwalk config push 30s:30s --repeats 10 --warn 0",
        "runwalk config push --sprint 20s --recover 40s --repeats 10",
        "runwalk config push --free --name 'Long run'",
        "runwalk config push --file my-workout.json   # or intervals.icu text, e.g. workout.txt",
        "runwalk config push 2:1 --port /dev/ttyACM0",
    ],
    "config show": [
        "runwalk config show",
        "runwalk config show --port /dev/ttyACM0",
    ],
    "logs pull": [
        "runwalk logs pull",
        "runwalk logs pull --delete              # free the band's flash at once",
        "runwalk logs pull --db runs.sqlite",
    ],
    "logs list": [
        "runwalk logs list",
        "runwalk logs list --db runs.sqlite",
    ],
    "logs show": [
        "runwalk logs show last",
        "runwalk logs show 3                     # its # in `runwalk logs list`",
    ],
    "logs export": [
        "runwalk logs export last -o run.fit     # Garmin Connect, Strava, intervals.icu",
        "runwalk logs export 3 -o run.tcx",
        "runwalk logs export last --format csv -o -",
    ],
    "logs plot": [
        "runwalk logs plot last -o run.png",
        "runwalk logs plot 3 -o run.svg",
    ],
    "deploy": [
        "runwalk deploy",
        "runwalk deploy --port /dev/ttyACM0 --board pico",
        "runwalk deploy --source                 # .py files, e.g. to read tracebacks",
        "runwalk deploy --romfs                  # into the band's ROMFS partition: runs from flash, less RAM",
        "runwalk deploy --replace                # a flash with no room for old and new side by side",
    ],
    "status": [
        "runwalk status",
        "runwalk status --port /dev/ttyACM0",
    ],
    "plan magic-mile": [
        "runwalk plan magic-mile 10:00",
        "runwalk plan magic-mile --from-session last",
        "runwalk plan magic-mile 9:41 --temp 75 --push",
    ],
    "plan mile-test": [
        "runwalk plan mile-test --push",
        "runwalk plan mile-test --strides 0 -o mile-test.json",
    ],
    "plan build": [
        "runwalk plan build --from 30s:30s --to 4:1 --weeks 8 --per-week 3 --minutes 30 --push",
        "runwalk plan build --to 2:1 --weeks 6 --start-minutes 20 -o plan.json",
    ],
    "plan push": ["runwalk plan push plan.json"],
    "plan show": [
        "runwalk plan show",
        "runwalk plan show --file plan.json",
    ],
    "plan advance": ["runwalk plan advance"],
    "plan repeat-week": ["runwalk plan repeat-week"],
    "plan back": ["runwalk plan back"],
    "plan stop": ["runwalk plan stop"],
    "plan export": [
        "runwalk plan export plan.json --format fit -o plan-fit",
        "runwalk plan export my-workout.json --format icu -o workout.txt",
        "runwalk plan export my-workout.json --format icu -o -",
    ],
}


def _children(parser: argparse.ArgumentParser) -> dict[str, tuple[argparse.ArgumentParser, str | None]]:
    """name -> (its parser, its one-line help in the parent's list)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            return {name: (child, helps.get(name)) for name, child in action.choices.items()}
    return {}


def attach(parser: argparse.ArgumentParser, path: str = "") -> None:
    """Give every command in EXAMPLES its examples, as an epilog shown as written, and every
    command without a description the line its parent's help lists it with."""
    for name, (child, line) in _children(parser).items():
        key = (path + " " + name).strip()
        if child.description is None and line:
            child.description = line[0].upper() + line[1:] + "."
        lines = EXAMPLES.get(key)
        if lines:
            child.epilog = "examples:\n" + "\n".join("  " + line for line in lines)
            child.formatter_class = argparse.RawDescriptionHelpFormatter
        if not _children(child):
            child.set_defaults(leaf_parser=child)  # cli.main reports stray words against this one's --help
        attach(child, key)
