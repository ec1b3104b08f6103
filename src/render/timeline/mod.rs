//! The timeline picture on a visit's programme page: one day, one row per
//! official and per venue, meetings as bars on an hours axis in the visit's
//! zone, clashes in red and transfers between meetings as arrows.
//!
//! Drawn on the server as an SVG string so the page needs no script and loads
//! nothing from elsewhere (the Content-Security-Policy forbids both). It is
//! made in two steps: [`geometry`] measures the day into a [`Layout`] (window,
//! hours, rows, lanes, bars, arrows, labels cut to fit: numbers and strings),
//! and [`draw`] writes that layout as SVG with presentation attributes, never
//! `style`, every text XML-escaped. The drawing is deterministic (same
//! timeline, same bytes), so snapshots stay stable and a response can be
//! cached by its content.
//!
//! ```text
//! let svg = render_svg(&Timeline { day, zone, rows, title, labels });
//! ```

pub mod draw;
pub mod geometry;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub use geometry::{layout, Layout};

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
    /// The abbreviation after a transfer's minutes: "min", "мин".
    pub minute_unit: String,
    /// Legend word for an ordinary meeting.
    pub meeting: String,
    /// Legend (and tooltip) word for a cancelled meeting.
    pub cancelled: String,
    /// Legend word for the arrows between meetings.
    pub transfer: String,
}

impl TimelineLabels {
    /// "25 мин": a transfer's length with the unit the reader's language
    /// abbreviates minutes to (an abbreviation, so no plural form).
    pub fn minutes(&self, minutes: i64) -> String {
        format!("{minutes} {}", self.minute_unit)
    }
}

/// English words for the tests of the drawing; pages get theirs from the
/// catalogues.
#[cfg(test)]
impl Default for TimelineLabels {
    fn default() -> Self {
        Self {
            officials: "Officials".into(),
            venues: "Venues".into(),
            clash: "Clash".into(),
            minute_unit: "min".into(),
            meeting: "Meeting".into(),
            cancelled: "Cancelled".into(),
            transfer: "Transfer".into(),
        }
    }
}

/// `text` with `& < > " '` turned into entities, safe in an XML text node or
/// attribute value. Control characters XML cannot carry become U+FFFD.
pub fn escape(text: &str) -> String {
    draw::Escaped(text).to_string()
}

/// The SVG picture of one day.
pub fn render_svg(timeline: &Timeline) -> String {
    draw::svg(&layout(timeline))
}

#[cfg(test)]
mod tests {
    use super::draw::*;
    use super::geometry::*;
    use super::*;

    use chrono::{Duration, TimeZone};

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
            labels: TimelineLabels {
                officials: "Должностные лица".into(),
                venues: "Площадки".into(),
                clash: "Накладка".into(),
                minute_unit: "мин".into(),
                meeting: "Встреча".into(),
                cancelled: "Отменено".into(),
                transfer: "Переезд".into(),
            },
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
                minute_unit: hostile.to_string(),
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
