//! Request-body validation that reports problems the way Logto's zod guards do
//! (`guard.invalid_input` with `data.issues[]`), so the page can be tested against the same shapes; and the JSON-only
//! rule of the Experience API ([`json_only`]).

use crate::errors::ApiError;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// The paths that speak JSON only: the Experience API and the legacy interaction API.
fn is_json_api(path: &str) -> bool {
    path == "/api/experience" || path.starts_with("/api/experience/") || path.starts_with("/api/interaction/")
}

/// Middleware: a request to the Experience API (or `/api/interaction/*`) must send its body as `application/json`
/// (parameters such as `; charset=utf-8` allowed), or send neither a body nor a `Content-Type`. Anything else is
/// what a cross-site form or a `no-cors` fetch can send without a CORS preflight (`text/plain`, form encodings,
/// a typeless body), so it is refused with 415 before any handler runs, even on calls that take no body.
pub async fn json_only(req: Request, next: Next) -> Response {
    if is_json_api(req.uri().path()) {
        if let Err(e) = json_content(req.headers(), declares_body(req.headers())) {
            return e.into_response();
        }
    }
    next.run(req).await
}

/// Whether the request's framing announces a body (HTTP/1.1: a non-zero `Content-Length` or any
/// `Transfer-Encoding`; without either there is none).
fn declares_body(headers: &HeaderMap) -> bool {
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.to_str().ok().and_then(|s| s.trim().parse::<u64>().ok()) != Some(0))
}

/// The JSON-only rule for one request: exactly one `Content-Type`, `application/json`; or none, and no body.
pub fn json_content(headers: &HeaderMap, has_body: bool) -> Result<(), ApiError> {
    let mut types = headers.get_all(header::CONTENT_TYPE).iter();
    match (types.next(), types.next()) {
        (None, _) if !has_body => Ok(()),
        (Some(t), None) if is_json_media_type(t) => Ok(()),
        _ => Err(ApiError::unsupported_media_type()),
    }
}

/// `application/json`, in any letter case, with or without parameters.
fn is_json_media_type(value: &HeaderValue) -> bool {
    value
        .to_str()
        .ok()
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// Parses a request body like Koa's body parser: an empty body is `{}`.
pub fn parse_body(bytes: &[u8]) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(bytes).map_err(|_| {
        ApiError::invalid_input(
            vec![json!({"code": "invalid_type", "expected": "object", "received": "string", "path": [], "message": "Expected a JSON object"})],
        )
    })
}

/// zod's name for the type of a JSON value.
fn received(v: Option<&Value>) -> &'static str {
    match v {
        None => "undefined",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "boolean",
        Some(Value::Number(_)) => "number",
        Some(Value::String(_)) => "string",
        Some(Value::Array(_)) => "array",
        Some(Value::Object(_)) => "object",
    }
}

/// Collects issues while walking one body.
#[derive(Default)]
pub struct Guard {
    issues: Vec<Value>,
}

impl Guard {
    pub fn new() -> Self {
        Self::default()
    }

    fn type_issue(&mut self, path: &[&str], expected: &str, got: Option<&Value>) {
        let message = if got.is_none() {
            "Required".to_owned()
        } else {
            format!("Expected {expected}, received {}", received(got))
        };
        self.issues.push(json!({
            "code": "invalid_type", "expected": expected, "received": received(got), "path": path, "message": message,
        }));
    }

    /// A required object; returns it for nested checks.
    pub fn object<'a>(&mut self, v: Option<&'a Value>, path: &[&str]) -> Option<&'a serde_json::Map<String, Value>> {
        match v {
            Some(Value::Object(m)) => Some(m),
            other => {
                self.type_issue(path, "object", other);
                None
            }
        }
    }

    pub fn string(&mut self, v: Option<&Value>, path: &[&str]) {
        if !matches!(v, Some(Value::String(_))) {
            self.type_issue(path, "string", v);
        }
    }

    pub fn optional_string(&mut self, v: Option<&Value>, path: &[&str]) {
        if v.is_some() {
            self.string(v, path);
        }
    }

    pub fn optional_bool(&mut self, v: Option<&Value>, path: &[&str]) {
        if v.is_some() && !matches!(v, Some(Value::Bool(_))) {
            self.type_issue(path, "boolean", v);
        }
    }

    /// A required string out of `options`.
    pub fn enumeration(&mut self, v: Option<&Value>, options: &[&str], path: &[&str]) {
        let expected = options.iter().map(|o| format!("'{o}'")).collect::<Vec<_>>().join(" | ");
        match v {
            Some(Value::String(s)) if options.contains(&s.as_str()) => {}
            Some(Value::String(s)) => self.issues.push(json!({
                "received": s, "code": "invalid_enum_value", "options": options, "path": path,
                "message": format!("Expected one of {expected}, got '{s}'"),
            })),
            other => self.type_issue(path, &expected, other),
        }
    }

    /// Adds an issue the typed helpers do not cover (e.g. a regex check).
    pub fn issue(&mut self, issue: Value) {
        self.issues.push(issue);
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid_input(self.issues))
        }
    }
}

