//! Where everything of the picture goes, worked out without drawing anything:
//! the window of the day shown, the hours on the axis, the rows and their
//! lanes, the bars and arrows clipped to the day, and the labels cut to fit.
//! The result is a [`Layout`] of plain numbers and strings, so it can be
//! checked on its own; [`super::draw`] only turns it into SVG.

use std::borrow::Cow;

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike,
    Utc,
};
use chrono_tz::Tz;

use super::{RowKind, Timeline, TimelineBar, TimelineRow, TimelineTransfer};

// Fixed width, height grows with the rows; all lengths in px.

pub const WIDTH: f64 = 1100.0;
pub const PAD: f64 = 12.0;
pub const PLOT_X: f64 = 212.0;
pub const PLOT_W: f64 = 860.0;
pub const LABEL_W: f64 = PLOT_X - PAD - 10.0;
const TITLE_Y: f64 = 26.0;
const AXIS_Y: f64 = 52.0;
pub const PLOT_TOP: f64 = 60.0;
pub const HEADER_H: f64 = 24.0;
const ROW_PAD: f64 = 5.0;
pub const LANE_H: f64 = 22.0;
pub const BAR_H: f64 = 20.0;
const TRANSFER_H: f64 = 16.0;
/// Height of the plot when there are no rows, so the axis still has a body.
const EMPTY_H: f64 = 40.0;
const LEGEND_GAP: f64 = 26.0;
/// A legend swatch's width, and the step from a swatch to its words.
pub const SWATCH_W: f64 = 22.0;
const SWATCH_STEP: f64 = 28.0;

pub const TITLE_FONT: f64 = 15.0;
pub const LABEL_FONT: f64 = 12.0;
pub const BAR_FONT: f64 = 11.0;
pub const TRANSFER_FONT: f64 = 9.0;

const HOUR: i64 = 3_600;
const MIN_WINDOW: i64 = 6 * HOUR;
/// The window of a day without meetings: a working day.
const EMPTY_FROM_HOUR: u32 = 8;
const EMPTY_TO_HOUR: u32 = 18;

/// The picture of one day, measured: every position in px, every text as it
/// is shown (cut to fit) and, for tooltips, whole. Texts are not escaped yet.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// The whole title: the picture's accessible name.
    pub title: String,
    /// The title as written on top, cut to the width.
    pub heading: Text,
    /// A hatch pattern is needed: some bar is cancelled.
    pub hatch: bool,
    /// The officials' and venues' header bands.
    pub headers: Vec<Header>,
    /// The y of the line under each row.
    pub row_rules: Vec<f64>,
    /// The x of each local whole hour of the window: a grid line.
    pub grid: Vec<f64>,
    pub plot_top: f64,
    pub plot_bottom: f64,
    /// The axis rule, from the plot's left to its right edge.
    pub axis: (f64, f64),
    /// The hours written over the plot (every one, or fewer when crowded).
    pub hours: Vec<Text>,
    pub row_labels: Vec<RowLabel>,
    pub bars: Vec<Bar>,
    pub arrows: Vec<Arrow>,
    pub legend: Legend,
}

/// Text at a point.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub x: f64,
    pub y: f64,
    pub text: String,
}

/// A band across the picture that opens a group of rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub y: f64,
    pub height: f64,
    pub label: Text,
}

/// A row's name at its left, cut to fit, whole in its tooltip.
#[derive(Clone, Debug, PartialEq)]
pub struct RowLabel {
    pub full: String,
    pub shown: Text,
}

/// How a bar is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarLook {
    Plain,
    /// In a conflict: red.
    Clash,
    /// Hatched, grey and struck through.
    Cancelled,
}

/// One meeting's bar, clipped to the day and placed in its lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub meeting_id: i64,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub look: BarLook,
    /// Title, times and (if any) the word for its look, one a line.
    pub tooltip: String,
    /// The strike line of a cancelled bar: from x to x, at y.
    pub strike: Option<(f64, f64, f64)>,
    /// The title inside the bar, cut to fit; `None` when nothing fits.
    pub label: Option<Text>,
}

/// A transfer's arrow: as long as the travel, from the end of one meeting.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub x1: f64,
    pub x2: f64,
    pub y: f64,
    /// Red and dashed: the gap is shorter than the travel.
    pub too_short: bool,
    /// A tick where the earlier meeting ends (not when that is clipped).
    pub tick: bool,
    /// A head where the travel ends (not when clipped or too short to see).
    pub head: bool,
    pub tooltip: String,
    /// The minutes, centred under the arrow and kept inside the plot.
    pub words: Text,
}

