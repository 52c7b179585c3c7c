//! Verification codes (`verification/verification-code[/verify]`), one-time tokens (magic links), and the test
//! infrastructure around them: the outbox every "sent" code lands in (`/outbox`, `/outbox/latest`,
//! `/outbox.html`) and the admin endpoints (one-time tokens, connector usage limit, accounts, reset). The infrastructure
//! answers only local callers ([`LocalCaller`]).

use crate::errors::{json_response, ApiError};
use crate::experience::{require_experience, with_experience, ApiResult};
use crate::input_guard::{self, json_content, parse_body, Guard};
use crate::interactions::{OneTimeToken, OutboxMessage, VerificationRecord};
use crate::local_only::LocalCaller;
use crate::state::AppState;
use crate::users::{BackupCode, MfaVerification, SocialIdentity, WebAuthnCredential};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use rand_core::{OsRng, RngCore};
use serde_json::{json, Value};
use sign_in_core::api::{Identifier, IdentifierType, SendCodeBody, VerificationIdResponse, VerifyCodeBody};
use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Codes sent to one address within a minute before `connector.rate_limit_exceeded`.
pub const SENDS_PER_MINUTE: usize = 5;
/// Logto's default code lifetime and wrong-code allowance (`verificationCodePolicy` overrides both).
pub const DEFAULT_CODE_TTL: Duration = Duration::from_secs(600);
pub const DEFAULT_MAX_TRIES: u32 = 10;
/// Default lifetime of a one-time token (seconds).
pub const DEFAULT_TOKEN_TTL_SECS: u64 = 600;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/experience/verification/verification-code", post(send_code))
        .route("/api/experience/verification/verification-code/verify", post(verify_code))
        .route("/api/experience/verification/one-time-token/verify", post(verify_one_time_token))
        .route("/admin/one-time-tokens", post(mint_one_time_token))
        .route("/admin/connector-usage-limit", post(set_usage_limit))
        .route("/admin/users", post(create_user))
        .route("/admin/reset", post(reset))
        .route("/outbox", get(outbox))
        .route("/outbox/latest", get(outbox_latest))
        .route("/outbox.html", get(outbox_html))
}

/// `verificationCodePolicy` → (lifetime, allowed wrong codes).
pub(crate) fn code_policy(state: &AppState) -> (Duration, u32) {
    let p = &state.sie.public()["verificationCodePolicy"];
    let ttl = p["expirationDuration"].as_u64().map(Duration::from_secs).unwrap_or(DEFAULT_CODE_TTL);
    let tries = p["maxRetryAttempts"].as_u64().map(|n| n as u32).unwrap_or(DEFAULT_MAX_TRIES);
    (ttl, tries)
}

