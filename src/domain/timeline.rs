//! The timeline picture on a visit's programme page: one day, one row per
//! official and per venue, meetings as bars on an hours axis in the visit's
//! zone, clashes in red and transfers between meetings as arrows.
//!
//! Drawn on the server as an SVG string so the page needs no script and loads
//! nothing from elsewhere (the Content-Security-Policy forbids both): colours
//! and fonts are presentation attributes, never `style`. Every piece of text is
//! XML-escaped, since titles and names come from users. The drawing is
//! deterministic (same timeline, same bytes), so snapshots stay stable and a
//! response can be cached by its content.
//!
//! ```text
//! let svg = render_svg(&Timeline { day, zone, rows, title, labels: TimelineLabels::for_language(lang) });
//! ```

use std::borrow::Cow;
use std::fmt::{self, Write};

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike,
    Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::values::Language;

/// One meeting on a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineBar {
    pub meeting_id: i64,
    pub label: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Drawn in red: the meeting takes part in a conflict.
    pub clash: bool,
    /// Drawn hatched, grey and struck through.
    pub cancelled: bool,
}

/// The way from one meeting of a row to the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineTransfer {
    /// When the earlier meeting ends: the arrow starts here.
    pub from_end: DateTime<Utc>,
    /// When the later meeting starts.
    pub to_start: DateTime<Utc>,
    /// The travel time: the arrow is this long, so a transfer that does not fit
    /// visibly runs into the next meeting.
    pub minutes: i64,
    /// Drawn red and dashed: the gap is shorter than the travel time.
    pub too_short: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    Official,
    Venue,
}

/// One official's or one venue's day. Rows are drawn officials first, then
/// venues, each group in the order given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineRow {
    pub kind: RowKind,
    pub label: String,
    pub bars: Vec<TimelineBar>,
    pub transfers: Vec<TimelineTransfer>,
}

/// One day of a visit's programme, as the picture shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    /// The local day drawn; bars reaching past its midnights are clipped.
    pub day: NaiveDate,
    /// The zone whose clock the axis shows (the visit's).
    pub zone: Tz,
    pub rows: Vec<TimelineRow>,
    pub title: String,
    pub labels: TimelineLabels,
}

/// The words the picture writes, in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineLabels {
    /// Header of the officials' rows.
    pub officials: String,
    /// Header of the venues' rows.
    pub venues: String,
    /// Legend (and tooltip) word for a meeting in a conflict.
    pub clash: String,
    /// A transfer's length, `{}` standing for the minutes: "{} min", "{} мин".
    pub transfer_minutes: String,
    /// Legend word for an ordinary meeting.
    pub meeting: String,
    /// Legend (and tooltip) word for a cancelled meeting.
    pub cancelled: String,
    /// Legend word for the arrows between meetings.
    pub transfer: String,
}

impl TimelineLabels {
    /// The built-in words for a language (kept here, like the conflict
    /// sentences, so the domain stays pure).
    pub fn for_language(language: Language) -> Self {
        let words = match language {
            Language::Ru => [
                "Должностные лица",
                "Площадки",
                "Накладка",
                "{} мин",
                "Встреча",
                "Отменено",
                "Переезд",
            ],
            Language::Kk => [
                "Лауазымды тұлғалар",
                "Орындар",
                "Қабаттасу",
                "{} мин",
                "Кездесу",
                "Болдырылмады",
                "Жол жүру",
            ],
            Language::En => [
                "Officials",
                "Venues",
                "Clash",
                "{} min",
                "Meeting",
                "Cancelled",
                "Transfer",
            ],
        };
        let [officials, venues, clash, transfer_minutes, meeting, cancelled, transfer] =
            words.map(String::from);
        Self {
            officials,
            venues,
            clash,
            transfer_minutes,
            meeting,
            cancelled,
            transfer,
        }
    }

    /// "25 min" from "{} min"; a template without `{}` gets the number in front.
    fn minutes(&self, minutes: i64) -> String {
        if self.transfer_minutes.contains("{}") {
            self.transfer_minutes
                .replacen("{}", &minutes.to_string(), 1)
        } else {
            format!("{minutes} {}", self.transfer_minutes)
        }
    }
}

impl Default for TimelineLabels {
    fn default() -> Self {
        Self::for_language(Language::En)
    }
}

/// `text` with `& < > " '` turned into entities, safe in an XML text node or
/// attribute value. Control characters XML cannot carry become U+FFFD.
pub fn escape(text: &str) -> String {
    Escaped(text).to_string()
}

/// The SVG picture of one day.
pub fn render_svg(timeline: &Timeline) -> String {
    let bars: usize = timeline.rows.iter().map(|r| r.bars.len()).sum();
    let transfers: usize = timeline.rows.iter().map(|r| r.transfers.len()).sum();
    let mut out =
        String::with_capacity(3_000 + 160 * timeline.rows.len() + 360 * bars + 300 * transfers);
    Drawing::new(timeline)
        .write(&mut out)
        .expect("writing into a String does not fail");
    out
}

// ---------------------------------------------------------------------------
// Layout. Fixed width, height grows with the rows; all lengths in px.

const WIDTH: f64 = 1100.0;
const PAD: f64 = 12.0;
const PLOT_X: f64 = 212.0;
const PLOT_W: f64 = 860.0;
const LABEL_W: f64 = PLOT_X - PAD - 10.0;
const TITLE_Y: f64 = 26.0;
const AXIS_Y: f64 = 52.0;
const PLOT_TOP: f64 = 60.0;
const HEADER_H: f64 = 24.0;
const ROW_PAD: f64 = 5.0;
const LANE_H: f64 = 22.0;
const BAR_H: f64 = 20.0;
const TRANSFER_H: f64 = 16.0;
/// Height of the plot when there are no rows, so the axis still has a body.
const EMPTY_H: f64 = 40.0;
const LEGEND_GAP: f64 = 26.0;

const TITLE_FONT: f64 = 15.0;
const LABEL_FONT: f64 = 12.0;
const BAR_FONT: f64 = 11.0;
const TRANSFER_FONT: f64 = 9.0;

const HOUR: i64 = 3_600;
const MIN_WINDOW: i64 = 6 * HOUR;
/// The window of a day without meetings: a working day.
const EMPTY_FROM_HOUR: u32 = 8;
const EMPTY_TO_HOUR: u32 = 18;

const FONTS: &str = r#""PT Sans","Noto Sans","DejaVu Sans",Arial,sans-serif"#;
const HATCH_ID: &str = "sapar-timeline-hatch";

