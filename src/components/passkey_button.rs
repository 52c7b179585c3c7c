use crate::components::{BusyButton, FormError};
use crate::first_screen_actions::{self, Running};
use crate::navigation::use_navigate;
use crate::navigation::NavigateOptions;
use crate::screens::ChunkUnavailable;
use crate::sequences::{self, Held, WebAuthnStepFailure};
use crate::session;
use crate::settings::{use_settings, Settings};
use crate::submit::{self, Outcome};
use crate::webauthn::{self, Abort};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::wasm_split;
use std::time::Duration;

/// The sign-in screen's discoverable-passkey sign-in (docs/experience-api.md, Passkey sign-in), shared by the "Continue
/// with passkey" button and passkey autofill (conditional UI): one preflight per screen, one flow at a time, and the
/// autofill request aborted when another passkey flow starts or the screen closes.
#[derive(Clone, Copy)]
pub struct PasskeySignInState {
    /// The preflight's request options (single use: refetched after each attempt).
    options: RwSignal<Option<serde_json::Value>>,
    pending: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    /// The pending autofill request, if any.
    autofill: StoredValue<Option<Abort>, LocalStorage>,
    /// `passkeySignIn.showPasskeyButton` and a browser that can.
    button: bool,
    /// `passkeySignIn.allowAutofill` and a browser that may offer passkeys in autofill.
    autofill_enabled: bool,
    /// The browser's answer to `isConditionalMediationAvailable()` (false until it comes).
    autofill_available: RwSignal<bool>,
    /// A passkey's verified answer whose later calls failed: the button retries them without another prompt.
    held: Held,
}

/// How long an autofill request waits before it is renewed with a fresh challenge (the options' timeout).
const AUTOFILL_RENEW_AFTER: Duration = Duration::from_secs(60);

impl PasskeySignInState {
    /// Whether the screen shows the "Continue with passkey" button (else only autofill runs).
    pub fn shows_button(&self) -> bool {
        self.button
    }

    /// Set up by the sign-in screen (before its forms); `None` when passkey sign-in is off or the browser
    /// cannot run it. Fetches the preflight options once, now.
    pub fn provide() -> Option<Self> {
        let settings = use_settings();
        let config = &settings.config.passkey_sign_in;
        let button = config.enabled && config.show_passkey_button && webauthn::supported();
        let autofill_enabled = config.enabled && config.allow_autofill && webauthn::conditional_mediation_possible();
        if !(button || autofill_enabled) {
            return None;
        }
        let state = Self {
            options: RwSignal::new(None),
            pending: RwSignal::new(false),
            error: RwSignal::new(None),
            autofill: StoredValue::new_local(None),
            button,
            autofill_enabled,
            autofill_available: RwSignal::new(false),
            held: Held::new(),
        };
        provide_context(state);
        state.refresh(settings);
        if autofill_enabled {
            spawn_local(async move {
                let available = webauthn::conditional_mediation_available().await;
                let _ = state.autofill_available.try_set(available);
            });
        }
        on_cleanup(move || state.abort_autofill());
        Some(state)
    }

    pub fn from_context() -> Option<Self> {
        use_context::<Self>()
    }

    /// Whether passkey autofill may run here (config and browser); see [`Self::autofill_available`].
    pub fn autofill_enabled(&self) -> bool {
        self.autofill_enabled
    }

    /// Whether the identifier field offers passkeys now (`autocomplete="… webauthn"`): the browser said
    /// conditional mediation is available.
    pub fn autofill_available(&self) -> Signal<bool> {
        self.autofill_available.into()
    }

    /// A fresh preflight (a failure only leaves no options: the button fetches again on click).
    fn refresh(self, settings: &'static Settings) {
        spawn_local(async move {
            let options = match preflight(settings).await {
                Ok(running) => running.await,
                Err(ChunkUnavailable) => None,
            };
            let _ = self.options.try_set(options);
        });
    }