/// Logto's server-side identifier shapes: `\S+@\S+\.\S+` for e-mail, digits for phone. Not core's `identifier`
/// rule on purpose: that one is the page's (stricter) check before sending, this one decides the provider's
/// `guard.invalid_input` answers, which must stay Logto's.
pub fn is_valid_email(s: &str) -> bool {
    if s.is_empty() || s.chars().any(char::is_whitespace) {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty() && domain.char_indices().any(|(i, c)| c == '.' && i > 0 && i + 1 < domain.len())
}

pub fn is_valid_phone(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// Checks `identifier: {type, value}` where `type` is one of `types`; the value must look like one.
fn guard_identifier(g: &mut Guard, v: Option<&Value>, types: &[&str]) {
    if let Some(id) = g.object(v, &["identifier"]) {
        g.enumeration(id.get("type"), types, &["identifier", "type"]);
        g.string(id.get("value"), &["identifier", "value"]);
        if let (Some(Value::String(t)), Some(Value::String(value))) = (id.get("type"), id.get("value")) {
            let ok = match t.as_str() {
                "email" => is_valid_email(value),
                "phone" => is_valid_phone(value),
                _ => true,
            };
            if !ok {
                g.issue(json!({"validation": "regex", "code": "invalid_string", "message": "Invalid", "path": ["identifier", "value"]}));
            }
        }
    }
}

fn identifier_of(body: &Value) -> Identifier {
    serde_json::from_value(body["identifier"].clone()).expect("checked by the guard")
}

/// How addresses compare: e-mail case-insensitively, phones by digits.
pub(crate) fn address_key(to: &str) -> String {
    if to.contains('@') {
        to.to_ascii_lowercase()
    } else {
        to.chars().filter(char::is_ascii_digit).collect()
    }
}

pub(crate) fn six_digits() -> String {
    // Rejection sampling keeps the digits uniform.
    loop {
        let n = OsRng.next_u32();
        if n < 4_294_000_000 {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// `POST /api/experience/verification/verification-code {identifier, interactionEvent}` → `{verificationId}`.
async fn send_code(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = parse_body(&body)?;
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(&body), &[]) {
        guard_identifier(&mut g, m.get("identifier"), &["email", "phone"]);
        g.enumeration(m.get("interactionEvent"), input_guard::EVENTS, &["interactionEvent"]);
    }
    g.finish()?;
    let SendCodeBody { identifier, interaction_event: event } = input_guard::decode(&body)?;

    if identifier.kind == IdentifierType::Email {
        if let Some(code) = state.sie.email_blocklist.refusal(&identifier.value) {
            return Err(ApiError::email_blocked(code));
        }
    }
    let now = rate_limit(&state, &identifier.value)?;

    let code = six_digits();
    let id = crate::random::verification_id();
    let sign_up = &state.sie.typed.sign_up;
    let sign_up_kind = |k: IdentifierType| {
        sign_up.identifiers.contains(&k)
            || sign_up
                .secondary_identifiers
                .iter()
                .any(|s| s.identifier == k.as_str() || s.identifier == "emailOrPhone")
    };
    let template = with_experience(&state, &uid, |exp, _| {
        if exp.user_id.is_none() {
            crate::captcha::require(&state, exp)?;
        }
        // A code for an address that is not a sign-up identifier, once someone is signed in, binds an MFA factor.
        let template = if exp.user_id.is_some() && !sign_up_kind(identifier.kind) {
            "BindMfa".to_owned()
        } else {
            format!("{event:?}")
        };
        exp.put_record(VerificationRecord::Code {
            id: id.clone(),
            identifier: identifier.clone(),
            template: template.clone(),
            code: code.clone(),
            created_at: now,
            tries: 0,
            verified: false,
        });
        Ok(template)
    })?;
    deliver(&state, &identifier, template, code);
    Ok(json_response(StatusCode::OK, &VerificationIdResponse { verification_id: id }))
}

/// Counts a send to `to` against the connector's usage limit and the per-minute limit; answers the send time.
pub(crate) fn rate_limit(state: &AppState, to: &str) -> Result<std::time::Instant, ApiError> {
    let now = state.now();
    let mut store = state.store();
    if store.over_usage_limit.contains(&address_key(to)) {
        return Err(ApiError::connector_usage_limit_exceeded());
    }
    let sends = store.code_sends.entry(address_key(to)).or_default();
    sends.retain(|t| now.saturating_duration_since(*t) < Duration::from_secs(60));
    if sends.len() >= SENDS_PER_MINUTE {
        return Err(ApiError::code_rate_limited());
    }
    sends.push(now);
    Ok(now)
}

/// "Sends" a code: appends it to the outbox.
pub(crate) fn deliver(state: &AppState, identifier: &Identifier, template: String, code: String) {
    let kind = if identifier.kind == IdentifierType::Phone { "sms" } else { "email" };
    let sent_at = rfc3339(state.wall_now());
    state.store().outbox.push(OutboxMessage { to: identifier.value.clone(), kind, template, code, sent_at });
}

/// The parts of a stored code record that a verify attempt reads and updates.
pub struct CodeAttempt<'a> {
    pub code: &'a str,
    pub created_at: Instant,
    pub tries: &'a mut u32,
    pub verified: &'a mut bool,
}

/// Checks an entered code in Logto's order (already used, expired, too many tries, mismatch); a match marks
/// the record verified. Shared by sign-in/registration codes and MFA codes.
pub fn check_code(
    attempt: CodeAttempt,
    entered: &str,
    ttl: Duration,
    max_tries: u32,
    now: Instant,
) -> Result<(), ApiError> {
    if *attempt.verified {
        // The code was consumed by the first successful verify.
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "verification_code.not_found"));
    }
    if now.saturating_duration_since(attempt.created_at) > ttl {
        return Err(ApiError::code_expired());
    }
    if *attempt.tries >= max_tries {
        return Err(ApiError::code_exceed_max_try());
    }
    if attempt.code != entered {
        *attempt.tries += 1;
        return Err(ApiError::code_mismatch());
    }
    *attempt.verified = true;
    Ok(())
}

/// `POST /api/experience/verification/verification-code/verify {identifier, verificationId, code}`.
async fn verify_code(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = parse_body(&body)?;
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(&body), &[]) {
        guard_identifier(&mut g, m.get("identifier"), &["email", "phone"]);
        g.string(m.get("verificationId"), &["verificationId"]);
        g.string(m.get("code"), &["code"]);
    }
    g.finish()?;
    let VerifyCodeBody { identifier: wanted, verification_id: vid, code: entered } = input_guard::decode(&body)?;
    let (ttl, max_tries) = code_policy(&state);
    let now = state.now();
    with_experience(&state, &uid, |exp, _| {
        let record = exp.records.iter_mut().find(|r| r.id() == vid);
        let Some(VerificationRecord::Code { identifier, code, created_at, tries, verified, .. }) = record else {
            return Err(ApiError::verification_session_not_found());
        };
        if identifier.kind != wanted.kind {
            return Err(ApiError::verification_session_not_found());
        }
        if address_key(&identifier.value) != address_key(&wanted.value) {
            return Err(ApiError::code_identifier_mismatch(wanted.kind));
        }
        check_code(CodeAttempt { code, created_at: *created_at, tries, verified }, &entered, ttl, max_tries, now)?;
        Ok(json_response(StatusCode::OK, &VerificationIdResponse { verification_id: vid.clone() }))
    })
}

