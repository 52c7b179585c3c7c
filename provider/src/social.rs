//! Social and enterprise-SSO verification (`/api/experience/verification/{social,sso}/…`), the mock
//! identity provider they send the browser to (`/mock-idp/*`), and the form_post callback hop.
//!
//! Both kinds of connector use the same mock IdP: `authorization-uri` answers
//! `<origin>/mock-idp/authorize?state=…&redirect_uri=…&connector_id=…`; the page there lets the person pick
//! an identity and sends the browser to `redirect_uri?code=…&state=…`; `verify` trades the (single-use) code
//! for the profile the IdP remembered.

use crate::errors::{json_response, ApiError};
use crate::experience::{require_experience, with_experience, ApiResult};
use crate::input_guard::{self, parse_body};
use crate::interactions::{IdpGrant, IdpProfile, VerificationRecord};
use crate::oidc::{html_escape, parse_pairs};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawForm, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use sign_in_core::api::{IdentifierType, VerificationIdResponse};
use sign_in_core::identifier;
use std::time::{Duration, Instant};

/// How long a mock IdP code stays valid.
const IDP_CODE_TTL: Duration = Duration::from_secs(600);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/experience/verification/social/{connector_id}/authorization-uri", post(social_authorization_uri))
        .route("/api/experience/verification/social/{connector_id}/verify", post(social_verify))
        .route("/api/experience/verification/sso/{connector_id}/authorization-uri", post(sso_authorization_uri))
        .route("/api/experience/verification/sso/{connector_id}/verify", post(sso_verify))
        .route("/mock-idp/authorize", get(idp_authorize))
        .route("/mock-idp/approve", get(idp_approve))
        .route(
            "/callback/{connector_id}",
            post(callback_form_post).get(crate::static_files::serve).head(crate::static_files::serve),
        )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Social,
    Sso,
}

fn authorization_uri(state: &AppState, state_param: &str, redirect_uri: &str, connector_id: &str) -> String {
    let q = form_urlencoded::Serializer::new(String::new())
        .append_pair("state", state_param)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("connector_id", connector_id)
        .finish();
    format!("{}/mock-idp/authorize?{q}", state.origin)
}

async fn start(state: AppState, headers: HeaderMap, body: Bytes, connector_id: String, kind: Kind) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let (state_param, redirect_uri) = input_guard::authorization_uri_body(&parse_body(&body)?)?;
    if state_param.is_empty() || redirect_uri.is_empty() {
        return Err(ApiError::insufficient_info());
    }
    let record = match kind {
        Kind::Social => {
            let connector = state.sie.social_connector(&connector_id).ok_or_else(ApiError::connector_not_found)?;
            VerificationRecord::Social {
                id: crate::random::verification_id(),
                connector_id: connector.id.clone(),
                target: connector.target.clone(),
                profile: None,
            }
        }
        Kind::Sso => {
            let connector = state.sie.sso_connector(&connector_id).ok_or_else(ApiError::sso_connector_not_found)?;
            VerificationRecord::EnterpriseSso {
                id: crate::random::verification_id(),
                connector_id: connector.id.clone(),
                profile: None,
            }
        }
    };
    let verification_id = record.id().to_owned();
    let uri = authorization_uri(&state, &state_param, &redirect_uri, &connector_id);
    with_experience(&state, &uid, |exp, _| {
        exp.put_record(record);
        Ok(json_response(
            StatusCode::OK,
            &serde_json::json!({ "authorizationUri": uri, "verificationId": verification_id }),
        ))
    })
}

