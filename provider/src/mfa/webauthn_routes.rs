//! WebAuthn ceremonies over HTTP: MFA registration and authentication, and sign-in passkeys (preflight,
//! identifier-first and discoverable).

use super::{account_name, body_of, challenge_for, err, identified, ok_vid, webauthn_failed, webauthn_not_found};
use crate::errors::{json_response, ApiError};
use crate::experience::{require_experience, with_experience, ApiResult};
use crate::input_guard::decode;
use crate::interactions::{self, VerificationRecord, INTERACTION_COOKIE};
use crate::state::AppState;
use crate::users::{MfaVerification, WebAuthnCredential};
use crate::webauthn::{self, Challenge};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use sign_in_core::api::{Identifier, WebAuthnAuthenticationResponse, WebAuthnRegistrationResponse, WebAuthnVerifyBody};
use sign_in_core::mfa::MfaFactor;
use std::time::UNIX_EPOCH;

/// `POST verification/web-authn/registration` → `{verificationId, registrationOptions}`.
pub(super) async fn webauthn_registration(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let ch = challenge_for(&state, &headers);
    with_experience(&state, &uid, |exp, _| {
        let user = identified(&state, exp)?;
        let mut exclude: Vec<WebAuthnCredential> = user.webauthn().cloned().collect();
        exclude.extend(exp.mfa.webauthn.iter().cloned());
        let name = account_name(&user);
        let display = user.name.clone().unwrap_or_else(|| name.clone());
        let options = webauthn::creation_options(&ch, &user.id, &name, &display, &exclude);
        let id = crate::random::verification_id();
        exp.put_record(VerificationRecord::WebAuthn {
            id: id.clone(),
            challenge: ch,
            registration: true,
            credential: None,
            verified: false,
        });
        Ok(json_response(
            StatusCode::OK,
            &WebAuthnRegistrationResponse { verification_id: id, registration_options: options },
        ))
    })
}

fn payload_body(bytes: &Bytes, vid_required: bool) -> Result<WebAuthnVerifyBody, ApiError> {
    body_of(bytes, |g, m| {
        if vid_required {
            g.string(m.get("verificationId"), &["verificationId"]);
        } else {
            g.optional_string(m.get("verificationId"), &["verificationId"]);
        }
        if let Some(p) = g.object(m.get("payload"), &["payload"]) {
            g.string(p.get("id"), &["payload", "id"]);
            g.enumeration(p.get("type"), &[MfaFactor::WebAuthn.segment()], &["payload", "type"]);
            g.object(p.get("response"), &["payload", "response"]);
        }
    })
}

/// `POST verification/web-authn/registration/verify {verificationId, payload}`.
pub(super) async fn webauthn_registration_verify(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = payload_body(&body, true)?;
    let vid = body.verification_id.clone().unwrap_or_default();
    with_experience(&state, &uid, |exp, _| {
        identified(&state, exp)?;
        let Some(VerificationRecord::WebAuthn { challenge, registration: true, credential, verified, .. }) =
            exp.records.iter_mut().find(|r| r.id() == vid)
        else {
            return Err(ApiError::verification_session_not_found());
        };
        let cred = webauthn::verify_registration(&body.payload, challenge).map_err(|_| webauthn_failed())?;
        if state.users().by_credential_id(&cred.credential_id).is_some() {
            return Err(webauthn_failed());
        }
        *credential = Some(cred);
        *verified = true;
        Ok(ok_vid(&vid))
    })
}

/// `POST verification/web-authn/authentication` → `{verificationId, authenticationOptions}` (MFA).
pub(super) async fn webauthn_authentication(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let ch = challenge_for(&state, &headers);
    with_experience(&state, &uid, |exp, _| {
        let user = identified(&state, exp)?;
        let allow: Vec<WebAuthnCredential> = user.webauthn().cloned().collect();
        if allow.is_empty() {
            return Err(webauthn_not_found());
        }
        let options = webauthn::request_options(&ch, &allow);
        let id = crate::random::verification_id();
        exp.put_record(VerificationRecord::WebAuthn {
            id: id.clone(),
            challenge: ch,
            registration: false,
            credential: None,
            verified: false,
        });
        Ok(json_response(
            StatusCode::OK,
            &WebAuthnAuthenticationResponse { verification_id: Some(id), authentication_options: options },
        ))
    })
}

/// Checks an assertion against `candidates` (the credential named by the payload must be one of them) and
/// stores the new sign count. Returns the owner's id.
fn check_assertion(state: &AppState, payload: &Value, ch: &Challenge, owner: Option<&str>) -> Result<String, ApiError> {
    let cred_id = webauthn::assertion_credential_id(payload).map_err(|_| webauthn_failed())?;
    let mut users = state.users();
    let user = users.by_credential_id(&cred_id).cloned().ok_or_else(webauthn_failed)?;
    if owner.is_some_and(|o| o != user.id) {
        return Err(webauthn_failed());
    }
    if let Some(handle) = payload["response"]["userHandle"].as_str().filter(|h| !h.is_empty()) {
        use base64::Engine;
        let decoded =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(handle.trim_end_matches('=')).unwrap_or_default();
        if decoded != user.id.as_bytes() {
            return Err(webauthn_failed());
        }
    }
    let cred = user.webauthn().find(|c| c.credential_id == cred_id).cloned().ok_or_else(webauthn_failed)?;
    if cred.rp_id != ch.rp_id {
        return Err(webauthn_failed());
    }
    let count = webauthn::verify_authentication(payload, ch, &cred).map_err(|_| webauthn_failed())?;
    let at = state.wall_now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
    if let Some(u) = users.by_id_mut(&user.id) {
        for v in &mut u.mfa_verifications {
            if let MfaVerification::WebAuthn(c) = v {
                if c.credential_id == cred_id {
                    c.counter = count;
                    c.last_used_at = Some(at);
                }
            }
        }
    }
    Ok(user.id)
}

