//! The footer: a message when there is one, else the keys of the moment,
//! as many as the width holds.

use super::fit::{fit_line, fit_str};
use super::theme::Theme;
use crate::tui::action::Action;
use crate::tui::keymap::Mode;
use crate::tui::state::{Screen, State};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// Hints generated from the resolved keymap, so they follow a user's rebinding.
pub fn draw_footer(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    if let Some(error) = &state.error {
        let text = fit_str(&format!(" {error}"), area.width);
        frame.render_widget(Paragraph::new(Span::styled(text, theme.error)), area);
        return;
    }
    if let Some(status) = &state.status {
        let text = fit_str(&format!(" {status}"), area.width);
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.good)).style(theme.bar),
            area,
        );
        return;
    }
    let hints = hints(state);
    let line = fit_hints(&hints, area.width, theme);
    frame.render_widget(Paragraph::new(line).style(theme.bar), area);
}

/// The footer's (key, word) pairs for the moment, first key of each action.
fn hints(state: &State) -> Vec<(String, Action)> {
    let mode = state.mode();
    let no_option = state
        .confirm
        .as_ref()
        .is_some_and(|c| c.plan.option.is_none());
    let mut hints = Vec::new();
    for action in footer_actions(state, mode) {
        if *action == Action::ToggleOption && no_option {
            continue;
        }
        let keys = state.keymap.keys_for(mode, *action);
        let keys = if keys.is_empty() {
            state.keymap.keys_for(Mode::Global, *action)
        } else {
            keys
        };
        if let Some(key) = keys.first() {
            hints.push((key.to_string(), *action));
        }
    }
    hints
}

/// The hints spaced out when they fit, closer when not; if even that is too
/// wide, hints are dropped from the right, but never help or the way back
/// (help lists every key).
fn fit_hints(hints: &[(String, Action)], width: u16, theme: &Theme) -> Line<'static> {
    let mut kept: Vec<&(String, Action)> = hints.iter().collect();
    if hints_width(&kept, roomy) <= usize::from(width) {
        return hint_line(&kept, roomy, theme);
    }
    while hints_width(&kept, tight) > usize::from(width) {
        let Some(drop) = kept.iter().rposition(|(_, a)| !always_shown(*a)) else {
            break;
        };
        kept.remove(drop);
    }
    fit_line(hint_line(&kept, tight, theme), width)
}

/// How one hint is spelled: its key, then its word.
type Spacing = fn(&str, &str) -> [String; 2];

fn roomy(key: &str, word: &str) -> [String; 2] {
    [format!(" {key} "), format!(" {word}  ")]
}

fn tight(key: &str, word: &str) -> [String; 2] {
    [format!(" {key} "), format!(" {word} ")]
}

fn always_shown(action: Action) -> bool {
    matches!(action, Action::Help | Action::Back | Action::Cancel)
}

fn hints_width(hints: &[&(String, Action)], spacing: Spacing) -> usize {
    hints
        .iter()
        .flat_map(|(key, action)| spacing(key, short(*action)))
        .map(|part| part.width())
        .sum()
}

fn hint_line(hints: &[&(String, Action)], spacing: Spacing, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for (key, action) in hints {
        let [key, word] = spacing(key, short(*action));
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::raw(word));
    }
    Line::from(spans)
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
        Mode::Queue if state.screen == Screen::Deadlines => &[
            Action::Open,
            Action::NextFilter,
            Action::Notices,
            Action::Approvals,
            Action::Help,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    fn list_hints() -> Vec<(String, Action)> {
        [
            ("/", Action::Search),
            ("enter", Action::Open),
            ("f", Action::NextFilter),
            ("d", Action::Deadlines),
            ("N", Action::Notices),
            ("A", Action::Approvals),
            ("?", Action::Help),
            ("q", Action::Back),
        ]
        .map(|(key, action)| (key.to_string(), action))
        .to_vec()
    }

    #[test]
    fn hints_that_fit_are_spaced_out_and_all_shown() {
        let line = fit_hints(&list_hints(), 120, &Theme::new(true));
        assert!(text(&line).ends_with(" A  approvals   ?  help   q  back  "));
    }

    #[test]
    fn a_narrow_footer_drops_hints_from_the_right_but_keeps_help_and_back() {
        let line = fit_hints(&list_hints(), 60, &Theme::new(true));
        let shown = text(&line);
        assert!(line.width() <= 60, "{shown}");
        assert_eq!(
            shown,
            " /  search  enter  open  f  filter  ?  help  q  back "
        );
        assert!(!shown.contains("approvals"), "{shown}");
    }
}
