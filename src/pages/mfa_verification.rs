use crate::api::ExperienceApi;
use crate::components::FormError;
use crate::components::{resend_countdown, BrandingHeader, InputField, ResendCode, SubmitButton, RESEND_AFTER_SECONDS};
use crate::navigation::use_navigate;
use crate::pages::mfa_shared::{code_verifier, load_on_mount, use_mfa_step, MfaCodeForm, SwitchMethodLink};
use crate::sequences::{self, Held};
use crate::settings::use_settings;
use crate::submit::{self, Outcome, Step};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::api::{IdentifierType, WebAuthnAuthenticationResponse};
use sign_in_core::code_entry::{Slots, CODE_LENGTH};
use sign_in_core::failures::ApiFailure;
use sign_in_core::mfa::{MfaFactor, MfaFlow};

/// `/mfa-verification/Totp`: the authenticator app's code (`totp/verify {code}` → submit).
#[component]
pub fn MfaVerifyTotp() -> impl IntoView {
    let settings = use_settings();
    let slots = RwSignal::new([None; CODE_LENGTH] as Slots);
    let step = Step::new();
    let (error, pending) = (step.error, step.pending);
    let state = use_mfa_step(MfaFlow::Verification, Some(MfaFactor::Totp), error);
    let held = Held::new();
    let verify = code_verifier(slots, step, move |api, code| {
        held.run(async move |progress| {
            sequences::verify_mfa_and_submit(&api, progress, || api.verify_totp(code, None)).await
        })
    });
    view! {
        <BrandingHeader title=settings.t("mfa.totp_verify_title") />
        <p class="signIn_description">{settings.t("mfa.totp_verify_description")}</p>
        <MfaCodeForm slots error pending verify />
        <SwitchMethodLink flow=MfaFlow::Verification state />
    }
}

/// `/mfa-verification/BackupCode`: one of the saved codes (`backup-code/verify {code}` → submit).
#[component]
pub fn MfaVerifyBackupCode() -> impl IntoView {
    let settings = use_settings();
    let value = RwSignal::new(String::new());
    let step = Step::new();
    let (error, pending) = (step.error, step.pending);
    let state = use_mfa_step(MfaFlow::Verification, Some(MfaFactor::BackupCode), error);
    // A backup code is good once: after a later call failed, Continue retries that call.
    let held = Held::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let code = value.get_untracked().trim().to_owned();
        if code.is_empty() {
            return error.set(Some(settings.t("mfa.enter_backup_code")));
        }
        step.run(move |api| {
            held.run(async move |progress| {
                sequences::verify_mfa_and_submit(&api, progress, || api.verify_backup_code(code)).await
            })
        });
    };
    view! {
        <BrandingHeader title=settings.t("mfa.backup_code_verify_title") />
        <p class="signIn_description">{settings.t("mfa.backup_code_verify_description")}</p>
        <form class="mfa_form" novalidate on:submit=on_submit>
            <InputField name="code" label=settings.t("mfa.backup_code_label") value error autocomplete="off" autofocus=true />
            <SubmitButton label=settings.t("action.continue") pending />
        </form>
        <SwitchMethodLink flow=MfaFlow::Verification state />
    }
}

/// `/mfa-verification/EmailVerificationCode`.
#[component]
pub fn MfaVerifyEmail() -> impl IntoView {
    view! { <MfaVerifyCode factor=MfaFactor::EmailVerificationCode kind=IdentifierType::Email /> }
}

/// `/mfa-verification/PhoneVerificationCode`.
#[component]
pub fn MfaVerifyPhone() -> impl IntoView {
    view! { <MfaVerifyCode factor=MfaFactor::PhoneVerificationCode kind=IdentifierType::Phone /> }
}

