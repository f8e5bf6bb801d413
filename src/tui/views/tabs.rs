//! The bodies of the detail's tabs: each record's lines, broken to the
//! body's width with the words of a long field (an applicant, a basis, a
//! lifting's reason, a notice) hanging under their own column rather than
//! running on at the left edge.

use super::fit::{hanging, hanging_by};
use super::theme::Theme;
use crate::domain::Fen;
use crate::store::{
    CaseView, HistoryView, ListingView, NoticeView, ObjectionView, PaymentView, RestrictionView,
    SubjectDetail,
};
use crate::tui::state::Tab;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// The lines of one tab, `width` columns wide.
pub fn tab_lines(d: &SubjectDetail, tab: Tab, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = match tab {
        Tab::Cases => d
            .cases
            .iter()
            .flat_map(|c| case_lines(c, width, theme))
            .collect(),
        Tab::Listings => d
            .listings
            .iter()
            .flat_map(|l| listing_lines(l, width, theme))
            .collect(),
        Tab::Restrictions => d
            .restrictions
            .iter()
            .flat_map(|r| restriction_lines(r, width, theme))
            .collect(),
        Tab::Objections => d
            .objections
            .iter()
            .flat_map(|o| objection_lines(o, width))
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

/// A case: its number, court and state; its applicant and basis on one
/// line where both fit, else each on its own; each obligation and its
/// payments.
fn case_lines(c: &CaseView, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(vec![
        Span::styled(c.case_number.clone(), theme.header),
        Span::raw(format!("  {}  filed {}  {}", c.court, c.filed_on, c.status)),
    ])];
    let basis = c.basis.as_deref().unwrap_or("—");
    let both = format!("  applicant: {}   basis: {basis}", c.applicant);
    if both.width() <= width {
        out.push(Line::from(both));
    } else {
        out.extend(plain(hanging(&c.applicant, "  applicant: ", width)));
        out.extend(plain(hanging(basis, "  basis: ", width)));
    }
    for o in &c.obligations {
        let money = match o.amount {
            Some(a) => format!("{a}  paid {}  remaining {}", o.paid, a - o.paid),
            None => "non-monetary".into(),
        };
        let text = format!("{}: {money}", o.description);
        out.extend(plain(hanging(&text, "  • ", width)));
        for p in &o.payments {
            out.extend(payment_lines(p, width, theme.dim));
        }
    }
    out.push(Line::raw(""));
    out
}

/// A payment or its reversal: date, kind and signed amount, then how it
/// was paid (or why reversed) and its receipt, hanging past the amount.
fn payment_lines(p: &PaymentView, width: usize, style: Style) -> Vec<Line<'static>> {
    let signed = if p.kind == "reversal" {
        Fen(-p.amount.0)
    } else {
        p.amount
    };
    let how = p.method.as_deref().or(p.reason.as_deref()).unwrap_or("");
    let receipt = p
        .receipt_no
        .as_ref()
        .map(|r| format!(" receipt {r}"))
        .unwrap_or_default();
    let first = format!(
        "      {} {:<8} {:>14} ",
        p.paid_on,
        p.kind,
        signed.to_string()
    );
    hanging(&format!("{how}{receipt}"), &first, width)
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect()
}

fn listing_lines(l: &ListingView, width: usize, theme: &Theme) -> Vec<Line<'static>> {
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
    let what = format!(
        "ground {}  {}  decided {}  {}",
        l.ground, l.decision_no, l.decided_on, period
    );
    let mut lines = badged(&l.status, 8, status_style, &what, width);
    lines.push(Line::from(format!("         case {}", l.case_number)));
    if let (Some(reason), Some(on)) = (&l.lifted_reason, &l.lifted_on) {
        let first = format!("         lifted {on}: ");
        let lifted = hanging_by(reason, &first, 9, width);
        lines.extend(lifted.into_iter().map(|l| Line::styled(l, theme.dim)));
    }
    lines
}

/// A restriction item: its state, code, since when and any lifting, then
/// what it bars and on what basis, dimmed.
fn restriction_lines(r: &RestrictionView, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let style = if r.status == "active" {
        theme.badge_restricted
    } else {
        theme.dim
    };
    let lifted = match (&r.lifted_on, &r.lifted_reason) {
        (Some(on), Some(reason)) => format!(", lifted {on} ({reason})"),
        _ => String::new(),
    };
    let text = format!("{:<18} since {}{lifted}", r.code, r.imposed_on);
    let mut lines = badged(&r.status, 7, style, &text, width);
    let what = format!("{} — basis: {}", r.name_en, r.basis);
    let indent = " ".repeat(8);
    lines.extend(
        hanging(&what, &indent, width)
            .into_iter()
            .map(|l| Line::styled(l, theme.dim)),
    );
    lines
}