/// Logto's `InteractionEvent` names, in its order.
pub(crate) const EVENTS: &[&str] = &["SignIn", "Register", "ForgotPassword"];
const IDENTIFIER_TYPES: &[&str] = &["username", "email", "phone"];

/// `{interactionEvent, captchaToken?}`
pub fn interaction_event_body(body: &Value) -> Result<sign_in_core::api::InteractionEventBody, ApiError> {
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(body), &[]) {
        g.enumeration(m.get("interactionEvent"), EVENTS, &["interactionEvent"]);
        g.optional_string(m.get("captchaToken"), &["captchaToken"]);
    }
    g.finish()?;
    decode(body)
}

/// `{identifier: {type, value}, password}`
pub fn password_body(body: &Value) -> Result<sign_in_core::api::PasswordVerificationBody, ApiError> {
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(body), &[]) {
        if let Some(id) = g.object(m.get("identifier"), &["identifier"]) {
            g.enumeration(id.get("type"), IDENTIFIER_TYPES, &["identifier", "type"]);
            g.string(id.get("value"), &["identifier", "value"]);
        }
        g.string(m.get("password"), &["password"]);
    }
    g.finish()?;
    decode(body)
}

/// `{verificationId?, linkSocialIdentity?}`
pub fn identification_body(body: &Value) -> Result<sign_in_core::api::IdentificationBody, ApiError> {
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(body), &[]) {
        g.optional_string(m.get("verificationId"), &["verificationId"]);
        g.optional_bool(m.get("linkSocialIdentity"), &["linkSocialIdentity"]);
    }
    g.finish()?;
    decode(body)
}

pub(crate) fn decode<T: serde::de::DeserializeOwned>(body: &Value) -> Result<T, ApiError> {
    // The guard above already checked every field serde needs, so this only fails on a guard bug.
    serde_json::from_value(body.clone())
        .map_err(|e| ApiError::invalid_input(vec![json!({"code": "custom", "path": [], "message": e.to_string()})]))
}

/// `{state, redirectUri}` of `verification/{social,sso}/:id/authorization-uri` → (state, redirectUri).
pub fn authorization_uri_body(body: &Value) -> Result<(String, String), ApiError> {
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(body), &[]) {
        g.string(m.get("state"), &["state"]);
        g.string(m.get("redirectUri"), &["redirectUri"]);
    }
    g.finish()?;
    let text = |k: &str| body[k].as_str().unwrap_or_default().to_owned();
    Ok((text("state"), text("redirectUri")))
}

/// `{connectorData: {...}, verificationId?}` (`verificationId` required for SSO) → (verificationId, connectorData).
pub fn connector_verify_body(
    body: &Value,
    vid_required: bool,
) -> Result<(Option<String>, serde_json::Map<String, Value>), ApiError> {
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(body), &[]) {
        g.object(m.get("connectorData"), &["connectorData"]);
        if vid_required {
            g.string(m.get("verificationId"), &["verificationId"]);
        } else {
            g.optional_string(m.get("verificationId"), &["verificationId"]);
        }
    }
    g.finish()?;
    let data = body["connectorData"].as_object().cloned().unwrap_or_default();
    Ok((body["verificationId"].as_str().map(str::to_owned), data))
}

const PROFILE_TYPES: &[&str] = &["username", "password", "email", "phone", "social", "extraProfile"];

