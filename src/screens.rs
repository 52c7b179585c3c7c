//! Which code draws each page. The screens a landing shows first (sign-in, register and their identifier
//! variants) are part of the main module; every other screen lives in a split group that `cargo xtask build` cuts
//! into chunks of its own (see `xtask/README.md`, "Lazy screens"). A lazy screen shows the busy blank until its
//! chunk is there, and a way to try again if it could not be loaded. Once the first screen is up, every group is
//! fetched while the browser is idle, so the next step normally finds its code already loaded.

use crate::components::ErrorPage;
use crate::pages::{
    AccountSuspended, Callback, Consent, ContinueStep, CreatePasskey, Device, DeviceSuccess, ForgotPassword,
    ForgotPasswordReset, IdentifierRegister, IdentifierSignIn, MfaBindBackupCode, MfaBindEmail, MfaBindPhone,
    MfaBindTotp, MfaBindWebAuthn, MfaBinding, MfaOnboarding, MfaVerification, MfaVerifyBackupCode, MfaVerifyEmail,
    MfaVerifyPhone, MfaVerifyTotp, MfaVerifyWebAuthn, NotFound, OneTimeToken, OneTimeTokenError, Register, SetPassword,
    SignIn, SignInPasskey, SignInPassword, SingleSignOn, SingleSignOnConnectors, SocialCallback, SocialLanding,
    SocialLink, SwitchAccount, UnknownSession, VerificationCode, VerificationMethods,
};
use crate::settings::use_settings;
use leptos::prelude::*;
use leptos::reactive::spawn_local_scoped_with_cancellation;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use sign_in_core::mfa::{MfaFactor, MfaFlow};
use sign_in_core::route::Page;

/// The view of `page`, built under the current owner.
pub fn screen_view(page: Page) -> AnyView {
    match page {
        Page::SignIn => view! { <SignIn /> }.into_any(),
        Page::IdentifierSignIn => view! { <IdentifierSignIn /> }.into_any(),
        Page::Register => view! { <Register /> }.into_any(),
        Page::IdentifierRegister => view! { <IdentifierRegister /> }.into_any(),
        page => lazy_screen(page),
    }
}

/// A split chunk (a screen group, the first screen's actions, a widget) could not be fetched or instantiated
/// (offline, or a deploy replaced the files).
pub struct ChunkUnavailable;

