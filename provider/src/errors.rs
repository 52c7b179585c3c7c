//! Logto-shaped error responses. Codes and statuses are Logto's; the `message` sentences are our own, one per code
//! in `crate::messages`, in the language of the request being answered.

use crate::messages;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use sign_in_core::api::{ErrorBody, IdentifierType};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// Boxed so `Result<_, ApiError>` stays small on the happy path.
    pub body: Box<ErrorBody>,
}

impl ApiError {
    /// `code`'s error with its message (`crate::messages`) in the current request's language.
    pub fn new(status: StatusCode, code: &str) -> Self {
        Self {
            status,
            body: Box::new(ErrorBody {
                code: code.into(),
                message: messages::text(code, messages::current()).into(),
                data: None,
                details: None,
                error: None,
                error_description: None,
            }),
        }
    }

    pub fn with_data(mut self, data: Value) -> Self {
        self.body.data = Some(data);
        self
    }

    /// No `_interaction` cookie, or one naming no live interaction. Shape of oidc-provider's
    /// SessionNotFound as reshaped by Logto (the `error_description` is a protocol fact the page may match).
    pub fn session_not_found() -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, "session.not_found");
        e.body.error = Some("invalid_request".into());
        e.body.error_description = Some("interaction session id cookie not found".into());
        e
    }

    /// Any Experience API call (other than the whitelisted ones) before `PUT /api/experience`.
    pub fn interaction_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "session.interaction_not_found")
    }

    pub fn invalid_credentials() -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "session.invalid_credentials")
    }

    /// `session.email_blocklist.*` (`code` from `EmailBlocklist::refusal`).
    pub fn email_blocked(code: &'static str) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code)
    }

    pub fn connector_usage_limit_exceeded() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "connector.usage_limit_exceeded")
    }

    pub fn password_expired() -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "password.expired")
    }

    pub fn verification_session_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "session.verification_session_not_found")
    }

    pub fn identifier_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "session.identifier_not_found")
    }

    pub fn identity_conflict() -> Self {
        Self::new(StatusCode::CONFLICT, "session.identity_conflict")
    }

    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "auth.forbidden")
    }

    pub fn not_supported_for_forgot_password() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "session.not_supported_for_forgot_password")
    }

    pub fn too_many_attempts() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "session.verification_blocked_too_many_attempts")
    }

    pub fn user_not_exist(identifier: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "user.user_not_exist").with_data(json!({ "identifier": identifier }))
    }

    pub fn missing_profile(missing: &[&str]) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "user.missing_profile")
            .with_data(json!({ "missingProfile": missing }))
    }

    /// An unknown social connector id (Logto's connector library: `entity.not_found`, 404, no data).
    pub fn connector_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "entity.not_found")
    }

    /// An unknown enterprise SSO connector id (`ssoConnectors.findById`: `entity.not_exists_with_id`, 404).
    pub fn sso_connector_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "entity.not_exists_with_id")
    }

    /// `state` or `redirectUri` empty in an authorization-uri request.
    pub fn insufficient_info() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "session.insufficient_info")
    }

    /// The identity provider's code is unknown, used, expired or for another connector.
    pub fn invalid_auth_code() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "connector.invalid_auth_code")
    }

    /// A social/SSO record that has not been through `verify` yet.
    pub fn verification_failed() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "session.verification_failed")
    }

    /// No account has this social identity. `related` is the e-mail of an account it could be linked to;
    /// `data` is `{}` without one (as captured) and absent for the `linkSocialIdentity` variant.
    pub fn identity_not_exist(related: Option<&str>, with_data: bool) -> Self {
        let e = Self::new(StatusCode::NOT_FOUND, "user.identity_not_exist");
        match related {
            Some(email) => e.with_data(json!({ "relatedUser": { "type": "email", "value": email } })),
            None if with_data => e.with_data(json!({})),
            None => e,
        }
    }

    pub fn sso_identity_not_exist() -> Self {
        Self::new(StatusCode::NOT_FOUND, "user.sso_identity_not_exist")
    }

    pub fn identity_already_in_use() -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "user.identity_already_in_use")
    }

    pub fn username_already_in_use() -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "user.username_already_in_use")
    }

    pub fn email_already_in_use() -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "user.email_already_in_use")
    }

    pub fn phone_already_in_use() -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "user.phone_already_in_use")
    }

    /// A SignIn profile write for something the account already has (`username`, `email`, `phone`, `password`).
    pub fn exists_in_profile(what: &str) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, &format!("user.{what}_exists_in_profile"))
    }

    pub fn sign_in_method_not_enabled() -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "user.sign_in_method_not_enabled")
    }

    /// A ForgotPassword submit before `PUT profile/password`.
    pub fn new_password_required() -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "user.new_password_required_in_profile")
    }

    pub fn same_password() -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "user.same_password")
    }

    /// `password.rejected` with the policy issues (`[{code:"password_rejected.<x>", interpolation?}]`).
    pub fn password_rejected(issues: Vec<Value>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "password.rejected").with_data(Value::Array(issues))
    }

    /// `PUT profile/password` outside a password reset (status and code: best knowledge, not captured).
    pub fn invalid_interaction_type() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "session.invalid_interaction_type")
    }

    pub fn code_mismatch() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "verification_code.code_mismatch")
    }

    pub fn code_expired() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "verification_code.expired")
    }

    pub fn code_exceed_max_try() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "verification_code.exceed_max_try")
    }

    /// The identifier of a verify call is not the one the code was sent to.
    pub fn code_identifier_mismatch(kind: IdentifierType) -> Self {
        let code = if kind == IdentifierType::Phone {
            "verification_code.phone_mismatch"
        } else {
            "verification_code.email_mismatch"
        };
        Self::new(StatusCode::BAD_REQUEST, code)
    }

    /// Too many codes sent to one address within a minute (Logto's connector rate-limit code; best knowledge).
    pub fn code_rate_limited() -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "connector.rate_limit_exceeded")
    }

    pub fn one_time_token_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "one_time_token.token_not_found")
    }

    pub fn one_time_token_consumed() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "one_time_token.token_consumed")
    }

    pub fn one_time_token_expired() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "one_time_token.token_expired")
    }

    pub fn one_time_token_email_mismatch() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "one_time_token.email_mismatch")
    }

    /// The e-mail's domain signs in through enterprise SSO only.
    pub fn sso_enabled(connectors: Vec<Value>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "session.sso_enabled")
            .with_data(json!({ "ssoConnectors": connectors }))
    }

    /// 415 for an Experience API request whose body is not declared as JSON (see `input_guard::json_only`). Logto
    /// has no code of its own for this; `guard.invalid_input` is its code for a request body it cannot use.
    pub fn unsupported_media_type() -> Self {
        let issue = json!({
            "code": "custom", "path": [], "message": "Expected Content-Type: application/json (or no body at all)",
        });
        let mut e = Self::invalid_input(vec![issue]);
        e.status = StatusCode::UNSUPPORTED_MEDIA_TYPE;
        e
    }

    /// `guard.invalid_input` with zod-like issues (see `input_guard`).
    pub fn invalid_input(issues: Vec<Value>) -> Self {
        let details = issues
            .iter()
            .map(|i| {
                let path: Vec<String> = i["path"]
                    .as_array()
                    .map(|p| p.iter().map(|s| s.as_str().map(str::to_owned).unwrap_or_else(|| s.to_string())).collect())
                    .unwrap_or_default();
                format!(
                    "Error in key path \"{}\": ({}) {}",
                    path.join("."),
                    i["code"].as_str().unwrap_or(""),
                    i["message"].as_str().unwrap_or("")
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut e = Self::new(StatusCode::BAD_REQUEST, "guard.invalid_input")
            .with_data(json!({ "issues": issues, "name": "ZodError" }));
        e.body.details = Some(details);
        e
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        json_response(self.status, &self.body)
    }
}

/// JSON with Logto's `application/json; charset=utf-8` content type.
pub fn json_response<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut res = (status, bytes).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    res
}
