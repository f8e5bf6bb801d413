//! One subject: a header with status, and a tab for each kind of record.

use super::fit::fit_line;
use super::list::badges;
use super::tabs;
use super::theme::Theme;
use crate::domain::ident::age_on;
use crate::domain::mask_id;
use crate::store::SubjectDetail;
use crate::tui::state::{State, Tab};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Tabs, Wrap};
use unicode_width::UnicodeWidthStr;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(detail) = &state.detail else { return };
    let Some(data) = &detail.data else {
        frame.render_widget(Paragraph::new(" Loading…").style(theme.dim), area);
        return;
    };
    let [header, tabs, body] = Layout::vertical([
        Constraint::Length(6),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    let revealed = detail.revealed.as_deref();
    draw_header(frame, header, data, revealed, state.today, theme);
    let titles = tab_titles(data, tabs.width);
    let selected = Tab::ALL.iter().position(|t| *t == detail.tab).unwrap_or(0);
    frame.render_widget(
        Tabs::new(titles)
            .select(selected)
            .highlight_style(theme.selected)
            .divider("│"),
        tabs,
    );
    let lines = tabs::tab_lines(data, detail.tab, usize::from(body.width), theme);
    let para = Paragraph::new(lines)
        .block(Block::default().borders(Borders::TOP))
        .scroll((detail.scroll, 0))
        .wrap(Wrap { trim: false });
    frame.render_widget(para, body);
}

/// "Cases (2)" and so on, or "Cases 2", "Restr 18" where those do not fit.
fn tab_titles(data: &SubjectDetail, width: u16) -> Vec<String> {
    let full: Vec<String> = Tab::ALL
        .iter()
        .map(|t| format!("{} ({})", t.title(), tab_count(data, *t)))
        .collect();
    // Each title is padded by a space on both sides, with a divider between.
    let needed: usize = full.iter().map(|t| t.width() + 3).sum::<usize>() - 1;
    if needed <= usize::from(width) {
        return full;
    }
    Tab::ALL
        .iter()
        .map(|t| format!("{} {}", short_title(*t), tab_count(data, *t)))
        .collect()
}

fn short_title(tab: Tab) -> &'static str {
    match tab {
        Tab::Restrictions => "Restr",
        Tab::Objections => "Obj",
        other => other.title(),
    }
}

fn tab_count(d: &SubjectDetail, tab: Tab) -> usize {
    match tab {
        Tab::Cases => d.cases.len(),
        Tab::Listings => d.listings.len(),
        Tab::Restrictions => d.restrictions.len(),
        Tab::Objections => d.objections.len(),
        Tab::Notices => d.notices.len(),
        Tab::History => d.history.len(),
    }
}

/// The subject's header; `revealed` is the full ID number once a
/// supervisor asked for it, else the masked one is shown.
fn draw_header(
    frame: &mut Frame,
    area: Rect,
    d: &SubjectDetail,
    revealed: Option<&str>,
    today: NaiveDate,
    theme: &Theme,
) {
    let row = &d.row;
    let who = who(d, today);
    let warning = if d.id_warning {
        "  (pilot-era code: check character does not verify)"
    } else {
        ""
    };
    let links: Vec<String> = d
        .links
        .iter()
        .map(|(role, name, _)| format!("{role}: {name}"))
        .collect();
    let lines = vec![
        title_line(d, theme),
        Line::from(format!(
            "{}  {who}{warning}",
            revealed.map_or_else(|| mask_id(&row.id_number), str::to_string)
        )),
        Line::from(format!(
            "Address: {}",
            d.address.clone().unwrap_or_else(|| "—".into())
        )),
        Line::from(format!(
            "Phones: {}   Aliases: {}",
            join_or_dash(&d.phones),
            join_or_dash(&d.aliases)
        )),
        Line::from(format!(
            "Linked: {}",
            if links.is_empty() {
                "—".into()
            } else {
                links.join("; ")
            }
        )),
        Line::from(vec![
            Span::raw("Outstanding: "),
            Span::styled(format!("{} yuan", row.outstanding), theme.accent),
            Span::raw(format!(
                "   Court: {}",
                row.court.clone().unwrap_or_default()
            )),
        ]),
    ];
    let lines: Vec<Line> = lines.into_iter().map(|l| fit_line(l, area.width)).collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// Name, pinyin, badges and what the status means.
fn title_line<'a>(d: &SubjectDetail, theme: &Theme) -> Line<'a> {
    let row = &d.row;
    let mut title = vec![
        Span::styled(row.name.clone(), theme.header),
        Span::raw("  "),
        Span::styled(format!("{}  ", row.name_pinyin), theme.dim),
    ];
    let badges = badges(&row.status, theme);
    if !badges.spans.is_empty() {
        title.extend(badges.spans);
        title.push(Span::raw(" "));
    }
    title.push(Span::styled(
        format!(" {}", row.status.headline()),
        theme.accent,
    ));
    Line::from(title)
}

/// "person, male, born 1969-09-03 (57)", or "entity".
fn who(d: &SubjectDetail, today: NaiveDate) -> String {
    match (&d.sex, &d.birth_date) {
        (Some(sex), Some(birth)) => {
            let age = NaiveDate::parse_from_str(birth, "%Y-%m-%d")
                .map(|b| age_on(b, today))
                .unwrap_or(0);
            format!("person, {sex}, born {birth} ({age})")
        }
        _ => "entity".to_string(),
    }
}

fn join_or_dash(items: &[String]) -> String {
    if items.is_empty() {
        "—".into()
    } else {
        items.join(", ")
    }
}
