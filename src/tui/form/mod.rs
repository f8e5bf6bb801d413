//! The act forms: fields built from the subject on screen, edited by keys,
//! turned into a typed act on submit. Pure: no store, no terminal.

mod build;
mod submit;

use crate::domain::roles::Role;
pub use build::open;
pub use submit::to_request;

use super::keymap::{Chord, KeyCodeKey, is_text};

/// Which form, and for the menus which acts they lead to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    /// A choice of act, for the keys that lead to several.
    Menu(Vec<FormKind>),
    Payment,
    Reversal,
    List,
    Lift,
    Order,
    LiftItem,
    Expense,
    Objection,
    Decision,
    Reconsideration,
    Notice,
    CancelNotices {
        ids: Vec<i64>,
    },
    /// A request for approval, decided from the approvals queue.
    Approve,
    RejectApproval {
        id: i64,
    },
}

impl FormKind {
    pub fn title(&self) -> &'static str {
        match self {
            FormKind::Menu(_) => "Choose the act",
            FormKind::Payment => "Record a payment",
            FormKind::Reversal => "Reverse a wrong payment",
            FormKind::List => "List as dishonest",
            FormKind::Lift => "Lift a listing",
            FormKind::Order => "Impose a restriction order (no listing)",
            FormKind::LiftItem => "Lift a restriction item",
            FormKind::Expense => "Allow a necessary expense",
            FormKind::Objection => "File an objection",
            FormKind::Decision => "Record the court's decision on an objection",
            FormKind::Reconsideration => "File for reconsideration at the higher court",
            FormKind::Notice => "Queue a notice",
            FormKind::CancelNotices { .. } => "Cancel queued notices",
            FormKind::Approve => "Approve a request",
            FormKind::RejectApproval { .. } => "Reject a request",
        }
    }

    /// The least role that may do the act (for a menu: any of its acts).
    pub fn needs(&self) -> Role {
        match self {
            FormKind::Menu(kinds) => kinds
                .iter()
                .map(FormKind::needs)
                .min()
                .unwrap_or(Role::Clerk),
            FormKind::Payment | FormKind::Notice | FormKind::CancelNotices { .. } => Role::Clerk,
            FormKind::Approve | FormKind::RejectApproval { .. } => Role::Supervisor,
            _ => Role::Officer,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Free text; `hint` says what to type.
    Text { hint: &'static str },
    /// One of a list: (label shown, value submitted).
    Choice {
        options: Vec<(String, String)>,
        index: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub input: Input,
    pub text: String,
}

impl Field {
    pub fn text(label: &'static str, hint: &'static str, value: impl Into<String>) -> Field {
        Field {
            label,
            input: Input::Text { hint },
            text: value.into(),
        }
    }

    pub fn choice(label: &'static str, options: Vec<(String, String)>) -> Field {
        Field {
            label,
            input: Input::Choice { options, index: 0 },
            text: String::new(),
        }
    }

    /// The submitted value: the text, or the chosen option's value.
    pub fn value(&self) -> &str {
        match &self.input {
            Input::Text { .. } => self.text.trim(),
            Input::Choice { options, index } => options.get(*index).map_or("", |o| o.1.as_str()),
        }
    }

    /// What the field shows: the text, or the chosen option's label.
    pub fn shown(&self) -> &str {
        match &self.input {
            Input::Text { .. } => &self.text,
            Input::Choice { options, index } => options.get(*index).map_or("", |o| o.0.as_str()),
        }
    }

    fn step(&mut self, forward: bool) {
        if let Input::Choice { options, index } = &mut self.input {
            let n = options.len().max(1);
            *index = if forward {
                (*index + 1) % n
            } else {
                (*index + n - 1) % n
            };
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last submit was refused, naming the field.
    pub error: Option<String>,
    /// A plan request is out: keys wait for its answer.
    pub busy: bool,
    /// The subject the form acts on, and the revision it was built from.
    pub subject: Option<(i64, i64)>,
}

impl Form {
    pub fn new(kind: FormKind, title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            kind,
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            busy: false,
            subject: None,
        }
    }

    pub fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len().max(1);
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    pub fn step_choice(&mut self, forward: bool) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.step(forward);
        }
    }

    /// A key that is not a binding: text for a text field, space cycles a
    /// choice. Returns whether the key was used.
    pub fn edit(&mut self, chord: Chord) -> bool {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return false;
        };
        match (&field.input, chord.code) {
            (Input::Choice { .. }, KeyCodeKey::Named("space")) => field.step(true),
            (Input::Choice { .. }, KeyCodeKey::Char(' ')) => field.step(true),
            (Input::Choice { .. }, _) => return false,
            (Input::Text { .. }, KeyCodeKey::Char(c)) if is_text(chord) => field.text.push(c),
            (Input::Text { .. }, KeyCodeKey::Named("space")) => field.text.push(' '),
            (Input::Text { .. }, KeyCodeKey::Named("backspace")) => {
                field.text.pop();
            }
            (Input::Text { .. }, KeyCodeKey::Char('u')) if chord.ctrl => field.text.clear(),
            _ => return false,
        }
        self.error = None;
        true
    }

    pub fn field(&self, label: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.label == label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Chord {
        Chord::parse(text).unwrap()
    }

    #[test]
    fn text_fields_type_and_choices_cycle() {
        let mut form = Form::new(
            FormKind::Payment,
            "t",
            vec![
                Field::text("Amount", "yuan", ""),
                Field::choice(
                    "Method",
                    vec![
                        ("cash".into(), "cash".into()),
                        ("transfer".into(), "transfer".into()),
                    ],
                ),
            ],
        );
        for c in ["1", "2", "backspace", "3"] {
            form.edit(key(c));
        }
        assert_eq!(form.fields[0].value(), "13");
        form.move_focus(true);
        assert!(!form.edit(key("x")), "a choice takes no text");
        form.edit(key("space"));
        assert_eq!(form.fields[1].value(), "transfer");
        form.step_choice(true);
        assert_eq!(form.fields[1].value(), "cash", "choices wrap around");
        form.move_focus(true);
        assert_eq!(form.focus, 0, "focus wraps around");
    }
}
