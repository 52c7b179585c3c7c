use crate::components::{BrandingHeader, InputField, SendCodeForm, SubmitButton};
use crate::pages::extra_profile::ExtraProfile;
use crate::pages::SetPassword;
use crate::sequences::{self, Held};
use crate::session;
use crate::settings::use_settings;
use crate::submit::Step;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use sign_in_core::api::{InteractionEvent, ProfileBody};
use sign_in_core::interaction::{CodeFlow, MissingProfile};
use sign_in_core::username_policy::UsernamePolicy;

/// `/continue/:method`: a profile field the provider asked for before it lets the person in.
#[component]
pub fn ContinueStep(missing: MissingProfile) -> impl IntoView {
    let settings = use_settings();
    let event = session::flow().map_or(InteractionEvent::SignIn, |state| state.event);
    match missing {
        MissingProfile::Username => view! { <ContinueUsername event /> }.into_any(),
        MissingProfile::Password => view! { <SetPassword /> }.into_any(),
        MissingProfile::Email | MissingProfile::Phone | MissingProfile::EmailOrPhone => {
            let (title, description) = match missing {
                MissingProfile::Email => ("description.link_email", "description.link_email_description"),
                MissingProfile::Phone => ("description.link_phone", "description.link_phone_description"),
                _ => ("description.link_email_or_phone", "description.link_email_or_phone_description"),
            };
            view! {
                <BrandingHeader title=settings.t(title) />
                <p class="signIn_description">{settings.t(description)}</p>
                <SendCodeForm
                    flow=CodeFlow::Continue
                    event
                    kinds=missing.identifier_kinds().to_vec()
                    submit_label=settings.t("action.continue")
                />
            }
            .into_any()
        }
        MissingProfile::ExtraProfile => view! { <ExtraProfile /> }.into_any(),
    }
}

/// The username a new (or incomplete) account needs.
#[component]
fn ContinueUsername(event: InteractionEvent) -> impl IntoView {
    let settings = use_settings();
    let value = RwSignal::new(String::new());
    let policy = UsernamePolicy::from_config(&settings.config.username_policy);
    let hint = policy.requirements(&settings.phrases);
    let step = Step::new();
    let held = Held::new();
    let (error, pending) = (step.error, step.pending);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let username = value.get_untracked().trim().to_owned();
        if let Some(problem) = policy.check(&username, &settings.phrases) {
            return error.set(Some(problem));
        }
        step.run(move |api| {
            held.run(async move |progress| {
                sequences::fill_profile(&api, progress, ProfileBody::Username { value: username }, event).await
            })
        });
    };
    view! {
        <BrandingHeader title=settings.t("description.enter_username") />
        <p class="signIn_description">{settings.t("description.enter_username_description")}</p>
        <form class="continue_form" novalidate on:submit=on_submit>
            <InputField name="identifier" label=settings.t("input.username") value error autocomplete="username" autofocus=true hint />
            <SubmitButton label=settings.t("action.continue") pending />
        </form>
    }
}