/// `POST /api/experience/verification/one-time-token/verify {identifier:{type:"email",value}, token}`.
async fn verify_one_time_token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    let uid = require_experience(&state, &headers)?;
    let body = parse_body(&body)?;
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(&body), &[]) {
        guard_identifier(&mut g, m.get("identifier"), &["email"]);
        g.string(m.get("token"), &["token"]);
    }
    g.finish()?;
    let email = identifier_of(&body).value;
    let token = body["token"].as_str().unwrap_or_default();
    let now = state.now();
    {
        let mut store = state.store();
        let t = store.one_time_tokens.get_mut(token).ok_or_else(ApiError::one_time_token_not_found)?;
        if !t.email.eq_ignore_ascii_case(&email) {
            return Err(ApiError::one_time_token_email_mismatch());
        }
        if t.expires_at <= now {
            return Err(ApiError::one_time_token_expired());
        }
        if t.consumed {
            return Err(ApiError::one_time_token_consumed());
        }
        t.consumed = true;
    }
    let id = crate::random::verification_id();
    with_experience(&state, &uid, |exp, _| {
        exp.put_record(VerificationRecord::OneTimeToken { id: id.clone(), email: email.clone() });
        Ok(json_response(StatusCode::OK, &VerificationIdResponse { verification_id: id.clone() }))
    })
}

