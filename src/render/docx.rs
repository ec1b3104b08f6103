//! Word documents, as Kazakh government offices exchange them: the programme
//! of a visit («Программа пребывания») and a venue's access list. Built with
//! docx-rs from domain values and the catalogue's words; A4 portrait, a serif
//! that Word and LibreOffice both have with the Kazakh letters.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use docx_rs::{
    AlignmentType, Docx, Footer, PageMargin, PageNum, Paragraph, Run, RunFonts, Shading, Table,
    TableCell, TableLayoutType, TableRow, WidthType,
};

use crate::domain::access::AccessList;
use crate::domain::itinerary::{Audience, Entry, Itinerary};
use crate::domain::short_name;
use crate::i18n::{long_date, Translator};

/// Times New Roman carries the Kazakh letters (ә ғ қ ң ө ұ ү һ і) in Word;
/// LibreOffice substitutes a metric twin that carries them too.
const FONT: &str = "Times New Roman";
/// A4 in twentieths of a point.
const A4: (u32, u32) = (11906, 16838);
/// 2 cm margins, 1.5 cm on the binding side as office documents have it.
const MARGIN: i32 = 1134;
/// The width the tables fill: the page less the margins.
const TEXT_WIDTH: usize = (A4.0 as usize) - 2 * (MARGIN as usize);
/// Half-points: 12 pt body, 10.5 pt in tables, 9 pt for column headings.
const BODY: usize = 24;
const SMALL: usize = 21;
const HEADING: usize = 18;

/// What the title block of a programme says.
pub struct TitleBlock<'a> {
    pub title: &'a str,
    pub region: Option<&'a str>,
    pub first_day: chrono::NaiveDate,
    pub last_day: chrono::NaiveDate,
    /// The published version's number; none for a draft («проект»).
    pub version: Option<i32>,
    /// Whose programme it is, when it is one person's or one group's.
    pub reader: Option<&'a str>,
}

fn page() -> Docx {
    Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN)
                .header(709)
                .footer(709),
        )
        .default_fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .cs(FONT)
                .east_asia(FONT),
        )
        .default_size(BODY)
        // Pages numbered at the foot: a programme is read on paper, stapled.
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .size(SMALL)
                    .add_page_num(PageNum::new()),
            ),
        )
}

fn text(s: &str) -> Run {
    Run::new().add_text(s)
}

/// A paragraph of one run; line breaks in `s` become breaks in Word.
fn para(s: &str, size: usize) -> Paragraph {
    let mut run = Run::new().size(size);
    for (n, line) in s.lines().enumerate() {
        if n > 0 {
            run = run.add_break(docx_rs::BreakType::TextWrapping);
        }
        run = run.add_text(line);
    }
    Paragraph::new().add_run(run)
}

fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    let cell = paragraphs
        .into_iter()
        .fold(TableCell::new(), |c, p| c.add_paragraph(p));
    cell.width(width, WidthType::Dxa)
}

fn header_row(titles: &[&str], widths: &[usize]) -> TableRow {
    TableRow::new(
        titles
            .iter()
            .zip(widths)
            .map(|(title, w)| {
                cell(
                    vec![Paragraph::new().add_run(text(title).bold().size(HEADING))],
                    *w,
                )
                .shading(Shading::new().fill("E7E9EC"))
            })
            .collect(),
    )
    .cant_split()
}

fn pack(docx: Docx) -> Vec<u8> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    // Writing into memory fails only on a bug in the writer; the caller gets
    // an empty document rather than a panic.
    match docx.build().pack(&mut buffer) {
        Ok(()) => {
            let packed = buffer.into_inner();
            // Without the repeated headings the document is still whole.
            with_repeated_headings(&packed).unwrap_or(packed)
        }
        Err(_) => Vec::new(),
    }
}