    /// Ends the pending autofill request (silently), e.g. because another passkey flow starts.
    pub fn abort_autofill(self) {
        let _ = self.autofill.try_update_value(|current| current.take().map(|abort| abort.abort()));
    }

    /// Starts autofill again with the current options after a flow of this screen gave up.
    pub fn resume_autofill(self) {
        let _ = self.options.try_update(|_| ());
    }

    /// Runs autofill while the identifier field is on screen: a conditional request with the preflight
    /// options, renewed whenever fresh options arrive and no other flow runs.
    pub fn start_autofill(self) {
        if !self.autofill_enabled {
            return;
        }
        let settings = use_settings();
        let navigate = use_navigate();
        Effect::new(move |_| {
            let (Some(options), false, true) = (self.options.get(), self.pending.get(), self.autofill_available.get())
            else {
                return;
            };
            let navigate = navigate.clone();
            spawn_local(async move {
                // Without the chunk there is no autofill, silently: the button (or the password) still works.
                let Ok(running) = autofill(self, settings, options).await else { return };
                if let Some(outcome) = running.await {
                    self.follow(outcome, &navigate);
                }
            });
        });
    }

    /// The end of a passkey flow on this screen.
    fn follow(self, outcome: Outcome, navigate: &impl Fn(&str, NavigateOptions)) {
        submit::follow(outcome, navigate, self.pending, |text, _| self.error.set(Some(text)));
    }

    /// One autofill request and, when the person picked a passkey, the sign-in; `None` when nothing happened that
    /// the screen should follow.
    async fn autofill_once(self, settings: &'static Settings, options: serde_json::Value) -> Option<Outcome> {
        // Another flow may have started since the options arrived.
        if self.pending.try_get_untracked() != Some(false) {
            return None;
        }
        let abort = Abort::new()?;
        let replaced = self.autofill.try_update_value(|current| current.replace(abort.clone()));
        match replaced {
            None => {
                abort.abort(); // the screen is gone
                return None;
            }
            Some(Some(earlier)) => earlier.abort(),
            Some(None) => {}
        }
        // The challenge expires with the options: renew the request rather than keep a stale one.
        let renew = {
            let abort = abort.clone();
            set_timeout_with_handle(
                move || {
                    if self.forget_autofill(&abort) {
                        abort.abort();
                        self.refresh(settings);
                    }
                },
                AUTOFILL_RENEW_AFTER,
            )
            .ok()
        };
        let result = webauthn::get_conditional(&options, &abort).await;
        if let Some(renew) = renew {
            renew.clear();
        }
        self.forget_autofill(&abort);
        // The background request failing (aborted, nothing picked, or a browser that refuses this origin or has
        // no passkeys) is not the person's doing: silent. The button reports its own failures.
        let payload = result.ok()?;
        if self.pending.try_get_untracked() != Some(false) {
            return None;
        }
        self.pending.set(true);
        self.error.set(None);
        let api = settings.api();
        let result = self.held.run(async |progress| sequences::finish_passkey_sign_in(&api, progress, payload).await);
        let result = result.await;
        Some(self.conclude(settings, result.map_err(WebAuthnStepFailure::Api)))
    }

    /// Drops `abort` as the pending autofill request; false when another one replaced it (or none is left).
    fn forget_autofill(self, abort: &Abort) -> bool {
        self.autofill
            .try_update_value(|current| {
                let mine = current.as_ref().is_some_and(|pending| pending.is(abort));
                if mine {
                    *current = None;
                }
                mine
            })
            .unwrap_or(false)
    }

