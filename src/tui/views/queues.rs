//! The deadlines queue (soonest first, overdue highlighted), the notices
//! queue (with its state and channel filters) and the approvals queue.

use super::theme::Theme;
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

fn title_bar(frame: &mut Frame, area: Rect, spans: Vec<Span<'static>>) {
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn table_state(selected: usize, rows: usize) -> TableState {
    TableState::default().with_selected((rows > 0).then_some(selected))
}

pub fn draw_deadlines(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let [bar, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let q = &state.queue;
    let overdue = q.deadlines.iter().filter(|d| d.overdue).count();
    title_bar(
        frame,
        bar,
        vec![
            Span::styled(" Deadlines ", theme.header),
            Span::styled(
                format!(
                    "{} running, {overdue} overdue · soonest first",
                    q.deadlines.len()
                ),
                theme.dim,
            ),
        ],
    );
    if q.deadlines.is_empty() {
        let text = if q.loading {
            " reading…"
        } else {
            " No clock is running."
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim)), body);
        return;
    }
    let rows = q.deadlines.iter().map(|d| {
        let due = if d.overdue {
            format!("{} overdue", d.due_on)
        } else {
            d.due_on.clone()
        };
        let style = if d.overdue {
            theme.error
        } else {
            ratatui::style::Style::default()
        };
        Row::new(vec![
            Cell::from(Span::styled(due, style)),
            Cell::from(d.subject.clone()),
            Cell::from(d.case_number.clone()),
            Cell::from(d.describe()),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(19),
            Constraint::Fill(1),
            Constraint::Length(22),
            Constraint::Fill(1),
        ],
    )
    .header(Row::new(["Due", "Subject", "Case", "What"]).style(theme.header))
    .row_highlight_style(theme.selected);
    frame.render_stateful_widget(table, body, &mut table_state(q.selected, q.deadlines.len()));
}

pub fn draw_notices(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let [bar, body, text] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(3),
    ])
    .areas(area);
    let q = &state.queue;
    let filter = q.notice_filter;
    title_bar(
        frame,
        bar,
        vec![
            Span::styled(" Notices ", theme.header),
            Span::styled("state: ", theme.dim),
            Span::styled(filter.state.unwrap_or("all").to_string(), theme.accent),
            Span::styled("  channel: ", theme.dim),
            Span::styled(filter.channel.unwrap_or("all").to_string(), theme.accent),
            Span::styled(
                format!("  · {} shown, newest first", q.notices.len()),
                theme.dim,
            ),
        ],
    );
    if q.notices.is_empty() {
        let text = if q.loading {
            " reading…"
        } else {
            " No notice matches."
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim)), body);
        return;
    }
    let rows = q.notices.iter().map(|n| {
        Row::new(vec![
            Cell::from(n.state.clone()),
            Cell::from(n.channel.clone()),
            Cell::from(n.purpose.clone()),
            Cell::from(n.subject.clone()),
            Cell::from(n.recipient.clone()),
            Cell::from(
                n.state_at
                    .get(..16)
                    .unwrap_or(&n.state_at)
                    .replace('T', " "),
            ),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(9),
            Constraint::Length(11),
            Constraint::Length(14),
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Length(16),
        ],
    )
    .header(Row::new(["State", "Channel", "Purpose", "Subject", "To", "Since"]).style(theme.header))
    .row_highlight_style(theme.selected);
    frame.render_stateful_widget(table, body, &mut table_state(q.selected, q.notices.len()));
    if let Some(n) = q.notices.get(q.selected) {
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {}", n.body), theme.dim))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            text,
        );
    }
}

pub fn draw_approvals(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let [bar, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let q = &state.queue;
    title_bar(
        frame,
        bar,
        vec![
            Span::styled(" Approvals ", theme.header),
            Span::styled(
                format!(
                    "{} waiting for a supervisor other than the officer who asked · oldest first",
                    q.approvals.len()
                ),
                theme.dim,
            ),
        ],
    );
    if q.approvals.is_empty() {
        let text = if q.loading {
            " reading…"
        } else {
            " No request is waiting."
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim)), body);
        return;
    }
    let rows = q.approvals.iter().map(|a| {
        Row::new(vec![
            Cell::from(
                a.requested_at
                    .get(..16)
                    .unwrap_or(&a.requested_at)
                    .replace('T', " "),
            ),
            Cell::from(a.requester.clone()),
            Cell::from(a.subject.clone().unwrap_or_default()),
            Cell::from(a.title.trim_start_matches("Ask for approval: ").to_string()),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(17),
            Constraint::Length(14),
            Constraint::Length(16),
            Constraint::Fill(1),
        ],
    )
    .header(Row::new(["Asked", "By", "Subject", "Request"]).style(theme.header))
    .row_highlight_style(theme.selected);
    frame.render_stateful_widget(table, body, &mut table_state(q.selected, q.approvals.len()));
}