/// The packed document with the first row of every table marked as its
/// heading (`<w:tblHeader/>`), so that Word and LibreOffice repeat it at the
/// top of each page a long table runs onto. docx-rs 0.4 has no setter for
/// it, so `word/document.xml` is rewritten and the other parts copied as
/// they are.
fn with_repeated_headings(packed: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::{Read, Write};
    use zip::write::SimpleFileOptions;

    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(packed))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut part = archive.by_index(i)?;
        if part.name() == "word/document.xml" {
            let mut xml = String::new();
            part.read_to_string(&mut xml)?;
            let options =
                SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            out.start_file(part.name().to_owned(), options)?;
            out.write_all(mark_table_headings(&xml).as_bytes())?;
        } else {
            out.raw_copy_file(part)?;
        }
    }
    Ok(out.finish()?.into_inner())
}

/// `<w:tblHeader />` in the properties of each table's first row.
fn mark_table_headings(xml: &str) -> String {
    const ROW_PROPERTIES: &str = "<w:trPr>";
    let mut out = String::with_capacity(xml.len() + 256);
    let mut rest = xml;
    while let Some(table) = rest.find("<w:tbl>") {
        let Some(row) = rest[table..].find(ROW_PROPERTIES) else {
            break;
        };
        let at = table + row + ROW_PROPERTIES.len();
        out.push_str(&rest[..at]);
        out.push_str("<w:tblHeader />");
        rest = &rest[at..];
    }
    out.push_str(rest);
    out
}

/// "25.02.2026 — 26.02.2026", or the one day.
fn dates(first: chrono::NaiveDate, last: chrono::NaiveDate) -> String {
    if first == last {
        first.format("%d.%m.%Y").to_string()
    } else {
        format!("{} — {}", first.format("%d.%m.%Y"), last.format("%d.%m.%Y"))
    }
}

fn title_paragraphs(t: Translator, kind: &str, block: &TitleBlock<'_>) -> Vec<Paragraph> {
    let mut out = vec![
        Paragraph::new().align(AlignmentType::Center).add_run(
            text(&t.get("document-programme").to_uppercase())
                .bold()
                .size(28),
        ),
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(text(block.title).bold().size(BODY)),
    ];
    let mut line = dates(block.first_day, block.last_day);
    if let Some(region) = block.region {
        line.push_str(" · ");
        line.push_str(region);
    }
    out.push(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(text(&line).size(BODY)),
    );
    let version = match block.version {
        Some(n) => t.count("itinerary-version", n),
        None => format!("«{}»", t.get("document-draft")),
    };
    out.push(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(text(&format!("{kind} · {version}")).italic().size(SMALL)),
    );
    if let Some(reader) = block.reader {
        out.push(
            Paragraph::new().align(AlignmentType::Center).add_run(
                text(&format!("{}: {reader}", t.get("itinerary-for")))
                    .bold()
                    .size(SMALL),
            ),
        );
    }
    out
}

