use crate::components::{terms_question_needed, ErrorPage, TermsQuestion};
use crate::navigation::{use_navigate, use_query_map};
use crate::reactions;
use crate::sequences::{self, MagicLink};
use crate::session;
use crate::settings::use_settings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::landing;
use sign_in_core::route::Page;

/// What the magic-link screen waits for.
#[derive(Clone)]
enum Waiting {
    /// The provider (the screen stays blank and busy).
    Provider,
    /// The person's answer to the terms, before signing in (`None`) or before creating the account for
    /// this verified token.
    Terms(Option<String>),
}

/// `/one-time-token?one_time_token=…&login_hint=…`: a magic link signs the person in (or up) with no
/// further input, except the terms when the policy asks for them. The token leaves the address bar at once;
/// a refused token or declined terms show `/one-time-token/error`.
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
    let waiting = RwSignal::new(if asks(false) { Waiting::Terms(None) } else { Waiting::Provider });

    let show_failure = {
        let (navigate, error_page) = (navigate.clone(), error_page.clone());
        // Not `submit::follow`: the screen has no busy flag (it is blank while it waits) and no place for a message
        // (the error page stands in for it).
        move |failure| reactions::apply(settings, &failure, &navigate, |_| navigate(&error_page, Default::default()))
    };
    let sign_in = {
        let (navigate, error_page, show_failure) = (navigate.clone(), error_page.clone(), show_failure.clone());
        move || {
            waiting.set(Waiting::Provider);
            let may_register = !asks(true);
            let (navigate, error_page, show_failure) = (navigate.clone(), error_page.clone(), show_failure.clone());
            let (email, token) = (email.clone(), token.clone());
            spawn_local(async move {
                match sequences::one_time_token_sign_in(&settings.api(), email, token, may_register).await {
                    MagicLink::Done(redirect_to) => session::replace_location(&redirect_to),
                    MagicLink::Refused => navigate(&error_page, Default::default()),
                    MagicLink::NewAccount(verified) => waiting.set(Waiting::Terms(Some(verified))),
                    MagicLink::Failed(failure) => show_failure(failure),
                }
            });
        }
    };
    let register = move |verified: String| {
        waiting.set(Waiting::Provider);
        let show_failure = show_failure.clone();
        spawn_local(async move {
            match sequences::register_identity(&settings.api(), verified).await {
                Ok(redirect_to) => session::replace_location(&redirect_to),
                Err(failure) => show_failure(failure),
            }
        });
    };
    if matches!(waiting.get_untracked(), Waiting::Provider) {
        sign_in();
    }
    let decline = move || navigate(&error_page, Default::default());
    (move || match waiting.get() {
        Waiting::Provider => view! { <div class="page_blank" aria-busy="true"></div> }.into_any(),
        Waiting::Terms(verified) => {
            let (sign_in, register) = (sign_in.clone(), register.clone());
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
