//! Filling a notice template's placeholders.

/// The values a template may name: {court} {subject} {case_number}
/// {outstanding} {deadline}.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placeholders {
    pub court: String,
    pub subject: String,
    pub case_number: String,
    pub outstanding: String,
    pub deadline: String,
}

/// The body with every known placeholder filled. An unknown `{word}` is left
/// as written, so a mistyped template shows itself in the preview.
pub fn render(body: &str, values: &Placeholders) -> String {
    body.replace("{court}", &values.court)
        .replace("{subject}", &values.subject)
        .replace("{case_number}", &values.case_number)
        .replace("{outstanding}", &values.outstanding)
        .replace("{deadline}", &values.deadline)
}

/// A mainland mobile number (11 digits from 1, an optional +86 before):
/// only these take an SMS; a landline still carries the call message.
pub fn takes_sms(number: &str) -> bool {
    let digits = number.strip_prefix("+86").unwrap_or(number);
    digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_mobile_numbers_take_sms() {
        assert!(takes_sms("13857110342"));
        assert!(takes_sms("+8613857110342"));
        assert!(!takes_sms("0371-62871135"));
        assert!(!takes_sms("1385711034"));
    }

    #[test]
    fn fills_the_dengfeng_call_message() {
        let values = Placeholders {
            court: "登封市人民法院".into(),
            ..Default::default()
        };
        assert_eq!(
            render(
                "您好，您拨打的机主已被{court}列为失信被执行人，请敦促其履行法定义务。",
                &values
            ),
            "您好，您拨打的机主已被登封市人民法院列为失信被执行人，请敦促其履行法定义务。"
        );
    }

    #[test]
    fn unknown_placeholders_stay_visible() {
        let values = Placeholders {
            subject: "张三".into(),
            outstanding: "1,200.00".into(),
            ..Default::default()
        };
        assert_eq!(
            render("{subject} owes {outstanding}; {unknown}", &values),
            "张三 owes 1,200.00; {unknown}"
        );
    }
}