/// The cells of one programme entry: time, item, venue, who (and, in the
/// working programme, the responsible).
fn entry_cells(t: Translator, entry: &Entry, internal: bool, widths: &[usize]) -> Vec<TableCell> {
    let item = &entry.item;
    let cancelled = item.is_cancelled();
    let mut time = vec![Paragraph::new().add_run(
        text(&format!("{}–{}", entry.starts, entry.ends))
            .bold()
            .size(SMALL),
    )];
    if let Some(zone) = &entry.zone_label {
        time.push(para(zone, SMALL));
    }
    if let Some(other) = &entry.in_visit_zone {
        time.push(para(other, SMALL));
    }

    let mut title = text(&item.title).bold().size(SMALL);
    if cancelled {
        title = title.strike();
    }
    let mut what = vec![Paragraph::new().add_run(title)];
    if cancelled {
        what.push(para(
            &format!("[{}]", t.get("meeting_status-cancelled")),
            SMALL,
        ));
    }
    if let Some(agenda) = &item.agenda {
        what.push(para(agenda, SMALL));
    }
    if internal {
        if let Some(logistics) = &item.logistics {
            what.push(para(
                &format!("{}: {logistics}", t.get("itinerary-logistics")),
                SMALL,
            ));
        }
        if let Some(dress) = &item.dress_code {
            what.push(para(
                &format!("{}: {dress}", t.get("field-dress_code")),
                SMALL,
            ));
        }
    }

    let mut place = Vec::new();
    if let Some(p) = &item.place {
        place.push(para(&p.name, SMALL));
        if let Some(address) = &p.address {
            place.push(para(address, SMALL));
        }
        if let Some(host) = &p.host {
            let line = match &p.host_phone {
                Some(phone) => format!("{}: {host}, {phone}", t.get("itinerary-host")),
                None => format!("{}: {host}", t.get("itinerary-host")),
            };
            place.push(para(&line, SMALL));
        }
        if let Some(rules) = &p.rules {
            place.push(
                Paragraph::new().add_run(
                    text(&format!("{}: {rules}", t.get("itinerary-rules")))
                        .italic()
                        .size(SMALL),
                ),
            );
        }
    }
    if place.is_empty() {
        place.push(Paragraph::new());
    }

    let mut who: Vec<Paragraph> = item
        .officials
        .iter()
        .map(|o| para(&short_name(&o.name), SMALL))
        .collect();
    who.extend(item.groups.iter().map(|g| {
        para(
            &format!(
                "{} — {}",
                g.name,
                t.count("document-headcount", g.headcount)
            ),
            SMALL,
        )
    }));
    who.extend(item.participants.iter().map(|p| para(&p.name, SMALL)));
    if who.is_empty() {
        who.push(Paragraph::new());
    }

    let mut cells = vec![
        cell(time, widths[0]),
        cell(what, widths[1]),
        cell(place, widths[2]),
        cell(who, widths[3]),
    ];
    if internal {
        cells.push(cell(
            vec![para(item.responsible.as_deref().unwrap_or(""), SMALL)],
            widths[4],
        ));
    }
    cells
}

/// The programme of a visit as a Word document: the title block, then one
/// table a day (time in the venue's zone, item, venue and address, who; in
/// the working programme also the responsible, the host and the venue rules),
/// the transfers between an item and the next as rows of their own. The guest
/// programme shows what the public itinerary shows: the itinerary was built
/// for that audience already.
pub fn programme(t: Translator, block: &TitleBlock<'_>, itinerary: &Itinerary) -> Vec<u8> {
    let internal = itinerary.audience == Audience::Internal;
    let kind = t.get(if internal {
        "itinerary-internal"
    } else {
        "itinerary-public"
    });
    let widths: Vec<usize> = if internal {
        [11, 25, 26, 20, 18]
    } else {
        [12, 36, 28, 24, 0]
    }
    .iter()
    .filter(|p| **p > 0)
    .map(|p| TEXT_WIDTH * p / 100)
    .collect();
    let mut headings = vec![
        t.get("document-time"),
        t.get("document-item"),
        t.get("document-venue"),
        t.get("document-who"),
    ];
    if internal {
        headings.push(t.get("document-responsible"));
    }

    let mut docx = page();
    for p in title_paragraphs(t, kind, block) {
        docx = docx.add_paragraph(p);
    }
    if itinerary.days.is_empty() {
        docx = docx.add_paragraph(para(t.get("itinerary-nothing"), BODY));
    }
    for day in &itinerary.days {
        docx = docx.add_paragraph(
            Paragraph::new()
                .keep_next(true)
                .add_run(Run::new().add_break(docx_rs::BreakType::TextWrapping))
                .add_run(text(&long_date(t, day.date)).bold().size(BODY)),
        );
        let mut rows = vec![header_row(&headings, &widths)];
        for entry in &day.entries {
            rows.push(TableRow::new(entry_cells(t, entry, internal, &widths)).cant_split());
            if let Some(transfer) = &entry.transfer {
                let mut line = format!(
                    "→ {}: {}, {}",
                    t.get("itinerary-transfer"),
                    transfer.to,
                    t.count("itinerary-minutes", transfer.minutes)
                );
                if transfer.too_short && internal {
                    line.push_str(&format!(" — {}", t.get("itinerary-too_short")));
                }
                rows.push(TableRow::new(vec![
                    cell(vec![Paragraph::new()], widths[0]),
                    cell(
                        vec![Paragraph::new().add_run(text(&line).italic().size(SMALL))],
                        widths[1..].iter().sum(),
                    )
                    .grid_span(widths.len() - 1),
                ]));
            }
        }
        docx = docx.add_table(
            Table::new(rows)
                .set_grid(widths.clone())
                .width(TEXT_WIDTH, WidthType::Dxa)
                .layout(TableLayoutType::Fixed),
        );
    }
    pack(docx)
}