/// `POST verification/web-authn/authentication/verify {verificationId, payload}`.
pub(super) async fn webauthn_authentication_verify(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = payload_body(&body, true)?;
    let vid = body.verification_id.clone().unwrap_or_default();
    with_experience(&state, &uid, |exp, _| {
        let user = identified(&state, exp)?;
        let Some(VerificationRecord::WebAuthn { challenge, registration: false, verified, .. }) =
            exp.records.iter_mut().find(|r| r.id() == vid)
        else {
            return Err(ApiError::verification_session_not_found());
        };
        check_assertion(&state, &body.payload, challenge, Some(&user.id))?;
        *verified = true;
        exp.mfa.verified = true;
        Ok(ok_vid(&vid))
    })
}

/// `POST preflight/sign-in-passkey/authentication` → `{authenticationOptions}` for a discoverable passkey. Needs
/// the OIDC interaction (the challenge lives there) but not `PUT /api/experience`.
pub(super) async fn passkey_preflight(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let uid = interactions::cookie(&headers, INTERACTION_COOKIE).ok_or_else(ApiError::session_not_found)?;
    let ch = challenge_for(&state, &headers);
    let options = webauthn::request_options(&ch, &[]);
    let mut store = state.store();
    let interaction = store.interaction_mut(&uid).ok_or_else(ApiError::session_not_found)?;
    interaction.passkey_challenge = Some(ch);
    Ok(json_response(
        StatusCode::OK,
        &WebAuthnAuthenticationResponse { verification_id: None, authentication_options: options },
    ))
}

/// `POST verification/sign-in-passkey/authentication {identifier}` → `{verificationId, authenticationOptions}`
/// (identifier-first passkey sign-in).
pub(super) async fn passkey_authentication(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body: Value = body_of(&body, |g, m| {
        if let Some(id) = g.object(m.get("identifier"), &["identifier"]) {
            g.enumeration(id.get("type"), &["username", "email", "phone"], &["identifier", "type"]);
            g.string(id.get("value"), &["identifier", "value"]);
        }
    })?;
    let identifier: Identifier = decode(&body["identifier"])?;
    // An unknown account answers like one without passkeys: the page goes on to the password or the code
    // either way, and the answer doesn't tell which identifiers have accounts.
    let user = state.users().find(&identifier).cloned().ok_or_else(webauthn_not_found)?;
    let allow: Vec<WebAuthnCredential> = user.webauthn().cloned().collect();
    if allow.is_empty() {
        return Err(webauthn_not_found());
    }
    let ch = challenge_for(&state, &headers);
    let options = webauthn::request_options(&ch, &allow);
    let id = crate::random::verification_id();
    with_experience(&state, &uid, |exp, _| {
        exp.put_record(VerificationRecord::SignInPasskey {
            id: id.clone(),
            challenge: Some(ch),
            user_id: Some(user.id.clone()),
            verified: false,
        });
        Ok(json_response(
            StatusCode::OK,
            &WebAuthnAuthenticationResponse { verification_id: Some(id), authentication_options: options },
        ))
    })
}

/// `POST verification/sign-in-passkey/authentication/verify {verificationId?, payload}`: without an id, the
/// preflight challenge (single use) and whichever account owns the credential.
pub(super) async fn passkey_verify(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = payload_body(&body, false)?;
    let (vid, ch, owner) = match body.verification_id {
        Some(vid) => with_experience(&state, &uid, |exp, _| match exp.record(&vid) {
            Some(VerificationRecord::SignInPasskey { challenge: Some(ch), user_id, verified: false, .. }) => {
                Ok((vid.clone(), ch.clone(), user_id.clone()))
            }
            _ => Err(ApiError::verification_session_not_found()),
        })?,
        None => {
            let ch = state.store().interaction_mut(&uid).and_then(|i| i.passkey_challenge.take());
            let ch = ch.ok_or_else(|| err(StatusCode::NOT_FOUND, "session.passkey_sign_in.pending_info_not_found"))?;
            (crate::random::verification_id(), ch, None)
        }
    };
    let user_id = check_assertion(&state, &body.payload, &ch, owner.as_deref())?;
    with_experience(&state, &uid, |exp, _| {
        exp.put_record(VerificationRecord::SignInPasskey {
            id: vid.clone(),
            challenge: None,
            user_id: Some(user_id.clone()),
            verified: true,
        });
        Ok(ok_vid(&vid))
    })
}
