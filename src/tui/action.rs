//! Typed actions: what keymaps name and `update` handles. Names are stable
//! (keymap files and officers' habits depend on them).

macro_rules! actions {
    ($($variant:ident => $name:literal, $desc:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            pub fn name(self) -> &'static str {
                match self {
                    $(Action::$variant => $name,)*
                }
            }

            pub fn description(self) -> &'static str {
                match self {
                    $(Action::$variant => $desc,)*
                }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                match name {
                    $($name => Some(Action::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

actions! {
    Help => "help", "show or hide this help";
    Quit => "quit", "quit zhixing";
    Back => "back", "go back (quit from the list)";
    Cancel => "cancel", "cancel or go back";
    Search => "search", "search: type a name, pinyin, ID, case or phone";
    AcceptSearch => "accept-search", "keep the results and move into the list";
    ClearSearch => "clear-search", "clear the search";
    Down => "down", "next row";
    Up => "up", "previous row";
    Top => "top", "first row";
    Bottom => "bottom", "last row";
    PageDown => "page-down", "a page down";
    PageUp => "page-up", "a page up";
    Open => "open", "open the subject";
    NextFilter => "next-filter", "next filter: the list's status, the deadlines' kind, the notices' state";
    Deadlines => "deadlines", "deadlines queue";
    Notices => "notices", "notices queue";
    Approvals => "approvals", "approvals queue: requests waiting for a supervisor";
    SyncState => "sync-state", "sync with other offices: last export and apply, what waits to go";
    NextTab => "next-tab", "next tab";
    PrevTab => "prev-tab", "previous tab";
    RecordPayment => "record-payment", "record a payment";
    ListDishonest => "list-dishonest", "list as dishonest";
    LiftListing => "lift-listing", "lift a listing";
    Restrictions => "restrictions", "impose or lift restrictions";
    Objections => "objections", "file or decide an objection";
    QueueNotice => "queue-notice", "queue a notice";
    NextChannel => "next-channel", "notices: next channel";
    CancelNotice => "cancel-notice", "notices: cancel the selected queued notice";
    CancelShown => "cancel-shown", "notices: cancel every queued notice shown";
    Approve => "approve", "approvals: approve the selected request (supervisors)";
    Reject => "reject", "approvals: reject the selected request, with a reason";
    RevealId => "reveal-id", "show the full ID number (supervisors; the reveal is recorded)";
    NextField => "next-field", "next field";
    PrevField => "prev-field", "previous field";
    NextChoice => "next-choice", "next choice in the field";
    PrevChoice => "prev-choice", "previous choice in the field";
    Submit => "submit", "check the form and show what it will change";
    Confirm => "confirm", "confirm: write the act";
    ToggleOption => "toggle-option", "switch the option the confirm view offers";
    Noop => "noop", "unbind the key";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_round_trip() {
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.name()).collect();
        for n in &names {
            assert!(n.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{n}");
        }
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(*a));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
