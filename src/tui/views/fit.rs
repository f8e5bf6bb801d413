//! Text cut to the columns it has, with a mark where it was cut: a name or a
//! message that ends mid-word without one reads as whole.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const ELLIPSIS: char = '…';

/// `line` as it is when it fits in `width` columns; otherwise cut so that it
/// and a closing "…" fit, each span keeping its style.
pub fn fit_line(line: Line<'_>, width: u16) -> Line<'static> {
    let width = usize::from(width);
    let style = line.style;
    let alignment = line.alignment;
    let spans: Vec<Span<'static>> = if line.width() <= width {
        line.spans.into_iter().map(owned).collect()
    } else {
        cut_spans(line.spans, width.saturating_sub(1))
    };
    let mut fitted = Line::from(spans).style(style);
    fitted.alignment = alignment;
    fitted
}

/// `text` cut to `width` columns with a closing "…" when it does not fit.
pub fn fit_str(text: &str, width: u16) -> String {
    let width = usize::from(width);
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = cut_str(text, width.saturating_sub(1));
    if width > 0 {
        out.push(ELLIPSIS);
    }
    out
}

/// The spans' text up to `room` columns, then "…" in the style of the last
/// span kept (a highlight that was cut stays visibly cut).
fn cut_spans(spans: Vec<Span<'_>>, room: usize) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut left = room;
    let mut last_style = None;
    for span in spans {
        let kept = cut_str(&span.content, left);
        left -= kept.width();
        last_style = Some(span.style);
        let whole = kept.len() == span.content.len();
        out.push(Span::styled(kept, span.style));
        if !whole {
            break;
        }
    }
    out.retain(|s| !s.content.is_empty());
    out.push(Span::styled(
        ELLIPSIS.to_string(),
        last_style.unwrap_or_default(),
    ));
    out
}

/// The longest start of `text` that fits in `room` columns (a wide
/// character that would straddle the edge is left out whole).
fn cut_str(text: &str, room: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out
}

/// The widths of columns laid out by `constraints` in `width` columns, one
/// apart (as a Table spaces them). The cells are cut to these widths and
/// the table is given them as `lengths`, so the two agree by construction.
pub fn column_widths(constraints: &[Constraint], width: u16) -> Vec<u16> {
    Layout::horizontal(constraints.iter().copied())
        .flex(Flex::Start)
        .spacing(1)
        .split(Rect::new(0, 0, width, 1))
        .iter()
        .map(|column| column.width)
        .collect()
}

/// `widths` as the constraints of a table's columns.
pub fn lengths(widths: &[u16]) -> Vec<Constraint> {
    widths.iter().map(|w| Constraint::Length(*w)).collect()
}

/// A table row whose cells are cut to `widths` (from `column_widths`).
pub fn fitted_row<'a>(cells: impl IntoIterator<Item = Line<'a>>, widths: &[u16]) -> Row<'static> {
    let cells = cells
        .into_iter()
        .zip(widths)
        .map(|(line, width)| Cell::from(fit_line(line, *width)));
    Row::new(cells.collect::<Vec<_>>())
}

/// Breaks `text` to `width` columns (Han characters count two), the first
/// line after `first`, the others indented under it.
pub fn hanging(text: &str, first: &str, width: usize) -> Vec<String> {
    hanging_by(text, first, UnicodeWidthStr::width(first), width)
}

/// As `hanging`, the lines after the first indented by `indent` columns,
/// or by less where the text would have fewer than `ROOM` columns beside
/// the indent (down to half the width): an indent as wide as the line
/// would put one character on each.
pub fn hanging_by(text: &str, first: &str, indent: usize, width: usize) -> Vec<String> {
    const ROOM: usize = 16;
    let indent = " ".repeat(indent.min(width.saturating_sub(ROOM).max(width / 2)));
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut used = UnicodeWidthStr::width(first);
    for word in text.split_inclusive(' ') {
        let w = UnicodeWidthStr::width(word);
        if used + w > width && used > indent.len() {
            lines.push(line.trim_end().to_string());
            line = indent.clone();
            used = indent.len();
        }
        // A word longer than the line (a run of Han text) breaks anywhere.
        for c in word.chars() {
            let cw = UnicodeWidthChar::width(c).unwrap_or(0);
            if used + cw > width {
                lines.push(line.trim_end().to_string());
                line = indent.clone();
                used = indent.len();
            }
            line.push(c);
            used += cw;
        }
    }
    lines.push(line.trim_end().to_string());
    lines
}

