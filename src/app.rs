//! The app: boot, then the router with one page per route.

use crate::boot;
use crate::components::{ErrorPage, PageLayout};
use crate::notice::{use_notice, Notice};
use crate::pages::{
    AccountSuspended, Callback, ContinueStep, CreatePasskey, ForgotPassword, ForgotPasswordReset, IdentifierRegister,
    IdentifierSignIn, MfaBindBackupCode, MfaBindEmail, MfaBindPhone, MfaBindTotp, MfaBindWebAuthn, MfaBinding,
    MfaOnboarding, MfaVerification, MfaVerifyBackupCode, MfaVerifyEmail, MfaVerifyPhone, MfaVerifyTotp,
    MfaVerifyWebAuthn, NotFound, OneTimeToken, OneTimeTokenError, Register, SetPassword, SignIn, SignInPasskey,
    SignInPassword, SingleSignOn, SingleSignOnConnectors, SocialCallback, SocialLink, SwitchAccount, UnknownSession,
    VerificationCode, VerificationMethods,
};
use crate::session::Visit;
use crate::settings::{use_settings, Settings};
use crate::theme;
use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;
use leptos::task::spawn_local;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::hooks::use_location;
use leptos_router::path;
use sign_in_core::i18n::Phrases;
use sign_in_core::mfa::{MfaFactor, MfaFlow};
use sign_in_core::route::{self, Page};
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
                // One catch-all route: the router keeps the address bar and history; `Screen` picks the page.
                <FlatRoutes fallback=NotFound>
                    <Route path=path!("/*any") view=Screen />
                </FlatRoutes>
            </PageLayout>
        </Router>
    }
}

/// The screen of the current path (`sign_in_core::route` decides). A new path mounts a fresh screen, so
/// moving between two screens of the same kind (`/continue/username` → `/continue/password`) starts anew.
/// Each screen lives under a reactive owner of its own (see [`own_screen`]).
#[component]
fn Screen() -> impl IntoView {
    let pathname = use_location().pathname;
    let page = Memo::new(move |_| pathname.with(|path| route::resolve(path)));
    // A reaction that moved the person here may have left a notice saying why.
    let (notice, settings) = (use_notice(), use_settings());
    Effect::new(move |_| {
        page.track();
        notice.take_carried(|key| settings.t(key));
    });
    move || own_screen(page.get())
}

/// Builds `page` under a fresh child owner that is disposed with it. A reactive closure re-runs under one
/// owner and disposing it does not clear the contexts provided on it, so without this a screen's context
/// (its terms gate, its passkey state) would stay reachable from the next screen after its signals were
/// disposed, and reading it would panic.
fn own_screen(page: Page) -> impl IntoView {
    let owner = Owner::current().map_or_else(Owner::new, |parent| parent.child());
    let view = owner.with(|| screen_view(page));
    OwnedView::new_with_owner(view, owner)
}

fn screen_view(page: Page) -> AnyView {
    match page {
        Page::SignIn => view! { <SignIn /> }.into_any(),
        Page::IdentifierSignIn => view! { <IdentifierSignIn /> }.into_any(),
        Page::SignInPassword => view! { <SignInPassword /> }.into_any(),
        Page::SignInPasskey => view! { <SignInPasskey /> }.into_any(),
        Page::VerificationMethods => view! { <VerificationMethods /> }.into_any(),
        Page::Register => view! { <Register /> }.into_any(),
        Page::IdentifierRegister => view! { <IdentifierRegister /> }.into_any(),
        Page::SetPassword => view! { <SetPassword /> }.into_any(),
        Page::ForgotPassword => view! { <ForgotPassword /> }.into_any(),
        Page::ForgotPasswordReset => view! { <ForgotPasswordReset /> }.into_any(),
        Page::VerificationCode(flow) => view! { <VerificationCode flow /> }.into_any(),
        Page::Continue(missing) => view! { <ContinueStep missing /> }.into_any(),
        Page::SingleSignOn => view! { <SingleSignOn /> }.into_any(),
        Page::SingleSignOnConnectors => view! { <SingleSignOnConnectors /> }.into_any(),
        Page::Callback(connector_id) => view! { <Callback connector_id /> }.into_any(),
        Page::SocialCallback(connector_id) => view! { <SocialCallback connector_id /> }.into_any(),
        Page::SocialLink => view! { <SocialLink /> }.into_any(),
        Page::OneTimeToken => view! { <OneTimeToken /> }.into_any(),
        Page::OneTimeTokenError => view! { <OneTimeTokenError /> }.into_any(),
        Page::SwitchAccount => view! { <SwitchAccount /> }.into_any(),
        Page::Mfa(flow, factor) => mfa_screen(flow, factor),
        Page::MfaOnboarding => view! { <MfaOnboarding /> }.into_any(),
        Page::CreatePasskey => view! { <CreatePasskey /> }.into_any(),
        Page::UnknownSession => view! { <UnknownSession /> }.into_any(),
        Page::AccountSuspended => view! { <AccountSuspended /> }.into_any(),
        Page::NotFound => view! { <NotFound /> }.into_any(),
    }
}

fn mfa_screen(flow: MfaFlow, factor: Option<MfaFactor>) -> AnyView {
    use MfaFactor::*;
    match (flow, factor) {
        (MfaFlow::Verification, None) => view! { <MfaVerification /> }.into_any(),
        (MfaFlow::Verification, Some(Totp)) => view! { <MfaVerifyTotp /> }.into_any(),
        (MfaFlow::Verification, Some(BackupCode)) => view! { <MfaVerifyBackupCode /> }.into_any(),
        (MfaFlow::Verification, Some(EmailVerificationCode)) => view! { <MfaVerifyEmail /> }.into_any(),
        (MfaFlow::Verification, Some(PhoneVerificationCode)) => view! { <MfaVerifyPhone /> }.into_any(),
        (MfaFlow::Verification, Some(WebAuthn)) => view! { <MfaVerifyWebAuthn /> }.into_any(),
        (MfaFlow::Binding, None) => view! { <MfaBinding /> }.into_any(),
        (MfaFlow::Binding, Some(Totp)) => view! { <MfaBindTotp /> }.into_any(),
        (MfaFlow::Binding, Some(BackupCode)) => view! { <MfaBindBackupCode /> }.into_any(),
        (MfaFlow::Binding, Some(EmailVerificationCode)) => view! { <MfaBindEmail /> }.into_any(),
        (MfaFlow::Binding, Some(PhoneVerificationCode)) => view! { <MfaBindPhone /> }.into_any(),
        (MfaFlow::Binding, Some(WebAuthn)) => view! { <MfaBindWebAuthn /> }.into_any(),
    }
}
