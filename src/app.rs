//! The app: boot, then one page per path (`navigation` follows the address bar).

use crate::boot;
use crate::components::{ErrorPage, PageLayout};
use crate::navigation::{self, use_location};
use crate::notice::{use_notice, Notice};
use crate::screens;
use crate::session::Visit;
use crate::settings::{use_settings, Settings};
use crate::theme;
use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;
use leptos::task::spawn_local;
use sign_in_core::failures;
use sign_in_core::i18n::Phrases;
use sign_in_core::route::{self, Page};
use std::time::Duration;

#[derive(Clone, Copy)]
enum Boot {
    Loading,
    Ready(&'static Settings),
    /// The settings could not be had; the phrase key says why (`failures::boot_failure_phrase`).
    Failed(&'static str),
}

#[component]
pub fn App() -> impl IntoView {
    // The landing URL as it came, before the visit's values leave the address bar: a retry of the boot starts there.
    let landing = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_else(|| "/".into());
    let visit = Visit::from_landing_url();
    // SSR data renders the first screen without waiting for any request.
    let boot = RwSignal::new(match boot::settings_from_ssr(&visit) {
        Some(settings) => Boot::Ready(settings.leak()),
        None => Boot::Loading,
    });
    if matches!(boot.get_untracked(), Boot::Loading) {
        spawn_local(async move {
            boot.set(match boot::fetch_settings(visit).await {
                Ok(settings) => Boot::Ready(settings.leak()),
                Err(failure) => Boot::Failed(failures::boot_failure_phrase(&failure)),
            });
        });
    }
    move || match boot.get() {
        Boot::Loading => view! { <div class="page_blank" aria-busy="true"></div> }.into_any(),
        Boot::Failed(reason) => view! { <BootFailed reason landing=landing.clone() /> }.into_any(),
        Boot::Ready(settings) => view! { <Screens settings /> }.into_any(),
    }
}

/// The provider's settings couldn't be had: say why in English (no phrases without them) and offer to load the
/// landing URL again, with its query (the visit's values left the address bar at boot) but not its fragment.
#[component]
fn BootFailed(reason: &'static str, landing: String) -> impl IntoView {
    let phrases = Phrases::built_in();
    let retry = Callback::new(move |()| {
        if let Some(location) = web_sys::window().map(|w| w.location()) {
            // Without its fragment: an address that differs from the shown one only by a fragment is not loaded again.
            let end = landing.bytes().position(|b| b == b'#').unwrap_or(landing.len());
            let _ = location.replace(&landing[..end]);
        }
    });
    view! {
        <PageLayout>
            <ErrorPage
                title=phrases.t("error.something_went_wrong")
                description=phrases.t(reason)
                retry=(phrases.t("action.try_again"), retry)
            />
        </PageLayout>
    }
}

#[component]
fn Screens(settings: &'static Settings) -> impl IntoView {
    theme::apply(settings);
    crate::captcha::init(settings);
    Notice::provide(|key| settings.t(key));
    provide_context(settings);
    // The later screens' chunks load once the first screen is up and the browser has nothing else to do.
    Effect::new(|_| {
        if request_idle_callback_with_handle(screens::prefetch_all).is_err() {
            set_timeout(screens::prefetch_all, Duration::from_secs(1));
        }
    });
    // `navigation` keeps the address bar and history; `Screen` picks the page.
    navigation::provide();
    view! {
        <PageLayout>
            <Screen />
        </PageLayout>
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
    let view = owner.with(|| screens::screen_view(page));
    OwnedView::new_with_owner(view, owner)
}
