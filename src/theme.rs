//! Applies the visit's language, direction, theme, brand colour, device class, favicon and custom CSS to the document
//! (docs/experience-api.md, Branding and custom content). Runs once, before the first screen renders, so the first
//! frame of the UI already has the provider's look. The loader (`src/js/loader.js`) may have set `data-theme` and
//! `--color-brand-default` from the SSR block even earlier; this module is the source of the full set and overwrites
//! them.

use crate::settings::Settings;
use leptos::prelude::*;
use sign_in_core::color::{brand_properties, favicon_url};
use sign_in_core::config::SignInExperience;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement, MediaQueryList};

const DARK_QUERY: &str = "(prefers-color-scheme: dark)";
const NARROW_QUERY: &str = "(max-width: 580px)";
const COARSE_QUERY: &str = "(pointer: coarse)";

/// The current theme and device class, live. Provided as context by [`apply`].
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Dark theme in use: dark mode enabled by the provider AND the system prefers dark.
    pub dark: RwSignal<bool>,
    /// `body.mobile` (narrow viewport or coarse pointer) rather than `body.desktop`.
    pub mobile: RwSignal<bool>,
}

/// The theme from context, if [`apply`] ran (it does for every screen that has settings).
pub fn use_theme() -> Option<Theme> {
    use_context::<Theme>()
}

pub fn apply(settings: &Settings) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("lang", &settings.phrases.language);
        let _ = root.set_attribute("dir", if settings.phrases.is_rtl() { "rtl" } else { "ltr" });
    }
    document.set_title(&settings.t("description.sign_in_to_your_account"));

    let config = &settings.config;
    let dark_query = config.color.is_dark_mode_enabled.then(|| media_query(DARK_QUERY)).flatten();
    let dark = dark_query.as_ref().is_some_and(MediaQueryList::matches);
    let mobile = is_mobile();
    let theme = Theme { dark: RwSignal::new(dark), mobile: RwSignal::new(mobile) };
    provide_context(theme);
    paint_theme(&document, config, dark);
    paint_device(&document, mobile);
    // Last, so it ends `<head>` (after any icon link added above).
    inject_custom_css(&document, config.custom_css.as_deref());

    // Live updates. The listeners live as long as the page (the app is mounted once), so they are leaked on purpose.
    if let Some(query) = dark_query {
        let config = config.clone();
        on_change(&query, move || {
            let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
            let dark = media_query(DARK_QUERY).is_some_and(|q| q.matches());
            paint_theme(&document, &config, dark);
            theme.dark.try_set(dark);
        });
    }
    for query in [NARROW_QUERY, COARSE_QUERY].into_iter().filter_map(media_query) {
        on_change(&query, move || {
            let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
            let mobile = is_mobile();
            paint_device(&document, mobile);
            theme.mobile.try_set(mobile);
        });
    }
}

fn media_query(query: &str) -> Option<MediaQueryList> {
    web_sys::window()?.match_media(query).ok().flatten()
}

fn is_mobile() -> bool {
    [NARROW_QUERY, COARSE_QUERY].into_iter().filter_map(media_query).any(|q| q.matches())
}

fn on_change(query: &MediaQueryList, f: impl Fn() + 'static) {
    let listener = Closure::<dyn Fn()>::new(f);
    let _ = query.add_event_listener_with_callback("change", listener.as_ref().unchecked_ref());
    listener.forget();
}

/// `<html data-theme>`, the brand custom properties of that theme (CSSOM `setProperty`, which CSP allows) and the
/// theme's favicon.
fn paint_theme(document: &Document, config: &SignInExperience, dark: bool) {
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("data-theme", if dark { "dark" } else { "light" });
        if let Ok(root) = root.dyn_into::<HtmlElement>() {
            let style = root.style();
            for (name, value) in brand_properties(&config.color, dark) {
                let _ = style.set_property(name, &value);
            }
        }
    }
    set_favicon(document, favicon_url(&config.branding, config.color.is_dark_mode_enabled, dark));
}

fn paint_device(document: &Document, mobile: bool) {
    if let Some(body) = document.body() {
        let (on, off) = if mobile { ("mobile", "desktop") } else { ("desktop", "mobile") };
        let classes = body.class_list();
        let _ = classes.remove_1(off);
        let _ = classes.add_1(on);
    }
}

/// Marks the icon links this module created, so they can be removed again.
const OWN_ICON: &str = "data-branding-icon";
/// The page's own href of an icon link this module changed, to restore it.
const DEFAULT_HREF: &str = "data-default-href";

/// Points `<link rel="icon">` and `<link rel="apple-touch-icon">` at `url`, creating them when missing. `None`
/// restores the page's default icon.
fn set_favicon(document: &Document, url: Option<&str>) {
    let Some(head) = document.head() else { return };
    for rel in ["icon", "apple-touch-icon"] {
        let existing = document.query_selector(&format!("link[rel=\"{rel}\"]")).ok().flatten();
        match (existing, url) {
            (Some(link), Some(url)) => {
                if !link.has_attribute(OWN_ICON) && !link.has_attribute(DEFAULT_HREF) {
                    let _ = link.set_attribute(DEFAULT_HREF, &link.get_attribute("href").unwrap_or_default());
                }
                let _ = link.set_attribute("href", url);
            }
            (None, Some(url)) => {
                let Ok(link) = document.create_element("link") else { continue };
                let _ = link.set_attribute("rel", rel);
                let _ = link.set_attribute("href", url);
                let _ = link.set_attribute(OWN_ICON, "");
                let _ = head.append_child(&link);
            }
            (Some(link), None) if link.has_attribute(OWN_ICON) => link.remove(),
            (Some(link), None) => {
                if let Some(href) = link.get_attribute(DEFAULT_HREF) {
                    let _ = link.set_attribute("href", &href);
                }
            }
            (None, None) => {}
        }
    }
}

/// The provider's `customCss` (docs/experience-api.md, Branding and custom content), unlayered so it beats our layered
/// stylesheet. Logto's server inlines it as `<style data-custom-css>` before `</head>`; when that block already holds
/// this very CSS, nothing is added (no duplicate). Otherwise (no SSR, or SSR rendered for another app/organization
/// whose CSS differs) it is appended at the end of `<head>`, so it comes after anything else and wins ties, as Logto's
/// client copy does.
///
/// This runs before the first screen renders, so the UI never paints without it. It needs `style-src
/// 'unsafe-inline'` (our strict CSP has it): under a CSP whose style-src lacks 'unsafe-inline', a `<style>` element
/// added at runtime is blocked (the SSR-inlined one too, unless the server gives it a nonce or hash).
fn inject_custom_css(document: &Document, css: Option<&str>) {
    let Some(css) = css.filter(|c| !c.trim().is_empty()) else { return };
    // The server wrote it with `</style` defused, and the HTML parser turned CR LF and lone CR into LF: compare in
    // that form, or the tenant's CSS would be added twice.
    let parsed = sign_in_core::ssr::defuse_style_end(&css.replace("\r\n", "\n").replace('\r', "\n"));
    let already = document.query_selector_all("style[data-custom-css]").ok().is_some_and(|list| {
        (0..list.length()).filter_map(|i| list.item(i)).any(|n| n.text_content().is_some_and(|t| t == parsed))
    });
    if already {
        return;
    }
    let (Some(head), Ok(style)) = (document.head(), document.create_element("style")) else { return };
    let _ = style.set_attribute("data-custom-css", "");
    style.set_text_content(Some(css));
    let _ = head.append_child(&style);
}
