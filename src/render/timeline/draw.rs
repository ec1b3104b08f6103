//! A measured [`Layout`] written as SVG: colours, fonts, escaping. Nothing is
//! measured here.
//!
//! Colours and fonts are presentation attributes, never `style` (the
//! Content-Security-Policy forbids inline style). Every piece of text is
//! XML-escaped, since titles and names come from users.

use std::fmt::{self, Write};

use super::geometry::{
    Arrow, Bar, BarLook, Layout, Text, BAR_FONT, LABEL_FONT, SWATCH_W, TITLE_FONT, TRANSFER_FONT,
};

pub const FONTS: &str = r#""PT Sans","Noto Sans","DejaVu Sans",Arial,sans-serif"#;
pub const HATCH_ID: &str = "sapar-timeline-hatch";

pub const TEXT: &str = "#1f2937";
pub const MUTED: &str = "#4b5563";
pub const GRID: &str = "#e3e8ef";
pub const RULE: &str = "#9aa3ae";
pub const HEADER_BG: &str = "#f1f4f8";
pub const FILL: &str = "#e6eef8";
pub const STROKE: &str = "#0b5cad";
pub const CLASH_FILL: &str = "#fde8e8";
pub const CLASH_STROKE: &str = "#b42318";
pub const CLASH_TEXT: &str = "#7a1a12";
pub const CANCELLED_STROKE: &str = "#9aa3ae";
pub const CANCELLED_TEXT: &str = "#6b7280";
pub const TRANSFER: &str = "#5b6b7f";

/// The SVG of a layout.
pub fn svg(layout: &Layout) -> String {
    let mut out = String::with_capacity(
        3_000 + 160 * layout.row_labels.len() + 360 * layout.bars.len() + 300 * layout.arrows.len(),
    );
    write(layout, &mut out).expect("writing into a String does not fail");
    out
}

fn write(layout: &Layout, out: &mut String) -> fmt::Result {
    let title = Escaped(&layout.title);
    let (width, height) = (Px(layout.width), Px(layout.height));
    write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{title}" font-family='{FONTS}' font-size="{LABEL_FONT}" fill="{TEXT}"><title>{title}</title>"#
    )?;
    if layout.hatch {
        write!(
            out,
            r##"<defs><pattern id="{HATCH_ID}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3f4f6"/><path d="M0 0V6" stroke="#c9ced6" stroke-width="2"/></pattern></defs>"##
        )?;
    }
    write!(
        out,
        r##"<rect width="{width}" height="{height}" fill="#fff"/>"##
    )?;
    let heading = &layout.heading;
    write!(
        out,
        r#"<text x="{}" y="{}" font-size="{TITLE_FONT}" font-weight="bold">{}</text>"#,
        Px(heading.x),
        Px(heading.y),
        Escaped(&heading.text)
    )?;
    write_frame(layout, out)?;
    write_axis(layout, out)?;
    for row in &layout.row_labels {
        write!(
            out,
            r#"<text x="{}" y="{}"><title>{}</title>{}</text>"#,
            Px(row.shown.x),
            Px(row.shown.y),
            Escaped(&row.full),
            Escaped(&row.shown.text)
        )?;
    }
    write!(out, r#"<g font-size="{BAR_FONT}">"#)?;
    for bar in &layout.bars {
        write_bar(bar, out)?;
    }
    out.push_str("</g>");
    write!(
        out,
        r#"<g font-size="{TRANSFER_FONT}" text-anchor="middle" fill="{MUTED}">"#
    )?;
    for arrow in &layout.arrows {
        write_arrow(arrow, out)?;
    }
    out.push_str("</g>");
    write_legend(layout, out)?;
    out.push_str("</svg>");
    Ok(())
}

