//! The help overlay, generated from the resolved keymap and the actions'
//! descriptions: it follows the user's rebinding.

use super::centered;
use super::fit::labelled;
use super::theme::Theme;
use crate::tui::keymap::{Mode, sequence_text};
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let popup = centered(area, area.width.saturating_sub(4).min(76), area.height);
    let width = usize::from(popup.width.saturating_sub(2));
    let mut lines = Vec::new();
    for mode in Mode::ALL {
        let Some(bindings) = state.keymap.modes.get(&mode) else {
            continue;
        };
        lines.push(Line::styled(mode.name(), theme.header));
        // One line per action, its keys together.
        let mut by_action: Vec<(crate::tui::action::Action, Vec<String>)> = Vec::new();
        for (seq, action) in bindings {
            match by_action.iter_mut().find(|(a, _)| a == action) {
                Some((_, keys)) => keys.push(sequence_text(seq)),
                None => by_action.push((*action, vec![sequence_text(seq)])),
            }
        }
        by_action.sort();
        for (action, keys) in by_action {
            let keys = format!("  {:<18}", keys.join(" "));
            let description = action.description();
            lines.extend(labelled(
                &keys,
                description,
                width,
                theme.accent,
                Style::default(),
            ));
        }
    }
    super::clear_popup(frame, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Keys: up/down scroll, esc or ? closes ")
        .border_style(theme.accent);
    let para = Paragraph::new(lines)
        .block(block)
        .scroll((state.help_scroll, 0));
    frame.render_widget(para, popup);
}
