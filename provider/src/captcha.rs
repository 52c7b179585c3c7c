//! The tenant's captcha: the check Logto makes of `captchaToken` and `session.captcha_required`, and a stand-in for
//! the vendors (tests cannot reach Cloudflare or Google). The stand-in serves a script with each vendor's public
//! JavaScript API (`turnstile`, `grecaptcha.enterprise`) at the vendor's path, whose challenges are answered by
//! `POST /captcha-stand-in/challenge`; `POST /admin/captcha {"next": "fail"|"expire"}` makes the next challenge
//! fail in the widget, or issue a token that is expired by the time `PUT /api/experience` checks it.

use crate::errors::{json_response, ApiError};
use crate::experience::ApiResult;
use crate::input_guard::parse_body;
use crate::interactions::Experience;
use crate::local_only::LocalCaller;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;
use sign_in_core::captcha::{CaptchaConfig, CaptchaKind};

/// The stand-in's script (one file, both vendors' APIs; it installs the one its path names).
const STAND_IN_SCRIPT: &str = include_str!("captcha/stand-in.js");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(TURNSTILE_PATH, get(script))
        .route(RECAPTCHA_PATH, get(script))
        .route("/captcha-stand-in/challenge", post(challenge))
        .route("/admin/captcha", post(set_next))
}

const TURNSTILE_PATH: &str = "/turnstile/v0/api.js";
const RECAPTCHA_PATH: &str = "/recaptcha/enterprise.js";

/// What the next challenge does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NextChallenge {
    Fail,
    Expire,
}

/// The stand-in's script path for `config` (see `Shared::stand_in_url`).
pub fn stand_in_path(config: &CaptchaConfig) -> &'static str {
    match config.kind {
        CaptchaKind::Turnstile => TURNSTILE_PATH,
        CaptchaKind::RecaptchaEnterprise => RECAPTCHA_PATH,
    }
}

async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], STAND_IN_SCRIPT).into_response()
}

/// `POST /captcha-stand-in/challenge`: the vendor's answer to a solved challenge, `{token}`, or `{error}`.
async fn challenge(State(state): State<AppState>) -> Response {
    let token = format!("stand-in.{}", crate::random::verification_id());
    let mut store = state.store();
    let body = match store.captcha_next.take() {
        Some(NextChallenge::Fail) => json!({ "error": "challenge-failed" }),
        expire => {
            store.captcha_tokens.insert(token.clone(), expire == Some(NextChallenge::Expire));
            json!({ "token": token })
        }
    };
    json_response(StatusCode::OK, &body)
}

/// `POST /admin/captcha {"next": "fail"|"expire"}` (local callers only): the next challenge only.
async fn set_next(_: LocalCaller, State(state): State<AppState>, body: Bytes) -> ApiResult {
    let body = parse_body(&body)?;
    let next: NextChallenge = serde_json::from_value(body["next"].clone())
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "guard.invalid_input"))?;
    state.store().captcha_next = Some(next);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `PUT /api/experience {captchaToken}` while the policy is on: a token the vendor issued, unused and unexpired
/// (422 `session.captcha_failed` otherwise). Without a token the interaction starts unverified.
pub fn verify_token(state: &AppState, token: Option<&str>) -> Result<bool, ApiError> {
    if state.sie.typed.captcha().is_none() {
        return Ok(false);
    }
    let Some(token) = token else { return Ok(false) };
    match state.store().captcha_tokens.remove(token) {
        Some(false) => Ok(true),
        _ => Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "session.captcha_failed")),
    }
}

/// Identification, submit and a code sent before anyone is identified need the captcha verified, or skipped by a
/// verification that has its own proof (social, SSO, passkey, magic link): 422 `session.captcha_required`.
pub fn require(state: &AppState, exp: &Experience) -> Result<(), ApiError> {
    let skipped =
        exp.records.iter().any(|r| matches!(r.kind(), "Social" | "EnterpriseSso" | "SignInPasskey" | "OneTimeToken"));
    if state.sie.typed.captcha().is_none() || exp.captcha_verified || skipped {
        Ok(())
    } else {
        Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "session.captcha_required"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_good_once_and_expired_ones_fail() {
        let on = json!({"captchaPolicy": {"enabled": true}, "captchaConfig": {"type": "Turnstile", "siteKey": "k"}});
        let state = crate::experience::test_state(on);
        assert!(!verify_token(&state, None).unwrap());
        state.store().captcha_tokens.insert("good".into(), false);
        state.store().captcha_tokens.insert("old".into(), true);
        assert!(verify_token(&state, Some("good")).unwrap());
        assert_eq!(verify_token(&state, Some("good")).unwrap_err().body.code, "session.captcha_failed");
        assert_eq!(verify_token(&state, Some("old")).unwrap_err().body.code, "session.captcha_failed");
        assert_eq!(verify_token(&state, Some("made-up")).unwrap_err().body.code, "session.captcha_failed");
        let mut exp = Experience::new(sign_in_core::api::InteractionEvent::SignIn);
        assert_eq!(require(&state, &exp).unwrap_err().body.code, "session.captcha_required");
        exp.captcha_verified = true;
        assert!(require(&state, &exp).is_ok());
        let off = crate::experience::test_state(json!({}));
        assert!(require(&off, &Experience::new(sign_in_core::api::InteractionEvent::SignIn)).is_ok());
        assert!(!verify_token(&off, Some("anything")).unwrap());
    }
}
