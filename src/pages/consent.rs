use crate::components::ErrorPage;
use crate::components::{BusyButton, FormError};
use crate::navigation::use_query_map;
use crate::reactions;
use crate::reactions::Shown;
use crate::session;
use crate::settings::{use_settings, Settings};
use crate::submit::{self, Outcome};
use crate::theme::use_theme;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sign_in_core::api::{ConsentInfoResponse, ConsentUser};
use sign_in_core::consent::{self, Permissions};
use sign_in_core::failures::{self, LoadFailure};
use sign_in_core::landing;
use std::sync::Arc;

/// What the screen shows.
#[derive(Clone)]
enum Screen {
    Loading,
    /// `GET /api/interaction/consent` was refused: the sign-in has ended or never was.
    Unavailable,
    /// `GET /api/interaction/consent` got no usable answer: why, and a way to ask again.
    Failed(String),
    Ready(Arc<ConsentInfoResponse>),
    /// The provider refused the consent (`oidc.access_denied`).
    Denied,
}

/// `/consent`: a third-party application asks for access (docs/experience-api.md, "Consent"). Shows the
/// application, the signed-in account, the permissions asked for and, when organizations are asked for, which one
/// to grant; Authorize grants them (legacy `POST /api/interaction/consent`), Cancel goes back to the application
/// refused, "Use another account" signs out and starts the sign-in again.
#[component]
pub fn Consent() -> impl IntoView {
    let settings = use_settings();
    let screen = RwSignal::new(Screen::Loading);
    let load = move || {
        screen.set(Screen::Loading);
        let api = settings.api();
        spawn_local(async move {
            let shown = match api.consent_info().await {
                Ok(info) => Screen::Ready(Arc::new(info)),
                Err(failure) => match failures::load_failure(&failure) {
                    LoadFailure::Denied => Screen::Denied,
                    LoadFailure::Ended => Screen::Unavailable,
                    LoadFailure::Retry(reaction) => match reactions::resolve(settings, reaction) {
                        Shown::Message(text) => Screen::Failed(text),
                        Shown::Navigate(_) => Screen::Unavailable,
                    },
                },
            };
            // The screen may have closed meanwhile.
            let _ = screen.try_set(shown);
        });
    };
    load();
    let app_id = use_query_map().with_untracked(|q| q.get("app_id"));
    move || match screen.get() {
        Screen::Loading => view! { <div class="page_blank" aria-busy="true"></div> }.into_any(),
        Screen::Unavailable => view! {
            <ErrorPage
                title=settings.t("error.invalid_session")
            />
        }
        .into_any(),
        Screen::Failed(reason) => view! {
            <ErrorPage
                title=settings.t("error.something_went_wrong")
                description=reason
                retry=(settings.t("action.try_again"), Callback::new(move |()| load()))
            />
        }
        .into_any(),
        Screen::Denied => {
            let sign_out = sign_out_href(app_id.as_deref());
            // The provider's sign-out is a page load, not a screen of the app.
            let leave = Callback::new(move |()| {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().assign(&sign_out);
                }
            });
            view! {
                <ErrorPage
                    title=settings.t("error.access_denied")
                    description=settings.t("error.application_access_denied")
                    retry=(settings.t("action.use_another_account"), leave)
                />
            }
            .into_any()
        }
        Screen::Ready(info) => {
            let sign_out = sign_out_href(app_id.as_deref().or(Some(&info.application.id)));
            view! { <ConsentForm info screen sign_out /> }.into_any()
        }
    }
}

/// `/oidc/session/end?client_id=…`: signs out; the provider then starts this sign-in over.
fn sign_out_href(app_id: Option<&str>) -> String {
    format!("/oidc/session/end{}", landing::query_of(&[("client_id", app_id)]))
}

