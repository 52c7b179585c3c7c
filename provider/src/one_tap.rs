//! Google One Tap (docs/experience-api.md, Google One Tap): a stand-in for Google's client script (tests cannot reach
//! Google), the credentials it issues, and `verify` without a verification id, which only the Google connector
//! allows. The stand-in reads the page's `g_id_onload` element, shows its prompt, gets a credential from
//! `POST /one-tap-stand-in/credential` and posts it with `g_csrf_token` to the element's `login_uri`, as Google does.

use crate::errors::{json_response, ApiError};
use crate::experience::{with_experience, ApiResult};
use crate::input_guard::parse_body;
use crate::interactions::{clear_cookie, cookie, set_cookie, IdpProfile, VerificationRecord};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Map, Value};
use sign_in_core::api::VerificationIdResponse;
use sign_in_core::one_tap::{CSRF_COOKIE, GOOGLE_TARGET, LANDING_COOKIE};
use std::time::{Duration, Instant};

/// Where the stand-in's script is served (Google's own path).
pub const SCRIPT_PATH: &str = "/gsi/client";

const STAND_IN_SCRIPT: &str = include_str!("one_tap/stand-in.js");

/// How long a credential stays good (Google's ID tokens last an hour; the page uses it at once).
const CREDENTIAL_TTL: Duration = Duration::from_secs(600);

pub fn routes() -> Router<AppState> {
    Router::new().route(SCRIPT_PATH, get(script)).route("/one-tap-stand-in/credential", post(issue))
}

/// How long an external One Tap landing's cookie lasts: the page reads it at once.
const LANDING_COOKIE_TTL: Duration = Duration::from_secs(10);

/// An app that ran One Tap itself passes the credential on its sign-in request (`google_one_tap_credential`): the
/// landing goes to direct Google sign-in (`crate::landing`) and leaves the credential in a cookie the page reads.
/// A value a cookie cannot carry as it is (Google's are JWTs) is not passed on.
pub fn landing_cookie(extra: &crate::landing::ExtraParams) -> Option<String> {
    let credential = extra.google_one_tap_credential.as_deref()?;
    let cookie_safe = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
    (!credential.is_empty() && credential.chars().all(cookie_safe))
        .then(|| set_cookie(LANDING_COOKIE, credential, "/", Some(LANDING_COOKIE_TTL), false))
}

/// A credential the stand-in issued: for which client, about whom.
#[derive(Debug, Clone)]
pub struct OneTapGrant {
    client_id: String,
    profile: IdpProfile,
    expires_at: Instant,
}

async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], STAND_IN_SCRIPT).into_response()
}

/// `POST /one-tap-stand-in/credential {clientId, email, name?}`: Google's answer to a person picking an account,
/// `{credential}`.
async fn issue(State(state): State<AppState>, body: Bytes) -> ApiResult {
    let body = parse_body(&body)?;
    let text = |key: &str| body[key].as_str().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let (Some(client_id), Some(email)) = (text("clientId"), text("email")) else {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "guard.invalid_input"));
    };
    let name = text("name").unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
    let credential = format!("stand-in-credential.{}", crate::random::token43());
    let profile = IdpProfile {
        id: format!("google-{}", crate::social::subject_for(&email)),
        email: Some(email),
        name: Some(name),
    };
    let mut store = state.store();
    let now = state.now();
    store.one_tap_credentials.retain(|_, grant| grant.expires_at > now);
    store
        .one_tap_credentials
        .insert(credential.clone(), OneTapGrant { client_id, profile, expires_at: now + CREDENTIAL_TTL });
    Ok(json_response(StatusCode::OK, &json!({ "credential": credential })))
}

