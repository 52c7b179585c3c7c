//! Where `/oidc/auth` sends the browser: Logto's `buildLoginPromptUrl` plus the `_logto` cookie.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::collections::HashMap;

/// The extra `/oidc/auth` parameters Logto recognises (`ExtraParamsKey`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExtraParams {
    pub interaction_mode: Option<String>,
    pub first_screen: Option<String>,
    pub direct_sign_in: Option<String>,
    pub organization_id: Option<String>,
    pub login_hint: Option<String>,
    pub ui_locales: Option<String>,
    pub identifier: Option<String>,
    pub one_time_token: Option<String>,
    pub google_one_tap_credential: Option<String>,
}

const FIRST_SCREENS: &[&str] =
    &["signIn", "sign_in", "register", "reset_password", "identifier:sign_in", "identifier:register", "single_sign_on"];

impl ExtraParams {
    /// All or nothing, like Logto's guard: one bad value and every extra parameter is ignored.
    pub fn parse(query: &HashMap<String, String>) -> Self {
        let get = |k: &str| query.get(k).cloned();
        let parsed = Self {
            interaction_mode: get("interaction_mode"),
            first_screen: get("first_screen"),
            direct_sign_in: get("direct_sign_in"),
            organization_id: get("organization_id"),
            login_hint: get("login_hint"),
            ui_locales: get("ui_locales"),
            identifier: get("identifier"),
            one_time_token: get("one_time_token"),
            google_one_tap_credential: get("google_one_tap_credential"),
        };
        let mode_ok = parsed.interaction_mode.as_deref().is_none_or(|m| m == "signIn" || m == "signUp");
        let screen_ok = parsed.first_screen.as_deref().is_none_or(|s| FIRST_SCREENS.contains(&s));
        if mode_ok && screen_ok {
            parsed
        } else {
            Self::default()
        }
    }

    /// The route of the first screen (`sign-in`, `register`, …).
    pub fn first_screen_route(&self) -> &'static str {
        let screen = self.first_screen.as_deref().or(self.interaction_mode.as_deref()).unwrap_or("sign_in");
        match screen {
            "register" | "signUp" => "register",
            "reset_password" => "reset-password",
            "identifier:sign_in" => "identifier-sign-in",
            "identifier:register" => "identifier-register",
            "single_sign_on" => "single-sign-on",
            _ => "sign-in",
        }
    }
}

/// `encodeURIComponent`'s unreserved set.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// The landing path and query, e.g. `/sign-in?app_id=demo-app&ui_locales=ar`.
pub fn landing_url(client_id: &str, extra: &ExtraParams) -> String {
    let route = extra.first_screen_route();
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("app_id", client_id);
    let optional = [
        ("organization_id", &extra.organization_id),
        ("ui_locales", &extra.ui_locales),
        ("one_time_token", &extra.one_time_token),
        ("login_hint", &extra.login_hint),
        ("identifier", &extra.identifier),
    ];
    for (k, v) in optional {
        if let Some(v) = v {
            query.append_pair(k, v);
        }
    }
    let direct = match (&extra.direct_sign_in, &extra.google_one_tap_credential) {
        (Some(d), _) => {
            Some(d.split(':').filter(|p| !p.is_empty()).take(2).map(encode_component).collect::<Vec<_>>().join("/"))
        }
        (None, Some(_)) => Some("social/google".to_owned()),
        (None, None) => None,
    };
    match direct {
        Some(target) => {
            query.append_pair("fallback", route);
            format!("/direct/{target}?{}", query.finish())
        }
        None => format!("/{route}?{}", query.finish()),
    }
}

/// `route?login_hint=…&one_time_token=…`, built like Logto's consent guard (`URLSearchParams`, hint first, no
/// `app_id`: the page has it from the `_logto` cookie).
fn magic_link_url(route: &str, token: &str, login_hint: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("login_hint", login_hint).append_pair("one_time_token", token);
    format!("{route}?{}", query.finish())
}

