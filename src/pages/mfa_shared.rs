//! What the MFA screens share: how a step ends, the code form, "try another method" and Skip.

use crate::api::ExperienceApi;
use crate::components::{CodeInput, SubmitButton};
use crate::navigation::use_navigate;
use crate::reactions;
use crate::sequences;
use crate::session;
use crate::settings::use_settings;
use crate::submit::{self, Outcome, Step};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::code_entry::{self, Slots, CODE_LENGTH};
use sign_in_core::failures::ApiFailure;
use sign_in_core::mfa::{MfaFactor, MfaFlow, MfaNext, MfaState};
use sign_in_core::route::Page;
use std::future::Future;

/// The screen's MFA step (`factor`: `None` for the chooser), from sessionStorage. When it is gone (storage cleared,
/// the address opened in another tab), the provider is asked again: `submit` re-raises the pending step, which
/// fills this screen when it is the step it shows; any other answer is followed like a failed step. (Not through
/// `submit::follow`: nothing waits for this answer, the screen stays usable, so there is no busy flag to end.)
pub fn use_mfa_step(flow: MfaFlow, factor: Option<MfaFactor>, error: RwSignal<Option<String>>) -> RwSignal<MfaState> {
    let state = RwSignal::new(session::mfa());
    if state.with_untracked(MfaState::is_unknown) {
        let settings = use_settings();
        let navigate = use_navigate();
        spawn_local(async move {
            match settings.api().submit().await {
                Ok(redirect_to) => session::replace_location(&redirect_to),
                Err(failure) => match MfaNext::from_failure(&failure).and_then(|next| next.resumes(flow, factor)) {
                    Some(resumed) => {
                        session::save_mfa(&resumed);
                        state.set(resumed);
                    }
                    None => reactions::apply(settings, &failure, &navigate, |text| error.set(Some(text))),
                },
            }
        });
    }
    state
}

/// The answer of a provider call the screen makes when it opens, and the call again after it failed.
pub struct Loaded<T: 'static> {
    pub value: RwSignal<Option<T>>,
    /// The call is on its way (the screen's button waits for it).
    pub loading: RwSignal<bool>,
    load: Callback<()>,
}

impl<T> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Loaded<T> {}

impl<T: Send + Sync + 'static> Loaded<T> {
    /// Makes the call again, unless it is on its way.
    pub fn reload(self) {
        if !self.loading.get_untracked() {
            self.load.run(());
        }
    }

    /// For Continue on a code form: the call again while its answer is missing (it failed), and whether it was.
    pub fn retry_if_missing(self) -> Callback<(), bool> {
        Callback::new(move |()| {
            let missing = self.value.with_untracked(Option::is_none);
            if missing {
                self.reload();
            }
            missing
        })
    }

    /// The answer, or when the call failed, `fetch`'s (kept): for a button whose work goes on in the same press (the
    /// WebAuthn ceremony, which must run from the click).
    pub async fn or_fetch<Fut>(self, fetch: impl FnOnce() -> Fut) -> Result<T, ApiFailure>
    where
        T: Clone,
        Fut: Future<Output = Result<T, ApiFailure>>,
    {
        if let Some(answer) = self.value.try_get_untracked().flatten() {
            return Ok(answer);
        }
        let fetched = fetch().await?;
        let _ = self.value.try_set(Some(fetched.clone()));
        Ok(fetched)
    }

    /// `verify`, or the call again while its answer is missing (it failed: the screen's button retries it).
    pub fn or_reload(self, verify: Callback<String>) -> Callback<String> {
        Callback::new(
            move |code| if self.value.with_untracked(Option::is_none) { self.reload() } else { verify.run(code) },
        )
    }
}

/// Runs a provider call when the screen opens (each mount, so a reload redoes it) and keeps its answer; a failure is
/// shown in `error`, and [`Loaded::reload`] tries again.
pub fn load_on_mount<T, Fut>(
    error: RwSignal<Option<String>>,
    fetch: impl Fn(ExperienceApi) -> Fut + Send + Sync + 'static,
) -> Loaded<T>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = Result<T, ApiFailure>> + 'static,
{
    let settings = use_settings();
    let navigate = use_navigate();
    let value = RwSignal::new(None::<T>);
    let loading = RwSignal::new(false);
    let load = Callback::new(move |()| {
        loading.set(true);
        error.set(None);
        let (navigate, answer) = (navigate.clone(), fetch(settings.api()));
        spawn_local(async move {
            let outcome = match answer.await {
                Ok(answer) => {
                    let _ = value.try_set(Some(answer));
                    Outcome::Quiet
                }
                Err(failure) => Outcome::of_failure(settings, &failure),
            };
            submit::follow(outcome, &navigate, loading, |text, _| error.set(Some(text)));
        });
    });
    load.run(());
    Loaded { value, loading, load }
}