const TEXT: &str = "#1f2937";
const MUTED: &str = "#4b5563";
const GRID: &str = "#e3e8ef";
const RULE: &str = "#9aa3ae";
const HEADER_BG: &str = "#f1f4f8";
const FILL: &str = "#e6eef8";
const STROKE: &str = "#0b5cad";
const CLASH_FILL: &str = "#fde8e8";
const CLASH_STROKE: &str = "#b42318";
const CLASH_TEXT: &str = "#7a1a12";
const CANCELLED_STROKE: &str = "#9aa3ae";
const CANCELLED_TEXT: &str = "#6b7280";
const TRANSFER: &str = "#5b6b7f";

/// The day in instants (seconds since the epoch) and the part of it shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Window {
    day_start: i64,
    day_end: i64,
    start: i64,
    end: i64,
}

impl Window {
    fn new(timeline: &Timeline) -> Self {
        let zone = timeline.zone;
        let day_start = local_instant(zone, timeline.day.and_time(NaiveTime::MIN));
        let day_end = timeline
            .day
            .succ_opt()
            .map_or(day_start + 24 * HOUR, |next| {
                local_instant(zone, next.and_time(NaiveTime::MIN))
            })
            .max(day_start + HOUR);
        let mut window = Window {
            day_start,
            day_end,
            start: day_start,
            end: day_end,
        };

        let mut span: Option<(i64, i64)> = None;
        let mut widen = |from: i64, to: i64| {
            span = Some(span.map_or((from, to), |(lo, hi)| (lo.min(from), hi.max(to))));
        };
        for row in &timeline.rows {
            for bar in &row.bars {
                if let Some((from, to)) = window.clip(bar.start.timestamp(), bar.end.timestamp()) {
                    widen(from, to);
                }
            }
            for transfer in &row.transfers {
                let from = transfer.from_end.timestamp();
                if transfer.minutes > 0 {
                    if let Some(span) = window.clip(
                        from,
                        from.saturating_add(transfer.minutes.saturating_mul(60)),
                    ) {
                        widen(span.0, span.1);
                    }
                }
            }
        }
        let (start, end) = match span {
            Some((lo, hi)) => (floor_hour(lo, zone), ceil_hour(hi, zone)),
            None => {
                let at = |hour| {
                    local_instant(
                        zone,
                        timeline.day.and_time(
                            NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN),
                        ),
                    )
                };
                (at(EMPTY_FROM_HOUR), at(EMPTY_TO_HOUR))
            }
        };
        let mut start = start.clamp(day_start, day_end);
        let mut end = end.clamp(start, day_end);
        if end - start < MIN_WINDOW {
            end = start + MIN_WINDOW;
            if end > day_end {
                end = day_end;
                start = (day_end - MIN_WINDOW).max(day_start);
            }
        }
        window.start = start;
        window.end = end;
        window
    }

    /// The part of `[from, to)` inside the day; a zero-length meeting counts if
    /// it is in the day, one ending exactly at the day's start does not.
    fn clip(&self, from: i64, to: i64) -> Option<(i64, i64)> {
        let to = to.max(from);
        let inside = if from == to {
            self.day_start <= from && from < self.day_end
        } else {
            from < self.day_end && to > self.day_start
        };
        inside.then(|| (from.max(self.day_start), to.min(self.day_end)))
    }

    /// The x of an instant, held inside the plot.
    fn x(&self, t: i64) -> f64 {
        let t = t.clamp(self.start, self.end);
        PLOT_X + (t - self.start) as f64 / (self.end - self.start).max(1) as f64 * PLOT_W
    }
}

/// The instant a local wall time names; the earlier one when the clocks go
/// back, the moment of the jump when they go forward over it.
fn local_instant(zone: Tz, naive: NaiveDateTime) -> i64 {
    match zone.from_local_datetime(&naive).earliest() {
        Some(t) => t.timestamp(),
        None => {
            // In a gap: the offset in force before the jump, applied to the
            // skipped wall time, lands on the jump itself.
            let before = zone
                .offset_from_utc_datetime(&(naive - Duration::days(1)))
                .fix();
            (naive - Duration::seconds(i64::from(before.local_minus_utc())))
                .and_utc()
                .timestamp()
        }
    }
}

fn local(t: i64, zone: Tz) -> DateTime<Tz> {
    DateTime::from_timestamp(t, 0)
        .unwrap_or_default()
        .with_timezone(&zone)
}

/// The last local whole hour at or before `t`.
fn floor_hour(t: i64, zone: Tz) -> i64 {
    let here = local(t, zone);
    t - i64::from(here.minute() * 60 + here.second())
}

/// The first local whole hour at or after `t`.
fn ceil_hour(t: i64, zone: Tz) -> i64 {
    let floor = floor_hour(t, zone);
    if floor == t {
        t
    } else {
        floor + HOUR
    }
}

/// A bar with its clipped span and its lane in the row.
struct PlacedBar<'t> {
    bar: &'t TimelineBar,
    from: i64,
    to: i64,
    lane: usize,
}

struct PlacedRow<'t> {
    row: &'t TimelineRow,
    top: f64,
    lanes: usize,
    bars: Vec<PlacedBar<'t>>,
}

impl PlacedRow<'_> {
    fn height(&self) -> f64 {
        row_height(self.lanes)
    }
}

fn row_height(lanes: usize) -> f64 {
    ROW_PAD + lanes as f64 * LANE_H + TRANSFER_H
}

/// Puts a row's visible bars in time order and gives overlapping ones their
/// own lanes, so a double booking shows two bars rather than one on another.
fn place_row<'t>(row: &'t TimelineRow, window: &Window, top: f64) -> PlacedRow<'t> {
    let mut bars: Vec<PlacedBar<'t>> = row
        .bars
        .iter()
        .filter_map(|bar| {
            let (from, to) = window.clip(bar.start.timestamp(), bar.end.timestamp())?;
            Some(PlacedBar {
                bar,
                from,
                to,
                lane: 0,
            })
        })
        .collect();
    bars.sort_by_key(|p| (p.bar.start, p.bar.end, p.bar.meeting_id));
    let mut lane_ends: Vec<i64> = Vec::new();
    for placed in &mut bars {
        let free = lane_ends.iter().position(|&end| end <= placed.from);
        let lane = free.unwrap_or(lane_ends.len());
        if lane == lane_ends.len() {
            lane_ends.push(placed.to);
        } else {
            lane_ends[lane] = placed.to;
        }
        placed.lane = lane;
    }
    PlacedRow {
        row,
        top,
        lanes: lane_ends.len().max(1),
        bars,
    }
}

/// Everything measured; `write` only draws.
struct Drawing<'t> {
    timeline: &'t Timeline,
    window: Window,
    headers: Vec<(f64, &'t str)>,
    rows: Vec<PlacedRow<'t>>,
    plot_bottom: f64,
    any_cancelled: bool,
}

