use crate::navigation::NavigateOptions;
use crate::navigation::Redirect;
use leptos::prelude::*;
use sign_in_core::social::CallbackParams;

/// `/callback/:connector_id`: where IdPs return. Query and `#hash` parameters are merged and handed to
/// `/callback/social/:connector_id`, as Logto's page does.
#[component]
pub fn Callback(connector_id: String) -> impl IntoView {
    let location = web_sys::window().map(|w| w.location());
    let search = location.as_ref().and_then(|l| l.search().ok()).unwrap_or_default();
    let hash = location.as_ref().and_then(|l| l.hash().ok()).unwrap_or_default();
    let query = CallbackParams::parse(&search, &hash).to_query();
    let path = format!("/callback/social/{}?{query}", js_sys::encode_uri_component(&connector_id));
    view! {
        <div class="page_blank" aria-busy="true"></div>
        <Redirect path options=NavigateOptions { replace: true, ..Default::default() } />
    }
}