/// An objection's state, kind, level and dates, broken under the kind.
fn objection_lines(o: &ObjectionView, width: usize) -> Vec<Line<'static>> {
    let decided = o
        .decided_on
        .as_ref()
        .map(|on| format!(", decided {on}"))
        .unwrap_or_default();
    let line = format!(
        "{:<9} {:<22} {} filed {} due {}{decided}",
        o.status, o.kind, o.level, o.filed_on, o.due_on
    );
    plain(hanging_by(&line, "", 10, width)).collect()
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
    plain(hanging_by(detail, &first, when.len(), width)).collect()
}

/// A record's state as a badge `badge` columns wide, a space, then
/// `text` broken to `width` and hanging past the badge.
fn badged(
    status: &str,
    badge: usize,
    style: Style,
    text: &str,
    width: usize,
) -> Vec<Line<'static>> {
    let mut broken = hanging(text, &" ".repeat(badge + 1), width).into_iter();
    let first = broken.next().unwrap_or_default();
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{status:<badge$}"), style),
        Span::raw(first.get(badge..).unwrap_or_default().to_string()),
    ])];
    lines.extend(broken.map(Line::from));
    lines
}

fn plain(lines: Vec<String>) -> impl Iterator<Item = Line<'static>> {
    lines.into_iter().map(Line::from)
}

#[cfg(test)]
mod tests {
    use super::{case_lines, payment_lines};
    use crate::domain::Fen;
    use crate::store::{CaseView, ObligationView, PaymentView};
    use crate::tui::views::theme::Theme;
    use ratatui::style::Style;

    fn text(lines: Vec<ratatui::text::Line<'static>>) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    fn reversal(reason: &str) -> PaymentView {
        PaymentView {
            id: 2,
            reversed: false,
            kind: "reversal".into(),
            amount: Fen(5_000),
            paid_on: "2026-11-20".into(),
            method: None,
            receipt_no: None,
            reason: Some(reason.into()),
        }
    }

    #[test]
    fn a_long_applicant_and_basis_each_hang_under_their_label() {
        let case = CaseView {
            id: 1,
            case_number: "（2024）豫0185执3001号".into(),
            court: "登封市人民法院".into(),
            applicant: "中国建设银行股份有限公司郑州分行".into(),
            basis: Some("（2021）豫0185民初8848号民事判决书".into()),
            filed_on: "2024-01-16".into(),
            status: "open".into(),
            obligations: vec![ObligationView {
                id: 1,
                description: "支付工程款及逾期付款违约金".into(),
                amount: Some(Fen(10_000)),
                paid: Fen(5_000),
                payments: vec![reversal("entered against the wrong obligation")],
            }],
        };
        let lines = text(case_lines(&case, 40, &Theme::new(true)));
        assert_eq!(
            lines[1..8],
            [
                "  applicant: 中国建设银行股份有限公司郑",
                "             州分行",
                "  basis: （2021）豫0185民初8848号民事判",
                "         决书",
                "  • 支付工程款及逾期付款违约金: 100.00",
                "    paid 50.00  remaining 50.00",
                "      2026-11-20 reversal         -50.00",
            ]
        );
        // Too narrow for the words past the payment's columns, they hang
        // further left, and no line but the case's own is wider.
        let lines = text(case_lines(&case, 44, &Theme::new(true)));
        assert_eq!(
            lines[6..],
            [
                "      2026-11-20 reversal         -50.00",
                "                            entered against",
                "                            the wrong",
                "                            obligation",
                "",
            ]
        );
        let width = |l: &String| unicode_width::UnicodeWidthStr::width(l.as_str());
        assert!(lines[1..].iter().all(|l| width(l) <= 44), "{lines:?}");
        // Wide enough, the two share a line.
        let lines = text(case_lines(&case, 100, &Theme::new(true)));
        assert!(lines[1].ends_with("分行   basis: （2021）豫0185民初8848号民事判决书"));
    }

    #[test]
    fn a_reversals_reason_hangs_past_its_amount() {
        let lines = text(payment_lines(
            &reversal("entered against the wrong obligation by mistake"),
            60,
            Style::default(),
        ));
        assert_eq!(
            lines,
            [
                "      2026-11-20 reversal         -50.00 entered against",
                "                                         the wrong",
                "                                         obligation by",
                "                                         mistake",
            ]
        );
    }
}