/// "25.02 09:30–10:45" in `zone`.
fn span(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> String {
    let (s, e) = (start.with_timezone(&zone), end.with_timezone(&zone));
    format!(
        "{} {}–{}",
        s.format("%d.%m"),
        s.format("%H:%M"),
        e.format("%H:%M")
    )
}

/// The words of a clearance, or of none asked yet.
pub fn clearance_word(t: Translator, clearance: Option<crate::domain::Clearance>) -> &'static str {
    match clearance {
        Some(c) => t.get(match c {
            crate::domain::Clearance::Requested => "clearance-requested",
            crate::domain::Clearance::Granted => "clearance-granted",
            crate::domain::Clearance::Refused => "clearance-refused",
        }),
        None => t.get("clearance-none"),
    }
}

/// The cells of an access list's rows, shared by the Word and CSV forms:
/// number, name, organisation, position, times, clearance.
pub fn access_rows(t: Translator, list: &AccessList) -> Vec<[String; 6]> {
    list.entries
        .iter()
        .map(|e| {
            [
                e.number.to_string(),
                e.person.name.clone(),
                e.person.organization.clone().unwrap_or_default(),
                e.person.position.clone().unwrap_or_default(),
                e.appearances
                    .iter()
                    .map(|a| format!("{} {}", span(a.start, a.end, list.venue.zone), a.title))
                    .collect::<Vec<_>>()
                    .join("\n"),
                clearance_word(t, e.clearance).to_owned(),
            ]
        })
        .collect()
}

pub fn access_headings(t: Translator) -> [&'static str; 6] {
    [
        t.get("access-number"),
        t.get("access-name"),
        t.get("access-organization"),
        t.get("access-position"),
        t.get("access-times"),
        t.get("access-clearance"),
    ]
}

/// A venue's access list as a Word document: whose visit, which venue, then
/// the numbered table.
pub fn access_list_docx(t: Translator, visit_title: &str, list: &AccessList) -> Vec<u8> {
    let widths: Vec<usize> = [5, 22, 17, 15, 28, 13]
        .iter()
        .map(|p| TEXT_WIDTH * p / 100)
        .collect();
    let mut docx = page()
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(text(&t.get("access-title").to_uppercase()).bold().size(28)),
        )
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(text(&list.venue.name).bold().size(BODY)),
        );
    if let Some(address) = &list.venue.address {
        docx = docx.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(text(address).size(BODY)),
        );
    }
    docx = docx.add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(text(visit_title).italic().size(SMALL)),
    );
    if list.entries.is_empty() {
        return pack(docx.add_paragraph(para(t.get("access-empty"), BODY)));
    }
    let mut rows = vec![header_row(&access_headings(t), &widths)];
    for row in access_rows(t, list) {
        rows.push(
            TableRow::new(
                row.iter()
                    .zip(&widths)
                    .map(|(value, w)| cell(vec![para(value, SMALL)], *w))
                    .collect(),
            )
            .cant_split(),
        );
    }
    pack(
        docx.add_paragraph(Paragraph::new()).add_table(
            Table::new(rows)
                .set_grid(widths)
                .width(TEXT_WIDTH, WidthType::Dxa)
                .layout(TableLayoutType::Fixed),
        ),
    )
}

