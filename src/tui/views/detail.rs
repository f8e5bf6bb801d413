//! One subject: a header with status, and a tab for each kind of record.

use super::fit::{fit_line, hanging, hanging_by};
use super::list::badges;
use super::theme::Theme;
use crate::domain::ident::age_on;
use crate::domain::{Fen, mask_id};
use crate::store::{HistoryView, NoticeView, SubjectDetail};
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
    let lines = tab_lines(data, detail.tab, usize::from(body.width), theme);
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

fn tab_lines<'a>(d: &'a SubjectDetail, tab: Tab, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = match tab {
        Tab::Cases => cases(d, theme),
        Tab::Listings => listings(d, theme),
        Tab::Restrictions => d
            .restrictions
            .iter()
            .flat_map(|r| restriction_lines(r, theme))
            .collect(),
        Tab::Objections => d
            .objections
            .iter()
            .map(|o| {
                let decided = o
                    .decided_on
                    .as_ref()
                    .map(|on| format!(", decided {on}"))
                    .unwrap_or_default();
                Line::from(format!(
                    "{:<9} {:<22} {} filed {} due {}{decided}",
                    o.status, o.kind, o.level, o.filed_on, o.due_on
                ))
            })
            .collect(),
        Tab::Notices => d
            .notices
            .iter()
            .flat_map(|n| notice_lines(n, width, theme))
            .collect(),
        Tab::History => d
            .history
            .iter()
            .flat_map(|h| history_lines(h, width))
            .collect(),
    };
    if out.is_empty() {
        out.push(Line::styled(
            format!("No {} recorded.", tab.title().to_lowercase()),
            theme.dim,
        ));
    }
    out
}

/// A notice's state, channel, purpose and recipient, then its text broken
/// under them.
fn notice_lines(n: &NoticeView, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{:<9}", n.state), theme.accent),
        Span::raw(format!(
            " {:<11} {:<12} to {}  ({})",
            n.channel,
            n.purpose,
            n.recipient,
            &n.state_at[..10.min(n.state_at.len())]
        )),
    ])];
    let body = hanging(&n.body, &" ".repeat(10), width);
    lines.extend(body.into_iter().map(|l| Line::styled(l, theme.dim)));
    lines
}

/// An entry of the record: when, what, who, then its words, broken under
/// the act's column.
fn history_lines(h: &HistoryView, width: usize) -> Vec<Line<'static>> {
    let who = h.officer.as_deref().unwrap_or("system");
    // The words hang under the act, past the time.
    let when = format!("{}  ", &h.at[..16.min(h.at.len())]);
    let first = format!("{when}{:<16} {:<14} ", h.act, who);
    let detail = h.detail.as_deref().unwrap_or_default();
    hanging_by(detail, &first, when.len(), width)
        .into_iter()
        .map(Line::from)
        .collect()
}

fn cases<'a>(d: &'a SubjectDetail, theme: &Theme) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    for c in &d.cases {
        out.push(Line::from(vec![
            Span::styled(c.case_number.clone(), theme.header),
            Span::raw(format!("  {}  filed {}  {}", c.court, c.filed_on, c.status)),
        ]));
        out.push(Line::from(format!(
            "  applicant: {}   basis: {}",
            c.applicant,
            c.basis.clone().unwrap_or_else(|| "—".into())
        )));
        for o in &c.obligations {
            let money = match o.amount {
                Some(a) => format!("{a}  paid {}  remaining {}", o.paid, a - o.paid),
                None => "non-monetary".into(),
            };
            out.push(Line::from(format!("  • {}: {money}", o.description)));
            for p in &o.payments {
                let signed = if p.kind == "reversal" {
                    Fen(-p.amount.0)
                } else {
                    p.amount
                };
                let how = p
                    .method
                    .clone()
                    .or_else(|| p.reason.clone())
                    .unwrap_or_default();
                let receipt = p
                    .receipt_no
                    .as_ref()
                    .map(|r| format!(" receipt {r}"))
                    .unwrap_or_default();
                out.push(Line::styled(
                    format!(
                        "      {} {:<8} {:>14} {how}{receipt}",
                        p.paid_on,
                        p.kind,
                        signed.to_string()
                    ),
                    theme.dim,
                ));
            }
        }
        out.push(Line::raw(""));
    }
    out
}

fn listings<'a>(d: &'a SubjectDetail, theme: &Theme) -> Vec<Line<'a>> {
    d.listings
        .iter()
        .flat_map(|l| {
            let period = match l.period_years {
                Some(y) => format!(
                    "{y} years, until {}",
                    l.expires_on.clone().unwrap_or_default()
                ),
                None => "no fixed period (ground 1)".into(),
            };
            let status_style = if l.status == "active" {
                theme.badge_listed
            } else {
                theme.dim
            };
            let mut lines = vec![
                Line::from(vec![
                    Span::styled(format!("{:<8}", l.status), status_style),
                    Span::raw(format!(
                        " ground {}  {}  decided {}  {}",
                        l.ground, l.decision_no, l.decided_on, period
                    )),
                ]),
                Line::from(format!("         case {}", l.case_number)),
            ];
            if let (Some(reason), Some(on)) = (&l.lifted_reason, &l.lifted_on) {
                lines.push(Line::styled(
                    format!("         lifted {on}: {reason}"),
                    theme.dim,
                ));
            }
            lines
        })
        .collect()
}

fn restriction_lines<'a>(r: &'a crate::store::RestrictionView, theme: &Theme) -> [Line<'a>; 2] {
    let style = if r.status == "active" {
        theme.badge_restricted
    } else {
        theme.dim
    };
    let lifted = match (&r.lifted_on, &r.lifted_reason) {
        (Some(on), Some(reason)) => format!(", lifted {on} ({reason})"),
        _ => String::new(),
    };
    [
        Line::from(vec![
            Span::styled(format!("{:<7}", r.status), style),
            Span::raw(format!(" {:<18} since {}{lifted}", r.code, r.imposed_on)),
        ]),
        Line::styled(
            format!("        {} — basis: {}", r.name_en, r.basis),
            theme.dim,
        ),
    ]
}
