#!/usr/bin/env python3
"""Reads the Word documents and CSV files the test suite wrote to target/docx/
with python-docx and Python's csv module, readers Sapar's code has nothing in
common with.

The integration tests (tests/app/documents.rs) write, from the demo visit:
  programme-internal.docx   the working programme, whole visit
  programme-public.docx     the guest programme
  programme-secretary.docx  the programme of the secretary of the maslikhat
  briefing-secretary.docx   the programme attached to her briefing pack
  access-list-uktmk.docx    the titanium plant's access list
  access-list-uktmk.csv     the same list for Excel

Checks: every document opens; A4 portrait; the items in time order; the
filters (the secretary's one meeting); what the guest view leaves out; the
Kazakh letters as written; each table's heading row repeated on every page;
the CSV's byte order mark, `;` separator and the
same people as the Word list, numbered from 1. Exits non-zero, naming every
problem, when anything is wrong or a file is missing.
"""

import csv
import io
import pathlib
import re
import sys

import docx
from docx.oxml.ns import qn
from docx.shared import Mm

KAZAKH = "Өскемен қ., Өнеркәсіп көшесі, 1 (ұңғыма һ і ғ ү)"
MASLIKHAT = "Встреча с депутатами маслихатов области"
FIRST = "Прибытие в Усть-Каменогорск. Встреча в аэропорту"
LAST = "Отъезд. Проводы в аэропорту"
SPEAKER = "Ашимбаев Маулен Сагатханулы"
INTERNAL_ONLY = ("Ответственные", "Правила объекта", "Принимающая сторона", "+7 7232", "Логистика")
TIME = re.compile(r"^(\d\d):(\d\d)–(\d\d):(\d\d)")


def text_of(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def items(document):
    """(start, title) of each programme row, in document order."""
    found = []
    for table in document.tables:
        for row in table.rows:
            cells = row.cells
            if len(cells) < 4:
                continue
            match = TIME.match(cells[0].text.strip())
            if match:
                title = cells[1].text.strip().split("\n")[0]
                found.append((match.group(1) + ":" + match.group(2), title))
    return found


def check_page(document, problems, name):
    section = document.sections[0]
    width, height = section.page_width, section.page_height
    if abs(width - Mm(210)) > Mm(1) or abs(height - Mm(297)) > Mm(1):
        problems.append(f"{name}: not A4 portrait ({width.mm:.0f} x {height.mm:.0f} mm)")
    # Each table's column headings repeat on every page it runs onto: its
    # first row, and only that one, is marked as the heading row.
    for number, table in enumerate(document.tables, 1):
        marked = [
            i for i, row in enumerate(table.rows)
            if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
        ]
        if marked != [0]:
            problems.append(f"{name}: table {number} has heading rows {marked}, not [0]")


def check_programme(folder, problems):
    internal = docx.Document(folder / "programme-internal.docx")
    check_page(internal, problems, "programme-internal")
    listed = items(internal)
    if len(listed) != 10:
        problems.append(f"programme-internal: {len(listed)} items, expected 10")
    elif listed[0][1] != FIRST or listed[-1][1] != LAST:
        problems.append(f"programme-internal: first/last item {listed[0]} / {listed[-1]}")
    starts = [start for start, _ in listed]
    if starts != sorted(starts):
        problems.append(f"programme-internal: not in time order: {starts}")
    text = text_of(internal)
    for needed in ("ПРОГРАММА ПРЕБЫВАНИЯ", "Рабочая программа", "«проект»", KAZAKH, "Ответственные"):
        if needed not in text:
            problems.append(f"programme-internal: no {needed!r}")

    public = docx.Document(folder / "programme-public.docx")
    check_page(public, problems, "programme-public")
    text = text_of(public)
    if len(items(public)) != 10:
        problems.append("programme-public: not every item")
    for hidden in INTERNAL_ONLY:
        if hidden in text:
            problems.append(f"programme-public: the guest view shows {hidden!r}")
    if KAZAKH not in text:
        problems.append("programme-public: the Kazakh address is not as written")

    for name in ("programme-secretary", "briefing-secretary"):
        own = docx.Document(folder / f"{name}.docx")
        titles = [title for _, title in items(own)]
        if not titles or titles[0] != MASLIKHAT:
            problems.append(f"{name}: does not lead with the maslikhat meeting: {titles}")
        if name == "programme-secretary" and titles != [MASLIKHAT]:
            problems.append(f"{name}: the filter kept {titles}")
        if "Касымова Гульнара Токтаровна" not in text_of(own):
            problems.append(f"{name}: does not say whose programme it is")


def check_access_list(folder, problems):
    word = docx.Document(folder / "access-list-uktmk.docx")
    check_page(word, problems, "access-list-uktmk.docx")
    if KAZAKH not in text_of(word):
        problems.append("access-list-uktmk.docx: the Kazakh address is not as written")
    table = word.tables[0]
    word_rows = [[c.text for c in row.cells] for row in table.rows][1:]

    raw = (folder / "access-list-uktmk.csv").read_bytes()
    if not raw.startswith(b"\xef\xbb\xbf"):
        problems.append("access-list-uktmk.csv: no UTF-8 byte order mark")
    text = raw.decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header, rows = records[0], [r for r in records[1:] if r]
    if len(header) != 6 or header[0] != "№":
        problems.append(f"access-list-uktmk.csv: header {header}")
    if [r[0] for r in rows] != [str(n) for n in range(1, len(rows) + 1)]:
        problems.append("access-list-uktmk.csv: not numbered from 1")
    if not rows or rows[0][1] != SPEAKER:
        problems.append("access-list-uktmk.csv: the Speaker does not lead the list")
    csv_names = [r[1] for r in rows]
    word_names = [r[1] for r in word_rows]
    if csv_names != word_names:
        problems.append(f"access lists differ: CSV {csv_names} / Word {word_names}")
    if "Касымова Гульнара Токтаровна" in csv_names:
        problems.append("access-list-uktmk.csv: names someone not expected at the plant")


def main():
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/docx")
    problems = []
    try:
        check_programme(folder, problems)
        check_access_list(folder, problems)
    except Exception as error:  # a missing or unreadable file is the finding
        problems.append(f"{type(error).__name__}: {error}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"documents in {folder}: read with python-docx, all checks pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