/// A code sent to the user's own (masked) address: sent on opening (again after a reload), verified with
/// `mfa-verification-code/verify` → submit; a new code after the countdown.
#[component]
fn MfaVerifyCode(factor: MfaFactor, kind: IdentifierType) -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    let slots = RwSignal::new([None; CODE_LENGTH] as Slots);
    let step = Step::new();
    let (error, pending) = (step.error, step.pending);
    let state = use_mfa_step(MfaFlow::Verification, Some(factor), error);
    let verification_id = load_on_mount(error, move |api| async move { api.send_mfa_code(kind).await });
    let countdown = resend_countdown();
    let held = Held::new();
    let verify = code_verifier(slots, step, move |api, code| {
        let id = verification_id.value.get_untracked().unwrap_or_default();
        held.run(async move |progress| {
            sequences::verify_mfa_and_submit(&api, progress, || api.verify_mfa_code(id, code, kind)).await
        })
    });
    let sending = RwSignal::new(false);
    let resend = move |_| {
        let navigate = navigate.clone();
        sending.set(true);
        error.set(None);
        spawn_local(async move {
            let outcome = match settings.api().send_mfa_code(kind).await {
                Ok(id) => {
                    held.reset();
                    verification_id.value.set(Some(id));
                    countdown.set(RESEND_AFTER_SECONDS);
                    slots.set([None; CODE_LENGTH]);
                    Outcome::Quiet
                }
                Err(failure) => Outcome::of_failure(settings, &failure),
            };
            submit::follow(outcome, &navigate, sending, |text, _| error.set(Some(text)));
        });
    };
    let (title, to) = match kind {
        IdentifierType::Phone => ("mfa.phone_verify_title", "description.phone_number"),
        _ => ("mfa.email_verify_title", "description.email"),
    };
    // The masked address once known (a resumed step fills it in).
    let description = move || match state.with(|s| s.masked_address(factor)) {
        Some(target) => settings.phrases.t_with("mfa.code_sent_to", &[("target", &target)]),
        None => settings.phrases.t_with("mfa.code_sent_to_your", &[("address", &settings.t(to))]),
    };
    let (verify, loading) = (verification_id.or_reload(verify), verification_id.loading.into());
    view! {
        <BrandingHeader title=settings.t(title) />
        <p class="signIn_description">{description}</p>
        <MfaCodeForm slots error pending verify disabled=loading missing=verification_id.retry_if_missing() />
        <ResendCode countdown sending on_resend=resend />
        <SwitchMethodLink flow=MfaFlow::Verification state />
    }
}

/// `/mfa-verification/WebAuthn`: options fetched on opening, the ceremony on the button (a user gesture),
/// then `web-authn/authentication/verify` → submit. When that fetch failed, the button fetches them and goes on.
#[component]
pub fn MfaVerifyWebAuthn() -> impl IntoView {
    let settings = use_settings();
    let step = Step::new();
    let (error, pending) = (step.error, step.pending);
    let state = use_mfa_step(MfaFlow::Verification, Some(MfaFactor::WebAuthn), error);
    let options = load_on_mount(error, authentication_options);
    let held = Held::new();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if options.loading.get_untracked() {
            return;
        }
        step.run(move |api| {
            held.run(async move |progress| {
                let (id, request) = options.or_fetch(|| authentication_options(api.clone())).await?;
                sequences::verify_webauthn_and_submit(&api, progress, id, &request).await
            })
        });
    };
    let busy = Signal::derive(move || pending.get() || options.loading.get());
    view! {
        <BrandingHeader title=settings.t("mfa.webauthn_verify_title") />
        <p class="signIn_description">{settings.t("mfa.webauthn_verify_description")}</p>
        <form class="mfa_form" novalidate on:submit=on_submit>
            <FormError error />
            <SubmitButton label=settings.t("mfa.webauthn_verify_action") pending=busy />
        </form>
        <SwitchMethodLink flow=MfaFlow::Verification state />
    }
}

/// `web-authn/authentication`: the verification id and the request options (an answer without the id is malformed:
/// there would be nothing to verify the passkey's answer against).
async fn authentication_options(api: ExperienceApi) -> Result<(String, serde_json::Value), ApiFailure> {
    let WebAuthnAuthenticationResponse { verification_id, authentication_options } =
        api.webauthn_authentication().await?;
    Ok((verification_id.ok_or(ApiFailure::Malformed)?, authentication_options))
}
