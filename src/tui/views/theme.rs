//! Styles, with a monochrome set for NO_COLOR that relies on bold,
//! reverse and underline only.

use ratatui::style::{Color, Modifier, Style};

pub struct Theme {
    pub title: Style,
    pub bar: Style,
    pub dim: Style,
    pub key: Style,
    pub accent: Style,
    pub error: Style,
    pub selected: Style,
    pub matched: Style,
    pub header: Style,
    pub badge_listed: Style,
    pub badge_restricted: Style,
    pub badge_other: Style,
    pub good: Style,
}

impl Theme {
    pub fn new(monochrome: bool) -> Theme {
        if monochrome {
            let plain = Style::default();
            let bold = plain.add_modifier(Modifier::BOLD);
            return Theme {
                title: bold.add_modifier(Modifier::REVERSED),
                bar: plain,
                dim: plain,
                key: plain.add_modifier(Modifier::REVERSED),
                accent: bold,
                error: bold.add_modifier(Modifier::UNDERLINED),
                selected: plain.add_modifier(Modifier::REVERSED),
                matched: bold.add_modifier(Modifier::UNDERLINED),
                header: bold.add_modifier(Modifier::UNDERLINED),
                badge_listed: bold,
                badge_restricted: bold,
                badge_other: plain,
                good: plain,
            };
        }
        Theme {
            title: Style::default()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            bar: Style::default().bg(Color::Rgb(30, 34, 42)),
            dim: Style::default().fg(Color::Gray),
            key: Style::default().fg(Color::Black).bg(Color::Cyan),
            accent: Style::default().fg(Color::Cyan),
            error: Style::default()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            selected: Style::default()
                .bg(Color::Rgb(50, 60, 90))
                .add_modifier(Modifier::BOLD),
            matched: Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            header: Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            badge_listed: Style::default()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            badge_restricted: Style::default()
                .fg(Color::Black)
                .bg(Color::Rgb(230, 150, 40)),
            badge_other: Style::default()
                .fg(Color::Black)
                .bg(Color::Rgb(150, 150, 220)),
            good: Style::default().fg(Color::Green),
        }
    }
}
