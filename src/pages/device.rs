use crate::components::{BrandingHeader, InputField, SubmitButton};
use crate::navigation::use_query_map;
use crate::settings::use_settings;
use leptos::ev::SubmitEvent;
use leptos::html::Input;
use leptos::prelude::*;
use sign_in_core::device::{self, XSRF_COOKIE};
use sign_in_core::landing;

/// `/device[?user_code=…][&error=…]`: the code a device shows (docs/experience-api.md, "Device flow"). The form
/// posts to the provider's `/oidc/device` as a plain HTML form (`user_code`, `xsrf` from the provider's cookie,
/// `confirm=yes`); a good code continues to the sign-in, a refused one comes back here with `error`.
#[component]
pub fn Device() -> impl IntoView {
    let settings = use_settings();
    let (typed, refused) = use_query_map().with_untracked(|q| (q.get("user_code"), q.get("error")));
    let value = RwSignal::new(device::prefill(typed.as_deref()));
    let error = RwSignal::new(refused.map(|e| settings.t(device::error_phrase(&e))));
    let code_input = NodeRef::<Input>::new();
    let xsrf_input = NodeRef::<Input>::new();
    let pending = RwSignal::new(false);
    let submit = {
        let required = settings.t("error.device_code_required");
        move |ev: SubmitEvent| {
            let code = device::normalize_user_code(&value.get_untracked());
            if code.is_empty() {
                ev.prevent_default();
                error.set(Some(required.clone()));
                return;
            }
            let Some(xsrf) = document_cookies().and_then(|c| device::cookie_value(&c, XSRF_COOKIE).map(str::to_owned))
            else {
                // Reached without the provider's page (no xsrf cookie yet): it sets one and brings the code back.
                ev.prevent_default();
                let to = format!("/oidc/device{}", landing::query_of(&[("user_code", Some(&code))]));
                if let Some(window) = web_sys::window() {
                    let _ = window.location().assign(&to);
                }
                return;
            };
            // The browser posts the form itself, with the values set here (not through a later render).
            if let (Some(input), Some(hidden)) = (code_input.get_untracked(), xsrf_input.get_untracked()) {
                input.set_value(&code);
                hidden.set_value(&xsrf);
            }
            error.set(None);
            pending.set(true);
        }
    };
    view! {
        <BrandingHeader title=settings.t("description.device_activation") />
        <p class="signIn_description">{settings.t("description.device_activation_description")}</p>
        <form class="device_form" method="post" action="/oidc/device" novalidate on:submit=submit>
            <InputField
                name="user_code"
                label=settings.t("input.code")
                value
                error
                autocomplete="one-time-code"
                node_ref=code_input
            />
            <input type="hidden" name="xsrf" value="" node_ref=xsrf_input />
            <input type="hidden" name="confirm" value="yes" />
            <SubmitButton label=settings.t("action.continue") pending />
        </form>
    }
}

/// `document.cookie` (read through reflection: one property does not warrant another web-sys binding).
fn document_cookies() -> Option<String> {
    let document = web_sys::window()?.document()?;
    js_sys::Reflect::get(&document, &"cookie".into()).ok()?.as_string()
}

/// `/device/success`: the device is signed in; the person goes back to it.
#[component]
pub fn DeviceSuccess() -> impl IntoView {
    let settings = use_settings();
    view! {
        <BrandingHeader title=settings.t("description.device_activation_success") />
        <p class="signIn_description device_success">
            {settings.t("description.device_activation_success_description")}
        </p>
    }
}