/// Swatches along the bottom: meeting, clash, cancelled (when any), transfer.
#[derive(Clone, Debug, PartialEq)]
pub struct Legend {
    pub y: f64,
    /// The swatch's x and the words beside it.
    pub meeting: (f64, Text),
    pub clash: (f64, Text),
    pub cancelled: Option<(f64, Text)>,
    /// The x of the plain arrow and of the red dashed one.
    pub arrows: (f64, f64),
    pub transfer: Text,
}

/// The day in instants (seconds since the epoch) and the part of it shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub day_start: i64,
    pub day_end: i64,
    pub start: i64,
    pub end: i64,
}

impl Window {
    pub fn new(timeline: &Timeline) -> Self {
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
    pub fn clip(&self, from: i64, to: i64) -> Option<(i64, i64)> {
        let to = to.max(from);
        let inside = if from == to {
            self.day_start <= from && from < self.day_end
        } else {
            from < self.day_end && to > self.day_start
        };
        inside.then(|| (from.max(self.day_start), to.min(self.day_end)))
    }

    /// The x of an instant, held inside the plot.
    pub fn x(&self, t: i64) -> f64 {
        let t = t.clamp(self.start, self.end);
        PLOT_X + (t - self.start) as f64 / (self.end - self.start).max(1) as f64 * PLOT_W
    }

    /// The instants of the local whole hours in the window.
    pub fn ticks(&self) -> impl Iterator<Item = i64> {
        let (start, end) = (self.start, self.end);
        (0..)
            .map(move |i| start + i * HOUR)
            .take_while(move |&t| t <= end)
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
            let day_before = naive.checked_sub_signed(Duration::days(1)).unwrap_or(naive);
            let before = zone.offset_from_utc_datetime(&day_before).fix();
            naive.and_utc().timestamp() - i64::from(before.local_minus_utc())
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
        ROW_PAD + self.lanes as f64 * LANE_H + TRANSFER_H
    }
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

/// The whole picture of one day, measured.
pub fn layout(timeline: &Timeline) -> Layout {
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
        headers.push(Header {
            y,
            height: HEADER_H,
            label: Text {
                x: PAD,
                y: y + 16.0,
                text: fit(header, WIDTH - 2.0 * PAD, LABEL_FONT).into_owned(),
            },
        });
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
    let plot_bottom = y;
    let hatch = rows.iter().any(|r| r.bars.iter().any(|p| p.bar.cancelled));
    let measure = Measure { timeline, window };

    let mut bars = Vec::new();
    for row in &rows {
        for placed in &row.bars {
            bars.push(measure.bar(row, placed));
        }
    }
    let mut arrows = Vec::new();
    for row in &rows {
        let y = row.top + ROW_PAD + row.lanes as f64 * LANE_H + 3.5;
        arrows.extend(
            row.row
                .transfers
                .iter()
                .filter_map(|transfer| measure.arrow(transfer, y)),
        );
    }

    Layout {
        width: WIDTH,
        height: plot_bottom + LEGEND_GAP + PAD,
        title: timeline.title.clone(),
        heading: Text {
            x: PAD,
            y: TITLE_Y,
            text: fit(&timeline.title, WIDTH - 2.0 * PAD, TITLE_FONT).into_owned(),
        },
        hatch,
        headers,
        row_rules: rows
            .iter()
            .map(|row| row.top + row.height() - 0.5)
            .collect(),
        grid: window.ticks().map(|tick| window.x(tick)).collect(),
        plot_top: PLOT_TOP,
        plot_bottom,
        axis: (PLOT_X, PLOT_X + PLOT_W),
        hours: measure.hours(),
        row_labels: rows
            .iter()
            .map(|row| RowLabel {
                full: row.row.label.clone(),
                shown: Text {
                    x: PAD,
                    y: row.top + ROW_PAD + 14.5,
                    text: fit(&row.row.label, LABEL_W, LABEL_FONT).into_owned(),
                },
            })
            .collect(),
        bars,
        arrows,
        legend: legend(timeline, plot_bottom, hatch),
    }
}

/// What measuring a bar or an arrow reads.
struct Measure<'t> {
    timeline: &'t Timeline,
    window: Window,
}

impl Measure<'_> {
    /// Hour labels over the plot, every hour or fewer when the window is wide.
    fn hours(&self) -> Vec<Text> {
        let window = &self.window;
        let hours = (window.end - window.start) as f64 / HOUR as f64;
        let per_hour = PLOT_W / hours.max(1.0);
        let step = [1, 2, 3, 4, 6]
            .into_iter()
            .find(|&k| f64::from(k) * per_hour >= 44.0)
            .unwrap_or(6);
        window
            .ticks()
            .filter_map(|tick| {
                let clock = local(tick, self.timeline.zone);
                (clock.hour() % step == 0).then(|| Text {
                    x: window.x(tick),
                    y: AXIS_Y,
                    text: format!("{:02}:{:02}", clock.hour(), clock.minute()),
                })
            })
            .collect()
    }