/// `POST /api/experience/verification/social/:connectorId/verify {connectorData: {credential, g_csrf_token}}` with
/// no verification id: only the Google connector takes it. The posted CSRF token must equal the `g_csrf_token`
/// cookie, or, after an external One Tap landing, the credential must equal the landing's cookie; and it must be one
/// the stand-in issued to the configured client, unused and unexpired (`connector.invalid_auth_code` otherwise).
/// Makes the social record, verified, and answers its id; the landing's cookie is cleared.
pub fn verify_credential(
    state: &AppState,
    uid: &str,
    headers: &HeaderMap,
    connector_id: &str,
    data: &Map<String, Value>,
) -> ApiResult {
    let record = redeem(state, headers, connector_id, data)?;
    let verification_id = record.id().to_owned();
    let mut res = with_experience(state, uid, |exp, _| {
        exp.put_record(record);
        Ok(json_response(StatusCode::OK, &VerificationIdResponse { verification_id }))
    })?;
    if let Ok(value) = HeaderValue::from_str(&clear_cookie(LANDING_COOKIE, "/")) {
        res.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(res)
}

/// The checks of [`verify_credential`], and the verified record they make.
fn redeem(
    state: &AppState,
    headers: &HeaderMap,
    connector_id: &str,
    data: &Map<String, Value>,
) -> Result<VerificationRecord, ApiError> {
    let connector = state.sie.social_connector(connector_id).ok_or_else(ApiError::connector_not_found)?;
    if connector.target != GOOGLE_TARGET {
        return Err(ApiError::verification_session_not_found());
    }
    let credential = data.get("credential").and_then(Value::as_str).ok_or_else(ApiError::invalid_auth_code)?;
    let proven = match cookie(headers, LANDING_COOKIE) {
        Some(landing) => landing == credential,
        None => {
            let posted = data.get(CSRF_COOKIE).and_then(Value::as_str).filter(|token| !token.is_empty());
            posted.is_some() && posted == cookie(headers, CSRF_COOKIE).as_deref()
        }
    };
    if !proven {
        return Err(ApiError::invalid_auth_code());
    }
    // Single use: taken out before anything else is checked.
    let grant = state.store().one_tap_credentials.remove(credential).ok_or_else(ApiError::invalid_auth_code)?;
    let one_tap = state.sie.google_one_tap.as_ref();
    if grant.expires_at <= state.now() || one_tap.is_none_or(|one_tap| one_tap.client_id != grant.client_id) {
        return Err(ApiError::invalid_auth_code());
    }
    Ok(VerificationRecord::Social {
        id: crate::random::verification_id(),
        connector_id: connector.id.clone(),
        target: connector.target.clone(),
        profile: Some(grant.profile),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experience::test_state;

    fn one_tap_tenant() -> AppState {
        test_state(json!({
            "socialConnectors": [
                {"id": "google-1", "target": "google", "name": {"en": "Google"}},
                {"id": "other-1", "target": "mock-social", "name": {"en": "Other"}},
            ],
            "socialSignInConnectorTargets": ["google", "mock-social"],
            "googleOneTap": {"isEnabled": true, "clientId": "client-1", "connectorId": "google-1"},
        }))
    }

    fn grant(state: &AppState, credential: &str, client_id: &str, ttl: Duration) {
        let profile = IdpProfile { id: "g-1".into(), email: Some("ana@example.com".into()), name: None };
        let grant = OneTapGrant { client_id: client_id.into(), profile, expires_at: state.now() + ttl };
        state.store().one_tap_credentials.insert(credential.into(), grant);
    }

    fn csrf_cookie(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(&format!("a=1; {CSRF_COOKIE}={value}")).unwrap());
        headers
    }

    fn data(credential: &str, csrf: &str) -> Map<String, Value> {
        json!({"credential": credential, CSRF_COOKIE: csrf}).as_object().unwrap().clone()
    }

    fn refusal(r: Result<VerificationRecord, ApiError>) -> String {
        r.unwrap_err().body.code
    }

    #[test]
    fn a_credential_is_good_once_with_the_csrf_cookie_for_the_configured_client() {
        let state = one_tap_tenant();
        grant(&state, "c1", "client-1", CREDENTIAL_TTL);
        let wrong_csrf = redeem(&state, &csrf_cookie("t2"), "google-1", &data("c1", "t1"));
        assert_eq!(refusal(wrong_csrf), "connector.invalid_auth_code");
        let record = redeem(&state, &csrf_cookie("t1"), "google-1", &data("c1", "t1")).unwrap();
        assert!(matches!(record, VerificationRecord::Social { profile: Some(_), .. }));
        let again = redeem(&state, &csrf_cookie("t1"), "google-1", &data("c1", "t1"));
        assert_eq!(refusal(again), "connector.invalid_auth_code");
    }

    #[test]
    fn other_clients_expired_credentials_and_other_connectors_are_refused() {
        let state = one_tap_tenant();
        grant(&state, "other-client", "client-2", CREDENTIAL_TTL);
        grant(&state, "old", "client-1", Duration::ZERO);
        grant(&state, "c1", "client-1", CREDENTIAL_TTL);
        let headers = csrf_cookie("t");
        for credential in ["other-client", "old", "never-issued"] {
            assert_eq!(
                refusal(redeem(&state, &headers, "google-1", &data(credential, "t"))),
                "connector.invalid_auth_code"
            );
        }
        let not_google = redeem(&state, &headers, "other-1", &data("c1", "t"));
        assert_eq!(refusal(not_google), "session.verification_session_not_found");
        assert_eq!(
            refusal(redeem(&state, &HeaderMap::new(), "google-1", &data("c1", ""))),
            "connector.invalid_auth_code"
        );
    }

    #[test]
    fn after_an_external_landing_the_credential_must_be_the_landing_cookie() {
        let state = one_tap_tenant();
        grant(&state, "c1", "client-1", CREDENTIAL_TTL);
        grant(&state, "c2", "client-1", CREDENTIAL_TTL);
        let landing = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::COOKIE, HeaderValue::from_str(&format!("{LANDING_COOKIE}={value}")).unwrap());
            headers
        };
        let credential_only = |c: &str| json!({"credential": c}).as_object().unwrap().clone();
        assert_eq!(
            refusal(redeem(&state, &landing("c2"), "google-1", &credential_only("c1"))),
            "connector.invalid_auth_code"
        );
        assert!(redeem(&state, &landing("c2"), "google-1", &credential_only("c2")).is_ok());
    }
}
