//! Views: functions of `&State` that draw and change nothing.

mod detail;
mod help;
mod list;
pub mod theme;

use super::action::Action;
use super::keymap::Mode;
use super::state::{Overlay, Screen, State};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use theme::Theme;

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
    match state.screen {
        Screen::List if state.empty_store => list::draw_welcome(frame, body, state, &theme),
        Screen::List => list::draw(frame, body, state, &theme),
        Screen::Detail => detail::draw(frame, body, state, &theme),
    }
    draw_footer(frame, footer, state, &theme);
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
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.bar), area);
}

/// Hints generated from the resolved keymap, so they follow a user's rebinding.
fn draw_footer(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    if let Some(error) = &state.error {
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {error}"), theme.error)),
            area,
        );
        return;
    }
    let mode = state.mode();
    let actions: &[Action] = match mode {
        Mode::Search => &[Action::AcceptSearch, Action::ClearSearch, Action::Down],
        Mode::List => &[
            Action::Search,
            Action::Open,
            Action::NextFilter,
            Action::Help,
            Action::Back,
        ],
        Mode::Detail => &[
            Action::NextTab,
            Action::RecordPayment,
            Action::ListDishonest,
            Action::LiftListing,
            Action::Back,
        ],
        _ => &[Action::Help, Action::Cancel],
    };
    let mut spans = Vec::new();
    for action in actions {
        let keys = state.keymap.keys_for(mode, *action);
        let keys = if keys.is_empty() {
            state.keymap.keys_for(Mode::Global, *action)
        } else {
            keys
        };
        let Some(key) = keys.first() else { continue };
        spans.push(Span::styled(format!(" {key} "), theme.key));
        spans.push(Span::raw(format!(" {}  ", short(*action))));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.bar), area);
}

/// One or two words for the footer.
fn short(action: Action) -> &'static str {
    match action {
        Action::AcceptSearch => "results",
        Action::ClearSearch => "clear",
        Action::Down => "move",
        Action::Search => "search",
        Action::Open => "open",
        Action::NextFilter => "filter",
        Action::Help => "help",
        Action::Back => "back",
        Action::NextTab => "tabs",
        Action::RecordPayment => "pay",
        Action::ListDishonest => "list",
        Action::LiftListing => "lift",
        _ => action.name(),
    }
}

fn draw_message(frame: &mut Frame, area: Rect, title: &str, text: &str, theme: &Theme) {
    let width = area.width.saturating_sub(8).min(70);
    let height = (text.lines().count() as u16 + 4).min(area.height);
    let popup = centered(area, width, height);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {title} "))
        .border_style(theme.accent);
    let para = Paragraph::new(format!("{text}\n\nPress esc to close."))
        .block(block)
        .wrap(Wrap { trim: false });
    frame.render_widget(para, popup);
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