/// Group header bands, row separators and the hour grid.
fn write_frame(layout: &Layout, out: &mut String) -> fmt::Result {
    for header in &layout.headers {
        write!(
            out,
            r#"<rect y="{}" width="{}" height="{}" fill="{HEADER_BG}"/><text x="{}" y="{}" font-weight="bold">{}</text>"#,
            Px(header.y),
            Px(layout.width),
            Px(header.height),
            Px(header.label.x),
            Px(header.label.y),
            Escaped(&header.label.text)
        )?;
    }
    if !layout.row_rules.is_empty() {
        out.push_str(r#"<path d=""#);
        for y in &layout.row_rules {
            write!(out, "M0 {}H{}", Px(*y), Px(layout.width))?;
        }
        write!(out, r##"" stroke="#edf0f4"/>"##)?;
    }
    write!(out, r#"<path d=""#)?;
    for x in &layout.grid {
        write!(
            out,
            "M{} {}V{}",
            Px(*x),
            Px(layout.plot_top),
            Px(layout.plot_bottom)
        )?;
    }
    write!(out, r#"" stroke="{GRID}"/>"#)
}

fn write_axis(layout: &Layout, out: &mut String) -> fmt::Result {
    write!(
        out,
        r#"<path d="M{} {}H{}" stroke="{RULE}"/><g font-size="{BAR_FONT}" fill="{MUTED}" text-anchor="middle">"#,
        Px(layout.axis.0),
        Px(layout.plot_top),
        Px(layout.axis.1)
    )?;
    for hour in &layout.hours {
        write_text(out, hour, "")?;
    }
    out.push_str("</g>");
    Ok(())
}

/// `<text x y{attrs}>text</text>`, the text escaped.
fn write_text(out: &mut String, text: &Text, attrs: &str) -> fmt::Result {
    write!(
        out,
        r#"<text x="{}" y="{}"{attrs}>{}</text>"#,
        Px(text.x),
        Px(text.y),
        Escaped(&text.text)
    )
}

fn write_bar(bar: &Bar, out: &mut String) -> fmt::Result {
    write!(
        out,
        r#"<g><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="3" "#,
        Escaped(&bar.tooltip),
        Px(bar.x),
        Px(bar.y),
        Px(bar.width),
        Px(bar.height)
    )?;
    let text_fill = match bar.look {
        BarLook::Cancelled => {
            write!(
                out,
                r#"fill="url(#{HATCH_ID})" stroke="{CANCELLED_STROKE}" stroke-dasharray="4 2"/>"#
            )?;
            Some(CANCELLED_TEXT)
        }
        BarLook::Clash => {
            write!(
                out,
                r#"fill="{CLASH_FILL}" stroke="{CLASH_STROKE}" stroke-width="2"/>"#
            )?;
            Some(CLASH_TEXT)
        }
        BarLook::Plain => {
            write!(out, r#"fill="{FILL}" stroke="{STROKE}"/>"#)?;
            None
        }
    };
    if let Some((x1, x2, y)) = bar.strike {
        write!(
            out,
            r#"<path d="M{} {}H{}" stroke="{CANCELLED_TEXT}"/>"#,
            Px(x1),
            Px(y),
            Px(x2)
        )?;
    }
    if let Some(label) = &bar.label {
        match text_fill {
            Some(fill) => write_text(out, label, &format!(r#" fill="{fill}""#))?,
            None => write_text(out, label, "")?,
        }
    }
    out.push_str("</g>");
    Ok(())
}

fn write_arrow(arrow: &Arrow, out: &mut String) -> fmt::Result {
    let colour = if arrow.too_short {
        CLASH_STROKE
    } else {
        TRANSFER
    };
    let (x1, x2, y) = (arrow.x1, arrow.x2, arrow.y);
    write!(
        out,
        "<g><title>{}</title><path d=\"M{} {}H{}\" stroke=\"{colour}\"",
        Escaped(&arrow.tooltip),
        Px(x1),
        Px(y),
        Px(x2)
    )?;
    if arrow.too_short {
        out.push_str(r#" stroke-width="1.5" stroke-dasharray="3 2""#);
    }
    out.push_str("/>");
    // Solid ends on the (maybe dashed) line.
    if arrow.tick || arrow.head {
        out.push_str("<path d=\"");
        if arrow.tick {
            write!(out, "M{} {}v6", Px(x1), Px(y - 3.0))?;
        }
        if arrow.head {
            write!(out, "M{} {}l-5-3v6z", Px(x2), Px(y))?;
        }
        write!(out, "\" fill=\"{colour}\" stroke=\"{colour}\"/>")?;
    }
    if arrow.too_short {
        write_text(out, &arrow.words, &format!(r#" fill="{CLASH_STROKE}""#))?;
    } else {
        write_text(out, &arrow.words, "")?;
    }
    out.push_str("</g>");
    Ok(())
}

fn write_legend(layout: &Layout, out: &mut String) -> fmt::Result {
    let legend = &layout.legend;
    let y = legend.y;
    write!(out, r#"<g font-size="{BAR_FONT}" fill="{MUTED}">"#)?;
    let swatch = |out: &mut String, x: f64, attrs: &str| {
        write!(
            out,
            r#"<rect x="{}" y="{}" width="22" height="12" rx="3" {attrs}/>"#,
            Px(x),
            Px(y - 10.0)
        )
    };
    swatch(
        out,
        legend.meeting.0,
        &format!(r#"fill="{FILL}" stroke="{STROKE}""#),
    )?;
    write_text(out, &legend.meeting.1, "")?;
    swatch(
        out,
        legend.clash.0,
        &format!(r#"fill="{CLASH_FILL}" stroke="{CLASH_STROKE}" stroke-width="2""#),
    )?;
    write_text(out, &legend.clash.1, "")?;
    if let Some((x, words)) = &legend.cancelled {
        swatch(
            out,
            *x,
            &format!(
                r#"fill="url(#{HATCH_ID})" stroke="{CANCELLED_STROKE}" stroke-dasharray="4 2""#
            ),
        )?;
        write!(
            out,
            r#"<path d="M{} {}H{}" stroke="{CANCELLED_TEXT}"/>"#,
            Px(*x),
            Px(y - 4.0),
            Px(x + SWATCH_W)
        )?;
        write_text(out, words, "")?;
    }
    let arrow = |out: &mut String, from: f64, colour: &str, dashed: &str| {
        write!(
            out,
            r#"<path d="M{} {}H{}" stroke="{colour}"{dashed}/><path d="M{} {}L{} {}L{} {}Z" fill="{colour}"/>"#,
            Px(from),
            Px(y - 4.0),
            Px(from + SWATCH_W),
            Px(from + 17.0),
            Px(y - 7.0),
            Px(from + SWATCH_W),
            Px(y - 4.0),
            Px(from + 17.0),
            Px(y - 1.0)
        )
    };
    arrow(out, legend.arrows.0, TRANSFER, "")?;
    arrow(
        out,
        legend.arrows.1,
        CLASH_STROKE,
        r#" stroke-width="1.5" stroke-dasharray="3 2""#,
    )?;
    write_text(out, &legend.transfer, "")?;
    out.push_str("</g>");
    Ok(())
}

/// Writes its text XML-escaped.
pub struct Escaped<'a>(pub &'a str);

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
pub struct Px(pub f64);

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