    /// The end of an attempt: leave for the provider's `redirectTo`, or the failure to show (an aborted request says
    /// nothing) with a new challenge fetched for the next one.
    fn conclude(self, settings: &'static Settings, result: Result<String, WebAuthnStepFailure>) -> Outcome {
        let failure = match result {
            Ok(redirect_to) => {
                session::replace_location(&redirect_to);
                return Outcome::Leaving;
            }
            Err(failure) => failure,
        };
        if self.pending.try_get_untracked().is_none() {
            return Outcome::Quiet; // the screen is gone
        }
        let outcome = match failure {
            WebAuthnStepFailure::Ceremony(failure) => failure
                .phrase_key()
                .map_or(Outcome::Quiet, |key| Outcome::Message { text: settings.t(key), refused: false }),
            WebAuthnStepFailure::Api(failure) => Outcome::of_failure(settings, &failure),
        };
        // Each attempt uses up the challenge.
        self.options.set(None);
        self.refresh(settings);
        outcome
    }

    /// The button's sign-in: the preflight's options (fetched now if they are missing), then the ceremony and the calls.
    async fn pressed(self, settings: &'static Settings, prefetched: Option<serde_json::Value>) -> Outcome {
        let api = settings.api();
        let options_now = match prefetched {
            Some(options) => Ok(options),
            // A held verification needs no prompt, hence no options.
            None if self.held.holds() => Ok(serde_json::Value::Null),
            None => api.passkey_preflight().await,
        };
        let result = match options_now {
            Ok(options) => {
                self.held.run(async |progress| sequences::passkey_sign_in(&api, progress, &options).await).await
            }
            Err(failure) => Err(WebAuthnStepFailure::Api(failure)),
        };
        self.conclude(settings, result)
    }
}

// The passkey flows' code, in the first screens' split group (first_screen_actions.rs).

#[wasm_split(actions, fallible, wasm_split_path = leptos::wasm_split)]
fn preflight(settings: &'static Settings) -> Result<Running<Option<serde_json::Value>>, ChunkUnavailable> {
    Ok(Box::pin(async move { settings.api().passkey_preflight().await.ok() }))
}

#[wasm_split(actions, fallible, wasm_split_path = leptos::wasm_split)]
fn autofill(
    state: PasskeySignInState,
    settings: &'static Settings,
    options: serde_json::Value,
) -> Result<Running<Option<Outcome>>, ChunkUnavailable> {
    Ok(Box::pin(state.autofill_once(settings, options)))
}

#[wasm_split(actions, fallible, wasm_split_path = leptos::wasm_split)]
fn button_pressed(
    state: PasskeySignInState,
    settings: &'static Settings,
    prefetched: Option<serde_json::Value>,
) -> Result<Running<Outcome>, ChunkUnavailable> {
    Ok(Box::pin(state.pressed(settings, prefetched)))
}

/// "Continue with passkey" (`passkeySignIn.enabled && showPasskeyButton`, and a browser that can): the
/// screen's preflight options are already there, so the click's user gesture goes straight to the prompt;
/// then `PUT {SignIn}` → `sign-in-passkey/authentication/verify` → identification → submit. The autofill
/// request is aborted first. Also shows what an autofill sign-in failed with.
#[component]
pub fn PasskeyButton() -> impl IntoView {
    let settings = use_settings();
    let Some(state) = PasskeySignInState::from_context() else {
        return ().into_any();
    };
    let navigate = use_navigate();
    let (pending, error) = (state.pending, state.error);
    let sign_in = move |_| {
        if pending.get_untracked() {
            return;
        }
        state.abort_autofill();
        pending.set(true);
        error.set(None);
        let navigate = navigate.clone();
        let prefetched = state.options.get_untracked();
        spawn_local(async move {
            let pressed = button_pressed(state, settings, prefetched);
            state.follow(first_screen_actions::run(settings, pressed).await, &navigate);
        });
    };
    let button = state.button.then(|| {
        view! {
            <BusyButton
                class="button button_secondary signIn_passkeyButton"
                label=settings.t("mfa.continue_with_passkey")
                pending
                on_click=Callback::new(sign_in)
            />
        }
    });
    view! {
        <div class="signIn_passkey">
            {button}
            <FormError error />
        </div>
    }
    .into_any()
}
