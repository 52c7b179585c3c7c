//! Applies a failure reaction decided by the core: a message for the screen, or another screen.

use crate::navigation::NavigateOptions;
use crate::notice;
use crate::session;
use crate::settings::Settings;
use crate::submit::Outcome;
use sign_in_core::failures::{ApiFailure, Reaction};
use sign_in_core::interaction::NextStep;
use sign_in_core::password_policy::{self, Rejection};
use sign_in_core::route::Page;

/// What a screen does with a failure.
pub enum Shown {
    /// Show this text where the screen shows errors.
    Message(String),
    /// Go to this in-app href.
    Navigate(String),
}

pub fn resolve(settings: &Settings, reaction: Reaction) -> Shown {
    match reaction {
        Reaction::FormMessage { text } => Shown::Message(text),
        Reaction::FormPhrase { key } => Shown::Message(settings.t(key)),
        Reaction::Navigate(screen) => Shown::Navigate(settings.link(screen)),
        Reaction::Redirect { screen, notice } => {
            notice::carry(notice);
            Shown::Navigate(settings.link(screen))
        }
        Reaction::Next(NextStep::Continue(missing)) => Shown::Navigate(settings.link(Page::Continue(missing))),
        Reaction::Next(NextStep::ResetPassword) => Shown::Navigate(settings.link(Page::ForgotPasswordReset)),
        Reaction::Next(NextStep::Mfa(next)) => {
            // The MFA screens read their step from sessionStorage, so a reload resumes it.
            let (page, state) = next.entry();
            if let Some(state) = state {
                session::save_mfa(&state);
            }
            Shown::Navigate(settings.link(page))
        }
        Reaction::PasswordRejected(reasons) => Shown::Message(rejection_text(settings, &reasons)),
        Reaction::TooManyRequests { retry_after } => Shown::Message(too_many_requests(settings, retry_after)),
    }
}

/// The [`Outcome`] of a reaction; `refused`: the provider refused what was entered.
pub fn outcome(settings: &Settings, reaction: Reaction, refused: bool) -> Outcome {
    match resolve(settings, reaction) {
        Shown::Message(text) => Outcome::Message { text, refused },
        Shown::Navigate(href) => Outcome::Navigate(href),
    }
}

/// "Too many attempts", with when to try again when the answer said (`failures::too_many_requests_phrase`).
fn too_many_requests(settings: &Settings, retry_after: Option<u32>) -> String {
    match sign_in_core::failures::too_many_requests_phrase(retry_after) {
        (key, None) => settings.t(key),
        (key, Some((name, value))) => settings.phrases.t_with(key, &[(name, &value.to_string())]),
    }
}

/// The usual handling: messages to `show`, screens through `navigate`.
pub fn apply(
    settings: &Settings,
    failure: &ApiFailure,
    navigate: &impl Fn(&str, NavigateOptions),
    show: impl FnOnce(String),
) {
    apply_reaction(settings, sign_in_core::failures::react(failure), navigate, show);
}

/// Like [`apply`], for a reaction a screen decided itself.
pub fn apply_reaction(
    settings: &Settings,
    reaction: Reaction,
    navigate: &impl Fn(&str, NavigateOptions),
    show: impl FnOnce(String),
) {
    match resolve(settings, reaction) {
        Shown::Message(text) => show(text),
        Shown::Navigate(href) => navigate(&href, NavigateOptions::default()),
    }
}

/// The one sentence shown for the reasons a password was refused (local or from the provider).
pub fn rejection_text(settings: &Settings, reasons: &[Rejection]) -> String {
    password_policy::message(reasons, &settings.phrases).unwrap_or_else(|| settings.t("error.password_rejected_title"))
}
