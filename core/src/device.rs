//! The user code of the OAuth device flow (RFC 8628) as people type it (docs/experience-api.md, "Device flow").

/// The characters of a user code: oidc-provider's default "base-20" alphabet (no vowels, so no words).
pub const USER_CODE_ALPHABET: &str = "BCDFGHJKLMNPQRSTVWXZ";
/// Letters in a user code; shown as two groups of four (`XXXX-XXXX`).
pub const USER_CODE_LENGTH: usize = 8;

/// The code as the provider compares it, from what a person typed or pasted: separators and spaces dropped,
/// letters upper-cased, then grouped `XXXX-XXXX` once all eight letters are there. Anything else is passed on
/// as typed (upper-cased, without separators), so that the provider says what is wrong with it.
pub fn normalize_user_code(input: &str) -> String {
    let letters: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '–' | '—' | '_' | '.'))
        .flat_map(char::to_uppercase)
        .collect();
    if letters.chars().count() == USER_CODE_LENGTH && letters.chars().all(|c| USER_CODE_ALPHABET.contains(c)) {
        let (head, tail) = letters.split_at(USER_CODE_LENGTH / 2);
        format!("{head}-{tail}")
    } else {
        letters
    }
}

/// The most of a landing URL's `?user_code=` the field takes: a user code is eight letters, perhaps grouped or spaced;
/// anything much longer is no code, and a hostile one (kilobytes) must not fill the field.
pub const USER_CODE_PREFILL_LIMIT: usize = 32;

/// The field's first value from the landing URL's `user_code`: as given, cut at [`USER_CODE_PREFILL_LIMIT`]
/// characters (the field shows text, never markup).
pub fn prefill(user_code: Option<&str>) -> String {
    user_code.unwrap_or_default().chars().take(USER_CODE_PREFILL_LIMIT).collect()
}

/// The cookie the provider's `/oidc/device` sets and the page sends back as the form's `xsrf`.
pub const XSRF_COOKIE: &str = "_logto_device_flow_xsrf";

/// The value of cookie `name` in `document.cookie` (`a=1; b=2`), if set and not empty.
pub fn cookie_value<'a>(cookies: &'a str, name: &str) -> Option<&'a str> {
    cookies
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

/// Why the provider sent the person back to `/device` (its `?error=`), as the phrase that says so.
pub fn error_phrase(error: &str) -> &'static str {
    match error {
        "expired" => "error.device_code_expired",
        "already_used" => "error.device_code_used",
        "aborted" => "error.device_flow_aborted",
        // `not_found`, and anything a newer provider may add.
        _ => "error.invalid_device_code",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_landing_code_is_cut_to_what_a_code_can_be() {
        assert_eq!(prefill(None), "");
        assert_eq!(prefill(Some("BCDF-GHJK")), "BCDF-GHJK");
        assert_eq!(prefill(Some(&"é".repeat(10_000))).chars().count(), USER_CODE_PREFILL_LIMIT);
    }

    #[test]
    fn the_xsrf_cookie_is_read_from_the_document_cookies() {
        let cookies = "_logto={\"appId\":\"tv\"}; _logto_device_flow_xsrf=abc123; other=x";
        assert_eq!(cookie_value(cookies, XSRF_COOKIE), Some("abc123"));
        assert_eq!(cookie_value("_logto_device_flow_xsrf=", XSRF_COOKIE), None);
        assert_eq!(cookie_value("x_logto_device_flow_xsrf=1", XSRF_COOKIE), None);
        assert_eq!(cookie_value("", XSRF_COOKIE), None);
    }

    #[test]
    fn each_refusal_has_its_own_message() {
        assert_eq!(error_phrase("not_found"), "error.invalid_device_code");
        assert_eq!(error_phrase("expired"), "error.device_code_expired");
        assert_eq!(error_phrase("already_used"), "error.device_code_used");
        assert_eq!(error_phrase("aborted"), "error.device_flow_aborted");
        assert_eq!(error_phrase("something_new"), "error.invalid_device_code");
    }

    #[test]
    fn typed_and_pasted_codes_normalize_to_the_grouped_form() {
        for typed in ["WDJB-MJHT", "wdjbmjht", "WdJb-mJhT", "  wdjb mjht \n", "WDJB – MJHT", "w d j b m j h t"] {
            assert_eq!(normalize_user_code(typed), "WDJB-MJHT", "{typed:?}");
        }
    }

    #[test]
    fn codes_that_cannot_be_one_are_passed_on_for_the_provider_to_refuse() {
        assert_eq!(normalize_user_code("abc"), "ABC");
        assert_eq!(normalize_user_code("AAAA-BBBB"), "AAAABBBB");
        assert_eq!(normalize_user_code("WDJB-MJHTX"), "WDJBMJHTX");
        assert_eq!(normalize_user_code(""), "");
    }
}