/// Logto's consent guard for a magic link opened in a browser that is already signed in (see "Switch account" in
/// `docs/experience-api.md`):
/// the signed-in account's email is not the link's `login_hint` (and no `prompt=login`) → `/switch-account`;
/// otherwise a link `check` finds unusable → `/one-time-token?errorMessage=…`, a usable one → `/one-time-token`.
/// `None` (`prompt=login`): the usual landing. Unlike Logto, a consumed link of the signed-in account itself is
/// not a silent sign-in here (this double never signs in silently), so it gets the error page too.
pub fn signed_in_magic_link(
    session_email: Option<&str>,
    token: &str,
    login_hint: &str,
    prompt: Option<&str>,
    check: impl FnOnce() -> Option<String>,
) -> Option<String> {
    if prompt.is_some_and(|p| p.split_whitespace().any(|p| p == "login")) {
        return None;
    }
    if !session_email.is_some_and(|email| email.eq_ignore_ascii_case(login_hint)) {
        return Some(magic_link_url("/switch-account", token, login_hint));
    }
    Some(match check() {
        Some(message) => {
            let mut query = form_urlencoded::Serializer::new(String::new());
            query.append_pair("errorMessage", &message);
            format!("/one-time-token?{}", query.finish())
        }
        None => magic_link_url("/one-time-token", token, login_hint),
    })
}

/// The `_logto` cookie value: URL-encoded `{"appId","organizationId"?,"uiLocales"?}`, read back by SSR.
pub fn logto_cookie_value(client_id: &str, extra: &ExtraParams) -> String {
    let mut obj = serde_json::Map::new();
    obj.insert("appId".into(), client_id.into());
    if let Some(org) = &extra.organization_id {
        obj.insert("organizationId".into(), org.as_str().into());
    }
    if let Some(ui) = &extra.ui_locales {
        obj.insert("uiLocales".into(), ui.as_str().into());
    }
    encode_component(&serde_json::Value::Object(obj).to_string())
}

/// `(appId, organizationId)` from a `_logto` cookie value.
pub fn read_logto_cookie(value: &str) -> (Option<String>, Option<String>) {
    let decoded = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
    let v: serde_json::Value = serde_json::from_str(&decoded).unwrap_or_default();
    let s = |k: &str| v[k].as_str().map(str::to_owned);
    (s("appId"), s("organizationId"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_in_magic_links_land_like_logtos_consent_guard() {
        let usable = || None;
        let used = || Some("That sign-in link has already been used.".to_owned());
        // Someone else is signed in: switch account, whatever the token's state (it is checked later).
        assert_eq!(
            signed_in_magic_link(Some("erin@example.com"), "t0k+n", "pat@example.com", None, used).as_deref(),
            Some("/switch-account?login_hint=pat%40example.com&one_time_token=t0k%2Bn")
        );
        // An account without email never matches.
        assert_eq!(
            signed_in_magic_link(None, "t", "pat@example.com", Some("consent"), usable).as_deref(),
            Some("/switch-account?login_hint=pat%40example.com&one_time_token=t")
        );
        // prompt=login: the usual landing.
        assert_eq!(signed_in_magic_link(Some("erin@example.com"), "t", "pat@example.com", Some("login"), used), None);
        assert_eq!(
            signed_in_magic_link(Some("erin@example.com"), "t", "pat@example.com", Some("consent login"), used),
            None
        );
        // The signed-in account's own link: straight to the consumer, or its error.
        assert_eq!(
            signed_in_magic_link(Some("Pat@Example.com"), "t", "pat@example.com", None, usable).as_deref(),
            Some("/one-time-token?login_hint=pat%40example.com&one_time_token=t")
        );
        assert_eq!(
            signed_in_magic_link(Some("pat@example.com"), "t", "pat@example.com", None, used).as_deref(),
            Some("/one-time-token?errorMessage=That+sign-in+link+has+already+been+used.")
        );
    }
}
