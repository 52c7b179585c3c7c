//! The one module that speaks HTTP to the provider: typed requests, typed Logto errors, and the
//! `Logto-App-Id` / `Accept-Language` headers on every Experience API call.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sign_in_core::api::{
    BackupCodeVerifyBody, BackupCodesResponse, BindMfaBody, BindPasskeyBody, ErrorBody, IdentificationBody, Identifier,
    IdentifierType, InteractionEvent, InteractionEventBody, MfaCodeSendBody, MfaCodeVerifyBody, NewPasswordBody,
    PasswordVerificationBody, ProfileBody, SendCodeBody, SsoConnectorIds, SubmitResponse, TotpSecretResponse, TotpVerifyBody,
    VerificationIdResponse, VerifyCodeBody, WebAuthnAuthenticationResponse, WebAuthnRegistrationResponse, WebAuthnVerifyBody,
    APP_ID_HEADER,
};
use sign_in_core::mfa::MfaFactor;
use sign_in_core::config::SignInExperience;
use sign_in_core::flow::ApiFailure;
use sign_in_core::i18n::Phrases;
use sign_in_core::landing;
use sign_in_core::social::RoundTrip;

/// How long a call may take before the page says so (the provider's own steps are fast).
const TIMEOUT_MS: u32 = 20_000;

/// The Experience API as one visit sees it.
#[derive(Debug, Clone)]
pub struct ExperienceApi {
    pub app_id: Option<String>,
    /// The page's language, so the provider's error messages come back in it.
    pub language: String,
}

impl ExperienceApi {
    fn request(&self, builder: RequestBuilder) -> RequestBuilder {
        let builder = builder.header("Accept-Language", &self.language);
        match &self.app_id {
            Some(app_id) => builder.header(APP_ID_HEADER, app_id),
            None => builder,
        }
    }

    async fn call<B: Serialize>(&self, builder: RequestBuilder, body: Option<&B>) -> Result<Response, ApiFailure> {
        let builder = self.request(builder).abort_signal(timeout_signal().as_ref());
        let sent = match body {
            Some(body) => builder.json(body).map_err(|_| ApiFailure::Malformed)?.send().await,
            None => builder.send().await,
        };
        check(sent).await
    }

    /// `PUT /api/experience`: starts (or restarts) the interaction.
    pub async fn start(&self, event: InteractionEvent) -> Result<(), ApiFailure> {
        let body = InteractionEventBody { interaction_event: event, captcha_token: None };
        self.call(Request::put("/api/experience"), Some(&body)).await.map(drop)
    }

    /// `POST /api/experience/verification/password` → the verification id.
    pub async fn verify_password(&self, identifier: Identifier, password: String) -> Result<String, ApiFailure> {
        let body = PasswordVerificationBody { identifier, password };
        let response = self.call(Request::post("/api/experience/verification/password"), Some(&body)).await?;
        json::<VerificationIdResponse>(response).await.map(|r| r.verification_id)
    }

    /// `POST /api/experience/identification`.
    pub async fn identify(&self, verification_id: Option<String>) -> Result<(), ApiFailure> {
        let body = IdentificationBody { verification_id, link_social_identity: None };
        self.call(Request::post("/api/experience/identification"), Some(&body)).await.map(drop)
    }

    /// `PUT /api/experience/interaction-event`: switches SignIn ↔ Register within the interaction.
    pub async fn switch_event(&self, event: InteractionEvent) -> Result<(), ApiFailure> {
        let body = InteractionEventBody { interaction_event: event, captcha_token: None };
        self.call(Request::put("/api/experience/interaction-event"), Some(&body)).await.map(drop)
    }

    /// `POST /api/experience/identification` linking the verified social identity to the related account.
    pub async fn identify_and_link(&self, verification_id: String) -> Result<(), ApiFailure> {
        let body = IdentificationBody { verification_id: Some(verification_id), link_social_identity: Some(true) };
        self.call(Request::post("/api/experience/identification"), Some(&body)).await.map(drop)
    }

    /// `POST /api/experience/verification/{social|sso}/:id/verify` with what the IdP sent back.
    pub async fn verify_round_trip(
        &self,
        round_trip: RoundTrip,
        connector_id: &str,
        verification_id: String,
        connector_data: serde_json::Map<String, serde_json::Value>,
    ) -> Result<String, ApiFailure> {
        let path = format!(
            "/api/experience/verification/{}/{}/verify",
            round_trip.api_segment(),
            js_sys::encode_uri_component(connector_id)
        );
        let body = serde_json::json!({ "verificationId": verification_id, "connectorData": connector_data });
        let response = self.call(Request::post(&path), Some(&body)).await?;
        json::<VerificationIdResponse>(response).await.map(|r| r.verification_id)
    }

