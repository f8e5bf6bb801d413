//! The subject list: search bar, filters, and the rows with highlights.

use super::fit::{fit_line, fit_str};
use super::theme::Theme;
use crate::domain::roles::Power;
use crate::domain::status::SubjectStatus;
use crate::domain::{Fen, mask_id};
use crate::search::Matched;
use crate::store::Filter;
use crate::tui::state::{ListRow, State};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let [search, filters, table] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    draw_search_bar(frame, search, state, theme);
    draw_filters(frame, filters, state, theme);
    draw_table(frame, table, state, theme);
}

fn draw_search_bar(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let list = &state.list;
    let count = count_text(state);
    let [left, right] = Layout::horizontal([
        Constraint::Min(10),
        Constraint::Length(count.len() as u16 + 1),
    ])
    .areas(area);
    let mut spans = vec![Span::styled(" Search: ", theme.accent)];
    if list.query.is_empty() && !list.typing {
        let hint = "press / and type a name, pinyin, ID, case or phone number";
        let fits = usize::from(left.width) > " Search: ".len() + hint.len();
        let hint = if fits { hint } else { "press / to search" };
        spans.push(Span::styled(hint, theme.dim));
    } else {
        spans.push(Span::raw(list.query.clone()));
        if list.typing {
            spans.push(Span::styled("▏", theme.accent));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    frame.render_widget(
        Paragraph::new(Span::styled(count, theme.dim)).alignment(Alignment::Right),
        right,
    );
}

fn count_text(state: &State) -> String {
    let list = &state.list;
    if list.loading {
        return "searching…".into();
    }
    if list.searching() {
        let n = list.rows.len();
        return match (n, list.search_more) {
            (_, true) => format!("{n}+ results"),
            (1, false) => "1 result".into(),
            _ => format!("{n} results"),
        };
    }
    match list.count {
        Some(n) => crate::words::count(n.unsigned_abs(), "subject"),
        None => format!("{}+ subjects", list.rows.len()),
    }
}

fn draw_filters(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut spans = vec![Span::styled(" Filter: ", theme.accent)];
    for f in Filter::ALL {
        let style = if f == state.list.filter {
            theme.selected
        } else {
            theme.dim
        };
        spans.push(Span::styled(format!(" {} ", f.label()), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_table(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let list = &state.list;
    if list.rows.is_empty() && !list.loading {
        let text = if list.searching() {
            format!(
                "No subject matches \"{}\" with the filter \"{}\".",
                list.query.trim(),
                list.filter.label()
            )
        } else {
            format!("No subjects with the filter \"{}\".", list.filter.label())
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.dim)
                .block(Block::default().borders(Borders::TOP)),
            area,
        );
        return;
    }
    let columns = Columns::at(area.width);
    let mut widths = vec![
        Constraint::Length(columns.name),
        Constraint::Length(columns.kind),
    ];
    widths.push(Constraint::Length(ID_WIDTH));
    widths.extend(columns.court.map(Constraint::Length));
    widths.extend([
        Constraint::Length(MONEY_WIDTH),
        Constraint::Length(columns.status),
    ]);
    let mut titles = vec!["Name", if columns.wide { "Kind" } else { "" }, "ID number"];
    titles.extend(columns.court.map(|_| "Court"));
    titles.extend(["Outstanding", "Status"]);
    let header = Row::new(titles.into_iter().map(Cell::from)).style(theme.header);
    let rows: Vec<Row> = list
        .rows
        .iter()
        .map(|r| table_row(r, &columns, theme))
        .collect();
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected);
    let mut table_state = TableState::default().with_selected(Some(list.selected));
    frame.render_stateful_widget(table, area, &mut table_state);
}

const ID_WIDTH: u16 = 18;
const MONEY_WIDTH: u16 = 14;
/// Every badge at once: "LISTED RESTR OBJ DUE PAID".
const ALL_BADGES_WIDTH: u16 = 25;
/// At least this wide, the list also shows the court and spells out the kind.
const WIDE: u16 = 110;

/// The columns' widths at a terminal width. A narrow terminal leaves out the
/// court (the detail shows it) so that the status and more of the name fit;
/// between 97 and 109 columns it shows a narrower court.
struct Columns {
    wide: bool,
    name: u16,
    kind: u16,
    court: Option<u16>,
    status: u16,
}

impl Columns {
    fn at(width: u16) -> Columns {
        if width >= WIDE {
            let fixed = 26 + 6 + ID_WIDTH + MONEY_WIDTH + ALL_BADGES_WIDTH + 5;
            return Columns {
                wide: true,
                name: 26,
                kind: 6,
                court: Some(width.saturating_sub(fixed)),
                status: ALL_BADGES_WIDTH,
            };
        }
        let fixed = 2 + ID_WIDTH + MONEY_WIDTH + 4;
        let status = ALL_BADGES_WIDTH.min(width.saturating_sub(fixed + 10));
        let rest = width.saturating_sub(fixed + status);
        // The court comes back once the name has its 17 columns and the
        // court 16 (eight Han characters) beside it.
        let court = rest.checked_sub(NARROW_NAME + 1).filter(|c| *c >= 16);
        Columns {
            wide: false,
            name: if court.is_some() { NARROW_NAME } else { rest },
            kind: 2,
            court,
            status,
        }
    }
}

/// The name's columns on a narrow terminal that also shows the court.
const NARROW_NAME: u16 = 17;

fn table_row(r: &ListRow, columns: &Columns, theme: &Theme) -> Row<'static> {
    let row = &r.row;
    let (name_pos, id_pos, other) = match &r.matched {
        Some(Matched::Name(p)) => (p.as_slice(), &[][..], None),
        Some(Matched::IdNumber(p)) => (&[][..], p.as_slice(), None),
        Some(Matched::Other { text, positions }) => (&[][..], &[][..], Some((text, positions))),
        None => (&[][..], &[][..], None),
    };
    let mut name = highlighted(&row.name, name_pos, theme.matched);
    if let Some((text, positions)) = other {
        name.spans.push(Span::raw(" "));
        name.spans
            .extend(highlighted(text, positions, theme.matched).spans);
    }
    let kind = match (row.kind.as_str(), columns.wide) {
        ("person", true) => "person",
        ("person", false) => "人",
        (_, true) => "entity",
        _ => "企",
    };
    let outstanding = if row.outstanding == Fen::ZERO {
        "—".to_string()
    } else {
        row.outstanding.to_string()
    };
    let mut cells = vec![
        Cell::from(fit_line(name, columns.name)),
        Cell::from(kind),
        Cell::from(highlighted(&mask_id(&row.id_number), id_pos, theme.matched)),
    ];
    if let Some(width) = columns.court {
        let court = row.court.as_deref().unwrap_or_default();
        cells.push(Cell::from(fit_str(court, width)));
    }
    cells.push(Cell::from(
        Text::from(outstanding).alignment(Alignment::Right),
    ));
    cells.push(Cell::from(fit_line(
        badges(&row.status, theme),
        columns.status,
    )));
    Row::new(cells)
}

/// The text with the characters at `positions` in the match style.
pub fn highlighted<'a>(text: &str, positions: &[usize], style: Style) -> Line<'a> {
    let mut spans: Vec<Span> = Vec::new();
    let mut run = String::new();
    let mut run_matched = false;
    for (i, c) in text.chars().enumerate() {
        let m = positions.contains(&i);
        if m != run_matched && !run.is_empty() {
            spans.push(if run_matched {
                Span::styled(std::mem::take(&mut run), style)
            } else {
                Span::raw(std::mem::take(&mut run))
            });
        }
        run_matched = m;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(if run_matched {
            Span::styled(run, style)
        } else {
            Span::raw(run)
        });
    }
    Line::from(spans)
}

/// The status as badges, one space between them.
pub fn badges<'a>(status: &SubjectStatus, theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    let mut add = |on: bool, text: &'static str, style: Style| {
        if on {
            if !spans.is_empty() {
                spans.push(Span::raw(" "));
            }
            spans.push(Span::styled(text, style));
        }
    };
    add(status.listed, "LISTED", theme.badge_listed);
    add(status.restricted, "RESTR", theme.badge_restricted);
    add(status.objection_pending, "OBJ", theme.badge_other);
    add(status.deadline_running, "DUE", theme.badge_other);
    add(status.performed, "PAID", theme.good);
    Line::from(spans)
}

pub fn draw_welcome(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    // The command as the officer signed in would type it, if they may.
    let importer = state
        .officer
        .as_ref()
        .filter(|o| o.role.covers(Power::Import.needs()))
        .map_or("LOGIN", |o| o.login.as_str());
    let text = vec![
        Line::styled("This store is empty.", theme.header),
        Line::raw(""),
        Line::raw(format!("It was created at {}.", state.store_label)),
        Line::raw(""),
        Line::raw("Load the court's caseload from its case system (CSV or JSON Lines, the"),
        Line::raw("format is in the README), as an officer, from the shell:"),
        Line::styled(
            format!(
                "    zhixing --db {} --officer {importer} import FILE...",
                state.store_label
            ),
            theme.accent,
        ),
        Line::raw("Officers are added by an admin: zhixing officer add --help"),
        Line::raw(""),
        Line::raw("To try zhixing on realistic data first, open the demo store:"),
        Line::styled("    zhixing demo", theme.accent),
        Line::raw(""),
        Line::raw("Press ? for the keys, q to quit."),
    ];
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" Welcome to zhixing ");
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::Columns;

    fn used(c: &Columns) -> u16 {
        let columns = if c.court.is_some() { 6 } else { 5 };
        c.name
            + c.kind
            + super::ID_WIDTH
            + c.court.unwrap_or(0)
            + super::MONEY_WIDTH
            + c.status
            + (columns - 1)
    }

    #[test]
    fn every_badge_fits_and_the_court_shows_where_it_has_room() {
        let at = |w| Columns::at(w);
        assert_eq!((at(80).name, at(80).court, at(80).status), (17, None, 25));
        assert_eq!((at(96).name, at(96).court), (33, None));
        assert_eq!((at(97).name, at(97).court), (17, Some(16)));
        assert_eq!((at(109).name, at(109).court), (17, Some(28)));
        assert_eq!(
            (at(120).name, at(120).court, at(120).wide),
            (26, Some(26), true)
        );
        for width in 60..=240 {
            let c = at(width);
            assert_eq!(used(&c), width, "every column at {width}");
        }
    }
}
