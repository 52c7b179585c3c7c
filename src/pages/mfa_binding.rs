use crate::components::FormError;
use crate::components::{BrandingHeader, IdentifierField, SubmitButton};
use crate::navigation::use_navigate;
use crate::notice::use_notice;
use crate::pages::create_passkey::RegisterPasskey;
use crate::pages::mfa_shared::{code_verifier, load_on_mount, use_mfa_step, MfaCodeForm, SkipButton, SwitchMethodLink};
use crate::sequences::{self, Held, PasskeyUse};
use crate::session;
use crate::settings::use_settings;
use crate::submit::{self, Outcome, Step};
use crate::webauthn;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::api::{BackupCodesResponse, IdentifierType, InteractionEvent, TotpSecretResponse};
use sign_in_core::code_entry::{Slots, CODE_LENGTH};
use sign_in_core::identifier;
use sign_in_core::interaction::CodeFlow;
use sign_in_core::mfa::{backup_codes_text, binding_code_flow, MfaFactor, MfaFlow};
use sign_in_core::route::Page;

/// Skip (when allowed) and "link another method" (when there is one), under every binding screen.
#[component]
fn BindingFooter(factor: MfaFactor, error: RwSignal<Option<String>>) -> impl IntoView {
    let state = use_mfa_step(MfaFlow::Binding, Some(factor), error);
    view! {
        <SkipButton state error />
        <SwitchMethodLink flow=MfaFlow::Binding state />
    }
}

/// A copy button: the text to the clipboard, "Copied" as a notice.
#[component]
fn CopyButton(text: Signal<String>, label: String) -> impl IntoView {
    let settings = use_settings();
    let notice = use_notice();
    let copy = move |_| {
        let text = text.get_untracked();
        spawn_local(async move {
            let key = if webauthn::copy_text(&text).await { "mfa.copied" } else { "mfa.copy_failed" };
            notice.show(settings.t(key));
        });
    };
    view! { <button class="button button_secondary mfa_copy" type="button" on:click=copy>{label}</button> }
}

/// `/mfa-binding/Totp`: a new secret on opening (a reload makes a new one) as the provider's QR code on wide
/// screens and the copyable key on narrow ones, then its code: `totp/verify {code, verificationId}` →
/// `profile/mfa {Totp}` → submit.
#[component]
pub fn MfaBindTotp() -> impl IntoView {
    let settings = use_settings();
    let slots = RwSignal::new([None; CODE_LENGTH] as Slots);
    let step = Step::new();
    let (error, pending) = (step.error, step.pending);
    let secret = load_on_mount(error, |api| async move { api.totp_secret().await });
    let held = Held::new();
    let verify = code_verifier(slots, step, move |api, code| {
        let id = secret.value.with_untracked(|s| s.as_ref().map(|s| s.verification_id.clone()));
        held.run(async move |progress| {
            sequences::bind_and_submit(&api, progress, MfaFactor::Totp, || api.verify_totp(code, id)).await
        })
    });
    let secret_text =
        Signal::derive(move || secret.value.with(|s| s.as_ref().map(|s| s.secret.clone()).unwrap_or_default()));
    let setup = move || {
        secret.value.get().map(|TotpSecretResponse { secret_qr_code, secret, .. }| {
            view! {
                <div class="mfa_totpSetup">
                    <div class="mfa_qrCode">
                        <p>{settings.t("mfa.totp_scan_qr")}</p>
                        <img class="mfa_qrImage" src=secret_qr_code alt=settings.t("mfa.totp_qr_alt") width="200" height="200" />
                    </div>
                    <div class="mfa_secret">
                        <p id="totp-secret-label">{settings.t("mfa.totp_copy_secret")}</p>
                        <code class="mfa_secretKey" aria-labelledby="totp-secret-label">{secret}</code>
                        <CopyButton text=secret_text label=settings.t("mfa.copy") />
                    </div>
                </div>
            }
        })
    };
    let (verify, loading) = (secret.or_reload(verify), secret.loading.into());
    view! {
        <BrandingHeader title=settings.t("mfa.totp_bind_title") />
        {setup}
        <p class="signIn_description">{settings.t("mfa.totp_enter_code")}</p>
        <MfaCodeForm slots error pending verify disabled=loading missing=secret.retry_if_missing() />
        <BindingFooter factor=MfaFactor::Totp error />
    }
}