    /// `GET /api/experience/sso-connectors?email=` → ids of the SSO connectors serving the email's domain.
    pub async fn sso_connectors(&self, email: &str) -> Result<Vec<String>, ApiFailure> {
        let url = format!("/api/experience/sso-connectors{}", landing::query_of(&[("email", Some(email))]));
        let response = self.call::<()>(Request::get(&url), None).await?;
        json::<SsoConnectorIds>(response).await.map(|r| r.connector_ids)
    }

    /// `POST /api/experience/verification/verification-code`: sends a code → the verification id.
    pub async fn send_code(&self, identifier: Identifier, event: InteractionEvent) -> Result<String, ApiFailure> {
        let body = SendCodeBody { identifier, interaction_event: event };
        let response = self.call(Request::post("/api/experience/verification/verification-code"), Some(&body)).await?;
        json::<VerificationIdResponse>(response).await.map(|r| r.verification_id)
    }

    /// `POST /api/experience/verification/verification-code/verify`.
    pub async fn verify_code(&self, identifier: Identifier, verification_id: String, code: String) -> Result<String, ApiFailure> {
        let body = VerifyCodeBody { identifier, verification_id, code };
        let path = "/api/experience/verification/verification-code/verify";
        let response = self.call(Request::post(path), Some(&body)).await?;
        json::<VerificationIdResponse>(response).await.map(|r| r.verification_id)
    }

    /// `POST /api/experience/profile`.
    pub async fn add_profile(&self, profile: ProfileBody) -> Result<(), ApiFailure> {
        self.call(Request::post("/api/experience/profile"), Some(&profile)).await.map(drop)
    }

    /// `PUT /api/experience/profile/password` (password reset).
    pub async fn set_new_password(&self, password: String) -> Result<(), ApiFailure> {
        let body = NewPasswordBody { password };
        self.call(Request::put("/api/experience/profile/password"), Some(&body)).await.map(drop)
    }

    /// `POST /api/experience/submit` of a password reset: 204, no redirect (the interaction stays open).
    pub async fn submit_reset(&self) -> Result<(), ApiFailure> {
        self.call::<()>(Request::post("/api/experience/submit"), None).await.map(drop)
    }

    /// `POST /api/experience/submit` → where the browser goes next.
    pub async fn submit(&self) -> Result<String, ApiFailure> {
        let response = self.call::<()>(Request::post("/api/experience/submit"), None).await?;
        json::<SubmitResponse>(response).await.map(|r| r.redirect_to)
    }

    /// A `POST` without body answering `{verificationId, …}` (the MFA "start" calls).
    async fn post_for<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiFailure> {
        let response = self.call::<()>(Request::post(path), None).await?;
        json::<T>(response).await
    }

    /// A `POST` with a body answering `{verificationId}`.
    async fn verify_with<B: Serialize>(&self, path: &str, body: &B) -> Result<String, ApiFailure> {
        let response = self.call(Request::post(path), Some(body)).await?;
        json::<VerificationIdResponse>(response).await.map(|r| r.verification_id)
    }

    /// `POST /api/experience/verification/totp/secret`: a new secret to bind.
    pub async fn totp_secret(&self) -> Result<TotpSecretResponse, ApiFailure> {
        self.post_for("/api/experience/verification/totp/secret").await
    }

    /// `POST /api/experience/verification/totp/verify`: with the id, the new secret; without, the bound one.
    pub async fn verify_totp(&self, code: String, verification_id: Option<String>) -> Result<String, ApiFailure> {
        self.verify_with("/api/experience/verification/totp/verify", &TotpVerifyBody { code, verification_id }).await
    }

    /// `POST /api/experience/verification/backup-code/generate`.
    pub async fn generate_backup_codes(&self) -> Result<BackupCodesResponse, ApiFailure> {
        self.post_for("/api/experience/verification/backup-code/generate").await
    }

    /// `POST /api/experience/verification/backup-code/verify`.
    pub async fn verify_backup_code(&self, code: String) -> Result<String, ApiFailure> {
        self.verify_with("/api/experience/verification/backup-code/verify", &BackupCodeVerifyBody { code }).await
    }

    /// `POST /api/experience/verification/mfa-verification-code`: a code to the user's own email/phone.
    pub async fn send_mfa_code(&self, identifier_type: IdentifierType) -> Result<String, ApiFailure> {
        self.verify_with("/api/experience/verification/mfa-verification-code", &MfaCodeSendBody { identifier_type }).await
    }

    /// `POST /api/experience/verification/mfa-verification-code/verify`.
    pub async fn verify_mfa_code(
        &self,
        verification_id: String,
        code: String,
        identifier_type: IdentifierType,
    ) -> Result<String, ApiFailure> {
        let body = MfaCodeVerifyBody { verification_id, code, identifier_type };
        self.verify_with("/api/experience/verification/mfa-verification-code/verify", &body).await
    }

    /// `POST /api/experience/verification/web-authn/registration` → the id and the creation options.
    pub async fn webauthn_registration(&self) -> Result<WebAuthnRegistrationResponse, ApiFailure> {
        self.post_for("/api/experience/verification/web-authn/registration").await
    }

