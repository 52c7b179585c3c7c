//! How a screen submits: an [`Outcome`] and the one way to follow it, and [`Step`], one provider step of a screen (verify,
//! bind, skip, set a field…) that ends in the provider's
//! `redirectTo`: at most one at a time, the button busy while it runs, its failure shown or followed.

use crate::api::ExperienceApi;
use crate::navigation::use_navigate;
use crate::navigation::NavigateOptions;
use crate::reactions;
use crate::sequences::{self, WebAuthnStepFailure};
use crate::session;
use crate::settings::{use_settings, Settings};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::api::{Identifier, InteractionEvent};
use sign_in_core::failures::{self, ApiFailure, Reaction};
use sign_in_core::interaction::CodeFlow;
use sign_in_core::route::Page;
use std::future::Future;
use std::sync::Arc;

/// Where a submitted form or a pressed button ends (the call sequences that decide it are in
/// `first_screen_actions.rs`).
pub enum Outcome {
    /// The browser is leaving (the provider's `redirectTo`, an identity provider): the form stays busy.
    Leaving,
    /// Another screen of the page (an in-app href).
    Navigate(String),
    /// The screen stays and says this; `refused`: the provider refused what was entered, which must change.
    Message { text: String, refused: bool },
    /// The screen stays with nothing to say (a cancelled passkey prompt).
    Quiet,
}

impl Outcome {
    /// A failure's usual reaction (`failures::react`); a failure that is not transient refused the input.
    pub fn of_failure(settings: &Settings, failure: &ApiFailure) -> Self {
        reactions::outcome(settings, failures::react(failure), !failure.is_transient())
    }

    /// The end of a sequence that ends in the provider's `redirectTo`: leave for it, or the failure's usual reaction.
    pub fn of_finish(settings: &Settings, result: Result<String, ApiFailure>) -> Self {
        match result {
            Ok(redirect_to) => {
                session::replace_location(&redirect_to);
                Self::Leaving
            }
            Err(failure) => Self::of_failure(settings, &failure),
        }
    }
}

/// Follows `outcome` on a screen: `pending` ends unless the browser is leaving, a message goes to `show` (with
/// whether the provider refused the input). Tolerates a screen that closed meanwhile.
pub fn follow(
    outcome: Outcome,
    navigate: &impl Fn(&str, NavigateOptions),
    pending: RwSignal<bool>,
    show: impl FnOnce(String, bool),
) {
    if matches!(outcome, Outcome::Leaving) {
        return;
    }
    // `try_set` hands the value back when the screen (and its signal) is gone: nothing left to follow.
    if pending.try_set(false).is_some() {
        return;
    }
    match outcome {
        Outcome::Navigate(href) => navigate(&href, NavigateOptions::default()),
        Outcome::Message { text, refused } => show(text, refused),
        Outcome::Leaving | Outcome::Quiet => {}
    }
}

/// Sends a code for `flow` and opens its screen; a failure as `react` words it.
pub async fn send_code_then_open(
    settings: &Settings,
    flow: CodeFlow,
    event: InteractionEvent,
    identifier: Identifier,
    react: impl FnOnce(&ApiFailure) -> Reaction,
) -> Outcome {
    match sequences::send_code(&settings.api(), flow, event, identifier).await {
        Ok(_) => Outcome::Navigate(settings.link(Page::VerificationCode(flow))),
        Err(failure) => reactions::outcome(settings, react(&failure), false),
    }
}

/// A failure a step can end with.
pub trait StepFailure {
    /// Shows the failure in `error`, or follows it to another screen.
    fn show(self, settings: &Settings, navigate: &dyn Fn(&str, NavigateOptions), error: RwSignal<Option<String>>);
    /// The provider refused what was sent (rather than the answer going missing): what was entered must change.
    fn refused(&self) -> bool;
}

impl StepFailure for ApiFailure {
    fn show(self, settings: &Settings, navigate: &dyn Fn(&str, NavigateOptions), error: RwSignal<Option<String>>) {
        reactions::apply(settings, &self, &|href: &str, options| navigate(href, options), |text| error.set(Some(text)));
    }
    fn refused(&self) -> bool {
        !self.is_transient()
    }
}

impl StepFailure for WebAuthnStepFailure {
    fn show(self, settings: &Settings, navigate: &dyn Fn(&str, NavigateOptions), error: RwSignal<Option<String>>) {
        match self {
            Self::Api(failure) => failure.show(settings, navigate, error),
            // A refused prompt says so (the button asks again); an aborted request says nothing.
            Self::Ceremony(failure) => error.set(failure.phrase_key().map(|key| settings.t(key))),
        }
    }
    fn refused(&self) -> bool {
        match self {
            Self::Api(failure) => failure.refused(),
            Self::Ceremony(_) => false,
        }
    }
}

/// The navigate function, shareable across a step's clones.
type Navigate = Arc<dyn Fn(&str, NavigateOptions) + Send + Sync>;

/// The busy flag and error of one screen's steps.
#[derive(Clone)]
pub struct Step {
    settings: &'static Settings,
    navigate: Navigate,
    pub pending: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
}

impl Step {
    pub fn new() -> Self {
        Self::with_error(RwSignal::new(None))
    }

    /// A step reporting into an error signal the screen already shows.
    pub fn with_error(error: RwSignal<Option<String>>) -> Self {
        let navigate = use_navigate();
        Self { settings: use_settings(), navigate: Arc::new(navigate), pending: RwSignal::new(false), error }
    }

    /// Starts `run` unless a step is already running; on success the browser leaves (the step stays busy),
    /// on a refusal `on_refusal` runs first (e.g. clearing code boxes), then the failure is shown.
    pub fn run_then<E, Fut>(&self, run: impl FnOnce(ExperienceApi) -> Fut, on_refusal: impl FnOnce() + 'static)
    where
        E: StepFailure + 'static,
        Fut: Future<Output = Result<String, E>> + 'static,
    {
        if self.pending.get_untracked() {
            return;
        }
        self.pending.set(true);
        self.error.set(None);
        let step = self.clone();
        let future = run(self.settings.api());
        spawn_local(async move {
            match future.await {
                Ok(redirect_to) => session::replace_location(&redirect_to),
                Err(failure) => {
                    if failure.refused() {
                        on_refusal();
                    }
                    failure.show(step.settings, &*step.navigate, step.error);
                    step.pending.set(false);
                }
            }
        });
    }

    pub fn run<E, Fut>(&self, run: impl FnOnce(ExperienceApi) -> Fut)
    where
        E: StepFailure + 'static,
        Fut: Future<Output = Result<String, E>> + 'static,
    {
        self.run_then(run, || {});
    }
}
