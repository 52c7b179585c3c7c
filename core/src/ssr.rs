//! The boot data Logto injects into the page in place of `"__LOGTO_SSR__"` (docs/experience-api.md, Boot data).

use crate::config::{FromObject, SignInExperience};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The literal the provider replaces; still present when the page is served without SSR.
pub const PLACEHOLDER: &str = "\"__LOGTO_SSR__\"";

/// The boot data, with the sign-in experience decoded as `C` (all the page draws, or one part for a later chunk).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SsrData<C = SignInExperience> {
    pub sign_in_experience: SsrSignInExperience<C>,
    pub phrases: SsrPhrases,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "C: Deserialize<'de>"))]
pub struct SsrSignInExperience<C = SignInExperience> {
    #[serde(default)]
    pub app_id: Option<String>,
    #[serde(default)]
    pub organization_id: Option<String>,
    /// An object, as from `/api/.well-known/sign-in-exp` ([`FromObject`]).
    #[serde(deserialize_with = "from_object")]
    pub data: C,
}

fn from_object<'de, D: serde::Deserializer<'de>, C: Deserialize<'de>>(deserializer: D) -> Result<C, D::Error> {
    FromObject::deserialize(deserializer).map(|settings| settings.0)
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SsrPhrases {
    pub lng: String,
    /// `{"translation": {…}}`, as `/api/.well-known/phrases` answers.
    pub data: serde_json::Value,
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
    parse_as(text)
}

/// [`parse`], with the sign-in experience decoded as `C`.
pub fn parse_as<C: DeserializeOwned>(text: &str) -> Option<SsrData<C>> {
    let text = text.trim();
    if text.is_empty() || text == PLACEHOLDER {
        return None;
    }
    let json = text.strip_prefix("Object.freeze(").and_then(|rest| rest.strip_suffix(')')).unwrap_or(text);
    serde_json::from_str(json).ok()
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
