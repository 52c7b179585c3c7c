use crate::settings::use_settings;
use leptos::prelude::*;

/// Links to the terms of use and privacy policy, where configured, after a lead-in sentence
/// (`lead` false: the links alone, beside a checkbox label that says it).
#[component]
pub fn TermsLinks(#[prop(default = true)] lead: bool) -> impl IntoView {
    let settings = use_settings();
    let links: Vec<_> = [
        (&settings.config.terms_of_use_url, "description.terms_of_use"),
        (&settings.config.privacy_policy_url, "description.privacy_policy"),
    ]
    .into_iter()
    .filter_map(|(url, key)| url.clone().map(|url| (url, settings.t(key))))
    .collect();
    (!links.is_empty()).then(|| {
        let count = links.len();
        let links = links.into_iter().enumerate().map(|(i, (url, label))| {
            let joiner = (i + 1 < count).then(|| format!(" {} ", settings.t("description.and")));
            view! {
                <a class="page_link" href=url target="_blank" rel="noopener noreferrer">{label}</a>
                {joiner}
            }
        });
        let lead = lead.then(|| format!("{} ", settings.t("description.agree_with_terms")));
        view! { <p class="signIn_terms">{lead} {links.collect_view()}</p> }
    })
}

/// A real checkbox with its own label; the links sit outside it (axe: no nested interactive controls).
#[component]
pub fn TermsCheckbox(accepted: RwSignal<bool>, error: RwSignal<Option<String>>) -> impl IntoView {
    let settings = use_settings();
    view! {
        <div class="terms_checkbox signIn_terms" data-invalid=move || error.with(Option::is_some).then_some("true")>
            <input
                id="terms"
                name="terms"
                type="checkbox"
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=move || error.with(Option::is_some).then_some("terms-error")
                prop:checked=move || accepted.get()
                on:change=move |ev| {
                    accepted.set(event_target_checked(&ev));
                    error.set(None);
                }
            />
            <label for="terms">{settings.t("description.agree_with_terms_checkbox")}</label>
            <TermsLinks lead=false />
            {move || error.get().map(|text| view! { <p class="field_error" role="alert" id="terms-error">{text}</p> })}
        </div>
    }
}

/// Whether the form may go on: the box is ticked, or else its error is shown.
pub fn terms_accepted(accepted: RwSignal<bool>, error: RwSignal<Option<String>>, message: String) -> bool {
    let ok = accepted.get_untracked();
    error.set((!ok).then_some(message));
    ok
}
