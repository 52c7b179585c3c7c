//! The app: boot, then the router with one page per route.

use crate::boot;
use crate::notice::Notice;
use crate::components::{ErrorPage, PageLayout};
use crate::pages::{
    IdentifierRegister, IdentifierSignIn, OneTimeToken, OneTimeTokenError,
    AccountSuspended, Callback, ContinueProfile, CreatePasskey, ForgotPassword, ForgotPasswordReset, MfaBindBackupCode,
    MfaBindEmail, MfaBindPhone, MfaBindTotp, MfaBindWebAuthn, MfaBinding, MfaOnboarding, MfaVerification, MfaVerifyBackupCode,
    MfaVerifyEmail, MfaVerifyPhone, MfaVerifyTotp, MfaVerifyWebAuthn, NotFound, Register, SetPassword, SignIn, SignInPassword,
    SingleSignOn, SingleSignOnConnectors, SocialCallback, UnknownSession, VerificationCode,
};
use crate::session::Visit;
use crate::settings::Settings;
use crate::theme;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use sign_in_core::i18n::Phrases;
use std::sync::Arc;

#[derive(Clone)]
enum Boot {
    Loading,
    Ready(Arc<Settings>),
    Failed,
}

#[component]
pub fn App() -> impl IntoView {
    let visit = Visit::from_landing_url();
    // SSR data renders the first screen without waiting for any request.
    let boot = RwSignal::new(match boot::settings_from_ssr(&visit) {
        Some(settings) => Boot::Ready(Arc::new(settings)),
        None => Boot::Loading,
    });
    if matches!(boot.get_untracked(), Boot::Loading) {
        spawn_local(async move {
            boot.set(match boot::fetch_settings(&visit).await {
                Ok(settings) => Boot::Ready(Arc::new(settings)),
                Err(_) => Boot::Failed,
            });
        });
    }
    move || match boot.get() {
        Boot::Loading => view! { <div class="page_blank" aria-busy="true"></div> }.into_any(),
        Boot::Failed => view! { <BootFailed /> }.into_any(),
        Boot::Ready(settings) => view! { <Screens settings /> }.into_any(),
    }
}

/// The provider's settings couldn't be loaded: say so in English and offer a reload.
#[component]
fn BootFailed() -> impl IntoView {
    let phrases = Phrases::built_in();
    let here = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_else(|| "/".into());
    view! {
        <PageLayout>
            <ErrorPage
                title=phrases.t("error.something_went_wrong")
                description=phrases.t("error.unknown")
                action=(phrases.t("action.try_again"), here)
            />
        </PageLayout>
    }
}

#[component]
fn Screens(settings: Arc<Settings>) -> impl IntoView {
    theme::apply(&settings);
    Notice::provide(|key| settings.t(key));
    provide_context(settings);
    view! {
        <Router>
            <PageLayout>
                <Routes fallback=NotFound>
                    <Route path=path!("/sign-in") view=SignIn />
                    <Route path=path!("/identifier-sign-in") view=IdentifierSignIn />
                    <Route path=path!("/identifier-register") view=IdentifierRegister />
                    <Route path=path!("/one-time-token") view=OneTimeToken />
                    <Route path=path!("/one-time-token/error") view=OneTimeTokenError />
                    <Route path=path!("/sign-in/password") view=SignInPassword />
                    <Route path=path!("/single-sign-on") view=SingleSignOn />
                    <Route path=path!("/single-sign-on/email") view=SingleSignOn />
                    <Route path=path!("/single-sign-on/connectors") view=SingleSignOnConnectors />
                    <Route path=path!("/register") view=Register />
                    <Route path=path!("/register/password") view=SetPassword />
                    <Route path=path!("/forgot-password") view=ForgotPassword />
                    <Route path=path!("/reset-password") view=ForgotPassword />
                    <Route path=path!("/forgot-password/reset") view=ForgotPasswordReset />
                    <Route path=path!("/:flow/verification-code") view=VerificationCode />
                    <Route path=path!("/continue/:method") view=ContinueProfile />
                    <Route path=path!("/callback/:connector_id") view=Callback />
                    <Route path=path!("/callback/social/:connector_id") view=SocialCallback />
                    // MFA: one route per factor (Logto's case-sensitive segments), so moving from one factor
                    // screen to another (Totp → BackupCode) mounts a fresh screen.
                    <Route path=path!("/mfa-verification") view=MfaVerification />
                    <Route path=path!("/mfa-verification/Totp") view=MfaVerifyTotp />
                    <Route path=path!("/mfa-verification/BackupCode") view=MfaVerifyBackupCode />
                    <Route path=path!("/mfa-verification/EmailVerificationCode") view=MfaVerifyEmail />
                    <Route path=path!("/mfa-verification/PhoneVerificationCode") view=MfaVerifyPhone />
                    <Route path=path!("/mfa-verification/WebAuthn") view=MfaVerifyWebAuthn />
                    <Route path=path!("/mfa-binding") view=MfaBinding />
                    <Route path=path!("/mfa-binding/Totp") view=MfaBindTotp />
                    <Route path=path!("/mfa-binding/BackupCode") view=MfaBindBackupCode />
                    <Route path=path!("/mfa-binding/EmailVerificationCode") view=MfaBindEmail />
                    <Route path=path!("/mfa-binding/PhoneVerificationCode") view=MfaBindPhone />
                    <Route path=path!("/mfa-binding/WebAuthn") view=MfaBindWebAuthn />
                    <Route path=path!("/mfa-onboarding") view=MfaOnboarding />
                    <Route path=path!("/create-passkey") view=CreatePasskey />
                    <Route path=path!("/unknown-session") view=UnknownSession />
                    <Route path=path!("/account-suspended") view=AccountSuspended />
                </Routes>
            </PageLayout>
        </Router>
    }
}
