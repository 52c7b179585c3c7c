//! What the MFA screens share: how a step ends, the code form, "try another method" and Skip.

use crate::api::ExperienceApi;
use crate::components::{CodeInput, SubmitButton};
use crate::flows::{self, WebAuthnStepFailure};
use crate::reactions;
use crate::session;
use crate::settings::{use_settings, Settings};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use sign_in_core::code_entry::{self, Slots, CODE_LENGTH};
use sign_in_core::flow::ApiFailure;
use sign_in_core::mfa::{MfaFlow, MfaState};
use std::future::Future;

/// The end of a step: leave for the provider's `redirectTo`, or show/handle the failure.
pub fn conclude(
    settings: &Settings,
    navigate: &impl Fn(&str, NavigateOptions),
    result: Result<String, ApiFailure>,
    error: RwSignal<Option<String>>,
    pending: RwSignal<bool>,
) {
    match result {
        // Stay busy while the browser leaves.
        Ok(redirect_to) => session::replace_location(&redirect_to),
        Err(failure) => {
            reactions::apply(settings, &failure, navigate, |text| error.set(Some(text)));
            pending.set(false);
        }
    }
}

/// `conclude` for steps with a WebAuthn ceremony: a cancelled prompt says nothing.
pub fn conclude_webauthn(
    settings: &Settings,
    navigate: &impl Fn(&str, NavigateOptions),
    result: Result<String, WebAuthnStepFailure>,
    error: RwSignal<Option<String>>,
    pending: RwSignal<bool>,
) {
    match result {
        Ok(redirect_to) => conclude(settings, navigate, Ok(redirect_to), error, pending),
        Err(WebAuthnStepFailure::Api(failure)) => conclude(settings, navigate, Err(failure), error, pending),
        Err(WebAuthnStepFailure::Ceremony(failure)) => {
            error.set(failure.phrase_key().map(|key| settings.t(key)));
            pending.set(false);
        }
    }
}

/// Runs a provider call when the screen opens (each mount, so a reload redoes it) and keeps its answer.
pub fn load_on_mount<T, Fut>(
    error: RwSignal<Option<String>>,
    fetch: impl FnOnce(ExperienceApi) -> Fut + 'static,
) -> RwSignal<Option<T>>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiFailure>> + 'static,
{
    let settings = use_settings();
    let navigate = use_navigate();
    let loaded = RwSignal::new(None::<T>);
    spawn_local(async move {
        match fetch(settings.api()).await {
            Ok(value) => loaded.set(Some(value)),
            Err(failure) => reactions::apply(&settings, &failure, &navigate, |text| error.set(Some(text))),
        }
    });
    loaded
}

/// A verify callback for a six-digit code: runs `run(api, code)` once at a time, clears the boxes on failure.
pub fn code_verifier<Fut>(
    slots: RwSignal<Slots>,
    error: RwSignal<Option<String>>,
    pending: RwSignal<bool>,
    run: impl Fn(ExperienceApi, String) -> Fut + Send + Sync + 'static,
) -> Callback<String>
where
    Fut: Future<Output = Result<String, ApiFailure>> + 'static,
{
    let settings = use_settings();
    let navigate = use_navigate();
    Callback::new(move |code: String| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let settings = settings.clone();
        let navigate = navigate.clone();
        let step = run(settings.api(), code);
        spawn_local(async move {
            let result = step.await;
            if result.is_err() {
                slots.set([None; CODE_LENGTH]);
            }
            conclude(&settings, &navigate, result, error, pending);
        });
    })
}

/// The six boxes (completing them verifies) and the submit button.
#[component]
pub fn MfaCodeForm(
    slots: RwSignal<Slots>,
    error: RwSignal<Option<String>>,
    pending: RwSignal<bool>,
    verify: Callback<String>,
    #[prop(optional)] disabled: Option<Signal<bool>>,
) -> impl IntoView {
    let settings = use_settings();
    let on_submit = {
        let settings = settings.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if disabled.is_some_and(|d| d.get_untracked()) {
                return;
            }
            match slots.with_untracked(code_entry::complete) {
                Some(code) => verify.run(code),
                None => error.set(Some(settings.t("error.passcode_incomplete"))),
            }
        }
    };
    let digit_labels = (1..=CODE_LENGTH).map(|n| settings.phrases.t_with("input.code_digit", &[("n", &n.to_string())])).collect();
    let busy = Signal::derive(move || pending.get() || disabled.is_some_and(|d| d.get()));
    view! {
        <form class="mfa_form verificationCode_form" novalidate on:submit=on_submit>
            <CodeInput slots legend=settings.t("input.code") digit_labels error on_complete=verify />
            <SubmitButton label=settings.t("action.continue") pending=busy />
        </form>
    }
}

/// A form-level message (network, provider, WebAuthn), announced when it appears.
#[component]
pub fn FormError(error: RwSignal<Option<String>>) -> impl IntoView {
    move || error.get().map(|text| view! { <div class="form_error" role="alert">{text}</div> })
}

/// "Try another method" back to the chooser, when the step offers at least two factors.
#[component]
pub fn SwitchMethodLink(flow: MfaFlow, state: MfaState) -> impl IntoView {
    let settings = use_settings();
    let label = match flow {
        MfaFlow::Verification => "mfa.try_another_method",
        MfaFlow::Binding => "mfa.link_another_method",
    };
    state.can_switch().then(|| view! { <a class="page_link mfa_switch" href=settings.href(flow.base())>{settings.t(label)}</a> })
}

/// Skip, when the step allows it: `mfa-skipped` (or `mfa-suggestion-skipped`) → submit.
#[component]
pub fn SkipButton(state: MfaState, error: RwSignal<Option<String>>) -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    let pending = RwSignal::new(false);
    let action = state.skip_action();
    let skip = {
        let settings = settings.clone();
        move |_| {
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            error.set(None);
            let settings = settings.clone();
            let navigate = navigate.clone();
            spawn_local(async move {
                let result = flows::choose_and_submit(&settings.api(), action).await;
                conclude(&settings, &navigate, result, error, pending);
            });
        }
    };
    state.skippable.then(|| {
        view! {
            <button
                class="button button_secondary mfa_skip"
                type="button"
                disabled=move || pending.get()
                aria-busy=move || pending.get().then_some("true")
                on:click=skip
            >
                {settings.t("mfa.skip")}
            </button>
        }
    })
}
