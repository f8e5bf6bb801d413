//! Views: functions of `&State` that draw and change nothing.

mod detail;
mod fit;
mod footer;
mod form;
mod help;
mod list;
mod queues;
mod signin;
mod sync;
mod tabs;
pub mod theme;

use super::state::{Overlay, Screen, State};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use theme::Theme;
use unicode_width::UnicodeWidthStr;

/// Below this the screen cannot show a list and a detail header.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

pub fn draw(frame: &mut Frame, state: &State) {
    let area = frame.area();
    let theme = Theme::new(state.monochrome);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "The terminal is {}x{}; zhixing needs at least {MIN_WIDTH}x{MIN_HEIGHT}. Enlarge the window (ctrl-c quits).",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(frame, header, state, &theme);
    if let Some(sign_in) = &state.sign_in {
        let hint = state.sign_in_hint.as_deref();
        signin::draw(frame, body, sign_in, hint, &theme);
        return;
    }
    match state.screen {
        Screen::List if state.empty_store => list::draw_welcome(frame, body, state, &theme),
        Screen::List => list::draw(frame, body, state, &theme),
        Screen::Detail => detail::draw(frame, body, state, &theme),
        Screen::Deadlines => queues::draw_deadlines(frame, body, state, &theme),
        Screen::Notices => queues::draw_notices(frame, body, state, &theme),
        Screen::Approvals => queues::draw_approvals(frame, body, state, &theme),
        Screen::Sync => sync::draw(frame, body, state, &theme),
    }
    // The confirm view replaces its form; cancelling it shows the form again.
    match (&state.form, &state.confirm) {
        (_, Some(confirm)) => form::draw_confirm(frame, body, confirm, &theme),
        (Some(f), None) => form::draw_form(frame, body, f, &theme),
        (None, None) => {}
    }
    footer::draw_footer(frame, footer, state, &theme);
    match &state.overlay {
        Some(Overlay::Help) => help::draw(frame, body, state, &theme),
        Some(Overlay::Message { title, body: text }) => {
            draw_message(frame, body, title, text, &theme)
        }
        None => {}
    }
}

fn draw_header(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let line = Line::from(vec![
        Span::styled(" 执行 zhixing ", theme.title),
        Span::raw(" "),
        Span::styled(state.store_label.clone(), theme.dim),
        Span::raw("  "),
        Span::styled(state.today.to_string(), theme.dim),
        Span::raw("  "),
        Span::styled(
            state.officer.as_ref().map_or_else(
                || "not signed in".to_string(),
                |o| format!("{} ({})", o.name, o.role),
            ),
            theme.dim,
        ),
    ]);
    // At the right end; the rest of the header is cut before it.
    let progress = (state.expiry.running && state.expiry.lifted > 0)
        .then(|| format!(" lifting ended listings: {} ", state.expiry.lifted));
    let room = area
        .width
        .saturating_sub(progress.as_deref().map_or(0, |p| p.width() as u16));
    let line = fit::fit_line(line, room);
    frame.render_widget(Paragraph::new(line).style(theme.bar), area);
    if let Some(progress) = progress {
        let progress = Line::from(Span::styled(progress, theme.title)).right_aligned();
        frame.render_widget(Paragraph::new(progress), area);
    }
}

fn draw_message(frame: &mut Frame, area: Rect, title: &str, text: &str, theme: &Theme) {
    let width = area.width.saturating_sub(8).min(70);
    let height = (text.lines().count() as u16 + 4).min(area.height);
    let popup = centered(area, width, height);
    clear_popup(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "))
        .border_style(theme.accent);
    let para = Paragraph::new(format!("{text}\n\nPress esc to close."))
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(para, popup);
}

/// Clears `area` for a popup. A wide (Han) character in the column just
/// left of it would otherwise spill over the popup's left border.
pub fn clear_popup(frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    let Some(left) = area.x.checked_sub(1) else {
        return;
    };
    let buffer = frame.buffer_mut();
    for y in area.top()..area.bottom() {
        let cell = &mut buffer[(left, y)];
        if cell.symbol().width() > 1 {
            cell.set_symbol(" ");
        }
    }
}

pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