/// A verify callback for a six-digit code: runs `run(api, code)` as the screen's step; a refusal clears the boxes.
/// After a transient failure they keep the code, and Continue tries again (from the call that failed, when the code
/// was verified: docs/experience-api.md, Retrying a sequence).
pub fn code_verifier<Fut>(
    slots: RwSignal<Slots>,
    step: Step,
    run: impl Fn(ExperienceApi, String) -> Fut + Send + Sync + 'static,
) -> Callback<String>
where
    Fut: Future<Output = Result<String, ApiFailure>> + 'static,
{
    Callback::new(move |code: String| step.run_then(|api| run(api, code), move || slots.set([None; CODE_LENGTH])))
}

/// The six boxes (completing them verifies) and the submit button.
#[component]
pub fn MfaCodeForm(
    slots: RwSignal<Slots>,
    error: RwSignal<Option<String>>,
    pending: RwSignal<bool>,
    verify: Callback<String>,
    #[prop(optional)] disabled: Option<Signal<bool>>,
    /// The screen's own call (the TOTP secret, the sent code) when it failed: Continue makes it again (and returns
    /// true) rather than asking for the code that depends on it.
    #[prop(optional)]
    missing: Option<Callback<(), bool>>,
) -> impl IntoView {
    let settings = use_settings();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if disabled.is_some_and(|d| d.get_untracked()) || missing.is_some_and(|m| m.run(())) {
            return;
        }
        match slots.with_untracked(code_entry::complete) {
            Some(code) => verify.run(code),
            None => error.set(Some(settings.t("error.passcode_incomplete"))),
        }
    };
    let digit_labels =
        (1..=CODE_LENGTH).map(|n| settings.phrases.t_with("input.code_digit", &[("n", &n.to_string())])).collect();
    let busy = Signal::derive(move || pending.get() || disabled.is_some_and(|d| d.get()));
    view! {
        <form class="mfa_form verificationCode_form" novalidate on:submit=on_submit>
            <CodeInput slots legend=settings.t("input.code") digit_labels error on_complete=verify />
            <SubmitButton label=settings.t("action.continue") pending=busy />
        </form>
    }
}

/// "Try another method" back to the chooser, when the step offers at least two factors.
#[component]
pub fn SwitchMethodLink(flow: MfaFlow, state: RwSignal<MfaState>) -> impl IntoView {
    let settings = use_settings();
    let label = match flow {
        MfaFlow::Verification => "mfa.try_another_method",
        MfaFlow::Binding => "mfa.link_another_method",
    };
    let (href, text) = (settings.link(Page::Mfa(flow, None)), settings.t(label));
    move || {
        state
            .with(MfaState::can_switch)
            .then(|| view! { <a class="page_link mfa_switch" href=href.clone()>{text.clone()}</a> })
    }
}

/// Skip, when the step allows it: `mfa-skipped` (or `mfa-suggestion-skipped`) → submit.
#[component]
pub fn SkipButton(state: RwSignal<MfaState>, error: RwSignal<Option<String>>) -> impl IntoView {
    let settings = use_settings();
    let step = Step::with_error(error);
    let pending = step.pending;
    let label = settings.t("mfa.skip");
    move || {
        let step = step.clone();
        state.with(|s| s.skippable).then(|| {
            view! {
                <button
                    class="button button_secondary mfa_skip"
                    type="button"
                    disabled=move || pending.get()
                    aria-busy=move || pending.get().then_some("true")
                    on:click=move |_| {
                        let action = state.with_untracked(MfaState::skip_action);
                        step.run(move |api| async move { sequences::choose_and_submit(&api, action).await })
                    }
                >
                    {label.clone()}
                </button>
            }
        })
    }
}