/// One CSV field: quoted when it holds the separator, a quote or a line break.
fn csv_field(value: &str) -> String {
    if value.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// A venue's access list as CSV for Excel in a Russian locale: UTF-8 with a
/// byte order mark (without it Excel reads the bytes as Windows-1251), `;`
/// between fields, CRLF between records.
pub fn access_list_csv(t: Translator, list: &AccessList) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let line = |fields: &[String]| {
        fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(";")
            + "\r\n"
    };
    out.push_str(&line(&access_headings(t).map(str::to_owned)));
    for row in access_rows(t, list) {
        out.push_str(&line(&row));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::itinerary::{build, Filter, Item, Place};
    use crate::domain::{Language, MeetingKind, MeetingStatus};
    use chrono::TimeZone;
    use std::io::Read;

    fn document_xml(docx: &[u8]) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut xml = String::new();
        archive
            .by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    fn item() -> Item {
        let at = |h| chrono::Utc.with_ymd_and_hms(2026, 2, 25, h, 0, 0).unwrap();
        Item {
            id: 1,
            title: "Өскемен: жұмыс кездесуі".into(),
            kind: MeetingKind::Meeting,
            status: MeetingStatus::Confirmed,
            start: at(4),
            end: at(5),
            place: Some(Place {
                id: 1,
                name: "УКТМК".into(),
                address: Some("Өнеркәсіп көшесі, 1".into()),
                zone: chrono_tz::Asia::Almaty,
                host: Some("Петров".into()),
                host_phone: Some("+7 7232 29 00 00".into()),
                rules: Some("Каска обязательна".into()),
            }),
            officials: Vec::new(),
            groups: Vec::new(),
            participants: Vec::new(),
            responsible: Some("АО «УКТМК»".into()),
            agenda: None,
            briefing_notes: None,
            logistics: None,
            dress_code: None,
        }
    }

    fn programme_xml(audience: Audience) -> String {
        let it = build(
            vec![item()],
            chrono_tz::Asia::Almaty,
            &Filter::default(),
            audience,
            |_, _| 0,
        );
        let block = TitleBlock {
            title: "Сапар",
            region: Some("Шығыс Қазақстан облысы"),
            first_day: chrono::NaiveDate::from_ymd_opt(2026, 2, 25).unwrap(),
            last_day: chrono::NaiveDate::from_ymd_opt(2026, 2, 25).unwrap(),
            version: Some(2),
            reader: None,
        };
        document_xml(&programme(Translator(Language::Kk), &block, &it))
    }

    #[test]
    fn the_programme_keeps_kazakh_letters_local_times_and_the_catalogues_words() {
        let xml = programme_xml(Audience::Internal);
        for text in [
            "БОЛУ БАҒДАРЛАМАСЫ",
            "Шығыс Қазақстан облысы",
            "Өскемен: жұмыс кездесуі",
            "Өнеркәсіп көшесі, 1",
            "09:00–10:00",
            "Жауаптылар",
            "Каска обязательна",
            "АО «УКТМК»",
        ] {
            assert!(xml.contains(text), "{text}");
        }
    }

    #[test]
    fn the_guest_programme_leaves_out_what_the_public_itinerary_leaves_out() {
        let xml = programme_xml(Audience::Public);
        assert!(xml.contains("Өскемен: жұмыс кездесуі") && xml.contains("Өнеркәсіп көшесі, 1"));
        for internal in ["Жауаптылар", "Каска", "+7 7232", "Петров", "АО «УКТМК»"]
        {
            assert!(!xml.contains(internal), "{internal}");
        }
    }

    #[test]
    fn every_tables_heading_row_repeats_on_each_page() {
        let xml = programme_xml(Audience::Internal);
        let tables = xml.matches("<w:tbl>").count();
        assert!(tables > 0);
        assert_eq!(xml.matches("<w:tblHeader />").count(), tables);
        for table in xml.split("<w:tbl>").skip(1) {
            let rows: Vec<&str> = table.split("<w:tr>").skip(1).collect();
            assert!(
                rows[0].contains("<w:tblHeader />"),
                "the first row is the heading"
            );
            assert!(rows[1..].iter().all(|r| !r.contains("<w:tblHeader />")));
        }
    }

    #[test]
    fn a_csv_field_is_quoted_only_when_it_must_be() {
        assert_eq!(csv_field("Өскемен"), "Өскемен");
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("«А» \"Б\""), "\"«А» \"\"Б\"\"\"");
        assert_eq!(csv_field("09:30\n11:00"), "\"09:30\n11:00\"");
    }
}
