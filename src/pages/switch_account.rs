use crate::components::{BrandingHeader, BusyButton, ErrorPage};
use crate::navigation::NavigateOptions;
use crate::navigation::{use_navigate, use_query_map};
use crate::settings::use_settings;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::route::Page;

/// What the screen knows about the account signed in here.
#[derive(Debug, Clone, PartialEq)]
enum Current {
    Loading,
    /// How the account is named to its owner (its email, when it has one).
    Known(String),
    /// `GET /api/interaction/consent` failed: the link can still be used.
    Unknown,
}

/// `/switch-account?login_hint=…&one_time_token=…`: a magic link opened in a browser where another account is signed in
/// (docs/experience-api.md, Switch account). Says who is signed in (legacy `GET /api/interaction/consent`) and, on
/// "Switch account", goes on with the link on `/one-time-token` (same parameters), which signs the link's account in
/// instead.
#[component]
pub fn SwitchAccount() -> impl IntoView {
    let settings = use_settings();
    let (token, login_hint) = use_query_map().with_untracked(|q| (q.get("one_time_token"), q.get("login_hint")));
    let (Some(_), Some(login_hint)) = (token.filter(|t| !t.is_empty()), login_hint.filter(|h| !h.is_empty())) else {
        return view! {
            <ErrorPage
                title=settings.t("error.invalid_link")
                description=settings.t("error.invalid_link_description")
                action=(settings.t("description.back_to_sign_in"), settings.link(Page::SignIn))
            />
        }
        .into_any();
    };
    let current = RwSignal::new(Current::Loading);
    {
        let api = settings.api();
        spawn_local(async move {
            current.set(match api.consent_info().await {
                Ok(info) => Current::Known(info.user.account_label()),
                Err(_) => Current::Unknown,
            });
        });
    }
    // The link goes on exactly as it came (Logto passes the whole query on).
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let navigate = use_navigate();
    let pending = RwSignal::new(false);
    let switch = move |_| {
        pending.set(true);
        navigate(&format!("/one-time-token{search}"), NavigateOptions { replace: true, ..Default::default() });
    };
    let link_for = settings.phrases.t_with("description.switch_account_to", &[("email", &login_hint)]);
    let screen = move || {
        let (title, explanation) = match current.get() {
            Current::Loading => return view! { <div class="page_blank" aria-busy="true"></div> }.into_any(),
            Current::Known(account) => (
                settings.phrases.t_with("description.switch_account_title", &[("account", &account)]),
                view! {
                    <p class="signIn_description switchAccount_description">
                        {settings.phrases.t_with("description.switch_account_description", &[("account", &account)])}
                    </p>
                }
                .into_any(),
            ),
            Current::Unknown => (
                settings.t("description.switch_account"),
                view! {
                    <p class="form_error switchAccount_unknown" role="alert">
                        {settings.t("description.switch_account_unknown")}
                    </p>
                }
                .into_any(),
            ),
        };
        let switch = switch.clone();
        view! {
            <BrandingHeader title />
            {explanation}
            <p class="signIn_description switchAccount_target">{link_for.clone()}</p>
            <BusyButton
                class="button button_primary switchAccount_button"
                name="submit"
                label=settings.t("description.switch_account")
                pending
                on_click=Callback::new(switch)
            />
        }
        .into_any()
    };
    screen.into_any()
}