    fn bar(&self, row: &PlacedRow, placed: &PlacedBar) -> Bar {
        let bar = placed.bar;
        let labels = &self.timeline.labels;
        let (x1, x2) = (self.window.x(placed.from), self.window.x(placed.to));
        // Inset by a pixel each side so back-to-back meetings stay apart.
        let width = (x2 - x1 - 2.0).max(2.0);
        let (x, y) = (x1 + 1.0, row.top + ROW_PAD + placed.lane as f64 * LANE_H);

        let mut tooltip = format!("{}\n{}", bar.label, self.span(bar.start, bar.end));
        let look = if bar.cancelled {
            tooltip.push('\n');
            tooltip.push_str(&labels.cancelled);
            BarLook::Cancelled
        } else if bar.clash {
            tooltip.push('\n');
            tooltip.push_str(&labels.clash);
            BarLook::Clash
        } else {
            BarLook::Plain
        };
        let shown = fit(&bar.label, width - 10.0, BAR_FONT);
        Bar {
            meeting_id: bar.meeting_id,
            x,
            y,
            width,
            height: BAR_H,
            look,
            tooltip,
            strike: bar.cancelled.then_some((x, x + width, y + BAR_H / 2.0)),
            label: (!shown.is_empty()).then(|| Text {
                x: x + 5.0,
                y: y + 14.0,
                text: shown.into_owned(),
            }),
        }
    }

    /// An arrow as long as the travel, from the end of one meeting: when it
    /// does not fit the gap it runs on under the next meeting's start.
    fn arrow(&self, transfer: &TimelineTransfer, y: f64) -> Option<Arrow> {
        if transfer.minutes <= 0 {
            return None;
        }
        let from = transfer.from_end.timestamp();
        let to = from.saturating_add(transfer.minutes.saturating_mul(60));
        let window = &self.window;
        if to <= window.start || from >= window.end {
            return None;
        }
        let (x1, x2) = (window.x(from), window.x(to));
        let words = self.timeline.labels.minutes(transfer.minutes);
        let half = text_width(&words, TRANSFER_FONT) / 2.0;
        let centre =
            ((x1 + x2) / 2.0).clamp(PLOT_X + half, (PLOT_X + PLOT_W - half).max(PLOT_X + half));
        Some(Arrow {
            x1,
            x2,
            y,
            too_short: transfer.too_short,
            tick: from >= window.start,
            head: to <= window.end && x2 - x1 >= 6.0,
            tooltip: format!(
                "{words}: {}",
                self.span(transfer.from_end, transfer.to_start)
            ),
            words: Text {
                x: centre,
                y: y + 10.0,
                text: words,
            },
        })
    }

    /// "HH:MM–HH:MM" in the zone, with the date beside a time on another day.
    fn span(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
        format!(
            "{}–{}",
            clock(start, self.timeline.zone, self.timeline.day),
            clock(end, self.timeline.zone, self.timeline.day)
        )
    }
}

/// "HH:MM", or "DD.MM HH:MM" for a time not on `day`.
fn clock(t: DateTime<Utc>, zone: Tz, day: NaiveDate) -> String {
    let t = t.with_timezone(&zone);
    if t.date_naive() != day {
        format!(
            "{:02}.{:02} {:02}:{:02}",
            t.day(),
            t.month(),
            t.hour(),
            t.minute()
        )
    } else {
        format!("{:02}:{:02}", t.hour(), t.minute())
    }
}

fn legend(timeline: &Timeline, plot_bottom: f64, hatch: bool) -> Legend {
    let labels = &timeline.labels;
    let y = plot_bottom + LEGEND_GAP - 6.0;
    // Each item's words, and where the next item starts.
    let words = |x: f64, words: &str| {
        (
            Text {
                x,
                y,
                text: words.to_string(),
            },
            x + text_width(words, BAR_FONT) + 18.0,
        )
    };
    let mut x = PAD;
    let meeting_x = x;
    let (meeting, next) = words(x + SWATCH_STEP, &labels.meeting);
    x = next;
    let clash_x = x;
    let (clash, next) = words(x + SWATCH_STEP, &labels.clash);
    x = next;
    let cancelled = if hatch {
        let at = x;
        let (cancelled, next) = words(x + SWATCH_STEP, &labels.cancelled);
        x = next;
        Some((at, cancelled))
    } else {
        None
    };
    Legend {
        y,
        meeting: (meeting_x, meeting),
        clash: (clash_x, clash),
        cancelled,
        arrows: (x, x + SWATCH_STEP),
        transfer: Text {
            x: x + 2.0 * SWATCH_STEP,
            y,
            text: labels.transfer.clone(),
        },
    }
}

