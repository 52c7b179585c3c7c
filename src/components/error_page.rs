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
    view! {
        <div class="errorPage_container">
            <h1 class="errorPage_title">{title}</h1>
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
        </div>
    }
}
