//! Experience API wire types, shared by the page (requests it sends) and the reference provider
//! (requests it parses). Shapes follow the Logto 1.42 captures.

use serde::{Deserialize, Serialize};

/// The three interaction kinds of `PUT /api/experience`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InteractionEvent {
    SignIn,
    Register,
    ForgotPassword,
}

/// Kinds of identifier a person can sign in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentifierType {
    Username,
    Email,
    Phone,
}

impl IdentifierType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Username => "username",
            Self::Email => "email",
            Self::Phone => "phone",
        }
    }
}

/// `{"type": "username", "value": "alice"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifier {
    #[serde(rename = "type")]
    pub kind: IdentifierType,
    pub value: String,
}

/// Body of `PUT /api/experience` and `PUT /api/experience/interaction-event`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InteractionEventBody {
    pub interaction_event: InteractionEvent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captcha_token: Option<String>,
}

/// Body of `POST /api/experience/verification/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordVerificationBody {
    pub identifier: Identifier,
    pub password: String,
}

/// Body of `POST /api/experience/identification`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentificationBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_social_identity: Option<bool>,
}

/// `{"verificationId": "…"}`, the answer of every verification call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationIdResponse {
    pub verification_id: String,
}

/// Answer of `POST /api/experience/submit` (absent in the ForgotPassword flow, which answers 204).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmitResponse {
    pub redirect_to: String,
}

/// Logto's error body: `{code, message, data?, details?}`; OIDC errors add `error`, `error_description`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

/// Header names every Experience API call carries.
pub const APP_ID_HEADER: &str = "Logto-App-Id";

/// Answer of `GET /api/experience/sso-connectors?email=`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SsoConnectorIds {
    pub connector_ids: Vec<String>,
}

/// Body of `POST /api/experience/verification/verification-code` (send a code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SendCodeBody {
    pub identifier: Identifier,
    pub interaction_event: InteractionEvent,
}

/// Body of `POST /api/experience/verification/verification-code/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyCodeBody {
    pub identifier: Identifier,
    pub verification_id: String,
    pub code: String,
}

/// Body of `POST /api/experience/profile`, tagged by `type` as Logto's union.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ProfileBody {
    Username { value: String },
    Password { value: String },
    #[serde(rename_all = "camelCase")]
    Email { verification_id: String },
    #[serde(rename_all = "camelCase")]
    Phone { verification_id: String },
    #[serde(rename_all = "camelCase")]
    Social { verification_id: String },
    ExtraProfile { values: serde_json::Map<String, serde_json::Value> },
}

/// Body of `PUT /api/experience/profile/password` (ForgotPassword).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPasswordBody {
    pub password: String,
}