impl<'t> Drawing<'t> {
    fn new(timeline: &'t Timeline) -> Self {
        let window = Window::new(timeline);
        let mut headers = Vec::new();
        let mut rows = Vec::with_capacity(timeline.rows.len());
        let mut y = PLOT_TOP;
        let groups = [
            (RowKind::Official, timeline.labels.officials.as_str()),
            (RowKind::Venue, timeline.labels.venues.as_str()),
        ];
        for (kind, header) in groups {
            let mut members = timeline.rows.iter().filter(|r| r.kind == kind).peekable();
            if members.peek().is_none() {
                continue;
            }
            headers.push((y, header));
            y += HEADER_H;
            for row in members {
                let placed = place_row(row, &window, y);
                y += placed.height();
                rows.push(placed);
            }
        }
        if rows.is_empty() {
            y += EMPTY_H;
        }
        let any_cancelled = rows.iter().any(|r| r.bars.iter().any(|p| p.bar.cancelled));
        Drawing {
            timeline,
            window,
            headers,
            rows,
            plot_bottom: y,
            any_cancelled,
        }
    }

    fn height(&self) -> f64 {
        self.plot_bottom + LEGEND_GAP + PAD
    }

    fn write(&self, out: &mut String) -> fmt::Result {
        let title = Escaped(&self.timeline.title);
        let (width, height) = (Px(WIDTH), Px(self.height()));
        write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{title}" font-family='{FONTS}' font-size="{LABEL_FONT}" fill="{TEXT}"><title>{title}</title>"#
        )?;
        if self.any_cancelled {
            write!(
                out,
                r##"<defs><pattern id="{HATCH_ID}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3f4f6"/><path d="M0 0V6" stroke="#c9ced6" stroke-width="2"/></pattern></defs>"##
            )?;
        }
        write!(
            out,
            r##"<rect width="{width}" height="{height}" fill="#fff"/>"##
        )?;
        let shown_title = fit(&self.timeline.title, WIDTH - 2.0 * PAD, TITLE_FONT);
        write!(
            out,
            r#"<text x="{}" y="{}" font-size="{TITLE_FONT}" font-weight="bold">{}</text>"#,
            Px(PAD),
            Px(TITLE_Y),
            Escaped(&shown_title)
        )?;
        self.write_frame(out)?;
        self.write_axis(out)?;
        self.write_row_labels(out)?;
        self.write_bars(out)?;
        self.write_transfers(out)?;
        self.write_legend(out)?;
        out.push_str("</svg>");
        Ok(())
    }

    /// Group header bands, row separators and the hour grid.
    fn write_frame(&self, out: &mut String) -> fmt::Result {
        for (y, header) in &self.headers {
            let shown = fit(header, WIDTH - 2.0 * PAD, LABEL_FONT);
            write!(
                out,
                r#"<rect y="{}" width="{}" height="{}" fill="{HEADER_BG}"/><text x="{}" y="{}" font-weight="bold">{}</text>"#,
                Px(*y),
                Px(WIDTH),
                Px(HEADER_H),
                Px(PAD),
                Px(y + 16.0),
                Escaped(&shown)
            )?;
        }
        if !self.rows.is_empty() {
            out.push_str(r#"<path d=""#);
            for row in &self.rows {
                write!(out, "M0 {}H{}", Px(row.top + row.height() - 0.5), Px(WIDTH))?;
            }
            write!(out, r##"" stroke="#edf0f4"/>"##)?;
        }
        write!(out, r#"<path d=""#)?;
        for tick in self.ticks() {
            let x = self.window.x(tick);
            write!(out, "M{} {}V{}", Px(x), Px(PLOT_TOP), Px(self.plot_bottom))?;
        }
        write!(out, r#"" stroke="{GRID}"/>"#)
    }

    /// The instants of the local whole hours in the window.
    fn ticks(&self) -> impl Iterator<Item = i64> + '_ {
        let (start, end) = (self.window.start, self.window.end);
        (0..)
            .map(move |i| start + i * HOUR)
            .take_while(move |&t| t <= end)
    }

    /// Hour labels over the plot, every hour or fewer when the window is wide.
    fn write_axis(&self, out: &mut String) -> fmt::Result {
        let hours = (self.window.end - self.window.start) as f64 / HOUR as f64;
        let per_hour = PLOT_W / hours.max(1.0);
        let step = [1, 2, 3, 4, 6]
            .into_iter()
            .find(|&k| f64::from(k) * per_hour >= 44.0)
            .unwrap_or(6);
        write!(
            out,
            r#"<path d="M{} {}H{}" stroke="{RULE}"/><g font-size="{BAR_FONT}" fill="{MUTED}" text-anchor="middle">"#,
            Px(PLOT_X),
            Px(PLOT_TOP),
            Px(PLOT_X + PLOT_W)
        )?;
        for tick in self.ticks() {
            let clock = local(tick, self.timeline.zone);
            if clock.hour() % step != 0 {
                continue;
            }
            write!(
                out,
                r#"<text x="{}" y="{}">{:02}:{:02}</text>"#,
                Px(self.window.x(tick)),
                Px(AXIS_Y),
                clock.hour(),
                clock.minute()
            )?;
        }
        out.push_str("</g>");
        Ok(())
    }

    fn write_row_labels(&self, out: &mut String) -> fmt::Result {
        for row in &self.rows {
            let full = &row.row.label;
            let shown = fit(full, LABEL_W, LABEL_FONT);
            write!(
                out,
                r#"<text x="{}" y="{}"><title>{}</title>{}</text>"#,
                Px(PAD),
                Px(row.top + ROW_PAD + 14.5),
                Escaped(full),
                Escaped(&shown)
            )?;
        }
        Ok(())
    }

    fn write_bars(&self, out: &mut String) -> fmt::Result {
        write!(out, r#"<g font-size="{BAR_FONT}">"#)?;
        for row in &self.rows {
            for placed in &row.bars {
                self.write_bar(out, row, placed)?;
            }
        }
        out.push_str("</g>");
        Ok(())
    }

    fn write_bar(&self, out: &mut String, row: &PlacedRow, placed: &PlacedBar) -> fmt::Result {
        let bar = placed.bar;
        let labels = &self.timeline.labels;
        let (x1, x2) = (self.window.x(placed.from), self.window.x(placed.to));
        // Inset by a pixel each side so back-to-back meetings stay apart.
        let width = (x2 - x1 - 2.0).max(2.0);
        let (x, y) = (x1 + 1.0, row.top + ROW_PAD + placed.lane as f64 * LANE_H);

        writeln!(out, "<g><title>{}", Escaped(&bar.label))?;
        self.write_span(out, bar.start, bar.end)?;
        if bar.cancelled {
            write!(out, "\n{}", Escaped(&labels.cancelled))?;
        } else if bar.clash {
            write!(out, "\n{}", Escaped(&labels.clash))?;
        }
        write!(
            out,
            r#"</title><rect x="{}" y="{}" width="{}" height="{}" rx="3" "#,
            Px(x),
            Px(y),
            Px(width),
            Px(BAR_H)
        )?;
        let text_fill = if bar.cancelled {
            write!(
                out,
                r#"fill="url(#{HATCH_ID})" stroke="{CANCELLED_STROKE}" stroke-dasharray="4 2"/>"#
            )?;
            write!(
                out,
                r#"<path d="M{} {}H{}" stroke="{CANCELLED_TEXT}"/>"#,
                Px(x),
                Px(y + BAR_H / 2.0),
                Px(x + width)
            )?;
            Some(CANCELLED_TEXT)
        } else if bar.clash {
            write!(
                out,
                r#"fill="{CLASH_FILL}" stroke="{CLASH_STROKE}" stroke-width="2"/>"#
            )?;
            Some(CLASH_TEXT)
        } else {
            write!(out, r#"fill="{FILL}" stroke="{STROKE}"/>"#)?;
            None
        };
        let shown = fit(&bar.label, width - 10.0, BAR_FONT);
        if !shown.is_empty() {
            write!(out, r#"<text x="{}" y="{}""#, Px(x + 5.0), Px(y + 14.0))?;
            if let Some(fill) = text_fill {
                write!(out, r#" fill="{fill}""#)?;
            }
            write!(out, ">{}</text>", Escaped(&shown))?;
        }
        out.push_str("</g>");
        Ok(())
    }

    /// "HH:MM–HH:MM" in the zone, with the date beside a time on another day.
    fn write_span(
        &self,
        out: &mut String,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> fmt::Result {
        let zone = self.timeline.zone;
        let clock = |out: &mut String, t: DateTime<Utc>| {
            let t = t.with_timezone(&zone);
            if t.date_naive() != self.timeline.day {
                write!(out, "{:02}.{:02} ", t.day(), t.month())?;
            }
            write!(out, "{:02}:{:02}", t.hour(), t.minute())
        };
        clock(out, start)?;
        out.push('–');
        clock(out, end)
    }

    fn write_transfers(&self, out: &mut String) -> fmt::Result {
        write!(
            out,
            r#"<g font-size="{TRANSFER_FONT}" text-anchor="middle" fill="{MUTED}">"#
        )?;
        for row in &self.rows {
            let y = row.top + ROW_PAD + row.lanes as f64 * LANE_H + 3.5;
            for transfer in &row.row.transfers {
                self.write_transfer(out, transfer, y)?;
            }
        }
        out.push_str("</g>");
        Ok(())
    }

    /// An arrow as long as the travel, from the end of one meeting: when it
    /// does not fit the gap it runs on under the next meeting's start.
    fn write_transfer(&self, out: &mut String, transfer: &TimelineTransfer, y: f64) -> fmt::Result {
        if transfer.minutes <= 0 {
            return Ok(());
        }
        let from = transfer.from_end.timestamp();
        let to = from.saturating_add(transfer.minutes.saturating_mul(60));
        let window = &self.window;
        if to <= window.start || from >= window.end {
            return Ok(());
        }
        let (x1, x2) = (window.x(from), window.x(to));
        let colour = if transfer.too_short {
            CLASH_STROKE
        } else {
            TRANSFER
        };
        let words = self.timeline.labels.minutes(transfer.minutes);

        write!(out, "<g><title>{}: ", Escaped(&words))?;
        self.write_span(out, transfer.from_end, transfer.to_start)?;
        write!(
            out,
            "</title><path d=\"M{} {}H{}\" stroke=\"{colour}\"",
            Px(x1),
            Px(y),
            Px(x2)
        )?;
        if transfer.too_short {
            out.push_str(r#" stroke-width="1.5" stroke-dasharray="3 2""#);
        }
        out.push_str("/>");
        // Solid ends on the (maybe dashed) line: a tick where the earlier
        // meeting ends, a head where the travel does; none where clipped.
        let tick = from >= window.start;
        let head = to <= window.end && x2 - x1 >= 6.0;
        if tick || head {
            out.push_str("<path d=\"");
            if tick {
                write!(out, "M{} {}v6", Px(x1), Px(y - 3.0))?;
            }
            if head {
                write!(out, "M{} {}l-5-3v6z", Px(x2), Px(y))?;
            }
            write!(out, "\" fill=\"{colour}\" stroke=\"{colour}\"/>")?;
        }
        let half = text_width(&words, TRANSFER_FONT) / 2.0;
        let centre =
            ((x1 + x2) / 2.0).clamp(PLOT_X + half, (PLOT_X + PLOT_W - half).max(PLOT_X + half));
        write!(out, r#"<text x="{}" y="{}""#, Px(centre), Px(y + 10.0))?;
        if transfer.too_short {
            write!(out, r#" fill="{CLASH_STROKE}""#)?;
        }
        write!(out, ">{}</text></g>", Escaped(&words))
    }

    /// Swatches along the bottom: meeting, clash, cancelled (when any), transfer.
    fn write_legend(&self, out: &mut String) -> fmt::Result {
        let labels = &self.timeline.labels;
        let y = self.plot_bottom + LEGEND_GAP - 6.0;
        let mut x = PAD;
        write!(out, r#"<g font-size="{BAR_FONT}" fill="{MUTED}">"#)?;

        let swatch = |out: &mut String, x: f64, attrs: &str| {
            write!(
                out,
                r#"<rect x="{}" y="{}" width="22" height="12" rx="3" {attrs}/>"#,
                Px(x),
                Px(y - 10.0)
            )
        };
        swatch(out, x, &format!(r#"fill="{FILL}" stroke="{STROKE}""#))?;
        x = legend_words(out, x + 28.0, y, &labels.meeting)?;
        swatch(
            out,
            x,
            &format!(r#"fill="{CLASH_FILL}" stroke="{CLASH_STROKE}" stroke-width="2""#),
        )?;
        x = legend_words(out, x + 28.0, y, &labels.clash)?;
        if self.any_cancelled {
            swatch(
                out,
                x,
                &format!(
                    r#"fill="url(#{HATCH_ID})" stroke="{CANCELLED_STROKE}" stroke-dasharray="4 2""#
                ),
            )?;
            write!(
                out,
                r#"<path d="M{} {}H{}" stroke="{CANCELLED_TEXT}"/>"#,
                Px(x),
                Px(y - 4.0),
                Px(x + 22.0)
            )?;
            x = legend_words(out, x + 28.0, y, &labels.cancelled)?;
        }
        let arrow = |out: &mut String, from: f64, colour: &str, dashed: &str| {
            write!(
                out,
                r#"<path d="M{} {}H{}" stroke="{colour}"{dashed}/><path d="M{} {}L{} {}L{} {}Z" fill="{colour}"/>"#,
                Px(from),
                Px(y - 4.0),
                Px(from + 22.0),
                Px(from + 17.0),
                Px(y - 7.0),
                Px(from + 22.0),
                Px(y - 4.0),
                Px(from + 17.0),
                Px(y - 1.0)
            )
        };
        arrow(out, x, TRANSFER, "")?;
        arrow(
            out,
            x + 28.0,
            CLASH_STROKE,
            r#" stroke-width="1.5" stroke-dasharray="3 2""#,
        )?;
        legend_words(out, x + 56.0, y, &labels.transfer)?;
        out.push_str("</g>");
        Ok(())
    }
}

/// A legend item's words at `x`; returns where the next item starts.
fn legend_words(out: &mut String, x: f64, y: f64, words: &str) -> Result<f64, fmt::Error> {
    write!(
        out,
        r#"<text x="{}" y="{}">{}</text>"#,
        Px(x),
        Px(y),
        Escaped(words)
    )?;
    Ok(x + text_width(words, BAR_FONT) + 18.0)
}

// ---------------------------------------------------------------------------
// Text: escaping, number formatting and width estimates.

/// Writes its text XML-escaped.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut done = 0;
        for (i, c) in text.char_indices() {
            let entity = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '\t' | '\n' | '\r' => continue,
                c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => "\u{FFFD}",
                _ => continue,
            };
            f.write_str(&text[done..i])?;
            f.write_str(entity)?;
            done = i + c.len_utf8();
        }
        f.write_str(&text[done..])
    }
}

/// A coordinate to a tenth of a pixel, without a trailing ".0".
struct Px(f64);

impl fmt::Display for Px {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // By hand rather than through `write!`: thousands of these per picture.
        let tenths = (self.0 * 10.0).round() as i64;
        let mut digits = [0u8; 24];
        let mut at = digits.len();
        let mut rest = tenths.unsigned_abs();
        let fraction = rest % 10;
        rest /= 10;
        if fraction != 0 {
            at -= 2;
            digits[at] = b'.';
            digits[at + 1] = b'0' + fraction as u8;
        }
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        if tenths < 0 {
            at -= 1;
            digits[at] = b'-';
        }
        f.write_str(std::str::from_utf8(&digits[at..]).map_err(|_| fmt::Error)?)
    }
}

/// A glyph's advance in em, close to DejaVu Sans (the widest of the fonts
/// named, and the one Linux desktops fall back to), so cut text fits in any
/// of them.
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | 'ı' | 'і' | 'ї' | 'I' | 'І' | '\'' | ',' | '.' | ':' | ';' | '!'
        | '|' => 0.3,
        ' ' => 0.33,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '"' => 0.42,
        'c' | 's' | 'z' | 'з' | 'с' | 'э' | 'г' | 'ғ' => 0.56,
        'м' | 'ц' | 'щ' | 'д' => 0.72,
        'm' | 'w' | 'ж' | 'ш' | 'ы' | 'ю' | 'ф' | '—' | '%' | '@' => 0.96,
        'M' | 'W' | 'Ж' | 'Ш' | 'Щ' | 'Ы' | 'Ю' | 'Ф' | 'Д' | 'Ц' => 1.0,
        '…' => 0.82,
        '0'..='9' => 0.64,
        'a'..='z' | 'а'..='я' => 0.63,
        'A'..='Z' | 'А'..='Я' => 0.74,
        c if c >= '\u{2E80}' => 1.0,
        c if c.is_uppercase() => 0.74,
        _ => 0.63,
    }
}

fn text_width(text: &str, font: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * font
}

/// `text` as it fits in `room` px: whole, or cut at a character with "…".
fn fit(text: &str, room: f64, font: f64) -> Cow<'_, str> {
    if text_width(text, font) <= room {
        return Cow::Borrowed(text);
    }
    let budget = room - char_em('…') * font;
    if budget <= 0.0 {
        return Cow::Borrowed("");
    }
    let mut used = 0.0;
    let mut cut = 0;
    for (i, c) in text.char_indices() {
        used += char_em(c) * font;
        if used > budget {
            break;
        }
        cut = i + c.len_utf8();
    }
    let kept = text[..cut].trim_end();
    if kept.is_empty() {
        return Cow::Borrowed("");
    }
    Cow::Owned(format!("{kept}…"))
}

#[cfg(test)]
mod tests {
    use super::*;

    use chrono_tz::Asia::Almaty;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 12).expect("a real date")
    }

    /// An instant from a local wall time in Almaty (UTC+5) on `day()`, or the
    /// day `offset_days` from it.
    fn almaty(offset_days: i64, hour: u32, minute: u32) -> DateTime<Utc> {
        let naive = (day() + Duration::days(offset_days))
            .and_hms_opt(hour, minute, 0)
            .expect("a real time");
        Almaty
            .from_local_datetime(&naive)
            .single()
            .expect("Almaty has no clock changes")
            .with_timezone(&Utc)
    }

    fn bar(id: i64, label: &str, from: (u32, u32), to: (u32, u32)) -> TimelineBar {
        TimelineBar {
            meeting_id: id,
            label: label.to_string(),
            start: almaty(0, from.0, from.1),
            end: almaty(0, to.0, to.1),
            clash: false,
            cancelled: false,
        }
    }

    fn row(kind: RowKind, label: &str, bars: Vec<TimelineBar>) -> TimelineRow {
        TimelineRow {
            kind,
            label: label.to_string(),
            bars,
            transfers: Vec::new(),
        }
    }

    fn timeline(rows: Vec<TimelineRow>) -> Timeline {
        Timeline {
            day: day(),
            zone: Almaty,
            rows,
            title: "Programme, 12 March".to_string(),
            labels: TimelineLabels::default(),
        }
    }

    /// The value of attribute `name` in the first `<rect` after the bar whose
    /// tooltip starts with `label`.
    fn bar_rect_attr(svg: &str, label: &str, name: &str) -> String {
        let title = format!("<g><title>{}\n", escape(label));
        let at = svg
            .find(&title)
            .unwrap_or_else(|| panic!("no bar titled {label}"));
        let rect = &svg[at..][svg[at..].find("<rect ").expect("a rect in the bar")..];
        let rect = &rect[..rect.find("/>").expect("a closed rect")];
        attr(rect, name).unwrap_or_else(|| panic!("no {name} on {rect}"))
    }

    fn attr(tag: &str, name: &str) -> Option<String> {
        let key = format!(" {name}=\"");
        let at = tag.find(&key)? + key.len();
        let len = tag[at..].find('"')?;
        Some(tag[at..at + len].to_string())
    }

    fn number(text: &str) -> f64 {
        text.parse()
            .unwrap_or_else(|_| panic!("{text} is not a number"))
    }

    /// A small well-formedness check: tags balance under one root, attribute
    /// values are quoted and `&` only ever starts an entity.
    fn assert_well_formed(svg: &str) {
        assert!(svg.starts_with("<svg "), "starts with <svg");
        assert!(svg.ends_with("</svg>"), "ends with </svg>");
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = svg;
        let mut roots = 0;
        while !rest.is_empty() {
            let Some(open) = rest.find('<') else {
                assert_entities(rest);
                break;
            };
            assert_entities(&rest[..open]);
            assert!(!stack.is_empty() || open == 0, "text outside the root");
            let close = rest[open..].find('>').expect("an unclosed tag") + open;
            let tag = &rest[open + 1..close];
            assert!(!tag.contains('<'), "a '<' inside a tag: {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
            } else {
                let self_closing = tag.ends_with('/');
                let body = tag.trim_end_matches('/');
                let name = body.split_whitespace().next().expect("a tag name");
                assert_attributes(&body[name.len()..]);
                if stack.is_empty() {
                    roots += 1;
                }
                if !self_closing {
                    stack.push(name);
                }
            }
            rest = &rest[close + 1..];
        }
        assert!(stack.is_empty(), "unclosed: {stack:?}");
        assert_eq!(roots, 1, "one root element");
    }

    fn assert_attributes(mut attrs: &str) {
        loop {
            attrs = attrs.trim_start();
            if attrs.is_empty() {
                return;
            }
            let eq = attrs.find('=').expect("name=value");
            let quote = attrs[eq + 1..].chars().next().expect("a quoted value");
            assert!(quote == '"' || quote == '\'', "unquoted value in {attrs}");
            let value_start = eq + 2;
            let len = attrs[value_start..].find(quote).expect("a closing quote");
            assert_entities(&attrs[value_start..value_start + len]);
            attrs = &attrs[value_start + len + 1..];
        }
    }

    fn assert_entities(text: &str) {
        assert!(!text.contains('<'), "unescaped '<' in {text:?}");
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
            let known = matches!(entity, "&amp;" | "&lt;" | "&gt;" | "&quot;" | "&#39;");
            assert!(known, "a bare '&' in {text:?}");
        }
    }

    /// A day with everything on it: two officials, a venue, a clash, a
    /// cancelled meeting and transfers, one of them too short.
    fn busy_day() -> Timeline {
        let mut minister = row(
            RowKind::Official,
            "Айгүл Сәрсенбайқызы Нұрғалиева",
            vec![
                bar(1, "Кездесу әкіммен", (9, 0), (10, 30)),
                TimelineBar {
                    clash: true,
                    ..bar(2, "Visit to the plant", (11, 0), (12, 30))
                },
                TimelineBar {
                    clash: true,
                    ..bar(3, "Встреча с ректором", (12, 0), (13, 0))
                },
                TimelineBar {
                    cancelled: true,
                    ..bar(4, "Lunch", (13, 30), (14, 30))
                },
                bar(5, "Press", (15, 0), (16, 0)),
            ],
        );
        minister.transfers = vec![
            TimelineTransfer {
                from_end: almaty(0, 10, 30),
                to_start: almaty(0, 11, 0),
                minutes: 25,
                too_short: false,
            },
            TimelineTransfer {
                from_end: almaty(0, 14, 30),
                to_start: almaty(0, 15, 0),
                minutes: 45,
                too_short: true,
            },
        ];
        Timeline {
            title: "Визит в Туркестан — 12 марта".to_string(),
            labels: TimelineLabels::for_language(Language::Ru),
            ..timeline(vec![
                minister,
                row(
                    RowKind::Venue,
                    "Ақтөбе өңірлік университеті",
                    vec![bar(1, "Кездесу әкіммен", (9, 0), (10, 30))],
                ),
                row(
                    RowKind::Official,
                    "Deputy",
                    vec![bar(6, "Briefing", (8, 30), (9, 0))],
                ),
            ])
        }
    }

    #[test]
    fn escape_turns_markup_characters_into_entities() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\nd"), "a\u{FFFD}b\u{FFFD}c\nd");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn kazakh_and_russian_letters_pass_through_escaping_unchanged() {
        let kazakh = "әғқңөұүһі ӘҒҚҢӨҰҮҺІ";
        assert_eq!(escape(kazakh), kazakh);
        assert_eq!(escape("Должностные лица"), "Должностные лица");

        let svg = render_svg(&timeline(vec![row(
            RowKind::Official,
            kazakh,
            vec![bar(1, "Әкімдікте кездесу", (10, 0), (11, 0))],
        )]));
        assert!(svg.contains(kazakh));
        assert!(svg.contains("Әкімдікте кездесу"));
    }

    #[test]
    fn bars_are_placed_at_the_x_of_their_local_time() {
        // Almaty is UTC+5: 10:00 there is 05:00 UTC.
        let ten = almaty(0, 10, 0);
        assert_eq!(ten.format("%H:%M").to_string(), "05:00");

        let svg = render_svg(&timeline(vec![row(
            RowKind::Official,
            "Minister",
            vec![
                bar(1, "Opening", (10, 0), (11, 0)),
                bar(2, "Plant", (12, 0), (13, 30)),
                bar(3, "Press", (15, 0), (16, 0)),
            ],
        )]));

        // The window is 10:00–16:00 local: six hours over the plot's width.
        let hour = PLOT_W / 6.0;
        let x = |label| number(&bar_rect_attr(&svg, label, "x"));
        assert!((x("Opening") - (PLOT_X + 1.0)).abs() < 0.06);
        assert!((x("Plant") - (PLOT_X + 2.0 * hour + 1.0)).abs() < 0.06);
        assert!((x("Press") - (PLOT_X + 5.0 * hour + 1.0)).abs() < 0.06);
        let width = number(&bar_rect_attr(&svg, "Plant", "width"));
        assert!((width - (1.5 * hour - 2.0)).abs() < 0.06);

        assert!(svg.contains(">10:00</text>"), "the axis shows local hours");
        assert!(svg.contains(">16:00</text>"));
        assert!(!svg.contains(">05:00</text>"), "not UTC ones");
        assert!(svg.contains("<title>Plant\n12:00–13:30</title>"));
    }

    #[test]
    fn clashing_bars_are_red_and_others_blue_grey() {
        let svg = render_svg(&busy_day());
        assert_eq!(
            bar_rect_attr(&svg, "Visit to the plant", "fill"),
            CLASH_FILL
        );
        assert_eq!(
            bar_rect_attr(&svg, "Visit to the plant", "stroke"),
            "#b42318"
        );
        assert_eq!(
            bar_rect_attr(&svg, "Visit to the plant", "stroke-width"),
            "2"
        );
        assert_eq!(bar_rect_attr(&svg, "Press", "fill"), "#e6eef8");
        assert_eq!(bar_rect_attr(&svg, "Press", "stroke"), "#0b5cad");
        assert!(svg.contains("<title>Visit to the plant\n11:00–12:30\nНакладка</title>"));
    }

    #[test]
    fn overlapping_bars_in_one_row_are_stacked_in_lanes() {
        let svg = render_svg(&busy_day());
        let y = |label| number(&bar_rect_attr(&svg, label, "y"));
        assert_eq!(y("Встреча с ректором") - y("Visit to the plant"), LANE_H);
        assert_eq!(
            y("Lunch"),
            y("Visit to the plant"),
            "later bars reuse the first lane"
        );
    }

    #[test]
    fn cancelled_bars_are_hatched_and_struck_through() {
        let svg = render_svg(&busy_day());
        assert_eq!(
            bar_rect_attr(&svg, "Lunch", "fill"),
            format!("url(#{HATCH_ID})")
        );
        assert!(svg.contains(&format!(r#"<pattern id="{HATCH_ID}""#)));
        let lunch = &svg[svg.find("<title>Lunch").expect("the lunch bar")..];
        let lunch = &lunch[..lunch.find("</g>").expect("its end")];
        assert!(lunch.contains(r##"<path d="M"##), "a strike line: {lunch}");
        assert!(lunch.contains("Отменено"));

        let plain = render_svg(&timeline(vec![row(
            RowKind::Venue,
            "Hall",
            vec![bar(1, "Talk", (9, 0), (10, 0))],
        )]));
        assert!(
            !plain.contains("<pattern"),
            "no hatch defined when nothing is cancelled"
        );
    }

    #[test]
    fn hostile_text_is_escaped_everywhere() {
        let hostile = r#"<script>alert("x")</script> & 'y'"#;
        let svg = render_svg(&Timeline {
            title: hostile.to_string(),
            labels: TimelineLabels {
                officials: hostile.to_string(),
                venues: hostile.to_string(),
                clash: hostile.to_string(),
                transfer_minutes: format!("{{}} {hostile}"),
                meeting: hostile.to_string(),
                cancelled: hostile.to_string(),
                transfer: hostile.to_string(),
            },
            ..timeline(vec![
                TimelineRow {
                    transfers: vec![TimelineTransfer {
                        from_end: almaty(0, 11, 0),
                        to_start: almaty(0, 11, 30),
                        minutes: 40,
                        too_short: true,
                    }],
                    ..row(
                        RowKind::Official,
                        hostile,
                        vec![
                            TimelineBar {
                                clash: true,
                                ..bar(1, hostile, (10, 0), (11, 0))
                            },
                            TimelineBar {
                                cancelled: true,
                                ..bar(2, hostile, (11, 30), (16, 0))
                            },
                        ],
                    )
                },
                row(RowKind::Venue, hostile, vec![]),
            ])
        });
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("\"x\""));
        assert!(!svg.contains(" & "));
        assert!(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"));
        assert!(svg.contains(r#"aria-label="&lt;script&gt;"#));
        assert_well_formed(&svg);
    }

    #[test]
    fn a_bar_across_midnight_is_clipped_to_the_day_not_dropped() {
        let late = TimelineBar {
            start: almaty(-1, 22, 0),
            end: almaty(0, 2, 0),
            ..bar(1, "Night flight", (0, 0), (0, 0))
        };
        let svg = render_svg(&timeline(vec![row(
            RowKind::Official,
            "Minister",
            vec![late],
        )]));
        // The window is 00:00–06:00; the bar shows its first two hours.
        assert!((number(&bar_rect_attr(&svg, "Night flight", "x")) - (PLOT_X + 1.0)).abs() < 0.06);
        let width = number(&bar_rect_attr(&svg, "Night flight", "width"));
        assert!((width - (PLOT_W / 3.0 - 2.0)).abs() < 0.06);
        assert!(svg.contains(">00:00</text>"));
        assert!(svg.contains("<title>Night flight\n11.03 22:00–02:00</title>"));

        let early = TimelineBar {
            start: almaty(0, 21, 0),
            end: almaty(1, 3, 0),
            ..bar(2, "Sleeper train", (0, 0), (0, 0))
        };
        let svg = render_svg(&timeline(vec![row(
            RowKind::Official,
            "Minister",
            vec![early],
        )]));
        // The window is 18:00–24:00; the bar runs to its right edge.
        let x = number(&bar_rect_attr(&svg, "Sleeper train", "x"));
        let width = number(&bar_rect_attr(&svg, "Sleeper train", "width"));
        assert!((x - (PLOT_X + PLOT_W / 2.0 + 1.0)).abs() < 0.06);
        assert!((x + width - (PLOT_X + PLOT_W - 1.0)).abs() < 0.11);
        assert!(svg.contains(">18:00</text>"));
        assert!(svg.contains(">00:00</text>"), "midnight closes the axis");
        assert_well_formed(&svg);
    }

    #[test]
    fn bars_on_other_days_are_left_out() {
        let tomorrow = TimelineBar {
            start: almaty(1, 9, 0),
            end: almaty(1, 10, 0),
            ..bar(1, "Tomorrow", (0, 0), (0, 0))
        };
        let yesterday_to_midnight = TimelineBar {
            start: almaty(-1, 22, 0),
            end: almaty(0, 0, 0),
            ..bar(2, "Yesterday", (0, 0), (0, 0))
        };
        let svg = render_svg(&timeline(vec![row(
            RowKind::Official,
            "Minister",
            vec![tomorrow, yesterday_to_midnight],
        )]));
        assert!(!svg.contains("Tomorrow"));
        assert!(!svg.contains("Yesterday"));
        assert!(
            svg.contains(">08:00</text>"),
            "an empty row keeps the working-day window"
        );
    }

    #[test]
    fn an_empty_day_still_draws_an_axis() {
        let svg = render_svg(&timeline(vec![]));
        assert_well_formed(&svg);
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<title>Programme, 12 March</title>"));
        for hour in ["08:00", "10:00", "12:00", "14:00", "16:00", "18:00"] {
            assert!(
                svg.contains(&format!(">{hour}</text>")),
                "{hour} on the axis"
            );
        }
        assert!(!svg.contains(">Officials<"), "no header without rows");
    }

    #[test]
    fn the_window_is_whole_hours_and_at_least_six_of_them() {
        let svg = render_svg(&timeline(vec![row(
            RowKind::Venue,
            "Hall",
            vec![bar(1, "Talk", (9, 20), (9, 40))],
        )]));
        assert!(svg.contains(">09:00</text>"));
        assert!(svg.contains(">15:00</text>"));
        assert!(!svg.contains(">16:00</text>"));

        let late = render_svg(&timeline(vec![row(
            RowKind::Venue,
            "Hall",
            vec![bar(1, "Dinner", (22, 10), (23, 0))],
        )]));
        assert!(
            late.contains(">18:00</text>"),
            "shifted back to fit the day"
        );
        assert!(late.contains(">00:00</text>"));
    }

    #[test]
    fn transfers_show_their_minutes_and_too_short_ones_are_red_and_dashed() {
        let svg = render_svg(&busy_day());
        assert!(svg.contains(">25 мин</text>"));
        assert!(svg.contains(">45 мин</text>"));
        let short = &svg[svg
            .find("<g><title>45 мин: 14:30–15:00")
            .expect("the short transfer")..];
        let short = &short[..short.find("</g>").expect("its end")];
        assert!(short.contains(r##"stroke="#b42318" stroke-width="1.5" stroke-dasharray="3 2""##));

        // The arrow is as long as the travel, so it runs past 15:00.
        let window_hours = 8.0; // 08:00–16:00
        let end_x = PLOT_X + (14.5 + 0.75 - 8.0) / window_hours * PLOT_W;
        assert!(short.contains(&format!("H{}\"", Px(end_x))), "{short}");

        let fine = &svg[svg.find("<g><title>25 мин").expect("the fine transfer")..];
        let fine = &fine[..fine.find("</g>").expect("its end")];
        assert!(fine.contains(&format!(r#"stroke="{TRANSFER}""#)));
        assert!(!fine.contains("dasharray"));
    }

    #[test]
    fn officials_come_before_venues_under_their_headers() {
        let svg = render_svg(&busy_day());
        let at = |text: &str| svg.find(text).unwrap_or_else(|| panic!("{text} missing"));
        assert!(at(">Должностные лица<") < at(">Площадки<"));
        assert!(at("<title>Deputy</title>") < at("<title>Ақтөбе өңірлік университеті</title>"));
        assert!(
            at("<title>Айгүл") < at("<title>Deputy</title>"),
            "in the order given"
        );
    }

    #[test]
    fn long_row_labels_are_cut_with_an_ellipsis_and_kept_whole_in_a_tooltip() {
        let long = "Министерство науки и высшего образования Республики Казахстан";
        let svg = render_svg(&timeline(vec![row(RowKind::Venue, long, vec![])]));
        let tag = format!("<title>{long}</title>");
        let shown = &svg[svg.find(&tag).expect("the tooltip") + tag.len()..];
        let shown = &shown[..shown.find("</text>").expect("the label")];
        assert!(shown.ends_with('…'), "{shown}");
        assert!(long.starts_with(shown.trim_end_matches('…')));
        assert!(text_width(shown, LABEL_FONT) <= LABEL_W);
    }

    #[test]
    fn fit_keeps_short_text_and_cuts_long_text() {
        assert_eq!(fit("Talk", 100.0, 11.0), "Talk");
        let cut = fit("A very long meeting title indeed", 60.0, 11.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 11.0) <= 60.0,
            "{cut}"
        );
        assert_eq!(fit("Anything", 4.0, 11.0), "");
    }

    #[test]
    fn px_writes_tenths_without_trailing_zeros() {
        assert_eq!(Px(12.0).to_string(), "12");
        assert_eq!(Px(12.349).to_string(), "12.3");
        assert_eq!(Px(-0.46).to_string(), "-0.5");
        assert_eq!(Px(0.04).to_string(), "0");
    }

    #[test]
    fn the_output_is_well_formed_xml() {
        let svg = render_svg(&busy_day());
        assert_well_formed(&svg);
        assert!(svg.contains(r#"viewBox="0 0 1100 "#));
        assert!(svg.contains(r#"aria-label="Визит в Туркестан — 12 марта""#));
        assert!(
            svg.contains(r#"font-family='"PT Sans","Noto Sans","DejaVu Sans",Arial,sans-serif'"#)
        );
        assert!(!svg.contains("style="), "presentation attributes only");
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("href"), "nothing linked");
    }

    #[test]
    fn the_same_timeline_draws_the_same_bytes() {
        let a = render_svg(&busy_day());
        let b = render_svg(&busy_day().clone());
        assert_eq!(a, b);
    }

    #[test]
    fn a_busy_day_draws_quickly() {
        let rows: Vec<TimelineRow> = (0..60)
            .map(|r| {
                let bars = (0..5)
                    .map(|b| TimelineBar {
                        clash: b == 2,
                        ..bar(
                            r * 10 + b,
                            "Совещание с руководством области",
                            (8 + 2 * b as u32, 15),
                            (9 + 2 * b as u32, 30),
                        )
                    })
                    .collect();
                let kind = if r < 40 {
                    RowKind::Official
                } else {
                    RowKind::Venue
                };
                TimelineRow {
                    transfers: (0..4)
                        .map(|b| TimelineTransfer {
                            from_end: almaty(0, 9 + 2 * b, 30),
                            to_start: almaty(0, 10 + 2 * b, 15),
                            minutes: 30,
                            too_short: false,
                        })
                        .collect(),
                    ..row(kind, &format!("Official number {r}"), bars)
                }
            })
            .collect();
        let busy = timeline(rows);
        let started = std::time::Instant::now();
        let svg = render_svg(&busy);
        let took = started.elapsed();
        assert_well_formed(&svg);
        // Well under a millisecond in release; generous here for debug builds.
        assert!(took.as_millis() < 100, "took {took:?}");
    }

    #[test]
    fn a_day_with_a_clock_change_still_shows_local_hours() {
        let berlin = chrono_tz::Europe::Berlin;
        // On 29 March 2026 Berlin's clocks jump from 02:00 to 03:00.
        let day = NaiveDate::from_ymd_opt(2026, 3, 29).expect("a real date");
        let at = |hour| {
            berlin
                .from_local_datetime(&day.and_hms_opt(hour, 0, 0).expect("a real time"))
                .single()
                .expect("outside the jump")
                .with_timezone(&Utc)
        };
        let svg = render_svg(&Timeline {
            day,
            zone: berlin,
            ..timeline(vec![row(
                RowKind::Official,
                "Minister",
                vec![TimelineBar {
                    start: at(1),
                    end: at(4),
                    ..bar(1, "Across the jump", (0, 0), (0, 0))
                }],
            )])
        });
        assert_well_formed(&svg);
        assert!(svg.contains(">01:00</text>") && svg.contains(">03:00</text>"));
        assert!(!svg.contains(">02:00</text>"), "an hour that never was");
        assert!(svg.contains("<title>Across the jump\n01:00–04:00</title>"));
    }

    #[test]
    fn absurd_travel_times_do_not_break_the_picture() {
        let svg = render_svg(&timeline(vec![TimelineRow {
            transfers: vec![TimelineTransfer {
                from_end: almaty(0, 11, 0),
                to_start: almaty(0, 10, 0),
                minutes: i64::MAX,
                too_short: true,
            }],
            ..row(
                RowKind::Official,
                "Minister",
                vec![TimelineBar {
                    end: almaty(0, 9, 0),
                    ..bar(1, "Backwards", (10, 0), (10, 0))
                }],
            )
        }]));
        assert_well_formed(&svg);
        assert!(
            svg.contains(">00:00</text>"),
            "the arrow runs to the day's end"
        );
    }
}
