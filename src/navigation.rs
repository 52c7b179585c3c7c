//! The address bar and history, in place of a router: the app has one catch-all route
//! (`sign_in_core::route::resolve` picks the page), so all it needs is the current location as a signal,
//! `navigate` (history `pushState` / `replaceState`), the back and forward buttons (`popstate`) and same-origin
//! links followed without a reload. The names follow `leptos_router`'s hooks, which this replaces (issue #12:
//! first screen weight).

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlAnchorElement, MouseEvent, UrlSearchParams};

/// The current path and query string (without its `?`).
#[derive(Clone, PartialEq)]
struct Url {
    path: String,
    search: String,
}

impl Url {
    fn current() -> Self {
        let location = window().location();
        let search = location.search().unwrap_or_default();
        Self { path: location.pathname().unwrap_or_default(), search: search.trim_start_matches('?').to_owned() }
    }
}

/// How to navigate: push a history entry (the default) or replace the current one; scroll to the top (the
/// default) or not.
#[derive(Clone)]
pub struct NavigateOptions {
    pub replace: bool,
    pub scroll: bool,
}

impl Default for NavigateOptions {
    fn default() -> Self {
        Self { replace: false, scroll: true }
    }
}

/// The query string's parameters.
#[derive(Clone, PartialEq)]
pub struct QueryMap(String);

impl QueryMap {
    /// The first value of `key`, decoded as a browser decodes a form.
    pub fn get(&self, key: &str) -> Option<String> {
        UrlSearchParams::new_with_str(&self.0).ok()?.get(key)
    }
}

/// The current location, reactive.
#[derive(Clone, Copy)]
pub struct Location {
    /// The path, percent-encoded as in the address bar.
    pub pathname: Memo<String>,
    query: Memo<QueryMap>,
}

#[derive(Clone, Copy)]
struct Navigation {
    url: RwSignal<Url>,
    location: Location,
}

/// Starts following the address bar: reads it, listens to `popstate` and to clicks on same-origin links.
/// Everything below the calling component can then use the hooks of this module.
pub fn provide() {
    let url = RwSignal::new(Url::current());
    let location = Location {
        pathname: Memo::new(move |_| url.with(|url| url.path.clone())),
        query: Memo::new(move |_| url.with(|url| QueryMap(url.search.clone()))),
    };
    provide_context(Navigation { url, location });
    let popstate = window_event_listener(ev::popstate, move |_| url.set(Url::current()));
    // On the window, so it runs after the links' own click handlers (which may prevent the navigation).
    let click = window_event_listener(ev::click, move |ev| follow_link(&ev, url));
    on_cleanup(move || {
        popstate.remove();
        click.remove();
    });
}

fn navigation() -> Navigation {
    expect_context::<Navigation>()
}

/// The current location.
pub fn use_location() -> Location {
    navigation().location
}

/// The current query string's parameters.
pub fn use_query_map() -> Memo<QueryMap> {
    navigation().location.query
}

/// A function that moves to `href` (a path, or a URL: another origin is loaded by the browser).
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone {
    let url = navigation().url;
    move |href: &str, options: NavigateOptions| navigate(url, href, &options)
}

fn navigate(url: RwSignal<Url>, href: &str, options: &NavigateOptions) {
    let window = window();
    let location = window.location();
    let (Ok(base), Ok(origin)) = (location.href(), location.origin()) else { return };
    let Ok(to) = web_sys::Url::new_with_base(href, &base) else { return };
    if to.origin() != origin {
        let _ = location.set_href(href);
        return;
    }
    let full = format!("{}{}{}", to.pathname(), to.search(), to.hash());
    if let Ok(history) = window.history() {
        let _ = if options.replace {
            history.replace_state_with_url(&JsValue::NULL, "", Some(&full))
        } else if base.strip_prefix(&origin) != Some(full.as_str()) {
            history.push_state_with_url(&JsValue::NULL, "", Some(&full))
        } else {
            Ok(())
        };
    }
    url.set(Url { path: to.pathname(), search: to.search().trim_start_matches('?').to_owned() });
    if options.scroll {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// A click on a same-origin link becomes a navigation without a reload. Left to the browser: a click another
/// handler prevented, with a modifier key or not with the primary button, and links with a `target`, `download`,
/// `rel="external"` or to another origin.
fn follow_link(ev: &MouseEvent, url: RwSignal<Url>) {
    if ev.default_prevented() || ev.button() != 0 || ev.meta_key() || ev.alt_key() || ev.ctrl_key() || ev.shift_key() {
        return;
    }
    let Some(a) = ev
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("a").ok().flatten())
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
    else {
        return;
    };
    let href = a.href();
    let external = a.get_attribute("rel").is_some_and(|rel| rel.split_ascii_whitespace().any(|r| r == "external"));
    if href.is_empty() || !a.target().is_empty() || a.has_attribute("download") || external {
        return;
    }
    let same_origin = web_sys::Url::new(&href).is_ok_and(|to| Ok(to.origin()) == window().location().origin());
    if same_origin {
        ev.prevent_default();
        navigate(url, &href, &NavigateOptions::default());
    }
}

/// Navigates as soon as it is rendered (a screen that does not apply sends the person elsewhere).
#[component]
pub fn Redirect(path: String, #[prop(optional)] options: Option<NavigateOptions>) -> impl IntoView {
    use_navigate()(&path, options.unwrap_or_default());
}