fn epoch_ms(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// `POST /admin/one-time-tokens {email, expiresIn?}` (seconds) → 201 `{id, token, email, context, status, createdAt, expiresAt}`.
async fn mint_one_time_token(
    _: LocalCaller,
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult {
    json_content(&headers, !body.is_empty())?;
    let body = parse_body(&body)?;
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(&body), &[]) {
        g.string(m.get("email"), &["email"]);
        if let Some(Value::String(e)) = m.get("email") {
            if !is_valid_email(e) {
                g.issue(
                    json!({"validation": "regex", "code": "invalid_string", "message": "Invalid", "path": ["email"]}),
                );
            }
        }
        if let Some(v) = m.get("expiresIn") {
            if v.as_u64().is_none_or(|n| n == 0) {
                g.issue(json!({"code": "invalid_type", "expected": "number", "received": "unknown", "path": ["expiresIn"], "message": "Expected a positive number of seconds"}));
            }
        }
    }
    g.finish()?;
    let email = body["email"].as_str().unwrap_or_default().to_owned();
    let ttl = Duration::from_secs(body["expiresIn"].as_u64().unwrap_or(DEFAULT_TOKEN_TTL_SECS));
    let created = state.wall_now();
    let t = OneTimeToken {
        id: crate::random::verification_id(),
        token: crate::random::token43(),
        email,
        expires_at: state.now() + ttl,
        expires_at_ms: epoch_ms(created + ttl),
        created_at_ms: epoch_ms(created),
        consumed: false,
    };
    let out = json!({
        "id": t.id, "token": t.token, "email": t.email, "context": {}, "status": "active",
        "createdAt": t.created_at_ms, "expiresAt": t.expires_at_ms,
    });
    state.store().one_time_tokens.insert(t.token.clone(), t);
    Ok(json_response(StatusCode::CREATED, &out))
}

/// `POST /admin/users {username?, password?, name?, primaryEmail?, primaryPhone?, totpSecret?, backupCodes?,
/// webAuthn?, socialIdentities?}` → 201 `{id, username, name, primaryEmail, primaryPhone}`: adds an account (at least
/// one identifier; the password is hashed like every stored one and counts as set now; `totpSecret` (base32),
/// `backupCodes` (strings) and `webAuthn` (`[{credentialId, publicKey, rpId}]`, base64url, the key as an uncompressed
/// P-256 point) bind those MFA factors; `socialIdentities` (`{target: email}`) links the mock IdP's person of that
/// email), so a test can make the account it needs instead of changing a seeded one. A taken identifier answers the
/// same 422 as registration. Local callers only.
async fn create_user(_: LocalCaller, State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    json_content(&headers, !body.is_empty())?;
    let body = parse_body(&body)?;
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(&body), &[]) {
        for key in ["username", "password", "name", "primaryEmail", "primaryPhone", "totpSecret"] {
            g.optional_string(m.get(key), &[key]);
        }
        if let Some(credentials) = m.get("webAuthn") {
            let field = |c: &Value, k: &str| c.get(k).is_some_and(Value::is_string);
            let valid = |c: &Value| ["credentialId", "publicKey", "rpId"].iter().all(|k| field(c, k));
            if !credentials.as_array().is_some_and(|list| list.iter().all(valid)) {
                g.issue(json!({"code": "invalid_type", "message": "Expected credentials", "path": ["webAuthn"]}));
            }
        }
        if let Some(identities) = m.get("socialIdentities") {
            if !identities.as_object().is_some_and(|map| map.values().all(Value::is_string)) {
                g.issue(json!({"code": "invalid_type", "message": "Expected emails", "path": ["socialIdentities"]}));
            }
        }
        if let Some(codes) = m.get("backupCodes") {
            if !codes.as_array().is_some_and(|codes| codes.iter().all(Value::is_string)) {
                g.issue(json!({"code": "invalid_type", "message": "Expected strings", "path": ["backupCodes"]}));
            }
        }
        const IDENTIFIERS: [&str; 3] = ["username", "primaryEmail", "primaryPhone"];
        for key in IDENTIFIERS {
            let Some(value) = m.get(key).and_then(Value::as_str) else { continue };
            let valid = match key {
                "username" => input_guard::is_valid_username(value),
                "primaryEmail" => is_valid_email(value),
                _ => is_valid_phone(value),
            };
            if !valid {
                g.issue(json!({"validation": "regex", "code": "invalid_string", "message": "Invalid", "path": [key]}));
            }
        }
        if IDENTIFIERS.iter().all(|key| m.get(*key).is_none()) {
            g.issue(
                json!({"code": "custom", "message": "An account needs a username, an email or a phone", "path": []}),
            );
        }
    }
    g.finish()?;
    let text = |k: &str| body[k].as_str().map(str::to_owned);
    let password_hash = text("password").map(|p| crate::users::hash_password(&p));
    let password_updated_at = password_hash.as_ref().map(|_| crate::mfa::now_ms(&state));
    let mut users = state.users();
    let (username, email, phone) = (text("username"), text("primaryEmail"), text("primaryPhone"));
    if username.as_deref().is_some_and(|u| users.username_taken(u)) {
        return Err(ApiError::username_already_in_use());
    }
    if email.as_deref().is_some_and(|e| users.by_email(e).is_some()) {
        return Err(ApiError::email_already_in_use());
    }
    if phone.as_deref().is_some_and(|p| users.by_phone(p).is_some()) {
        return Err(ApiError::phone_already_in_use());
    }
    let mut mfa_verifications = Vec::new();
    if let Some(key) = text("totpSecret") {
        mfa_verifications.push(MfaVerification::Totp { id: users.new_id(), key, last_used_at: None });
    }
    if let Some(codes) = body["backupCodes"].as_array() {
        let codes = codes.iter().filter_map(Value::as_str);
        let codes = codes.map(|code| BackupCode { code: code.to_owned(), used_at: None }).collect();
        mfa_verifications.push(MfaVerification::BackupCode { id: users.new_id(), codes, last_used_at: None });
    }
    for credential in body["webAuthn"].as_array().into_iter().flatten() {
        let field = |k: &str| credential[k].as_str().unwrap_or_default().to_owned();
        mfa_verifications.push(MfaVerification::WebAuthn(WebAuthnCredential {
            id: users.new_id(),
            credential_id: field("credentialId"),
            public_key: field("publicKey"),
            counter: 0,
            transports: vec!["internal".into()],
            rp_id: field("rpId"),
            last_used_at: None,
        }));
    }
    let identities = body["socialIdentities"].as_object().into_iter().flatten();
    let identities = identities.map(|(target, email)| {
        let email = email.as_str().unwrap_or_default();
        let identity = SocialIdentity { user_id: crate::social::subject_for(email), details: json!({"email": email}) };
        (target.clone(), identity)
    });
    let user = crate::users::User {
        id: users.new_id(),
        identities: identities.collect(),
        mfa_verifications,
        username,
        name: text("name"),
        primary_email: email,
        primary_phone: phone,
        password_updated_at,
        password_hash,
        ..Default::default()
    };
    let out = json!({
        "id": user.id, "username": user.username, "name": user.name,
        "primaryEmail": user.primary_email, "primaryPhone": user.primary_phone,
    });
    users.users.push(user);
    Ok(json_response(StatusCode::CREATED, &out))
}