/// `label` in its style, then `text` broken to `width` and hanging under
/// its start in `text_style` (the lines after the first wholly so).
pub fn labelled(
    label: &str,
    text: &str,
    width: usize,
    label_style: Style,
    text_style: Style,
) -> Vec<Line<'static>> {
    let lines = hanging(text, label, width);
    lines
        .into_iter()
        .enumerate()
        .map(|(n, line)| {
            let split = if n == 0 {
                label.len().min(line.len())
            } else {
                0
            };
            let (head, tail) = line.split_at(split);
            Line::from(vec![
                Span::styled(head.to_string(), label_style),
                Span::styled(tail.to_string(), text_style),
            ])
        })
        .collect()
}

fn owned(span: Span<'_>) -> Span<'static> {
    Span::styled(span.content.into_owned(), span.style)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Stylize;

    #[test]
    fn what_fits_is_left_alone() {
        assert_eq!(fit_str("张三", 4), "张三");
        let line = Line::from(vec![Span::raw("张"), Span::raw("三").bold()]);
        assert_eq!(fit_line(line.clone(), 4), line);
    }

    #[test]
    fn a_cut_ends_in_an_ellipsis_within_the_width() {
        assert_eq!(fit_str("北京鼎盛置业房地产开发有限公司", 10), "北京鼎盛…");
        // A wide character that would straddle the edge is left out whole.
        assert_eq!(fit_str("北京鼎盛置业", 8), "北京鼎…");
        assert_eq!(fit_str("abcdef", 4), "abc…");
        assert_eq!(fit_str("abcdef", 1), "…");
        assert_eq!(fit_str("abcdef", 0), "");
    }

    #[test]
    fn a_cut_line_keeps_each_spans_style() {
        let hit = Style::new().bold();
        let line = Line::from(vec![
            Span::raw("北京"),
            Span::styled("鼎盛", hit),
            Span::raw("置业房地产"),
        ]);
        let fitted = fit_line(line, 7);
        assert_eq!(fitted.width(), 7);
        let parts: Vec<(&str, Style)> = fitted
            .spans
            .iter()
            .map(|s| (s.content.as_ref(), s.style))
            .collect();
        assert_eq!(parts, [("北京", Style::default()), ("鼎", hit), ("…", hit)]);
    }

    #[test]
    fn long_lines_hang_under_their_bullet() {
        let lines = hanging(
            "Lift listing （2025）京0105执1881号之二 on 2026-11-27",
            "  • ",
            24,
        );
        assert!(lines.len() > 1);
        for l in &lines[1..] {
            assert!(l.starts_with("    "), "{l:?}");
        }
        for l in &lines {
            assert!(
                unicode_width::UnicodeWidthStr::width(l.as_str()) <= 24,
                "{l:?}"
            );
        }
    }

    #[test]
    fn a_label_keeps_its_style_and_the_text_hangs_under_it() {
        let (label_style, text_style) = (Style::new().bold(), Style::new().italic());
        let lines = labelled(
            "  keys  ",
            "one two three four",
            16,
            label_style,
            text_style,
        );
        let parts: Vec<Vec<(&str, Style)>> = lines
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| (s.content.as_ref(), s.style))
                    .collect()
            })
            .collect();
        assert_eq!(
            parts,
            [
                vec![("  keys  ", label_style), ("one two", text_style)],
                vec![("", label_style), ("        three", text_style)],
                vec![("", label_style), ("        four", text_style)],
            ]
        );
    }
}
