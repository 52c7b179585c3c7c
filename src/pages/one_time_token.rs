use crate::components::ErrorPage;
use crate::flows;
use crate::reactions::{self, Shown};
use crate::session;
use crate::settings::use_settings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

/// `/one-time-token?one_time_token=…&login_hint=…`: a magic link signs the person in (or up) with no
/// further input. The token leaves the address bar at once; a refused token shows `/one-time-token/error`.
#[component]
pub fn OneTimeToken() -> impl IntoView {
    let settings = use_settings();
    let navigate = use_navigate();
    let (token, email) = use_query_map().with_untracked(|q| (q.get("one_time_token"), q.get("login_hint")));
    session::strip_query();
    let error_page = settings.href("/one-time-token/error");
    match (token, email) {
        (Some(token), Some(email)) => spawn_local(async move {
            match flows::one_time_token_sign_in(&settings.api(), email, token).await {
                Ok(redirect_to) => session::replace_location(&redirect_to),
                Err(Ok(_refused)) => navigate(&error_page, Default::default()),
                Err(Err(failure)) => match reactions::resolve(&settings, sign_in_core::flow::react(&failure)) {
                    Shown::Navigate(href) => navigate(&href, Default::default()),
                    Shown::Message(_) => navigate(&error_page, Default::default()),
                },
            }
        }),
        _ => navigate(&error_page, Default::default()),
    }
    view! { <div class="page_blank" aria-busy="true"></div> }
}

/// `/one-time-token/error`: the link is used up, expired or broken.
#[component]
pub fn OneTimeTokenError() -> impl IntoView {
    let settings = use_settings();
    view! {
        <ErrorPage
            title=settings.t("error.invalid_link")
            description=settings.t("error.invalid_link_description")
            action=(settings.t("description.back_to_sign_in"), settings.href("/sign-in"))
        />
    }
}