/// `/mfa-binding/BackupCode`: new codes on opening, to copy or download (`backup_code.txt`) before
/// Continue binds them (`profile/mfa {BackupCode}` → submit).
#[component]
pub fn MfaBindBackupCode() -> impl IntoView {
    let settings = use_settings();
    let step = Step::new();
    let (error, pending) = (step.error, step.pending);
    let generated = load_on_mount(error, |api| async move { api.generate_backup_codes().await });
    let held = Held::new();
    let text = Signal::derive(move || {
        generated.value.with(|g| g.as_ref().map(|g| backup_codes_text(&g.codes)).unwrap_or_default())
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(BackupCodesResponse { verification_id, .. }) = generated.value.get_untracked() else {
            return generated.reload();
        };
        step.run(move |api| {
            held.run(async move |progress| {
                let generated = || async { Ok(verification_id) };
                sequences::bind_and_submit(&api, progress, MfaFactor::BackupCode, generated).await
            })
        });
    };
    let codes = move || {
        generated.value.get().map(|BackupCodesResponse { codes, .. }| {
            let items = codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view();
            let href = format!("data:text/plain;charset=utf-8,{}", js_sys::encode_uri_component(&text.get_untracked()));
            view! {
                <ol class="mfa_backupCodes">{items}</ol>
                <div class="mfa_backupCodeActions">
                    <a class="button button_secondary mfa_download" download="backup_code.txt" href=href>{settings.t("mfa.download")}</a>
                    <CopyButton text label=settings.t("mfa.copy") />
                </div>
            }
        })
    };
    let busy = Signal::derive(move || pending.get() || generated.loading.get());
    view! {
        <BrandingHeader title=settings.t("mfa.backup_code_bind_title") />
        <p class="signIn_description">{settings.t("mfa.backup_code_bind_description")}</p>
        {codes}
        <form class="mfa_form" novalidate on:submit=on_submit>
            <FormError error />
            <SubmitButton label=settings.t("action.continue") pending=busy />
        </form>
    }
}

/// `/mfa-binding/WebAuthn`: a passkey as the second factor.
#[component]
pub fn MfaBindWebAuthn() -> impl IntoView {
    let settings = use_settings();
    let step = Step::new();
    let error = step.error;
    view! {
        <BrandingHeader title=settings.t("mfa.webauthn_bind_title") />
        <p class="signIn_description">{settings.t("mfa.webauthn_bind_description")}</p>
        <RegisterPasskey use_as=PasskeyUse::Mfa step label=settings.t("mfa.webauthn_bind_action") />
        <BindingFooter factor=MfaFactor::WebAuthn error />
    }
}

/// `/mfa-binding/EmailVerificationCode`.
#[component]
pub fn MfaBindEmail() -> impl IntoView {
    view! { <MfaBindAddress kind=IdentifierType::Email /> }
}

/// `/mfa-binding/PhoneVerificationCode`.
#[component]
pub fn MfaBindPhone() -> impl IntoView {
    view! { <MfaBindAddress kind=IdentifierType::Phone /> }
}

/// An address to bind as a factor: a code (event `Register`, inside the current interaction) →
/// `/continue/verification-code` → `profile {email|phone}` → submit (docs/experience-api.md, MFA binding). The code
/// screen finishes as a sign-in, so a registering interaction is not identified twice.
#[component]
fn MfaBindAddress(kind: IdentifierType) -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    let value = RwSignal::new(String::new());
    let field_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let kinds = vec![kind];
    let (title, description, factor) = match kind {
        IdentifierType::Phone => {
            ("mfa.phone_bind_title", "mfa.phone_bind_description", MfaFactor::PhoneVerificationCode)
        }
        _ => ("mfa.email_bind_title", "mfa.email_bind_description", MfaFactor::EmailVerificationCode),
    };
    let on_submit = {
        let kinds = kinds.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let address = match identifier::parse(&value.get_untracked(), &kinds) {
                Ok(address) => address,
                Err(problem) => {
                    return field_error.set(Some(identifier::problem_message(problem, &kinds, &settings.phrases)))
                }
            };
            field_error.set(None);
            error.set(None);
            pending.set(true);
            let navigate = navigate.clone();
            spawn_local(async move {
                let api = settings.api();
                let outcome =
                    match sequences::send_code(&api, CodeFlow::Continue, InteractionEvent::Register, address).await {
                        Ok(sent) => {
                            session::save_flow(&binding_code_flow(sent));
                            Outcome::Navigate(settings.link(Page::VerificationCode(CodeFlow::Continue)))
                        }
                        Err(failure) => Outcome::of_failure(settings, &failure),
                    };
                submit::follow(outcome, &navigate, pending, |text, _| field_error.set(Some(text)));
            });
        }
    };
    view! {
        <BrandingHeader title=settings.t(title) />
        <p class="signIn_description">{settings.t(description)}</p>
        <form class="sendCode_form" novalidate on:submit=on_submit>
            <IdentifierField kinds value error=field_error />
            <SubmitButton label=settings.t("action.continue") pending />
        </form>
        <FormError error />
        <BindingFooter factor error />
    }
}
