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
    pub const ALL: [Self; 3] = [Self::Username, Self::Email, Self::Phone];

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

impl SubmitResponse {
    /// Where the browser goes next: `redirectTo` when it is an absolute http(s) URL
    /// ([`is_absolute_http_url`](crate::config::is_absolute_http_url)); `None` for anything else (`javascript:`,
    /// `data:`, a relative path), which the page must not follow.
    pub fn destination(self) -> Option<String> {
        crate::config::is_absolute_http_url(&self.redirect_to).then_some(self.redirect_to)
    }
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
    Username {
        value: String,
    },
    Password {
        value: String,
    },
    #[serde(rename_all = "camelCase")]
    Email {
        verification_id: String,
    },
    #[serde(rename_all = "camelCase")]
    Phone {
        verification_id: String,
    },
    #[serde(rename_all = "camelCase")]
    Social {
        verification_id: String,
    },
    ExtraProfile {
        values: serde_json::Map<String, serde_json::Value>,
    },
}

/// Body of `PUT /api/experience/profile/password` (ForgotPassword).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPasswordBody {
    pub password: String,
}

// --- MFA and passkeys (docs/experience-api.md: Passkey sign-in, MFA verification, MFA binding) ---

/// Answer of `POST /api/experience/verification/totp/secret`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TotpSecretResponse {
    pub verification_id: String,
    pub secret: String,
    /// An image data URL.
    pub secret_qr_code: String,
}

/// Body of `POST /api/experience/verification/totp/verify`: with the id it checks a new secret
/// (binding), without it the user's bound one (verification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TotpVerifyBody {
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_id: Option<String>,
}

/// Answer of `POST /api/experience/verification/backup-code/generate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupCodesResponse {
    pub verification_id: String,
    pub codes: Vec<String>,
}

/// Body of `POST /api/experience/verification/backup-code/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupCodeVerifyBody {
    pub code: String,
}

/// Body of `POST /api/experience/verification/mfa-verification-code` (a code to the user's own address).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaCodeSendBody {
    pub identifier_type: IdentifierType,
}

/// Body of `POST /api/experience/verification/mfa-verification-code/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaCodeVerifyBody {
    pub verification_id: String,
    pub code: String,
    pub identifier_type: IdentifierType,
}

/// Answer of `POST /api/experience/verification/web-authn/registration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebAuthnRegistrationResponse {
    pub verification_id: String,
    /// `PublicKeyCredentialCreationOptionsJSON`.
    pub registration_options: serde_json::Value,
}

/// Answer of `POST /api/experience/verification/web-authn/authentication` (with an id) and of
/// `POST /api/experience/preflight/sign-in-passkey/authentication` (without).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebAuthnAuthenticationResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_id: Option<String>,
    /// `PublicKeyCredentialRequestOptionsJSON`.
    pub authentication_options: serde_json::Value,
}

/// Body of the WebAuthn `…/verify` calls: the credential's JSON with `"type": "WebAuthn"`.
/// The sign-in passkey verify of the preflight options has no id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebAuthnVerifyBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_id: Option<String>,
    pub payload: serde_json::Value,
}

/// Body of `POST /api/experience/profile/mfa`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BindMfaBody {
    #[serde(rename = "type")]
    pub kind: crate::mfa::MfaFactor,
    pub verification_id: String,
}

/// Body of `POST /api/experience/profile/mfa/passkey`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BindPasskeyBody {
    pub verification_id: String,
}

/// Answer of the legacy `GET /api/interaction/consent`: the application asking, the account signed in here and,
/// for a third-party application, what it asks for that the account has not granted yet (docs/experience-api.md,
/// "Consent").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentInfoResponse {
    pub application: ConsentApplication,
    pub user: ConsentUser,
    /// The account's organizations, when the request asks for organization access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organizations: Option<Vec<ConsentOrganization>>,
    /// OIDC user scopes (`profile`, `email`, ...) not granted yet.
    #[serde(rename = "missingOIDCScope", default, skip_serializing_if = "Option::is_none")]
    pub missing_oidc_scope: Option<Vec<String>>,
    /// API resource scopes not granted yet, by resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_resource_scopes: Option<Vec<ResourceScopes>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
}

/// `application` of [`ConsentInfoResponse`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentApplication {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branding: Option<ApplicationBranding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_of_use_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_policy_url: Option<String>,
}

impl ConsentApplication {
    /// The name shown to people: the display name when set.
    pub fn shown_name(&self) -> &str {
        self.display_name.as_deref().filter(|n| !n.trim().is_empty()).unwrap_or(&self.name)
    }
}

