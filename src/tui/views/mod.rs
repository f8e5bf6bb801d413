//! Views: functions of `&State` that draw and change nothing.

mod detail;
mod form;
mod help;
mod list;
mod queues;
mod signin;
mod sync;
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
        Span::raw("  "),
        Span::styled(
            state.officer.as_ref().map_or_else(
                || "not signed in".to_string(),
                |o| format!("{} ({})", o.name, o.role),
            ),
            theme.dim,
        ),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.bar), area);
    // At the right end, over a long store path on a narrow terminal.
    if state.expiry.running && state.expiry.lifted > 0 {
        let progress = format!(" lifting ended listings: {} ", state.expiry.lifted);
        let progress = Line::from(Span::styled(progress, theme.title)).right_aligned();
        frame.render_widget(Paragraph::new(progress), area);
    }
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
    if let Some(status) = &state.status {
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {status}"), theme.good)).style(theme.bar),
            area,
        );
        return;
    }
    let mode = state.mode();
    let actions = footer_actions(state, mode);
    let mut spans = Vec::new();
    let no_option = state
        .confirm
        .as_ref()
        .is_some_and(|c| c.plan.option.is_none());
    for action in actions {
        if *action == Action::ToggleOption && no_option {
            continue;
        }
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

/// The actions the footer names in `mode`, in order.
fn footer_actions(state: &State, mode: Mode) -> &'static [Action] {
    match mode {
        Mode::Search => &[Action::AcceptSearch, Action::ClearSearch, Action::Down],
        Mode::List => &[
            Action::Search,
            Action::Open,
            Action::NextFilter,
            Action::Deadlines,
            Action::Notices,
            Action::Approvals,
            Action::Help,
            Action::Back,
        ],
        Mode::Detail => &[
            Action::NextTab,
            Action::RecordPayment,
            Action::ListDishonest,
            Action::LiftListing,
            Action::Restrictions,
            Action::Objections,
            Action::QueueNotice,
            Action::Back,
        ],
        Mode::Queue if state.screen == Screen::Sync => &[
            Action::Approvals,
            Action::Deadlines,
            Action::Notices,
            Action::Back,
        ],
        Mode::Queue if state.screen == Screen::Approvals => &[
            Action::Approve,
            Action::Reject,
            Action::Open,
            Action::Deadlines,
            Action::Notices,
            Action::Back,
        ],
        Mode::Queue => &[
            Action::Open,
            Action::NextFilter,
            Action::NextChannel,
            Action::CancelNotice,
            Action::Deadlines,
            Action::Notices,
            Action::Back,
        ],
        Mode::Form => &[
            Action::NextField,
            Action::NextChoice,
            Action::Submit,
            Action::Cancel,
        ],
        Mode::Confirm => &[Action::Confirm, Action::ToggleOption, Action::Cancel],
        Mode::Global => &[Action::Help, Action::Cancel],
    }
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
        Action::Restrictions => "restrict",
        Action::Objections => "objection",
        Action::QueueNotice => "notice",
        Action::NextChannel => "channel",
        Action::CancelNotice => "cancel",
        Action::Deadlines => "due",
        Action::Notices => "notices",
        Action::NextField => "field",
        Action::NextChoice => "choose",
        Action::Submit => "check",
        Action::Cancel => "cancel",
        Action::Confirm => "write",
        Action::ToggleOption => "option",
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