/// `POST /admin/reset`: forgets every user change, interaction, code and session since start. Local callers only.
async fn reset(_: LocalCaller, State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    json_content(&headers, !body.is_empty())?;
    state.reset();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /admin/connector-usage-limit {to, exceeded}`: makes the connector refuse (or accept again) codes for
/// one address with `connector.usage_limit_exceeded`, as Logto's hosted connectors do over their quota. Per
/// address rather than global, so tests running side by side don't starve each other. Local callers only.
async fn set_usage_limit(_: LocalCaller, State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult {
    json_content(&headers, !body.is_empty())?;
    let body = parse_body(&body)?;
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(&body), &[]) {
        g.string(m.get("to"), &["to"]);
        if !m.get("exceeded").is_some_and(Value::is_boolean) {
            g.issue(json!({"code": "invalid_type", "expected": "boolean", "received": "unknown", "path": ["exceeded"], "message": "Expected boolean"}));
        }
    }
    g.finish()?;
    let key = address_key(body["to"].as_str().unwrap_or_default());
    let mut store = state.store();
    if body["exceeded"] == Value::Bool(true) {
        store.over_usage_limit.insert(key);
    } else {
        store.over_usage_limit.remove(&key);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /outbox`: every message, oldest first.
async fn outbox(_: LocalCaller, State(state): State<AppState>) -> Response {
    let list = state.store().outbox.clone();
    json_response(StatusCode::OK, &list)
}

/// `GET /outbox/latest?to=<address>`: the newest message for that address, 404 when there is none.
async fn outbox_latest(
    _: LocalCaller,
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let to = q.get("to").map(|t| address_key(t)).unwrap_or_default();
    let found = state.store().outbox.iter().rev().find(|m| !to.is_empty() && address_key(&m.to) == to).cloned();
    match found {
        Some(m) => json_response(StatusCode::OK, &m),
        None => ApiError::new(StatusCode::NOT_FOUND, "entity.not_found").into_response(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `GET /outbox.html`: the same list for a person running the demo (newest first, no script).
async fn outbox_html(_: LocalCaller, State(state): State<AppState>) -> Response {
    let rows: String = state
        .store()
        .outbox
        .iter()
        .rev()
        .map(|m| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td><code class=\"code\">{}</code></td><td>{}</td></tr>",
                escape(&m.sent_at),
                escape(&m.to),
                if m.kind == "sms" { "SMS" } else { "Email" },
                escape(&m.template),
                escape(&m.code)
            )
        })
        .collect();
    let body = if rows.is_empty() {
        "<p>No codes have been sent yet.</p>".to_owned()
    } else {
        format!("<table><thead><tr><th scope=\"col\">Sent (UTC)</th><th scope=\"col\">To</th><th scope=\"col\">Channel</th><th scope=\"col\">Purpose</th><th scope=\"col\">Code</th></tr></thead><tbody>{rows}</tbody></table>")
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Outbox · reference provider</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem}}table{{border-collapse:collapse}}th,td{{padding:.4rem .8rem;border-bottom:1px solid #ccc;text-align:left}}.code{{font-size:1.3rem;letter-spacing:.15em}}</style></head>\
<body><main><h1>Outbox</h1><p>Verification codes the reference provider would have sent, newest first. <a href=\"/outbox.html\">Refresh</a></p>{body}</main></body></html>"
    );
    let mut res = (StatusCode::OK, html).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// RFC 3339 (UTC, seconds) without a date crate.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's days-to-civil.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_shapes() {
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(1_795_000_000)), "2026-11-18T11:06:40Z");
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert!(
            is_valid_email("a@b.co")
                && !is_valid_email("not-an-email")
                && !is_valid_email("a@b.")
                && !is_valid_email("a b@c.d")
        );
        assert!(is_valid_phone("14155550123") && !is_valid_phone("abc") && !is_valid_phone("+1 415"));
        assert_eq!(six_digits().len(), 6);
    }
}