/// An application's logos (`branding`); either may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationBranding {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dark_logo_url: Option<String>,
}

/// One organization of the account in [`ConsentInfoResponse`], with the API scopes it would grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentOrganization {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_resource_scopes: Option<Vec<ResourceScopes>>,
}

/// The scopes of one API resource that a consent would grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceScopes {
    pub resource: ConsentResource,
    pub scopes: Vec<ConsentScope>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentResource {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentScope {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Body of the legacy `POST /api/interaction/consent` (answered with a [`SubmitResponse`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_ids: Option<Vec<String>>,
}

/// `user` of [`ConsentInfoResponse`]: the signed-in account (Logto sends `null` for what it lacks).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentUser {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub avatar: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub primary_email: Option<String>,
    #[serde(default)]
    pub primary_phone: Option<String>,
}

impl ConsentUser {
    /// How the account is named to its owner: email, else phone, username, name, id (Logto shows the email).
    pub fn account_label(&self) -> String {
        [&self.primary_email, &self.primary_phone, &self.username, &self.name]
            .into_iter()
            .flatten()
            .find(|s| !s.trim().is_empty())
            .cloned()
            .unwrap_or_else(|| self.id.clone())
    }
}

#[cfg(test)]
mod consent_wire_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn consent_info_parses_and_names_the_account() {
        let info: ConsentInfoResponse = serde_json::from_value(json!({
            "application": {"id": "demo-app", "name": "Live Preview"},
            "user": {"id": "u1", "name": "Erin", "avatar": null, "username": "erin",
                     "primaryEmail": "erin@example.com", "primaryPhone": null},
            "redirectUri": "http://127.0.0.1:3001/demo/callback",
            "missingOIDCScope": []
        }))
        .unwrap();
        assert_eq!(info.application.name, "Live Preview");
        assert_eq!(info.user.account_label(), "erin@example.com");
        let no_email = ConsentUser { id: "u2".into(), username: Some("alice".into()), ..ConsentUser::default() };
        assert_eq!(no_email.account_label(), "alice");
        let phone =
            ConsentUser { primary_email: Some(" ".into()), primary_phone: Some("14155550123".into()), ..no_email };
        assert_eq!(phone.account_label(), "14155550123");
        assert_eq!(ConsentUser { id: "u3".into(), ..ConsentUser::default() }.account_label(), "u3");
    }
}

#[cfg(test)]
mod mfa_wire_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mfa_bodies_match_the_captures() {
        let bind = BindMfaBody { kind: crate::mfa::MfaFactor::Totp, verification_id: "v".into() };
        assert_eq!(serde_json::to_value(&bind).unwrap(), json!({"type": "Totp", "verificationId": "v"}));
        let verify = TotpVerifyBody { code: "000000".into(), verification_id: None };
        assert_eq!(serde_json::to_value(&verify).unwrap(), json!({"code": "000000"}));
        let send = MfaCodeSendBody { identifier_type: IdentifierType::Email };
        assert_eq!(serde_json::to_value(&send).unwrap(), json!({"identifierType": "email"}));
        let secret: TotpSecretResponse = serde_json::from_value(
            json!({"verificationId": "j", "secret": "L47B", "secretQrCode": "data:image/png;base64,x"}),
        )
        .unwrap();
        assert_eq!(secret.secret, "L47B");
        let preflight: WebAuthnAuthenticationResponse =
            serde_json::from_value(json!({"authenticationOptions": {"challenge": "c"}})).unwrap();
        assert_eq!(preflight.verification_id, None);
        let passkey = WebAuthnVerifyBody { verification_id: None, payload: json!({"type": "WebAuthn"}) };
        assert_eq!(serde_json::to_value(&passkey).unwrap(), json!({"payload": {"type": "WebAuthn"}}));
    }
}

#[cfg(test)]
mod destination_tests {
    use super::SubmitResponse;

    #[test]
    fn only_an_absolute_http_redirect_is_followed() {
        let to = |url: &str| SubmitResponse { redirect_to: url.into() }.destination();
        assert_eq!(to("https://id.example.com/oidc/auth/x").as_deref(), Some("https://id.example.com/oidc/auth/x"));
        for unsafe_url in ["javascript:alert(1)", "data:text/html,x", "/oidc/auth/x", "not a url", ""] {
            assert_eq!(to(unsafe_url), None, "{unsafe_url:?}");
        }
    }
}
