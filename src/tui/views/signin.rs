//! The sign-in box: at start, and when the screen locks. Nothing of the
//! store is drawn behind it.

use super::centered;
use super::theme::Theme;
use crate::tui::state::SignInState;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Padding, Paragraph, Wrap};

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    sign_in: &SignInState,
    hint: Option<&str>,
    theme: &Theme,
) {
    let (title, intro) = if sign_in.locked {
        (
            " Locked ",
            "The screen locked after 10 minutes without a key. Type your PIN to go on, or sign in as another officer.",
        )
    } else {
        (" Sign in ", "Sign in with your login and PIN.")
    };
    let field = |label: &str, value: String, focused: bool| {
        let marker = if focused { "›" } else { " " };
        let (label_style, value_style) = if focused {
            (theme.accent, theme.selected)
        } else {
            (theme.dim, theme.dim)
        };
        Line::from(vec![
            Span::styled(format!("{marker} {label:<6} "), label_style),
            Span::styled(format!("{value:<24}"), value_style),
        ])
    };
    let dots = "•".repeat(sign_in.pin.chars().count());
    let mut lines = vec![
        Line::from(intro),
        Line::from(""),
        field("Login", sign_in.login.clone(), !sign_in.on_pin),
        field("PIN", dots, sign_in.on_pin),
        Line::from(""),
    ];
    if sign_in.busy {
        lines.push(Line::styled("Checking…", theme.dim));
    } else if let Some(error) = &sign_in.error {
        lines.push(Line::styled(error.clone(), theme.error));
    } else {
        lines.push(Line::styled(
            "enter sign in   tab other field   ctrl-c quit",
            theme.dim,
        ));
    }
    if let Some(hint) = hint {
        lines.push(Line::from(""));
        lines.push(Line::styled(hint.to_string(), theme.dim));
    }
    let height = lines.len() as u16 + 4;
    let popup = centered(area, area.width.saturating_sub(4).min(66), height);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .padding(Padding::horizontal(1))
        .border_style(theme.accent);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
