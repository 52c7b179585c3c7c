use crate::components::{terms_question_needed, ErrorPage, Resumable, TermsQuestion};
use crate::navigation::{use_navigate, use_query_map};
use crate::reactions;
use crate::sequences::{self, Held, MagicLink};
use crate::session;
use crate::settings::use_settings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::failures::ResumableFailure;
use sign_in_core::landing;
use sign_in_core::route::Page;

/// What the magic-link screen waits for.
#[derive(Clone)]
enum Waiting {
    /// The provider (the screen is busy, or says the answer went missing: [`Resumable`]).
    Provider,
    /// The person's answer to the terms, before signing in (`None`) or before creating the account for
    /// this verified token.
    Terms(Option<String>),
}

/// `/one-time-token?one_time_token=…&login_hint=…`: a magic link signs the person in (or up) with no
/// further input, except the terms when the policy asks for them. The token leaves the address bar at once;
/// a refused token or declined terms show `/one-time-token/error`; an answer that went missing is said here, with a
/// Try again that does not send a verified token again.
#[component]
pub fn OneTimeToken() -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    let (token, email, refused) =
        use_query_map().with_untracked(|q| (q.get("one_time_token"), q.get("login_hint"), q.get("errorMessage")));
    session::strip_query();
    // The provider already refused the link and says why: nothing to try.
    if let Some(reason) = refused {
        let app_id = settings.app_id();
        let query = landing::query_of(&[("app_id", app_id.as_deref()), ("errorMessage", Some(&reason))]);
        navigate(&format!("/one-time-token/error{query}"), Default::default());
        return view! { <div class="page_blank" aria-busy="true"></div> }.into_any();
    }
    let error_page = settings.link(Page::OneTimeTokenError);
    let (Some(token), Some(email)) = (token, email) else {
        navigate(&error_page, Default::default());
        return view! { <div class="page_blank" aria-busy="true"></div> }.into_any();
    };
    let asks = move |registering| terms_question_needed(&settings.config, registering);
    let waiting = RwSignal::new(Waiting::Provider);
    // Signing in with the token, then (a new email) making the account.
    let resumable = Resumable::new();
    // Not `submit::follow`: the screen has no form; its own places for a message are the retry screen and the error
    // page. Answers the verified token's id when nobody has the link's email.
    let follow = {
        let (navigate, error_page) = (navigate.clone(), error_page.clone());
        move |outcome: MagicLink| -> Option<String> {
            let error = || navigate(&error_page, Default::default());
            match outcome {
                MagicLink::Done(redirect_to) => session::replace_location(&redirect_to),
                MagicLink::NewAccount(verified) => return Some(verified),
                MagicLink::Failed(ResumableFailure::Refused) => error(),
                MagicLink::Failed(ResumableFailure::Retry(reaction)) => {
                    reactions::apply_reaction(settings, reaction, &navigate, |text| resumable.interrupt(text))
                }
                MagicLink::Failed(ResumableFailure::Refusal(reaction)) => {
                    reactions::apply_reaction(settings, reaction, &navigate, |_| error())
                }
            }
            None
        }
    };
    let register = {
        let follow = follow.clone();
        let held = Held::new();
        move |verified: String| {
            let follow = follow.clone();
            waiting.set(Waiting::Provider);
            resumable.start(move || {
                let (follow, verified) = (follow.clone(), verified.clone());
                spawn_local(async move {
                    let api = settings.api();
                    let outcome =
                        held.run(async |progress| sequences::one_time_token_register(&api, progress, verified).await);
                    follow(outcome.await);
                });
            });
        }
    };
    let sign_in = {
        let register = register.clone();
        let held = Held::new();
        move || {
            let (follow, register) = (follow.clone(), register.clone());
            let (email, token) = (email.clone(), token.clone());
            waiting.set(Waiting::Provider);
            resumable.start(move || {
                let (follow, register) = (follow.clone(), register.clone());
                let (email, token) = (email.clone(), token.clone());
                spawn_local(async move {
                    let api = settings.api();
                    let outcome = held
                        .run(async |progress| sequences::one_time_token_sign_in(&api, progress, email, token).await);
                    if let Some(verified) = follow(outcome.await) {
                        match asks(true) {
                            true => waiting.set(Waiting::Terms(Some(verified))),
                            false => register(verified),
                        }
                    }
                });
            });
        }
    };
    match asks(false) {
        true => waiting.set(Waiting::Terms(None)),
        false => sign_in(),
    }
    let decline = move || navigate(&error_page, Default::default());
    (move || match waiting.get() {
        Waiting::Provider => resumable.view(Some("description.signing_in")),
        Waiting::Terms(verified) => {
            let (register, sign_in) = (register.clone(), sign_in.clone());
            let accept = move || match verified.clone() {
                Some(verified) => register(verified),
                None => sign_in(),
            };
            view! { <TermsQuestion on_accept=accept on_decline=decline.clone() /> }.into_any()
        }
    })
    .into_any()
}

/// `/one-time-token/error`: the link is used up, expired or broken (with the provider's `errorMessage`, when
/// it gave one).
#[component]
pub fn OneTimeTokenError() -> impl IntoView {
    let settings = use_settings();
    let reason = use_query_map().with_untracked(|q| q.get("errorMessage"));
    view! {
        <ErrorPage
            title=settings.t("error.invalid_link")
            description=reason.unwrap_or_else(|| settings.t("error.invalid_link_description"))
            action=(settings.t("description.back_to_sign_in"), settings.link(Page::SignIn))
        />
    }
}
