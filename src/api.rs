//! The one module that speaks HTTP to the provider: typed requests, typed Logto errors, and the
//! `Logto-App-Id` / `Accept-Language` headers on every Experience API call.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sign_in_core::api::{
    BackupCodeVerifyBody, BackupCodesResponse, BindMfaBody, BindPasskeyBody, ErrorBody, IdentificationBody, Identifier,
    IdentifierType, InteractionEvent, InteractionEventBody, MfaCodeSendBody, MfaCodeVerifyBody, NewPasswordBody,
    PasswordVerificationBody, ProfileBody, SendCodeBody, SsoConnectorIds, SubmitResponse, TotpSecretResponse,
    TotpVerifyBody, VerificationIdResponse, VerifyCodeBody, WebAuthnAuthenticationResponse,
    WebAuthnRegistrationResponse, WebAuthnVerifyBody, APP_ID_HEADER,
};
use sign_in_core::config::SettingsPart;
use sign_in_core::failures::ApiFailure;
use sign_in_core::i18n::Phrases;
use sign_in_core::landing;
use sign_in_core::mfa::MfaFactor;
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
    #[cfg(not(feature = "gallery"))]
    async fn call<B: Serialize>(&self, builder: RequestBuilder, body: Option<&B>) -> Result<Response, ApiFailure> {
        let builder = self.request(builder).abort_signal(timeout_signal().as_ref());
        let sent = match body {
            Some(body) => builder.json(body).map_err(|_| ApiFailure::Malformed)?.send().await,
            None => builder.send().await,
        };
        check(sent).await
    }

    /// `PUT /api/experience`: starts (or restarts) the interaction, with the captcha's token when the tenant has one.
    pub async fn start(&self, event: InteractionEvent, captcha_token: Option<String>) -> Result<(), ApiFailure> {
        let body = InteractionEventBody { interaction_event: event, captcha_token };
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

    /// `POST /api/experience/verification/{social|sso}/:id/verify` with what the IdP sent back (no verification id:
    /// a Google One Tap credential).
    pub async fn verify_round_trip(
        &self,
        round_trip: RoundTrip,
        connector_id: &str,
        verification_id: Option<String>,
        connector_data: serde_json::Map<String, serde_json::Value>,
    ) -> Result<String, ApiFailure> {
        let path = format!(
            "/api/experience/verification/{}/{}/verify",
            round_trip.api_segment(),
            js_sys::encode_uri_component(connector_id)
        );
        let mut body = serde_json::json!({ "connectorData": connector_data });
        if let Some(verification_id) = verification_id {
            body["verificationId"] = verification_id.into();
        }
        let response = self.call(Request::post(&path), Some(&body)).await?;
        json::<VerificationIdResponse>(response).await.map(|r| r.verification_id)
    }

    /// `GET /api/experience/interaction`: the interaction as the provider holds it (event, verification
    /// records, profile), for resuming a step whose sessionStorage is gone.
    pub async fn interaction(&self) -> Result<serde_json::Value, ApiFailure> {
        let response = self.call::<()>(Request::get("/api/experience/interaction"), None).await?;
        json::<serde_json::Value>(response).await
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
    pub async fn verify_code(
        &self,
        identifier: Identifier,
        verification_id: String,
        code: String,
    ) -> Result<String, ApiFailure> {
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

    /// `POST /api/experience/verification/one-time-token/verify` (magic link) → the verification id.
    pub async fn verify_one_time_token(&self, email: String, token: String) -> Result<String, ApiFailure> {
        let body = serde_json::json!({ "identifier": Identifier { kind: IdentifierType::Email, value: email }, "token": token });
        let response =
            self.call(Request::post("/api/experience/verification/one-time-token/verify"), Some(&body)).await?;
        json::<VerificationIdResponse>(response).await.map(|r| r.verification_id)
    }

    /// `POST /api/experience/submit` → where the browser goes next.
    pub async fn submit(&self) -> Result<String, ApiFailure> {
        let response = self.call::<()>(Request::post("/api/experience/submit"), None).await?;
        destination(response).await
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
        self.verify_with("/api/experience/verification/mfa-verification-code", &MfaCodeSendBody { identifier_type })
            .await
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
    pub async fn verify_webauthn_registration(
        &self,
        verification_id: String,
        payload: serde_json::Value,
    ) -> Result<String, ApiFailure> {
        let body = WebAuthnVerifyBody { verification_id: Some(verification_id), payload };
        self.verify_with("/api/experience/verification/web-authn/registration/verify", &body).await
    }

    /// `POST /api/experience/verification/web-authn/authentication` → the id and the request options.
    pub async fn webauthn_authentication(&self) -> Result<WebAuthnAuthenticationResponse, ApiFailure> {
        self.post_for("/api/experience/verification/web-authn/authentication").await
    }

    /// `POST /api/experience/verification/web-authn/authentication/verify`.
    pub async fn verify_webauthn_authentication(
        &self,
        verification_id: String,
        payload: serde_json::Value,
    ) -> Result<String, ApiFailure> {
        let body = WebAuthnVerifyBody { verification_id: Some(verification_id), payload };
        self.verify_with("/api/experience/verification/web-authn/authentication/verify", &body).await
    }

    /// `POST /api/experience/preflight/sign-in-passkey/authentication`: discoverable-passkey options
    /// (no interaction needed; the challenge is kept by the provider).
    pub async fn passkey_preflight(&self) -> Result<serde_json::Value, ApiFailure> {
        let answer: WebAuthnAuthenticationResponse =
            self.post_for("/api/experience/preflight/sign-in-passkey/authentication").await?;
        Ok(answer.authentication_options)
    }

    /// `POST /api/experience/verification/sign-in-passkey/authentication/verify` of the preflight challenge.
    pub async fn verify_sign_in_passkey(&self, payload: serde_json::Value) -> Result<String, ApiFailure> {
        let body = WebAuthnVerifyBody { verification_id: None, payload };
        self.verify_with("/api/experience/verification/sign-in-passkey/authentication/verify", &body).await
    }

    /// `POST /api/experience/verification/sign-in-passkey/authentication {identifier}` → the id and the
    /// options naming that account's passkeys (identifier-first passkey sign-in).
    pub async fn sign_in_passkey_authentication(
        &self,
        identifier: Identifier,
    ) -> Result<WebAuthnAuthenticationResponse, ApiFailure> {
        let body = serde_json::json!({ "identifier": identifier });
        let response = self
            .call(Request::post("/api/experience/verification/sign-in-passkey/authentication"), Some(&body))
            .await?;
        json(response).await
    }

    /// `POST /api/experience/verification/sign-in-passkey/authentication/verify {verificationId, payload}`.
    pub async fn verify_identified_sign_in_passkey(
        &self,
        verification_id: String,
        payload: serde_json::Value,
    ) -> Result<String, ApiFailure> {
        let body = WebAuthnVerifyBody { verification_id: Some(verification_id), payload };
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

    /// Legacy `GET /api/interaction/consent`: the interaction's application and the account signed in here.
    pub async fn consent_info(&self) -> Result<sign_in_core::api::ConsentInfoResponse, ApiFailure> {
        let response = self.call::<()>(Request::get("/api/interaction/consent"), None).await?;
        json(response).await
    }

    /// Legacy `POST /api/interaction/consent`: grants the third-party application what it asked for, with the
    /// chosen organizations; answers where the browser goes on.
    pub async fn consent(&self, organization_ids: Option<Vec<String>>) -> Result<String, ApiFailure> {
        let body = sign_in_core::api::ConsentBody { organization_ids };
        let response = self.call(Request::post("/api/interaction/consent"), Some(&body)).await?;
        destination(response).await
    }

    /// `POST /api/experience/profile/mfa/<action>` without body: `mfa-enabled`, `mfa-skipped`,
    /// `mfa-suggestion-skipped`, `passkey-skipped`.
    pub async fn mfa_choice(&self, action: &'static str) -> Result<(), ApiFailure> {
        let path = format!("/api/experience/profile/mfa/{action}");
        self.call::<()>(Request::post(&path), None).await.map(drop)
    }
}

/// `GET /api/.well-known/sign-in-exp` for the visit's app and organization, decoded as `C` (the whole
/// `SignInExperience`, or the part a later chunk reads).
pub async fn sign_in_experience<C: SettingsPart>(
    app_id: Option<&str>,
    organization_id: Option<&str>,
) -> Result<C, ApiFailure> {
    let url = format!("/api/.well-known/sign-in-exp{}", landing::sign_in_exp_query(app_id, organization_id));
    let response = check(Request::get(&url).abort_signal(timeout_signal().as_ref()).send().await).await?;
    C::read(&json::<serde_json::Value>(response).await?).map_err(|_| ApiFailure::Malformed)
}

/// `GET /api/.well-known/phrases?lng=…`; the language is the provider's `Content-Language` answer.
pub async fn phrases(ui_locales: Option<&str>, accept_language: &str) -> Result<Phrases, ApiFailure> {
    let url = format!("/api/.well-known/phrases{}", landing::phrases_query(ui_locales));
    let builder = Request::get(&url).header("Accept-Language", accept_language);
    let response = check(builder.abort_signal(timeout_signal().as_ref()).send().await).await?;
    // Logto's page refuses phrases without a language; so do we.
    let language = response.headers().get("content-language").ok_or(ApiFailure::Malformed)?;
    let body: serde_json::Value = json(response).await?;
    if !body.get("translation").is_some_and(serde_json::Value::is_object) {
        return Err(ApiFailure::Malformed);
    }
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
    // `Retry-After` in seconds (its date form is left unread: then the page just says to try again later).
    let retry_after = response.headers().get("retry-after").and_then(|v| v.trim().parse().ok());
    match text_as::<ErrorBody>(response).await {
        Some(body) => Err(ApiFailure::Logto { status, body }),
        None if status == 429 => Err(ApiFailure::TooManyRequests { retry_after }),
        None => Err(ApiFailure::Http { status }),
    }
}

async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ApiFailure> {
    text_as(response).await.ok_or(ApiFailure::Malformed)
}

/// The body read as `T` (`src/json.rs`); `None` when it is unreadable, not JSON or not a `T`.
async fn text_as<T: DeserializeOwned>(response: Response) -> Option<T> {
    crate::json::parse_as(&response.text().await.ok()?)
}

/// A `{redirectTo}` answer: where the browser goes next, if the page may follow it (`SubmitResponse::destination`).
async fn destination(response: Response) -> Result<String, ApiFailure> {
    json::<SubmitResponse>(response).await?.destination().ok_or(ApiFailure::UnsafeRedirect)
}

/// The gallery build's transport: the same request, answered from [`canned`] instead of the network.
#[cfg(feature = "gallery")]
impl ExperienceApi {
    async fn call<B: Serialize>(&self, builder: RequestBuilder, body: Option<&B>) -> Result<Response, ApiFailure> {
        let built = match body {
            Some(body) => self.request(builder).json(body),
            None => self.request(builder).build(),
        };
        let request = built.map_err(|_| ApiFailure::Malformed)?;
        check(canned::answer(request.method().as_ref(), &request.url(), &self.language).await).await
    }
}

/// The gallery's transport (`--features gallery`, never in the normal build): one small table keyed by method,
/// path and the scenario the gallery link chose (sessionStorage `gallery:scenario`). Answers are real `Response`s
/// with the provider's statuses and bodies, so `check`/`json` and every screen's failure handling run unchanged.
#[cfg(feature = "gallery")]
pub mod canned {
    use gloo_net::http::Response;
    use serde_json::{json, Value};
    use sign_in_core::error_messages::Lang;

    /// sessionStorage key of the scenario: `wrong-password`, `code-mismatch`, `password-rejected`,
    /// `username-taken`, `pending` (no answer, ever), `network` (the request fails), `unsafe-redirect` (a finishing
    /// call answers a `javascript:` redirect), `session-ended` (consent's details are refused), or none.
    pub const SCENARIO: &str = "gallery:scenario";

    enum Canned {
        Json(u16, Value),
        NoContent,
        Pending,
        Offline,
    }

    /// Logto's error body, with the message the provider sends in the page's language (one table for both).
    fn error(status: u16, code: &str, language: &str) -> Canned {
        let message = sign_in_core::error_messages::text(code, Lang::of_tag(language));
        let data = (code == "password.rejected").then(|| {
            json!([
                {"code": "password_rejected.pwned"},
                {"code": "password_rejected.restricted.user_info"}
            ])
        });
        Canned::Json(status, json!({"code": code, "message": message, "data": data}))
    }

    /// A third-party application asking for personal data and an API scope, with organizations to choose from
    /// (none in scenario `no-organization`).
    fn consent_info(scenario: &str) -> Value {
        let organizations = if scenario == "no-organization" {
            json!([])
        } else {
            json!([
                {"id": "org-acme", "name": "Acme", "missingResourceScopes": [{
                    "resource": {"id": "res-notes", "name": "Notes API"},
                    "scopes": [{"id": "s-write", "name": "write:notes", "description": "Create and edit notes"}]
                }]},
                {"id": "org-globex", "name": "Globex"}
            ])
        };
        json!({
            "application": {
                "id": "notes-app", "name": "Acme Notes",
                "branding": {"logoUrl": "/logo.svg", "darkLogoUrl": "/favicon.svg"},
                "termsOfUseUrl": "https://notes.example/terms", "privacyPolicyUrl": "https://notes.example/privacy"
            },
            "user": {
                "id": "gallery", "name": "Jane", "avatar": null, "username": "jane",
                "primaryEmail": "jane@example.com", "primaryPhone": null
            },
            "organizations": organizations,
            "missingOIDCScope": ["openid", "profile", "email", "urn:logto:scope:organizations"],
            "missingResourceScopes": [{
                "resource": {"id": "res-notes", "name": "Notes API"},
                "scopes": [{"id": "s-read", "name": "read:notes", "description": "Read your notes"}]
            }],
            "redirectUri": "https://notes.example/callback?error=access_denied&state=gallery"
        })
    }

    /// The gallery's index as an absolute URL: the page follows no other kind of `redirectTo`.
    fn gallery_index() -> String {
        let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
        format!("{origin}/gallery")
    }

    fn verification(id: &str) -> Canned {
        Canned::Json(200, json!({"verificationId": id}))
    }

    /// The table. A scenario row only answers when the gallery link chose that scenario.
    fn table(method: &str, path: &str, scenario: &str, language: &str) -> Canned {
        const V: &str = "/api/experience/verification";
        match (method, path, scenario) {
            (_, _, "pending") => Canned::Pending,
            (_, _, "network") => Canned::Offline,
            ("POST", p, "wrong-password") if p == format!("{V}/password") => {
                error(422, "session.invalid_credentials", language)
            }
            ("POST", p, "code-mismatch")
                if p == format!("{V}/verification-code/verify") || p == format!("{V}/mfa-verification-code/verify") =>
            {
                error(400, "verification_code.code_mismatch", language)
            }
            ("POST", p, "code-mismatch") if p == format!("{V}/totp/verify") => {
                error(400, "session.mfa.invalid_totp_code", language)
            }
            ("POST", p, "code-mismatch") if p == format!("{V}/backup-code/verify") => {
                error(400, "session.mfa.invalid_backup_code", language)
            }
            ("POST", "/api/experience/profile", "username-taken") => {
                error(422, "user.username_already_in_use", language)
            }
            ("POST" | "PUT", "/api/experience/profile" | "/api/experience/profile/password", "password-rejected") => {
                error(422, "password.rejected", language)
            }
            ("PUT", "/api/experience" | "/api/experience/interaction-event", _) => Canned::NoContent,
            ("POST", "/api/experience/identification" | "/api/experience/profile", _) => Canned::NoContent,
            ("PUT", "/api/experience/profile/password", _) => Canned::NoContent,
            ("POST", p, _) if p.starts_with("/api/experience/profile/mfa") => Canned::NoContent,
            // Leaving for the provider's redirectTo: back to the gallery's index.
            ("POST", "/api/experience/submit" | "/api/interaction/consent", "unsafe-redirect") => {
                Canned::Json(200, json!({"redirectTo": "javascript:alert(1)"}))
            }
            ("POST", "/api/experience/submit", _) => Canned::Json(200, json!({"redirectTo": gallery_index()})),
            ("GET", "/api/experience/sso-connectors", _) => Canned::Json(200, json!({"connectorIds": []})),
            ("GET", "/api/interaction/consent", "session-ended") => error(400, "session.not_found", language),
            ("GET", "/api/interaction/consent", scenario) => Canned::Json(200, consent_info(scenario)),
            ("POST", "/api/interaction/consent", "access-denied") => error(403, "oidc.access_denied", language),
            ("POST", "/api/interaction/consent", _) => Canned::Json(200, json!({"redirectTo": gallery_index()})),
            ("POST", p, _) if p == format!("{V}/totp/secret") => Canned::Json(
                200,
                json!({"verificationId": "gallery-totp", "secret": "JBSWY3DPEHPK3PXP", "secretQrCode": qr_code()}),
            ),
            ("POST", p, _) if p == format!("{V}/backup-code/generate") => Canned::Json(
                200,
                json!({"verificationId": "gallery-backup", "codes": [
                    "3f9a1c7e20", "b47d0e9a15", "c2e8f61b04", "9d05a3b7e8", "e1c4b92f70",
                    "57a0d3e9c6", "0b8f2d61a4", "a93c7e05d2", "6e1b4f8c93", "d8027a5b1f"
                ]}),
            ),
            ("POST", p, _) if p == format!("{V}/web-authn/registration") => Canned::Json(
                200,
                json!({"verificationId": "gallery-webauthn", "registrationOptions": {
                    "challenge": "Z2FsbGVyeS1jaGFsbGVuZ2U", "rp": {"name": "Gallery"},
                    "user": {"id": "Z2FsbGVyeS11c2Vy", "name": "gallery", "displayName": "Gallery"},
                    "pubKeyCredParams": [{"type": "public-key", "alg": -7}], "timeout": 60000
                }}),
            ),
            ("POST", p, _)
                if p == format!("{V}/web-authn/authentication")
                    || p == "/api/experience/preflight/sign-in-passkey/authentication" =>
            {
                Canned::Json(
                    200,
                    json!({"verificationId": "gallery-webauthn", "authenticationOptions": {
                        "challenge": "Z2FsbGVyeS1jaGFsbGVuZ2U", "allowCredentials": [], "timeout": 60000
                    }}),
                )
            }
            // Identifier-first passkey: the gallery's account has none, so its sign-in goes on as before.
            ("POST", p, _) if p == format!("{V}/sign-in-passkey/authentication") => {
                error(400, "session.mfa.webauthn_verification_not_found", language)
            }
            ("POST", p, _) if p.starts_with(V) => verification("gallery-verification"),
            _ => error(404, "guard.invalid_target", language),
        }
    }

    /// A QR-like 25×25 pattern (not a real code: designers need its size and contrast, not its content).
    fn qr_code() -> String {
        let mut cells = String::new();
        for y in 0..25u32 {
            for x in 0..25u32 {
                let finder = |cx: u32, cy: u32| {
                    let (dx, dy) = (x.abs_diff(cx), y.abs_diff(cy));
                    let d = dx.max(dy);
                    (dx <= 3 && dy <= 3).then_some(d != 2)
                };
                let on = finder(3, 3)
                    .or_else(|| finder(21, 3))
                    .or_else(|| finder(3, 21))
                    .unwrap_or_else(|| (x * 7 + y * 13 + x * y) % 5 < 2);
                if on {
                    cells.push_str(&format!("M{x} {y}h1v1h-1z"));
                }
            }
        }
        let svg = format!(
            "<svg xmlns='http://www.w3.org/2000/svg' viewBox='-2 -2 29 29' shape-rendering='crispEdges'>\
             <rect x='-2' y='-2' width='29' height='29' fill='#fff'/><path d='{cells}' fill='#000'/></svg>"
        );
        format!("data:image/svg+xml,{}", String::from(js_sys::encode_uri_component(&svg)))
    }

    /// Answers one request of the Experience API; `url` is absolute (as `Request::url` gives it).
    pub async fn answer(method: &str, url: &str, language: &str) -> Result<Response, gloo_net::Error> {
        let path = web_sys::Url::new(url).map(|u| u.pathname()).unwrap_or_else(|_| url.to_owned());
        let scenario = crate::session::get(SCENARIO).unwrap_or_default();
        match table(method, &path, &scenario, language) {
            Canned::Json(status, body) => Response::builder().status(status).json(&body),
            Canned::NoContent => Response::builder().status(204).body(None::<&str>),
            Canned::Pending => futures::future::pending().await,
            Canned::Offline => Err(gloo_net::Error::GlooError("gallery: offline scenario".into())),
        }
    }
}
