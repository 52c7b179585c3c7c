//! Social and enterprise-SSO sign-in around the identity provider's round trip (docs/experience-api.md,
//! Social sign-in, Enterprise SSO):
//! the storage Logto's page writes before leaving (the loader's direct sign-in writes the same), and
//! what the callback does with what comes back.

use crate::config::{ConnectorPlatform, SignInExperience, SocialConnector};
use serde::{Deserialize, Serialize};

/// Which kind of connector a round trip went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoundTrip {
    Social,
    Sso,
}

impl RoundTrip {
    /// The key in the verification-id map.
    pub fn verification_type(self) -> &'static str {
        match self {
            Self::Social => "Social",
            Self::Sso => "EnterpriseSso",
        }
    }

    /// The Experience API path segment (`verification/<segment>/<id>/…`).
    pub fn api_segment(self) -> &'static str {
        match self {
            Self::Social => "social",
            Self::Sso => "sso",
        }
    }
}

/// What the page keeps in localStorage for a round trip (docs/experience-api.md, Social sign-in), TTL ten minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FallbackBundle {
    pub state: String,
    pub flow: RoundTrip,
    pub connector_id: String,
    pub verification_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui_locales: Option<String>,
    pub created_at: f64,
    pub expires_at: f64,
}

impl FallbackBundle {
    /// A bundle serves only the round trip it was written for, and only until it expires.
    pub fn serves(&self, flow: RoundTrip, connector_id: &str, state: &str, now_ms: f64) -> bool {
        self.flow == flow && self.connector_id == connector_id && self.state == state && now_ms <= self.expires_at
    }
}

/// Where an email's SSO connectors lead (docs/experience-api.md, Enterprise SSO): none → say SSO isn't set up for
/// it; one → straight to that IdP; several → let the person choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SsoChoice {
    None,
    One(String),
    Several(Vec<String>),
}

impl SsoChoice {
    pub fn from_ids(mut ids: Vec<String>) -> Self {
        match ids.len() {
            0 => Self::None,
            1 => Self::One(ids.remove(0)),
            _ => Self::Several(ids),
        }
    }
}

/// How the `state` the IdP returned compares with the one this browser sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateCheck {
    Match,
    /// Another value: possibly forged. Never proceed.
    Mismatch,
    /// Nothing stored here (sessionStorage lost): try the fallback bundle.
    Missing,
}

pub fn check_state(stored: Option<&str>, returned: Option<&str>) -> StateCheck {
    match (stored, returned) {
        (Some(stored), Some(returned)) if stored == returned => StateCheck::Match,
        (None, Some(_)) => StateCheck::Missing,
        _ => StateCheck::Mismatch,
    }
}

/// The parameters an IdP sent back to `/callback/:connectorId`, query and `#hash` merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbackParams {
    pub state: Option<String>,
    /// `error` (e.g. `access_denied` when the person cancelled at the IdP).
    pub error: Option<String>,
    /// Everything but `state`, for `connectorData`.
    pub data: Vec<(String, String)>,
}

impl CallbackParams {
    /// Merges a query string and a fragment (both without or with their `?`/`#`); the query wins.
    pub fn parse(query: &str, fragment: &str) -> Self {
        let mut params = Self::default();
        let pairs =
            [query.trim_start_matches('?'), fragment.trim_start_matches('#')].into_iter().flat_map(crate::query::parse);
        for (key, value) in pairs {
            if params.data.iter().any(|(k, _)| *k == key) || (key == "state" && params.state.is_some()) {
                continue;
            }
            match key.as_str() {
                "state" => params.state = Some(value),
                "error" => {
                    params.error = Some(value.clone());
                    params.data.push((key, value));
                }
                _ => params.data.push((key, value)),
            }
        }
        params
    }

    /// `connectorData` for the verify call: the IdP's parameters except `state`, plus `redirectUri`.
    pub fn connector_data(&self, redirect_uri: &str) -> serde_json::Map<String, serde_json::Value> {
        let mut data = serde_json::Map::new();
        data.insert("redirectUri".into(), redirect_uri.into());
        for (k, v) in &self.data {
            data.insert(k.clone(), v.clone().into());
        }
        data
    }

