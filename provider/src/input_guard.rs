//! Request-body validation that reports problems the way Logto's zod guards do
//! (`guard.invalid_input` with `data.issues[]`), so the page can be tested against the same shapes.

use crate::errors::ApiError;
use serde_json::{json, Value};

/// Parses a request body like Koa's body parser: an empty body is `{}`.
pub fn parse_body(bytes: &[u8]) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(bytes).map_err(|_| {
        ApiError::invalid_input(
            vec![json!({"code": "invalid_type", "expected": "object", "received": "string", "path": [], "message": "Expected a JSON object"})],
            "body",
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
        let message = if got.is_none() { "Required".to_owned() } else { format!("Expected {expected}, received {}", received(got)) };
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

    pub fn finish(self, what: &str) -> Result<(), ApiError> {
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid_input(self.issues, what))
        }
    }
}

const EVENTS: &[&str] = &["SignIn", "Register", "ForgotPassword"];
const IDENTIFIER_TYPES: &[&str] = &["username", "email", "phone"];

/// `{interactionEvent, captchaToken?}`
pub fn interaction_event_body(body: &Value) -> Result<sign_in_core::api::InteractionEventBody, ApiError> {
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(body), &[]) {
        g.enumeration(m.get("interactionEvent"), EVENTS, &["interactionEvent"]);
        g.optional_string(m.get("captchaToken"), &["captchaToken"]);
    }
    g.finish("body")?;
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
    g.finish("body")?;
    decode(body)
}

/// `{verificationId?, linkSocialIdentity?}`
pub fn identification_body(body: &Value) -> Result<sign_in_core::api::IdentificationBody, ApiError> {
    let mut g = Guard::new();
    if let Some(m) = g.object(Some(body), &[]) {
        g.optional_string(m.get("verificationId"), &["verificationId"]);
        g.optional_bool(m.get("linkSocialIdentity"), &["linkSocialIdentity"]);
    }
    g.finish("body")?;
    decode(body)
}

fn decode<T: serde::de::DeserializeOwned>(body: &Value) -> Result<T, ApiError> {
    // The guard above already checked every field serde needs, so this only fails on a guard bug.
    serde_json::from_value(body.clone()).map_err(|e| {
        ApiError::invalid_input(vec![json!({"code": "custom", "path": [], "message": e.to_string()})], "body")
    })
}