#[component]
fn ConsentForm(info: Arc<ConsentInfoResponse>, screen: RwSignal<Screen>, sign_out: String) -> impl IntoView {
    let settings = use_settings();
    let name = info.application.shown_name().to_owned();
    let title = settings.phrases.t_with("description.authorize_title", &[("name", &name)]);
    crate::components::name_screen(&title);
    let organization = RwSignal::new(consent::default_organization(&info));
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let authorize = {
        let asks_organizations = info.organizations.is_some();
        move |_| {
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            error.set(None);
            let chosen = organization.get_untracked();
            let ids = asks_organizations.then(|| chosen.into_iter().collect());
            let api = settings.api();
            spawn_local(async move {
                let outcome = match api.consent(ids).await {
                    // Not a message under the buttons: the whole screen says so (and the form is gone).
                    Err(failure) if failure.code() == Some("oidc.access_denied") => return screen.set(Screen::Denied),
                    // Consent is not a step of the sign-in: every other failure is said under the buttons.
                    Err(failure) => {
                        reactions::outcome(settings, failures::react_in_place(&failure), !failure.is_transient())
                    }
                    finished => Outcome::of_finish(settings, finished),
                };
                submit::follow(outcome, &|_, _| {}, pending, |text, _| error.set(Some(text)));
            });
        }
    };
    let cancel = consent::cancel_target(&info).map(str::to_owned).map(|to| {
        view! {
            <button
                class="button button_secondary consent_cancel"
                type="button"
                disabled=move || pending.get()
                on:click=move |_| session::replace_location(&to)
            >
                {settings.t("action.cancel")}
            </button>
        }
    });
    view! {
        <AppHeader info=info.clone() title />
        <AccountCard user=info.user.clone() />
        <PermissionList info=info.clone() organization name=name.clone() />
        <OrganizationPicker info=info.clone() organization name=name.clone() />
        <FormError error />
        <div class="consent_actions">
            {cancel}
            <BusyButton
                class="button button_primary consent_authorize"
                name="submit"
                label=settings.t("action.authorize")
                pending
                on_click=Callback::new(authorize)
            />
        </div>
        {agreement(settings, &info, &name)}
        <p class="consent_notYou">
            {settings.t("description.not_you")}
            " "
            // A page of the provider, not a screen: the browser loads it (rel="external" keeps the app's router out).
            <a class="page_link" href=sign_out rel="external">{settings.t("action.use_another_account")}</a>
        </p>
    }
}

/// The application's logo (by theme) and the screen's headline.
#[component]
fn AppHeader(info: Arc<ConsentInfoResponse>, title: String) -> impl IntoView {
    let heading = crate::components::headline_focus();
    let dark = use_theme().map(|theme| theme.dark);
    let logo = move || {
        let dark = dark.is_some_and(|d| d.get());
        consent::app_logo(info.application.branding.as_ref(), dark)
            .map(|src| view! { <img class="consent_appLogo" src=src.to_owned() alt="" /> })
    };
    view! {
        <header class="logto_branding-header brand_header consent_header">
            {logo}
            <h1 class="brand_title" tabindex="-1" node_ref=heading>{title}</h1>
        </header>
    }
}

/// The signed-in account: avatar (or its initial), name and how it signs in.
#[component]
fn AccountCard(user: ConsentUser) -> impl IntoView {
    let label = user.account_label();
    let name = user.name.clone().filter(|n| !n.trim().is_empty() && *n != label);
    let initial = name.as_deref().unwrap_or(&label).chars().next().map(|c| c.to_uppercase().to_string());
    let avatar = match user.avatar.filter(|a| !a.trim().is_empty()) {
        Some(src) => view! { <img class="consent_avatar" src=src alt="" /> }.into_any(),
        None => view! { <span class="consent_avatar consent_initial" aria-hidden="true">{initial}</span> }.into_any(),
    };
    view! {
        <div class="consent_account">
            {avatar}
            <div class="consent_accountText">
                {name.map(|n| view! { <span class="consent_accountName">{n}</span> })}
                <span class="consent_accountLabel">{label}</span>
            </div>
        </div>
    }
}