    /// The query string to carry the parameters from `/callback/:id` to `/callback/social/:id`.
    pub fn to_query(&self) -> String {
        let state = self.state.iter().map(|state| ("state", state.as_str()));
        crate::query::encode(state.chain(self.data.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
    }
}

/// What `/callback/social/:connectorId` does with what came back, before calling the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallbackStart {
    /// Verify the answer: with the verification id the round trip began with, or none for a Google One Tap
    /// credential (`PUT /api/experience {SignIn}` first; the provider makes the record).
    Verify { round_trip: RoundTrip, verification_id: Option<String> },
    /// Back to sign-in, saying this phrase.
    Refuse(&'static str),
}

/// The callback's first decision. `round_trip`: the kind of the connector the id names, if it is one of the
/// tenant's; `started`: the verification id when this browser started the round trip (state checked);
/// `one_tap`: for a One Tap credential (see `crate::one_tap::is_one_tap_answer`), whether its CSRF check passed.
pub fn callback_start(
    round_trip: Option<RoundTrip>,
    started: Option<String>,
    params: &CallbackParams,
    one_tap: Option<bool>,
) -> CallbackStart {
    const INVALID: &str = "error.invalid_connector_auth";
    match (one_tap, round_trip, started) {
        (Some(true), _, _) => CallbackStart::Verify { round_trip: RoundTrip::Social, verification_id: None },
        (Some(false), _, _) | (None, None, _) => CallbackStart::Refuse(INVALID),
        (None, Some(_), _) if params.error.is_some() => CallbackStart::Refuse("error.social_cancelled"),
        (None, Some(round_trip), Some(id)) => CallbackStart::Verify { round_trip, verification_id: Some(id) },
        (None, Some(_), None) => CallbackStart::Refuse(INVALID),
    }
}

/// The callback URL registered for a connector (same origin as the page).
pub fn redirect_uri(origin: &str, connector_id: &str) -> String {
    format!("{origin}/callback/{connector_id}")
}

/// The page's own direct sign-in URL for a connector: the loader forwards it to the IdP without the app,
/// so buttons and `direct_sign_in` share one code path.
pub fn direct_href(round_trip: RoundTrip, target: &str, app_id: Option<&str>, fallback: &str) -> String {
    let query = crate::query::encode(app_id.map(|id| ("app_id", id)).into_iter().chain([("fallback", fallback)]));
    let mut href = format!("/direct/{}/", round_trip.api_segment());
    crate::query::push_encoded(target, &mut href);
    href.push('?');
    href.push_str(&query);
    href
}

/// Social buttons for a browser: no `Native` connectors, and per target `Web` before `Universal`.
pub fn web_connectors(config: &SignInExperience) -> Vec<&SocialConnector> {
    let mut chosen: Vec<&SocialConnector> = Vec::new();
    for connector in config.social_connectors.iter().filter(|c| c.platform != Some(ConnectorPlatform::Native)) {
        match chosen.iter().position(|c| c.target == connector.target) {
            Some(i) if connector.platform == Some(ConnectorPlatform::Web) => chosen[i] = connector,
            Some(_) => {}
            None => chosen.push(connector),
        }
    }
    chosen
}

/// A connector's name in the page language, else English, else its target.
pub fn display_name<'a>(connector: &'a SocialConnector, language: &str) -> &'a str {
    connector
        .name
        .get(language)
        .or_else(|| connector.name.get(language.split('-').next().unwrap_or("")))
        .or_else(|| connector.name.get("en"))
        .unwrap_or(&connector.target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_callback_verifies_only_what_this_browser_started_or_a_checked_one_tap_credential() {
        let answer = CallbackParams::parse("code=c&state=s", "");
        let cancelled = CallbackParams::parse("error=access_denied&state=s", "");
        let started = || Some("v1".to_owned());
        let verify =
            |round_trip, id: Option<&str>| CallbackStart::Verify { round_trip, verification_id: id.map(str::to_owned) };
        assert_eq!(callback_start(Some(RoundTrip::Sso), started(), &answer, None), verify(RoundTrip::Sso, Some("v1")));
        assert_eq!(
            callback_start(Some(RoundTrip::Social), None, &answer, None),
            CallbackStart::Refuse("error.invalid_connector_auth")
        );
        assert_eq!(
            callback_start(None, started(), &answer, None),
            CallbackStart::Refuse("error.invalid_connector_auth")
        );
        assert_eq!(
            callback_start(Some(RoundTrip::Social), started(), &cancelled, None),
            CallbackStart::Refuse("error.social_cancelled")
        );
        assert_eq!(callback_start(Some(RoundTrip::Social), None, &answer, Some(true)), verify(RoundTrip::Social, None));
        assert_eq!(
            callback_start(Some(RoundTrip::Social), started(), &answer, Some(false)),
            CallbackStart::Refuse("error.invalid_connector_auth")
        );
    }

    #[test]
    fn state_checks() {
        assert_eq!(check_state(Some("a"), Some("a")), StateCheck::Match);
        assert_eq!(check_state(Some("a"), Some("b")), StateCheck::Mismatch);
        assert_eq!(check_state(None, Some("b")), StateCheck::Missing);
        assert_eq!(check_state(Some("a"), None), StateCheck::Mismatch);
        assert_eq!(check_state(None, None), StateCheck::Mismatch);
    }

    #[test]
    fn callback_params_merge_query_and_hash() {
        let p = CallbackParams::parse("?code=c1&state=s1", "#id_token=t&code=ignored");
        assert_eq!(p.state.as_deref(), Some("s1"));
        assert_eq!(p.data, vec![("code".into(), "c1".into()), ("id_token".into(), "t".into())]);
        let data = p.connector_data("https://x/callback/g");
        assert_eq!(data["redirectUri"], "https://x/callback/g");
        assert_eq!(data["code"], "c1");
        assert!(!data.contains_key("state"));
        assert_eq!(CallbackParams::parse(&p.to_query(), ""), p);
        assert_eq!(CallbackParams::parse("error=access_denied&state=s", "").error.as_deref(), Some("access_denied"));
    }

    #[test]
    fn bundle_serves_only_its_round_trip_until_expiry() {
        let bundle = FallbackBundle {
            state: "s".into(),
            flow: RoundTrip::Social,
            connector_id: "c".into(),
            verification_id: "v".into(),
            app_id: Some("demo-app".into()),
            organization_id: None,
            ui_locales: None,
            created_at: 0.0,
            expires_at: 600_000.0,
        };
        assert!(bundle.serves(RoundTrip::Social, "c", "s", 1.0));
        assert!(!bundle.serves(RoundTrip::Sso, "c", "s", 1.0));
        assert!(!bundle.serves(RoundTrip::Social, "other", "s", 1.0));
        assert!(!bundle.serves(RoundTrip::Social, "c", "s", 600_001.0));
        let json = serde_json::to_value(&bundle).unwrap();
        assert_eq!(json["flow"], "social");
        assert_eq!(json["connectorId"], "c");
    }

    #[test]
    fn direct_hrefs_keep_app_and_fallback() {
        assert_eq!(
            direct_href(RoundTrip::Social, "mock-social", Some("demo-app"), "sign-in"),
            "/direct/social/mock-social?app_id=demo-app&fallback=sign-in"
        );
        assert_eq!(direct_href(RoundTrip::Sso, "a b", None, "register"), "/direct/sso/a+b?fallback=register");
    }

    #[test]
    fn web_connectors_drop_native_and_prefer_web() {
        let config: SignInExperience = serde_json::from_value(serde_json::json!({
            "socialConnectors": [
                {"id": "u", "target": "google", "name": {"en": "Google"}, "logo": "", "platform": "Universal"},
                {"id": "n", "target": "apple", "name": {"en": "Apple"}, "logo": "", "platform": "Native"},
                {"id": "w", "target": "google", "name": {"en": "Google"}, "logo": "", "platform": "Web"},
                {"id": "g", "target": "github", "name": {"en": "GitHub", "fr": "GitHub FR"}, "logo": "", "platform": null}
            ]
        }))
        .unwrap();
        let ids: Vec<_> = web_connectors(&config).iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["w", "g"]);
        assert_eq!(display_name(web_connectors(&config)[1], "fr-CA"), "GitHub FR");
    }
}

/// Whether `link` may be a native app's callback: any scheme (apps use their own) except those that run or embed
/// content in the page.
pub fn is_native_callback(link: &str) -> bool {
    let Some((scheme, _)) = link.split_once(':') else { return false };
    let scheme = scheme.to_ascii_lowercase();
    let well_formed = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    well_formed && !matches!(scheme.as_str(), "javascript" | "data" | "vbscript" | "blob" | "file")
}

#[cfg(test)]
mod native_callback_tests {
    use super::*;

    #[test]
    fn native_callbacks_take_app_schemes_but_not_script_ones() {
        for ok in ["io.logto.demo://callback", "myapp:/cb", "https://app.example/cb"] {
            assert!(is_native_callback(ok), "{ok}");
        }
        for bad in ["javascript:alert(1)", "JavaScript:x", "data:text/html,x", "/relative", "", " java script:x"] {
            assert!(!is_native_callback(bad), "{bad}");
        }
    }
}
