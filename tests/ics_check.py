#!/usr/bin/env python3
"""Reads every calendar the test suite wrote to target/ics/ with the
`icalendar` package, a parser Sapar's code has nothing in common with.

Each file must parse; each VEVENT must carry UID, DTSTAMP, DTSTART, DTEND and
SEQUENCE, with an end after its start; the demo visit's first event must start
at 2026-02-25T03:30:00Z (08:30 in Ust-Kamenogorsk). Exits non-zero, naming
every problem, when anything is wrong, or when there is nothing to check.
"""

import datetime
import pathlib
import sys

import icalendar

REQUIRED = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE")
DEMO_FIRST_START = datetime.datetime(2026, 2, 25, 3, 30, tzinfo=datetime.timezone.utc)


def check(path):
    problems = []
    data = path.read_bytes()
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as error:  # any parse failure is the finding
        return [f"does not parse: {error}"]
    events = list(calendar.walk("VEVENT"))
    for number, event in enumerate(events, 1):
        uid = event.get("UID", f"event {number}")
        for name in REQUIRED:
            if name not in event:
                problems.append(f"{uid}: no {name}")
        if "DTSTART" in event and "DTEND" in event:
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            if not end > start:
                problems.append(f"{uid}: ends {end} before it starts {start}")
            if getattr(start, "tzinfo", None) is None:
                problems.append(f"{uid}: DTSTART {start} is not an instant")
    if path.name.startswith("demo-visit"):
        if not events:
            problems.append("the demo visit has no events")
        else:
            first = events[0].decoded("DTSTART")
            if first != DEMO_FIRST_START:
                problems.append(f"the demo visit starts at {first}, not {DEMO_FIRST_START}")
    return problems


def main():
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/ics")
    files = sorted(folder.glob("*.ics"))
    if not files:
        print(f"no .ics files in {folder}: run the tests first", file=sys.stderr)
        return 1
    if not any(f.name.startswith("demo-visit") for f in files):
        print(f"no demo-visit*.ics in {folder}", file=sys.stderr)
        return 1
    failed = 0
    for path in files:
        problems = check(path)
        if problems:
            failed += 1
            for problem in problems:
                print(f"{path}: {problem}", file=sys.stderr)
        else:
            print(f"{path}: ok")
    print(f"{len(files)} calendars checked with icalendar {icalendar.__version__}, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