impl From<SplitLoaderError> for ChunkUnavailable {
    fn from(_: SplitLoaderError) -> Self {
        Self
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Load {
    Pending,
    Failed,
    Ready,
}

/// The busy blank, then the screen from its chunk; on failure a message and a retry that loads it again.
fn lazy_screen(page: Page) -> AnyView {
    let state = RwSignal::new(Load::Pending);
    let screen = StoredValue::new_local(None::<AnyView>);
    // A retry runs from a click handler, outside any owner: the screen is built under this one, like an eager one.
    let owner = Owner::current();
    let load = Callback::new(move |()| {
        state.set(Load::Pending);
        let page = page.clone();
        let start = move || {
            spawn_local_scoped_with_cancellation(async move {
                match load_group(page).await {
                    Ok(view) => {
                        screen.set_value(Some(view));
                        state.set(Load::Ready);
                    }
                    Err(ChunkUnavailable) => state.set(Load::Failed),
                }
            })
        };
        // Untracked: the chunk's screen must not subscribe the screen's render effect to its signals.
        match &owner {
            Some(owner) => owner.with(|| untrack(start)),
            None => untrack(start),
        }
    });
    load.run(());
    (move || match state.get() {
        Load::Pending => view! { <div class="page_blank" aria-busy="true"></div> }.into_any(),
        Load::Failed => {
            let settings = use_settings();
            view! {
                <ErrorPage
                    title=settings.t("error.something_went_wrong")
                    description=settings.t("error.screen_unavailable")
                    retry=(settings.t("action.try_again"), load)
                />
            }
            .into_any()
        }
        Load::Ready => screen.try_update_value(Option::take).flatten().unwrap_or_else(|| ().into_any()),
    })
    .into_any()
}

/// Starts fetching every split group in the background (after the first screen is ready): a failure here is
/// silent, the screen that needs the group tries again and says so.
pub fn prefetch_all() {
    leptos::task::spawn_local(async {
        // What the first screen's forms do on submit, first.
        crate::first_screen_actions::prefetch().await;
        let _ = prefetch_codes().await;
        let _ = prefetch_profile().await;
        let _ = prefetch_social().await;
        let _ = prefetch_mfa().await;
        let _ = prefetch_other().await;
        let _ = prefetch_third_party().await;
    });
}

async fn load_group(page: Page) -> Result<AnyView, ChunkUnavailable> {
    match page {
        Page::SignInPassword
        | Page::VerificationMethods
        | Page::VerificationCode(_)
        | Page::ForgotPassword
        | Page::ForgotPasswordReset => codes_screen(page).await,
        Page::SetPassword | Page::Continue(_) => profile_screen(page).await,
        Page::SignInPasskey
        | Page::SingleSignOn
        | Page::SingleSignOnConnectors
        | Page::Callback(_)
        | Page::SocialCallback(_)
        | Page::SocialLanding(_)
        | Page::SocialLink(_) => social_screen(page).await,
        Page::Mfa(..) | Page::MfaOnboarding | Page::CreatePasskey => mfa_screen(page).await,
        Page::Consent | Page::Device | Page::DeviceSuccess => third_party_screen(page).await,
        page => other_screen(page).await,
    }
}

// One function per split group; each matches only its own pages, so that its code is reachable from nowhere else.

#[wasm_split(codes, fallible, wasm_split_path = leptos::wasm_split, preload(prefetch_codes))]
fn codes_screen(page: Page) -> Result<AnyView, ChunkUnavailable> {
    Ok(match page {
        Page::SignInPassword => view! { <SignInPassword /> }.into_any(),
        Page::VerificationMethods => view! { <VerificationMethods /> }.into_any(),
        Page::VerificationCode(flow) => view! { <VerificationCode flow /> }.into_any(),
        Page::ForgotPassword => view! { <ForgotPassword /> }.into_any(),
        _ => view! { <ForgotPasswordReset /> }.into_any(),
    })
}

#[wasm_split(profile, fallible, wasm_split_path = leptos::wasm_split, preload(prefetch_profile))]
fn profile_screen(page: Page) -> Result<AnyView, ChunkUnavailable> {
    Ok(match page {
        Page::Continue(missing) => view! { <ContinueStep missing /> }.into_any(),
        _ => view! { <SetPassword /> }.into_any(),
    })
}

#[wasm_split(social, fallible, wasm_split_path = leptos::wasm_split, preload(prefetch_social))]
fn social_screen(page: Page) -> Result<AnyView, ChunkUnavailable> {
    Ok(match page {
        Page::SignInPasskey => view! { <SignInPasskey /> }.into_any(),
        Page::SingleSignOn => view! { <SingleSignOn /> }.into_any(),
        Page::SingleSignOnConnectors => view! { <SingleSignOnConnectors /> }.into_any(),
        Page::Callback(connector_id) => view! { <Callback connector_id /> }.into_any(),
        Page::SocialCallback(connector_id) => view! { <SocialCallback connector_id /> }.into_any(),
        Page::SocialLanding(connector_id) => view! { <SocialLanding connector_id /> }.into_any(),
        _ => view! { <SocialLink /> }.into_any(),
    })
}

#[wasm_split(mfa, fallible, wasm_split_path = leptos::wasm_split, preload(prefetch_mfa))]
fn mfa_screen(page: Page) -> Result<AnyView, ChunkUnavailable> {
    use MfaFactor::*;
    Ok(match page {
        Page::MfaOnboarding => view! { <MfaOnboarding /> }.into_any(),
        Page::CreatePasskey => view! { <CreatePasskey /> }.into_any(),
        Page::Mfa(MfaFlow::Verification, None) => view! { <MfaVerification /> }.into_any(),
        Page::Mfa(MfaFlow::Verification, Some(Totp)) => view! { <MfaVerifyTotp /> }.into_any(),
        Page::Mfa(MfaFlow::Verification, Some(BackupCode)) => view! { <MfaVerifyBackupCode /> }.into_any(),
        Page::Mfa(MfaFlow::Verification, Some(EmailVerificationCode)) => view! { <MfaVerifyEmail /> }.into_any(),
        Page::Mfa(MfaFlow::Verification, Some(PhoneVerificationCode)) => view! { <MfaVerifyPhone /> }.into_any(),
        Page::Mfa(MfaFlow::Verification, Some(WebAuthn)) => view! { <MfaVerifyWebAuthn /> }.into_any(),
        Page::Mfa(MfaFlow::Binding, None) => view! { <MfaBinding /> }.into_any(),
        Page::Mfa(MfaFlow::Binding, Some(Totp)) => view! { <MfaBindTotp /> }.into_any(),
        Page::Mfa(MfaFlow::Binding, Some(BackupCode)) => view! { <MfaBindBackupCode /> }.into_any(),
        Page::Mfa(MfaFlow::Binding, Some(EmailVerificationCode)) => view! { <MfaBindEmail /> }.into_any(),
        Page::Mfa(MfaFlow::Binding, Some(PhoneVerificationCode)) => view! { <MfaBindPhone /> }.into_any(),
        _ => view! { <MfaBindWebAuthn /> }.into_any(),
    })
}

#[wasm_split(other, fallible, wasm_split_path = leptos::wasm_split, preload(prefetch_other))]
fn other_screen(page: Page) -> Result<AnyView, ChunkUnavailable> {
    Ok(match page {
        Page::OneTimeToken => view! { <OneTimeToken /> }.into_any(),
        Page::OneTimeTokenError => view! { <OneTimeTokenError /> }.into_any(),
        Page::SwitchAccount => view! { <SwitchAccount /> }.into_any(),
        Page::UnknownSession => view! { <UnknownSession /> }.into_any(),
        Page::AccountSuspended => view! { <AccountSuspended /> }.into_any(),
        _ => view! { <NotFound /> }.into_any(),
    })
}

/// Screens a sign-in reaches only for a third-party application or a device (consent, the device flow).
#[wasm_split(third_party, fallible, wasm_split_path = leptos::wasm_split, preload(prefetch_third_party))]
fn third_party_screen(page: Page) -> Result<AnyView, ChunkUnavailable> {
    Ok(match page {
        Page::Device => view! { <Device /> }.into_any(),
        Page::DeviceSuccess => view! { <DeviceSuccess /> }.into_any(),
        _ => view! { <Consent /> }.into_any(),
    })
}