    /// `POST /api/experience/verification/web-authn/registration/verify`.
    pub async fn verify_webauthn_registration(&self, verification_id: String, payload: serde_json::Value) -> Result<String, ApiFailure> {
        let body = WebAuthnVerifyBody { verification_id: Some(verification_id), payload };
        self.verify_with("/api/experience/verification/web-authn/registration/verify", &body).await
    }

    /// `POST /api/experience/verification/web-authn/authentication` → the id and the request options.
    pub async fn webauthn_authentication(&self) -> Result<WebAuthnAuthenticationResponse, ApiFailure> {
        self.post_for("/api/experience/verification/web-authn/authentication").await
    }

    /// `POST /api/experience/verification/web-authn/authentication/verify`.
    pub async fn verify_webauthn_authentication(&self, verification_id: String, payload: serde_json::Value) -> Result<String, ApiFailure> {
        let body = WebAuthnVerifyBody { verification_id: Some(verification_id), payload };
        self.verify_with("/api/experience/verification/web-authn/authentication/verify", &body).await
    }

    /// `POST /api/experience/preflight/sign-in-passkey/authentication`: discoverable-passkey options
    /// (no interaction needed; the challenge is kept by the provider).
    pub async fn passkey_preflight(&self) -> Result<serde_json::Value, ApiFailure> {
        let answer: WebAuthnAuthenticationResponse = self.post_for("/api/experience/preflight/sign-in-passkey/authentication").await?;
        Ok(answer.authentication_options)
    }

    /// `POST /api/experience/verification/sign-in-passkey/authentication/verify` of the preflight challenge.
    pub async fn verify_sign_in_passkey(&self, payload: serde_json::Value) -> Result<String, ApiFailure> {
        let body = WebAuthnVerifyBody { verification_id: None, payload };
        self.verify_with("/api/experience/verification/sign-in-passkey/authentication/verify", &body).await
    }

    /// `POST /api/experience/profile/mfa {type, verificationId}`: binds a verified factor.
    pub async fn bind_mfa(&self, kind: MfaFactor, verification_id: String) -> Result<(), ApiFailure> {
        let body = BindMfaBody { kind, verification_id };
        self.call(Request::post("/api/experience/profile/mfa"), Some(&body)).await.map(drop)
    }

    /// `POST /api/experience/profile/mfa/passkey {verificationId}`: binds a sign-in passkey.
    pub async fn bind_passkey(&self, verification_id: String) -> Result<(), ApiFailure> {
        let body = BindPasskeyBody { verification_id };
        self.call(Request::post("/api/experience/profile/mfa/passkey"), Some(&body)).await.map(drop)
    }

    /// `POST /api/experience/profile/mfa/<action>` without body: `mfa-enabled`, `mfa-skipped`,
    /// `mfa-suggestion-skipped`, `passkey-skipped`.
    pub async fn mfa_choice(&self, action: &'static str) -> Result<(), ApiFailure> {
        let path = format!("/api/experience/profile/mfa/{action}");
        self.call::<()>(Request::post(&path), None).await.map(drop)
    }
}

/// `GET /api/.well-known/sign-in-exp` for the visit's app and organization.
pub async fn sign_in_experience(
    app_id: Option<&str>,
    organization_id: Option<&str>,
) -> Result<SignInExperience, ApiFailure> {
    let url = format!("/api/.well-known/sign-in-exp{}", landing::sign_in_exp_query(app_id, organization_id));
    let response = check(Request::get(&url).abort_signal(timeout_signal().as_ref()).send().await).await?;
    json(response).await
}

/// `GET /api/.well-known/phrases?lng=…`; the language is the provider's `Content-Language` answer.
pub async fn phrases(ui_locales: Option<&str>, accept_language: &str) -> Result<Phrases, ApiFailure> {
    let url = format!("/api/.well-known/phrases{}", landing::phrases_query(ui_locales));
    let builder = Request::get(&url).header("Accept-Language", accept_language);
    let response = check(builder.abort_signal(timeout_signal().as_ref()).send().await).await?;
    // Logto's page refuses phrases without a language; so do we.
    let language = response.headers().get("content-language").ok_or(ApiFailure::Malformed)?;
    let body: serde_json::Value = json(response).await?;
    Ok(Phrases::from_provider(&language, &body))
}

fn timeout_signal() -> Option<web_sys::AbortSignal> {
    web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS).into()
}

/// Turns a transport result into either a success response or a typed failure.
async fn check(sent: Result<Response, gloo_net::Error>) -> Result<Response, ApiFailure> {
    let response = sent.map_err(|error| match error {
        gloo_net::Error::JsError(e) if e.name == "TimeoutError" => ApiFailure::Timeout,
        _ => ApiFailure::Network,
    })?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ApiFailure::Logto { status, body }),
        Err(_) => Err(ApiFailure::Http { status }),
    }
}

async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    response.json::<T>().await.map_err(|_| ApiFailure::Malformed)
}