/// Logto's username rule (`usernameRegEx`): a letter or underscore, then word characters.
pub fn is_valid_username(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `POST /api/experience/profile`: a union discriminated by `type`, decoded once the guard has passed.
pub fn profile_body(body: &Value) -> Result<sign_in_core::api::ProfileBody, ApiError> {
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(body), &[]) {
        let kind = m.get("type").and_then(Value::as_str).filter(|t| PROFILE_TYPES.contains(t));
        match kind {
            None => {
                let expected = PROFILE_TYPES.iter().map(|o| format!("'{o}'")).collect::<Vec<_>>().join(" | ");
                g.issues.push(json!({
                    "code": "invalid_union_discriminator", "options": PROFILE_TYPES, "path": ["type"],
                    "message": format!("Invalid discriminator value. Expected {expected}"),
                }));
            }
            Some("username") => {
                g.string(m.get("value"), &["value"]);
                if let Some(Value::String(v)) = m.get("value") {
                    if !is_valid_username(v) {
                        g.issues.push(json!({"validation": "regex", "code": "invalid_string", "message": "Invalid", "path": ["value"]}));
                    }
                }
            }
            Some("password") => g.string(m.get("value"), &["value"]),
            Some("extraProfile") => {
                g.object(m.get("values"), &["values"]);
            }
            Some(_) => g.string(m.get("verificationId"), &["verificationId"]),
        }
    }
    g.finish()?;
    decode(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn json_only_rule() {
        for ok in ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"] {
            assert!(json_content(&headers(&[("content-type", ok)]), true).is_ok(), "{ok}");
            assert!(json_content(&headers(&[("content-type", ok)]), false).is_ok(), "{ok}");
        }
        // No type and no body: the page's body-less calls.
        assert!(json_content(&headers(&[]), false).is_ok());
        // A body without a type, or any other type, with or without a body.
        assert!(json_content(&headers(&[]), true).is_err());
        for bad in [
            "text/plain",
            "text/plain;charset=UTF-8",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "text/plain; x=application/json",
            "application/jsonx",
            "",
        ] {
            assert!(json_content(&headers(&[("content-type", bad)]), true).is_err(), "{bad}");
            assert!(json_content(&headers(&[("content-type", bad)]), false).is_err(), "{bad}");
        }
        let twice = headers(&[("content-type", "application/json"), ("content-type", "text/plain")]);
        assert!(json_content(&twice, true).is_err());
        let e = json_content(&headers(&[("content-type", "text/plain")]), true).unwrap_err();
        assert_eq!((e.status.as_u16(), e.body.code.as_str()), (415, "guard.invalid_input"));

        assert!(!declares_body(&headers(&[])));
        assert!(!declares_body(&headers(&[("content-length", "0")])));
        assert!(declares_body(&headers(&[("content-length", "2")])));
        assert!(declares_body(&headers(&[("transfer-encoding", "chunked")])));
        assert!(is_json_api("/api/experience") && is_json_api("/api/experience/submit"));
        assert!(is_json_api("/api/interaction/consent") && !is_json_api("/api/.well-known/sign-in-exp"));
        assert!(!is_json_api("/callback/mock-social") && !is_json_api("/oidc/token"));
    }

    #[test]
    fn profile_body_guards_then_decodes_into_core_type() {
        use sign_in_core::api::ProfileBody;
        let decoded = profile_body(&json!({"type": "phone", "verificationId": "v1", "extra": 1})).unwrap();
        assert_eq!(decoded, ProfileBody::Phone { verification_id: "v1".into() });
        let decoded = profile_body(&json!({"type": "extraProfile", "values": {"name": "A"}})).unwrap();
        assert!(matches!(decoded, ProfileBody::ExtraProfile { values } if values["name"] == "A"));
        // Bad input answers the zod-like body, never a serde message.
        let e = profile_body(&json!({"type": "nope"})).unwrap_err();
        assert_eq!(e.body.code, "guard.invalid_input");
        let issues = serde_json::to_value(&e.body).unwrap()["data"]["issues"].clone();
        assert_eq!(issues[0]["code"], "invalid_union_discriminator");
        let e = profile_body(&json!({"type": "username", "value": "1abc"})).unwrap_err();
        let issues = serde_json::to_value(&e.body).unwrap()["data"]["issues"].clone();
        assert_eq!(issues[0]["validation"], "regex");
    }
}
