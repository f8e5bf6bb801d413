//! The act form and the confirm view, drawn over the screen they act on.

use super::fit::{fit_str, hanging, labelled};
use super::theme::Theme;
use crate::tui::form::{Form, FormKind, Input};
use crate::tui::state::ConfirmState;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

const LABEL_WIDTH: usize = 14;

fn popup(area: Rect, lines: usize) -> Rect {
    let width = area.width.saturating_sub(4).min(100);
    super::centered(area, width, (lines as u16 + 2).min(area.height))
}

pub fn draw_form(frame: &mut Frame, area: Rect, form: &Form, theme: &Theme) {
    let width = usize::from(popup(area, 0).width.saturating_sub(2));
    let mut lines = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let value = match &field.input {
            Input::Text { .. } if focused => format!("{}▏", field.text),
            Input::Text { .. } => field.text.clone(),
            Input::Choice { options, index } => {
                format!("‹ {} ›  {}/{}", field.shown(), index + 1, options.len())
            }
        };
        let style = if focused {
            theme.selected
        } else {
            Style::default()
        };
        let label = format!(" {:<LABEL_WIDTH$} ", field.label);
        // The label keeps its colour; the value shows the focus.
        lines.extend(labelled(&label, &value, width, theme.accent, style));
        if focused && let Input::Text { hint } = field.input {
            let pad = " ".repeat(LABEL_WIDTH + 2);
            lines.extend(
                hanging(hint, &pad, width)
                    .into_iter()
                    .map(|l| Line::styled(l, theme.dim)),
            );
        }
    }
    lines.push(Line::raw(""));
    let (text, style) = match (&form.error, form.busy) {
        (_, true) => ("checking…".to_string(), theme.dim),
        (Some(error), _) => (error.clone(), theme.error),
        (None, _) if matches!(form.kind, FormKind::Menu(_)) => {
            ("enter opens the chosen act's form".into(), theme.dim)
        }
        (None, _) => (
            "enter shows what will change; nothing is written yet".into(),
            theme.dim,
        ),
    };
    lines.extend(
        hanging(&text, " ", width)
            .into_iter()
            .map(|l| Line::styled(l, style)),
    );
    let area = popup(area, lines.len());
    super::clear_popup(frame, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(block_title(&form.title, area.width))
        .border_style(theme.accent);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

pub fn draw_confirm(frame: &mut Frame, area: Rect, confirm: &ConfirmState, theme: &Theme) {
    let plan = &confirm.plan;
    let width = usize::from(popup(area, 0).width.saturating_sub(2));
    // A request for approval changes nothing yet: say when it will.
    let intro = if confirm.plan.act == "approval-requested" {
        " Once a supervisor approves, this will:"
    } else {
        " This will:"
    };
    let mut lines = vec![Line::styled(intro, theme.header)];
    for change in &plan.changes {
        lines.extend(hanging(change, "  • ", width).into_iter().map(Line::raw));
    }
    if !plan.notes.is_empty() {
        lines.push(Line::styled(" Also note:", theme.header));
        for note in &plan.notes {
            let wrapped = hanging(note, "  · ", width);
            lines.extend(wrapped.into_iter().map(|l| Line::styled(l, theme.dim)));
        }
    }
    if let Some(option) = &plan.option {
        let mark = if option.on { "[x]" } else { "[ ]" };
        lines.push(Line::raw(""));
        let text = format!("{} (space switches)", option.label);
        for (i, l) in hanging(&text, &format!(" {mark} "), width)
            .into_iter()
            .enumerate()
        {
            let style = if i == 0 {
                theme.accent
            } else {
                Style::default()
            };
            lines.push(Line::styled(l, style));
        }
    }
    // A long plan is cut in the middle; the keys stay on screen.
    let room = usize::from(area.height.saturating_sub(4));
    if lines.len() > room {
        let hidden = lines.len() + 1 - room;
        lines.truncate(room.saturating_sub(1));
        lines.push(Line::styled(
            format!("  … and {} more", crate::words::count(hidden, "line")),
            theme.dim,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(if confirm.busy {
        Line::styled(" working…", theme.dim)
    } else {
        Line::from(vec![
            Span::styled(" y ", theme.key),
            Span::raw(" write it, with one audit entry   "),
            Span::styled(" n ", theme.key),
            Span::raw(" back"),
        ])
    });
    let area = popup(area, lines.len());
    super::clear_popup(frame, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(block_title(&format!("Confirm: {}", plan.title), area.width))
        .border_style(theme.accent);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// A popup's title, cut with "…" to the border's width (corners and a space
/// each side).
fn block_title(title: &str, popup_width: u16) -> String {
    format!(" {} ", fit_str(title, popup_width.saturating_sub(4)))
}