// ---------------------------------------------------------------------------
// Text widths, estimated: the server has no fonts to measure with.

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

pub fn text_width(text: &str, font: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * font
}

/// `text` as it fits in `room` px: whole, or cut at a character with "…".
pub fn fit(text: &str, room: f64, font: f64) -> Cow<'_, str> {
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
    use chrono::TimeZone;
    use chrono_tz::Asia::Almaty;

    use super::super::{TimelineLabels, TimelineTransfer};
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 12).expect("a real date")
    }

    fn at(hour: u32, minute: u32) -> DateTime<Utc> {
        Almaty
            .from_local_datetime(&day().and_hms_opt(hour, minute, 0).expect("a real time"))
            .single()
            .expect("Almaty has no clock changes")
            .with_timezone(&Utc)
    }

    fn bar(id: i64, from: (u32, u32), to: (u32, u32)) -> TimelineBar {
        TimelineBar {
            meeting_id: id,
            label: format!("Meeting {id}"),
            start: at(from.0, from.1),
            end: at(to.0, to.1),
            clash: false,
            cancelled: false,
        }
    }

    fn one_row(bars: Vec<TimelineBar>, transfers: Vec<TimelineTransfer>) -> Timeline {
        Timeline {
            day: day(),
            zone: Almaty,
            rows: vec![TimelineRow {
                kind: RowKind::Official,
                label: "Minister".to_string(),
                bars,
                transfers,
            }],
            title: "Programme".to_string(),
            labels: TimelineLabels::default(),
        }
    }

    #[test]
    fn the_window_shows_whole_local_hours_around_the_meetings() {
        let layout = layout(&one_row(
            vec![bar(1, (10, 0), (11, 0)), bar(2, (15, 0), (16, 0))],
            vec![],
        ));
        let hours: Vec<&str> = layout.hours.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(hours.first(), Some(&"10:00"));
        assert_eq!(hours.last(), Some(&"16:00"));
        assert_eq!(layout.grid.len(), 7, "a grid line each hour, both ends");
        assert_eq!(layout.grid[0], PLOT_X);
        assert_eq!(layout.grid[6], PLOT_X + PLOT_W);
    }

    #[test]
    fn overlapping_meetings_take_separate_lanes_and_the_row_grows() {
        let single = layout(&one_row(vec![bar(1, (10, 0), (11, 0))], vec![]));
        let double = layout(&one_row(
            vec![bar(1, (10, 0), (11, 0)), bar(2, (10, 30), (11, 30))],
            vec![],
        ));
        assert_eq!(double.bars[1].y - double.bars[0].y, LANE_H);
        assert_eq!(double.plot_bottom - single.plot_bottom, LANE_H);
        assert_eq!(double.row_labels[0].shown.text, "Minister");
    }

    #[test]
    fn a_bar_says_its_times_and_a_clash_in_its_tooltip() {
        let layout = layout(&one_row(
            vec![TimelineBar {
                clash: true,
                ..bar(1, (10, 0), (11, 30))
            }],
            vec![],
        ));
        let shown = &layout.bars[0];
        assert_eq!(shown.look, BarLook::Clash);
        assert_eq!(shown.tooltip, "Meeting 1\n10:00–11:30\nClash");
        assert_eq!(shown.strike, None);
        assert!(!layout.hatch);
    }

    #[test]
    fn an_arrow_is_as_long_as_the_travel_and_marks_a_short_gap() {
        let layout = layout(&one_row(
            vec![bar(1, (9, 0), (10, 0)), bar(2, (10, 30), (11, 0))],
            vec![TimelineTransfer {
                from_end: at(10, 0),
                to_start: at(10, 30),
                minutes: 45,
                too_short: true,
            }],
        ));
        let arrow = &layout.arrows[0];
        let window = Window::new(&one_row(vec![bar(1, (9, 0), (10, 0))], vec![]));
        assert_eq!(window.end - window.start, MIN_WINDOW);
        assert!((arrow.x2 - arrow.x1 - 0.75 * PLOT_W / 6.0).abs() < 1e-9);
        assert!(arrow.too_short && arrow.tick && arrow.head);
        assert_eq!(arrow.tooltip, "45 min: 10:00–10:30");
        assert_eq!(arrow.words.text, "45 min");
    }
}
