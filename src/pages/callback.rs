use crate::components::ErrorPage;
use crate::navigation::NavigateOptions;
use crate::navigation::Redirect;
use crate::session;
use crate::settings::use_settings;
use leptos::prelude::*;
use sign_in_core::config::is_safe_url;
use sign_in_core::route::Page;
use sign_in_core::social::{is_native_callback, CallbackParams};
use sign_in_core::storage_keys;

/// `/callback/:connector_id`: where IdPs return. Query and `#hash` parameters are merged and handed to
/// `/callback/social/:connector_id`, as Logto's page does.
#[component]
pub fn Callback(connector_id: String) -> impl IntoView {
    let location = web_sys::window().map(|w| w.location());
    let search = location.as_ref().and_then(|l| l.search().ok()).unwrap_or_default();
    let hash = location.as_ref().and_then(|l| l.hash().ok()).unwrap_or_default();
    let query = CallbackParams::parse(&search, &hash).to_query();
    // A native app's universal connector (`/social/landing`) gets the IdP's answer in the app.
    let native_key = storage_keys::native_callback(&connector_id);
    if let Some(native) = session::get(&native_key).filter(|link| is_native_callback(link)) {
        session::set(&native_key, None);
        session::replace_location(&format!("{native}?{query}"));
        return view! { <div class="page_blank" aria-busy="true"></div> }.into_any();
    }
    let path = format!("/callback/social/{}?{query}", js_sys::encode_uri_component(&connector_id));
    view! {
        <div class="page_blank" aria-busy="true"></div>
        <Redirect path options=NavigateOptions { replace: true, ..Default::default() } />
    }
    .into_any()
}

/// `/social/landing/:connector_id`: a native app opened its universal connector's sign-in here; keep its callback
/// link (`native_callback`) for `/callback/:connector_id`, then go to the IdP (`redirect_to`, http(s) only).
#[component]
pub fn SocialLanding(connector_id: String) -> impl IntoView {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let param = |name: &str| params.as_ref().and_then(|p| p.get(name)).filter(|v| !v.is_empty());
    if let Some(native) = param("native_callback").filter(|link| is_native_callback(link)) {
        session::set(&storage_keys::native_callback(&connector_id), Some(&native));
    }
    match param("redirect_to").filter(|url| is_safe_url(url)) {
        Some(redirect_to) => {
            session::replace_location(&redirect_to);
            view! { <div class="page_blank" aria-busy="true"></div> }.into_any()
        }
        None => {
            let settings = use_settings();
            view! {
                <ErrorPage
                    title=settings.t("error.invalid_link")
                    description=settings.t("error.invalid_link_description")
                    action=(settings.t("description.back_to_sign_in"), settings.link(Page::SignIn))
                />
            }
            .into_any()
        }
    }
}
