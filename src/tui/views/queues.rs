//! The deadlines queue (soonest first, overdue highlighted), the notices
//! queue (with its state and channel filters) and the approvals queue.

use super::fit::{column_widths, fit_line, fitted_row, lengths};
use super::theme::Theme;
use crate::store::queues::{QUEUE_LIMIT, describe_kind};
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

/// What is due gets twice the subject's share: "correct listing:
/// objection upheld" against a name of a few characters.
const DEADLINE_COLUMNS: [Constraint; 4] = [
    Constraint::Length(18),
    Constraint::Fill(1),
    Constraint::Length(22),
    Constraint::Fill(2),
];
const NOTICE_COLUMNS: [Constraint; 6] = [
    Constraint::Length(9),
    Constraint::Length(11),
    Constraint::Length(14),
    Constraint::Fill(1),
    Constraint::Fill(1),
    Constraint::Length(16),
];
const APPROVAL_COLUMNS: [Constraint; 4] = [
    Constraint::Length(17),
    Constraint::Length(14),
    Constraint::Length(16),
    Constraint::Fill(1),
];

fn title_bar(frame: &mut Frame, area: Rect, spans: Vec<Span<'static>>) {
    let line = fit_line(Line::from(spans), area.width);
    frame.render_widget(Paragraph::new(line), area);
}

/// Whether a queue read as many rows as it reads at most: more may be
/// waiting beyond them, and its title must not give the rows as the total.
fn full(rows: usize) -> bool {
    rows >= QUEUE_LIMIT
}

/// "2026-11-27T10:00:00" as "2026-11-27 10:00".
fn minute(at: &str) -> String {
    at.get(..16).unwrap_or(at).replace('T', " ")
}

fn table_state(selected: usize, rows: usize) -> TableState {
    TableState::default().with_selected((rows > 0).then_some(selected))
}

pub fn draw_deadlines(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let [bar, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let q = &state.queue;
    let overdue = q.deadlines.iter().filter(|d| d.overdue).count();
    let due_today = q.deadlines.iter().filter(|d| d.due_today).count();
    let kind = q.deadline_kind.map_or("all", describe_kind);
    let count = if full(q.deadlines.len()) {
        format!(
            "{QUEUE_LIMIT}+ running; of the soonest {QUEUE_LIMIT} shown, {overdue} overdue, {due_today} due today"
        )
    } else {
        let n = q.deadlines.len();
        format!("{n} running, {overdue} overdue, {due_today} due today · soonest first")
    };
    title_bar(
        frame,
        bar,
        vec![
            Span::styled(" Deadlines ", theme.header),
            Span::styled("kind: ", theme.dim),
            Span::styled(kind, theme.accent),
            Span::styled(format!("  · {count}"), theme.dim),
        ],
    );
    if q.deadlines.is_empty() {
        let text = match (q.loading, q.deadline_kind) {
            (true, _) => " reading…",
            (false, None) => " No clock is running.",
            (false, Some(_)) => " No clock of this kind is running (f: the next kind).",
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim)), body);
        return;
    }
    let widths = column_widths(&DEADLINE_COLUMNS, body.width);
    let rows = q.deadlines.iter().map(|d| {
        let (due, style) = if d.overdue {
            (format!("{} overdue", d.due_on), theme.error)
        } else if d.due_today {
            (format!("{} today", d.due_on), theme.accent)
        } else {
            (d.due_on.clone(), ratatui::style::Style::default())
        };
        let cells = [
            Line::styled(due, style),
            Line::raw(d.subject.clone()),
            Line::raw(d.case_number.clone()),
            Line::raw(d.describe()),
        ];
        fitted_row(cells, &widths)
    });
    let table = Table::new(rows, lengths(&widths))
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
                if full(q.notices.len()) {
                    format!("  · the newest {QUEUE_LIMIT} shown; more match")
                } else {
                    format!("  · {} shown, newest first", q.notices.len())
                },
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
    let widths = column_widths(&NOTICE_COLUMNS, body.width);
    let rows = q.notices.iter().map(|n| {
        let cells = [
            n.state.clone(),
            n.channel.clone(),
            n.purpose.clone(),
            n.subject.clone(),
            n.recipient.clone(),
            minute(&n.state_at),
        ];
        fitted_row(cells.map(Line::raw), &widths)
    });
    let table = Table::new(rows, lengths(&widths))
        .header(
            Row::new(["State", "Channel", "Purpose", "Subject", "To", "Since"]).style(theme.header),
        )
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
                    "{}{} waiting for a supervisor other than the officer who asked · oldest first",
                    q.approvals.len(),
                    if full(q.approvals.len()) { "+" } else { "" }
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
    let widths = column_widths(&APPROVAL_COLUMNS, body.width);
    let rows = q.approvals.iter().map(|a| {
        let cells = [
            minute(&a.requested_at),
            a.requester.clone(),
            a.subject.clone().unwrap_or_default(),
            a.title.trim_start_matches("Ask for approval: ").to_string(),
        ];
        fitted_row(cells.map(Line::raw), &widths)
    });
    let table = Table::new(rows, lengths(&widths))
        .header(Row::new(["Asked", "By", "Subject", "Request"]).style(theme.header))
        .row_highlight_style(theme.selected);
    frame.render_stateful_widget(table, body, &mut table_state(q.selected, q.approvals.len()));
}