/// `POST /api/experience/verification/social/:connectorId/authorization-uri {state, redirectUri}`
async fn social_authorization_uri(
    State(state): State<AppState>,
    Path(connector_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    start(state, headers, body, connector_id, Kind::Social).await
}

/// `POST /api/experience/verification/sso/:connectorId/authorization-uri {state, redirectUri}`
async fn sso_authorization_uri(
    State(state): State<AppState>,
    Path(connector_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    start(state, headers, body, connector_id, Kind::Sso).await
}

/// The record `vid` names, if it is of `kind` and for `connector_id`.
fn record_matches(record: &VerificationRecord, kind: Kind, connector_id: &str) -> bool {
    match record {
        VerificationRecord::Social { connector_id: c, .. } => kind == Kind::Social && c == connector_id,
        VerificationRecord::EnterpriseSso { connector_id: c, .. } => kind == Kind::Sso && c == connector_id,
        _ => false,
    }
}

/// The mock connector's `getUserInfo`: trades the IdP's code for the profile it remembered.
fn redeem_code(state: &AppState, connector_id: &str, data: &Map<String, Value>) -> Result<IdpProfile, ApiError> {
    let code = data.get("code").and_then(Value::as_str).ok_or_else(ApiError::invalid_auth_code)?;
    // Single use: taken out before anything else is checked.
    let grant = state.store().idp_codes.remove(code).ok_or_else(ApiError::invalid_auth_code)?;
    let redirect_ok = data.get("redirectUri").and_then(Value::as_str).is_none_or(|r| r == grant.redirect_uri);
    if grant.expires_at <= Instant::now() || grant.connector_id != connector_id || !redirect_ok {
        return Err(ApiError::invalid_auth_code());
    }
    Ok(grant.profile)
}

async fn verify(state: AppState, headers: HeaderMap, body: Bytes, connector_id: String, kind: Kind) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let (vid, data) = input_guard::connector_verify_body(&parse_body(&body)?, kind == Kind::Sso)?;
    if kind == Kind::Social && state.sie.social_connector(&connector_id).is_none() {
        return Err(ApiError::connector_not_found());
    }
    // Only Google One Tap verifies without a record (it makes one).
    let Some(vid) = vid else {
        return match kind {
            Kind::Social => crate::one_tap::verify_credential(&state, &uid, &headers, &connector_id, &data),
            Kind::Sso => Err(ApiError::verification_session_not_found()),
        };
    };
    with_experience(&state, &uid, |exp, _| match exp.record(&vid) {
        Some(r) if record_matches(r, kind, &connector_id) => Ok(()),
        _ => Err(ApiError::verification_session_not_found()),
    })?;
    let profile = redeem_code(&state, &connector_id, &data)?;
    with_experience(&state, &uid, |exp, _| {
        let record =
            exp.records.iter_mut().find(|r| r.id() == vid).ok_or_else(ApiError::verification_session_not_found)?;
        match record {
            VerificationRecord::Social { profile: p, .. } | VerificationRecord::EnterpriseSso { profile: p, .. } => {
                *p = Some(profile)
            }
            _ => return Err(ApiError::verification_session_not_found()),
        }
        Ok(json_response(StatusCode::OK, &VerificationIdResponse { verification_id: vid.clone() }))
    })
}

/// `POST /api/experience/verification/social/:connectorId/verify {verificationId, connectorData}`
async fn social_verify(
    State(state): State<AppState>,
    Path(connector_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    verify(state, headers, body, connector_id, Kind::Social).await
}

/// `POST /api/experience/verification/sso/:connectorId/verify {verificationId, connectorData}`
async fn sso_verify(
    State(state): State<AppState>,
    Path(connector_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    verify(state, headers, body, connector_id, Kind::Sso).await
}

// ---------------------------------------------------------------------------------------------
// The mock identity provider.

/// The connector the IdP page is acting for: (display name, prefilled e-mail, prefilled name).
fn idp_connector(state: &AppState, connector_id: &str) -> Option<(String, String, String)> {
    if let Some(c) = state.sie.social_connector(connector_id) {
        return Some((c.name.clone(), "social.user@example.com".into(), "Social User".into()));
    }
    state.sie.sso_connector(connector_id).map(|c| {
        let domain = c.domains.first().map(String::as_str).unwrap_or("example.com");
        (c.connector_name.clone(), format!("sso.user@{domain}"), "SSO User".into())
    })
}

/// Only our own `/callback/<one segment>` may receive codes: anything else would be an open redirect.
pub fn allowed_redirect(state: &AppState, uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix(&format!("{}/callback/", state.origin)) else { return false };
    !rest.is_empty()
        && rest != "."
        && rest != ".."
        && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b))
}

/// The subject id the mock IdP gives an e-mail address (stable, so a second sign-in finds the identity).
pub fn subject_for(email: &str) -> String {
    let digest = Sha256::digest(email.trim().to_ascii_lowercase().as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("mock-user-{hex}")
}

/// The page's own e-mail rule (`sign_in_core::identifier`), so the mock IdP takes what the sign-in form takes.
fn looks_like_email(s: &str) -> bool {
    identifier::parse(s, &[IdentifierType::Email]).is_ok()
}

struct IdpRequest {
    state: String,
    redirect_uri: String,
    connector_id: String,
    connector_name: String,
    email: String,
    name: String,
}

/// Validates the IdP's query (connector and redirect URI) or says why not (title, detail).
fn idp_request(
    state: &AppState,
    q: &std::collections::HashMap<String, String>,
) -> Result<IdpRequest, (&'static str, &'static str)> {
    let field = |k: &str| q.get(k).cloned().unwrap_or_default();
    let connector_id = field("connector_id");
    let Some((connector_name, email, name)) = idp_connector(state, &connector_id) else {
        return Err(("Unknown connector", "This mock identity provider does not serve that connector."));
    };
    let redirect_uri = field("redirect_uri");
    if !allowed_redirect(state, &redirect_uri) {
        return Err((
            "Redirect URI refused",
            "The mock identity provider only returns to this site's /callback/ pages.",
        ));
    }
    Ok(IdpRequest { state: field("state"), redirect_uri, connector_id, connector_name, email, name })
}

fn idp_page(status: StatusCode, r: &IdpRequest, error: Option<&str>) -> Response {
    let e = html_escape;
    let alert = error.map(|m| format!("<p role=\"alert\" class=\"error\">{}</p>", e(m))).unwrap_or_default();
    let body = format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mock identity provider</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; background: #f4f4f5; color: #18181b; margin: 0; }}
main {{ max-width: 26rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: 12px; box-shadow: 0 1px 4px #0002; }}
h1 {{ font-size: 1.4rem; margin-top: 0; }}
label {{ display: block; margin-top: 1rem; font-weight: 600; }}
input {{ box-sizing: border-box; width: 100%; padding: .5rem; font: inherit; border: 1px solid #a1a1aa; border-radius: 6px; }}
.actions {{ display: flex; gap: .5rem; flex-wrap: wrap; margin-top: 1.5rem; }}
button {{ font: inherit; padding: .5rem 1rem; border-radius: 6px; border: 1px solid #52525b; background: #fff; cursor: pointer; }}
button[value=approve] {{ background: #18181b; color: #fff; }}
.error {{ color: #b91c1c; }}
.note {{ color: #52525b; font-size: .875rem; }}
</style>
</head>
<body>
<main>
<h1>Mock identity provider</h1>
<p>Sign in with <strong id="connector-name">{name}</strong></p>
<p class="note">A stand-in for a real identity provider, for tests and demos. Choose who you are; nothing is checked.</p>
{alert}
<form method="get" action="/mock-idp/approve">
<input type="hidden" name="state" value="{state}">
<input type="hidden" name="redirect_uri" value="{redirect}">
<input type="hidden" name="connector_id" value="{connector}">
<label for="email">Email</label>
<input id="email" name="email" type="email" value="{email}" required autocomplete="off">
<label for="name">Name</label>
<input id="name" name="name" type="text" value="{person}" autocomplete="off">
<div class="actions">
<button type="submit" name="action" value="approve">Continue as {email}</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
<button type="submit" name="action" value="error" formnovalidate>Fail with an error</button>
</div>
</form>
</main>
</body>
</html>
"#,
        name = e(&r.connector_name),
        state = e(&r.state),
        redirect = e(&r.redirect_uri),
        connector = e(&r.connector_id),
        email = e(&r.email),
        person = e(&r.name),
    );
    let mut res = (status, Html(body)).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `GET /mock-idp/authorize?state&redirect_uri&connector_id`: the "who are you" page.
async fn idp_authorize(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let q = parse_pairs(raw.as_deref());
    match idp_request(&state, &q) {
        Ok(r) => idp_page(StatusCode::OK, &r, None),
        Err((title, detail)) => crate::oidc::error_page(StatusCode::BAD_REQUEST, title, detail),
    }
}

fn found(location: &str) -> Response {
    let mut res = (StatusCode::FOUND, Html(format!("Redirecting to <a href=\"{0}\">{0}</a>.", html_escape(location))))
        .into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `GET /mock-idp/approve?…&email&name&action=approve|cancel|error`: back to the callback with a code or an error.
async fn idp_approve(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let q = parse_pairs(raw.as_deref());
    let mut r = match idp_request(&state, &q) {
        Ok(r) => r,
        Err((title, detail)) => return crate::oidc::error_page(StatusCode::BAD_REQUEST, title, detail),
    };
    let mut back = form_urlencoded::Serializer::new(String::new());
    match q.get("action").map(String::as_str).unwrap_or("approve") {
        "cancel" => {
            back.append_pair("error", "access_denied");
        }
        "error" => {
            back.append_pair("error", "server_error");
            back.append_pair("error_description", "The mock identity provider was asked to fail.");
        }
        _ => {
            let email = q.get("email").map(|s| s.trim().to_owned()).unwrap_or_default();
            if !looks_like_email(&email) {
                r.email = email;
                return idp_page(StatusCode::BAD_REQUEST, &r, Some("Enter an email address."));
            }
            let name = q
                .get("name")
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
            let code = format!("mock-code-{}", crate::random::token43());
            let profile = IdpProfile { id: subject_for(&email), email: Some(email), name: Some(name) };
            let mut store = state.store();
            let now = Instant::now();
            store.idp_codes.retain(|_, g| g.expires_at > now);
            store.idp_codes.insert(
                code.clone(),
                IdpGrant {
                    connector_id: r.connector_id.clone(),
                    redirect_uri: r.redirect_uri.clone(),
                    profile,
                    expires_at: now + IDP_CODE_TTL,
                },
            );
            back.append_pair("code", &code);
        }
    }
    if !r.state.is_empty() {
        back.append_pair("state", &r.state);
    }
    found(&format!("{}?{}", r.redirect_uri, back.finish()))
}

/// Characters escaped in a path segment (RFC 3986 unreserved ones are kept).
const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// `POST /callback/:connectorId` (form_post IdPs): 303 to the same path with the form as the query.
async fn callback_form_post(Path(connector_id): Path<String>, RawForm(body): RawForm) -> Response {
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(form_urlencoded::parse(&body)).finish();
    let segment = percent_encoding::utf8_percent_encode(&connector_id, SEGMENT).to_string();
    let location = format!("/callback/{segment}?{query}");
    let mut res =
        (StatusCode::SEE_OTHER, Html(format!("Redirecting to <a href=\"{0}\">{0}</a>.", html_escape(&location))))
            .into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mock_idp_takes_the_sign_in_forms_emails() {
        assert!(looks_like_email("ana@example.com"));
        for bad in ["", "ana", "@example.com", "ana@example", "ana@.example.com", "ana@example.", "a b@c.d", "a@b@c.d"]
        {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