/// The permissions asked for, grouped: personal data, then each API resource (with the chosen organization's).
#[component]
fn PermissionList(
    info: Arc<ConsentInfoResponse>,
    organization: RwSignal<Option<String>>,
    name: String,
) -> impl IntoView {
    let settings = use_settings();
    let heading = settings.phrases.t_with("description.request_permission", &[("name", &name)]);
    let groups = move || {
        let Permissions { user_scopes, resources } = consent::permissions(&info, organization.get().as_deref());
        let user_group = (!user_scopes.is_empty()).then(|| {
            let items: Vec<String> =
                user_scopes.iter().map(|s| settings.t(&format!("user_scopes.descriptions.{s}"))).collect();
            group(settings.t("description.user_scopes"), items)
        });
        let resource_groups = resources.into_iter().map(|r| {
            let items = r.scopes.into_iter().map(|s| s.description.filter(|d| !d.trim().is_empty()).unwrap_or(s.name));
            group(r.resource.name, items.collect())
        });
        view! {
            {user_group}
            {resource_groups.collect_view()}
        }
    };
    view! {
        <section class="consent_permissions" aria-labelledby="consent-permissions">
            <h2 class="consent_permissionsTitle" id="consent-permissions">{heading}</h2>
            {groups}
        </section>
    }
}

fn group(title: String, items: Vec<String>) -> impl IntoView {
    view! {
        <div class="consent_group">
            <h3 class="consent_groupTitle">{title}</h3>
            <ul class="consent_scopes">
                {items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}
            </ul>
        </div>
    }
}

/// Which organization to grant, when the request asks for organizations; a note when the account has none.
#[component]
fn OrganizationPicker(
    info: Arc<ConsentInfoResponse>,
    organization: RwSignal<Option<String>>,
    name: String,
) -> impl IntoView {
    let settings = use_settings();
    let organizations = info.organizations.clone()?;
    if organizations.is_empty() {
        let note = settings.phrases.t_with("description.consent_no_organization", &[("name", &name)]);
        return Some(view! { <p class="consent_noOrganization">{note}</p> }.into_any());
    }
    let options = organizations
        .into_iter()
        .map(|o| {
            let selected = organization.get_untracked().as_deref() == Some(o.id.as_str());
            view! { <option value=o.id selected=selected>{o.name}</option> }
        })
        .collect_view();
    Some(
        view! {
            <div class="consent_organization">
                <label class="consent_organizationLabel" for="consent-organization">
                    {settings.t("description.authorize_organization_access")}
                </label>
                <select
                    class="field_input consent_organizationSelect"
                    id="consent-organization"
                    name="organizationId"
                    on:change=move |ev| organization.set(Some(event_target_value(&ev)))
                >
                    {options}
                </select>
            </div>
        }
        .into_any(),
    )
}

/// The application's terms (when it has any) and where authorizing leads.
fn agreement(settings: &Settings, info: &ConsentInfoResponse, name: &str) -> impl IntoView {
    let origin = info.redirect_uri.as_deref().map(consent::redirect_origin);
    let links: Vec<(String, String)> = consent::terms_links(&info.application)
        .into_iter()
        .map(|(url, key)| (url.to_owned(), settings.t(key)))
        .collect();
    if links.is_empty() {
        return origin.map(|origin| {
            let text = settings.phrases.t_with("description.redirect_to", &[("name", &origin)]);
            view! { <p class="consent_agreement">{text}</p> }.into_any()
        });
    }
    let (before, after) = match &origin {
        Some(uri) => consent::around_link(
            &settings.phrases,
            "description.authorize_agreement_with_redirect",
            &[("name", name), ("uri", uri)],
        ),
        None => consent::around_link(&settings.phrases, "description.authorize_agreement", &[("name", name)]),
    };
    let count = links.len();
    let links = links.into_iter().enumerate().map(|(i, (url, label))| {
        let joiner = (i + 1 < count).then(|| format!(" {} ", settings.t("description.and")));
        view! {
            <a class="page_link" href=url target="_blank" rel="noopener noreferrer">{label}</a>
            {joiner}
        }
    });
    Some(view! { <p class="consent_agreement">{before} {links.collect_view()} {after}</p> }.into_any())
}
