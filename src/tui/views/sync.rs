//! The sync state: this store's site and change clock, and for each peer
//! the last file sent and applied and how many changes wait to go.

use super::theme::Theme;
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

fn when(at: &Option<String>, file: &Option<String>) -> String {
    match (at, file) {
        (Some(at), Some(file)) => {
            let at = at.get(..16).unwrap_or(at).replace('T', " ");
            let file = std::path::Path::new(file)
                .file_name()
                .map_or(file.clone(), |f| f.to_string_lossy().into_owned());
            format!("{at}  {file}")
        }
        _ => "never".into(),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let [bar, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let Some(sync) = &state.queue.sync else {
        frame.render_widget(Paragraph::new(Span::styled(" reading…", theme.dim)), body);
        return;
    };
    let title = Line::from(vec![
        Span::styled(" Sync ", theme.header),
        Span::styled(
            format!(
                "this store is site {} · change clock at {}",
                sync.site, sync.clock
            ),
            theme.dim,
        ),
    ]);
    frame.render_widget(Paragraph::new(title), bar);
    if sync.peers.is_empty() {
        let text = " No file was exchanged with another office yet. Send one with\n   zhixing sync export --to FILE --peer SITE\n and apply what comes back with zhixing sync apply FILE.";
        frame.render_widget(Paragraph::new(text).style(theme.dim), body);
        return;
    }
    let rows = sync.peers.iter().map(|p| {
        let waiting = Span::styled(
            crate::words::count(p.waiting, "change"),
            if p.waiting > 0 {
                theme.accent
            } else {
                theme.dim
            },
        );
        Row::new(vec![
            Cell::from(format!("site {}", p.site)),
            Cell::from(when(&p.last_export_at, &p.last_export_file)),
            Cell::from(when(&p.last_apply_at, &p.last_apply_file)),
            Cell::from(waiting),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(8),
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Length(16),
        ],
    )
    .header(Row::new(["Peer", "Last sent", "Last applied", "Waiting to go"]).style(theme.header));
    frame.render_widget(table, body);
}
