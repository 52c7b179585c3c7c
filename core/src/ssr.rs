//! The boot data Logto injects into the page in place of `"__LOGTO_SSR__"` (docs/experience-api.md, Boot data).

use crate::config::{SettingsPart, SignInExperience};
use serde_json::Value;

/// The literal the provider replaces; still present when the page is served without SSR.
pub const PLACEHOLDER: &str = "\"__LOGTO_SSR__\"";

/// The boot data, with the sign-in experience read as `C` (all the page draws, or one part for a later chunk).
#[derive(Debug, Clone, PartialEq)]
pub struct SsrData<C = SignInExperience> {
    pub sign_in_experience: SsrSignInExperience<C>,
    pub phrases: SsrPhrases,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SsrSignInExperience<C = SignInExperience> {
    pub app_id: Option<String>,
    pub organization_id: Option<String>,
    /// An object, as from `/api/.well-known/sign-in-exp` ([`SettingsPart`]).
    pub data: C,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SsrPhrases {
    pub lng: String,
    /// `{"translation": {…}}`, as `/api/.well-known/phrases` answers.
    pub data: Value,
}

/// Tenant CSS as a server writes it inside `<style>`: any `</style` (any case) becomes `<\/style`, the same text to
/// CSS but no end of the element. The page compares with this form to tell whether the server already added it.
pub fn defuse_style_end(css: &str) -> String {
    let lower = css.to_ascii_lowercase();
    let mut out = String::with_capacity(css.len());
    let mut last = 0;
    for (i, _) in lower.match_indices("</style") {
        out.push_str(&css[last..i]);
        out.push_str("<\\/");
        last = i + 2;
    }
    out.push_str(&css[last..]);
    out
}

/// Parses the text of the page's SSR block. Logto core writes `Object.freeze(<json>)`; a provider that
/// writes bare JSON works too. `None` when nothing was injected or the data does not decode.
pub fn parse(text: &str) -> Option<SsrData> {
    parse_as(text, |json| serde_json::from_str(json).ok())
}

/// [`parse`], with the sign-in experience read as `C` and the JSON parsed by `parse_json` (the page passes the
/// browser's parser: its first screen carries none of its own). The settings are read by hand from a `Value`, as
/// in `config::read`: serde's derived decoders for these few fields weighed more than the settings reader.
pub fn parse_as<C: SettingsPart>(text: &str, parse_json: impl FnOnce(&str) -> Option<Value>) -> Option<SsrData<C>> {
    let text = text.trim();
    if text.is_empty() || text == PLACEHOLDER {
        return None;
    }
    let json = text.strip_prefix("Object.freeze(").and_then(|rest| rest.strip_suffix(')')).unwrap_or(text);
    let mut block = parse_json(json)?;
    let settings = block.get("signInExperience")?.as_object()?;
    let sign_in_experience = SsrSignInExperience {
        app_id: optional_string(settings.get("appId"))?,
        organization_id: optional_string(settings.get("organizationId"))?,
        data: C::read(settings.get("data")?).ok()?,
    };
    let phrases = block.get_mut("phrases")?.as_object_mut()?;
    let lng = phrases.get("lng")?.as_str()?.to_owned();
    let data = phrases.remove("data")?;
    Some(SsrData { sign_in_experience, phrases: SsrPhrases { lng, data } })
}

/// A string field that may be missing or `null` (`Some(None)`); `None` when it is something else.
fn optional_string(value: Option<&Value>) -> Option<Option<String>> {
    match value {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(text)) => Some(Some(text.clone())),
        Some(_) => None,
    }
}

impl<C> SsrData<C> {
    /// Logto uses the SSR settings only when they were rendered for the same app and organization
    /// as this visit, and no `ui_locales` asks for another language (SSR ignores `ui_locales`).
    pub fn settings_match(&self, app_id: Option<&str>, organization_id: Option<&str>) -> bool {
        let sie = &self.sign_in_experience;
        sie.app_id.as_deref() == app_id && sie.organization_id.as_deref() == organization_id
    }

    /// SSR phrases serve when no language was asked for, or the first asked tag is the SSR language.
    pub fn phrases_match(&self, ui_locales: Option<&str>) -> bool {
        match ui_locales.and_then(|l| l.split_whitespace().next()) {
            None => true,
            Some(first) => first.eq_ignore_ascii_case(&self.phrases.lng),
        }
    }
}

#[cfg(test)]
mod defuse_tests {
    #[test]
    fn style_end_is_defused_in_any_case() {
        assert_eq!(super::defuse_style_end("a</STYLE><b>"), "a<\\/STYLE><b>");
    }
}
