use crate::settings::Settings;
use leptos::prelude::*;

/// A full-screen explanation with one way forward.
#[component]
pub fn ErrorPage(
    title: String,
    #[prop(optional)] description: Option<String>,
    /// `(label, href)` of the way forward.
    #[prop(optional)]
    action: Option<(String, String)>,
    /// `(label, callback)` of a button that tries the failed step again in place.
    #[prop(optional)]
    retry: Option<(String, Callback<()>)>,
) -> impl IntoView {
    crate::components::branding_header::name_screen(&title);
    // No field here: the headline takes the focus when nothing else has it, so the new screen is announced.
    let heading = crate::components::headline_focus();
    // The tenant's support contacts, when it gave any (unsafe website URLs are gone with the settings' check).
    let support = use_context::<&'static Settings>().map(|settings| {
        let config = &settings.config;
        let email =
            config.support_email.clone().filter(|e| e.contains('@') && !e.contains([':', '/', '?'])).map(|email| {
                view! {
                    <p class="errorPage_support">
                        {settings.t("description.support_email")} " "
                        <a href=format!("mailto:{email}")>{email.clone()}</a>
                    </p>
                }
            });
        let website = config.support_website_url.clone().filter(|u| !u.is_empty()).map(|url| {
            view! {
                <p class="errorPage_support">
                    {settings.t("description.support_website")} " "
                    <a href=url.clone() rel="noopener">{url.clone()}</a>
                </p>
            }
        });
        (email, website)
    });
    view! {
        <div class="errorPage_container">
            <h1 class="errorPage_title" tabindex="-1" node_ref=heading>{title}</h1>
            // With a retry the page reports a failure that just happened: announced.
            {description.map(|text| view! { <p class="errorPage_description" role=retry.is_some().then_some("alert")>{text}</p> })}
            {action.map(|(label, href)| view! { <a class="button button_primary" href=href>{label}</a> })}
            {retry.map(|(label, retry)| {
                view! {
                    <button type="button" class="button button_primary" on:click=move |_| retry.run(())>
                        {label}
                    </button>
                }
            })}
            {support}
        </div>
    }
}
