//! The designers' gallery (`--features gallery`, built by `cargo xtask gallery` into `dist-gallery/`; never part of
//! the normal build). Every screen and state from fixtures, with no provider:
//!
//! - settings come from `src/gallery/config.json` (the public sign-in experience as the reference provider serves it
//!   for `rich.json`, with Logto's default brand colours and no custom CSS) and our phrase files (`boot.rs`);
//! - the Experience API answers from the canned table in `api.rs` (`api::canned`), whose failures the gallery link
//!   chooses (`scenario`);
//! - `/gallery` (mounted instead of the app, main.rs) lists every state with switches for theme, language, direction and viewport, and previews the chosen
//!   state in an iframe of the chosen width.
//!
//! A state is the real route opened with `?gallery=<id>`: on boot the state's sessionStorage (flow state, MFA state,
//! identifier, SSO connectors) and scenario are preset, so the screen renders exactly as in a real flow. States that
//! need an interaction to appear (an error after submitting) say so; the browser suite performs it.
//!
//! URL switches (any route): `gallery=<state id>`, `scenario=<api::canned scenario>`, `ui_locales=en|fr|ar` (the direction follows the language),
//! `theme=light|dark|system` (`system` follows `prefers-color-scheme`, live), `dir=ltr|rtl|auto`. They are kept in
//! sessionStorage (`gallery:*`) so in-app navigation and reloads keep them.

use crate::api::canned::SCENARIO;
use crate::session::{self, Visit};
use crate::settings::Settings;
use leptos::prelude::*;
use serde_json::{json, Value};
use sign_in_core::api::{Identifier, IdentifierType, InteractionEvent};
use sign_in_core::config::SignInExperience;
use sign_in_core::i18n;
use sign_in_core::interaction::FlowState;
use sign_in_core::mfa::{MfaFactor, MfaState};
use wasm_bindgen::JsCast;

const CONFIG: &str = include_str!("gallery/config.json");
/// The gallery's languages: our phrases, both parts (`i18n::ours`).
const LANGUAGES: [&str; 3] = ["en", "fr", "ar"];

const THEME: &str = "gallery:theme";
const DIR: &str = "gallery:dir";
const LANG: &str = "gallery:lang";
const VARIANT: &str = "gallery:variant";

/// Changes to the base fixture: the policies a screen depends on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// `config.json` as is: identifier-first sign-in (email by password or code, phone by code), registration
    /// with terms to accept, passkey button, SSO and a social connector.
    Rich,
    /// Every sign-in method is password-only (one identifier + password form) and terms must always be accepted.
    PasswordForm,
    /// `Rich` with a checkbox captcha (the box's frame and label; the gallery loads no vendor script).
    Captcha,
    /// `Rich` as a development tenant with support contacts (the notice, and the contacts on error screens).
    DevTenant,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Self::Rich => "rich",
            Self::PasswordForm => "password-form",
            Self::Captcha => "captcha",
            Self::DevTenant => "dev-tenant",
        }
    }

    fn from_name(name: &str) -> Self {
        match name {
            "password-form" => Self::PasswordForm,
            "captcha" => Self::Captcha,
            "dev-tenant" => Self::DevTenant,
            _ => Self::Rich,
        }
    }

    fn config(self) -> Value {
        let mut config: Value = serde_json::from_str(CONFIG).expect("src/gallery/config.json is JSON");
        if self == Self::PasswordForm {
            config["signIn"]["methods"] = json!([
                {"identifier": "username", "password": true, "verificationCode": false, "isPasswordPrimary": true},
                {"identifier": "email", "password": true, "verificationCode": false, "isPasswordPrimary": true}
            ]);
            config["agreeToTermsPolicy"] = json!("Manual");
            // With passkey sign-in on, the identifier would come first.
            config["passkeySignIn"] = json!({"enabled": false, "showPasskeyButton": false, "allowAutofill": false});
        }
        if self == Self::Captcha {
            config["captchaPolicy"] = json!({"enabled": true});
            config["captchaConfig"] = json!({"type": "Turnstile", "siteKey": "gallery", "mode": "checkbox"});
        }
        if self == Self::DevTenant {
            config["isDevelopmentTenant"] = json!(true);
            config["supportEmail"] = json!("help@example.com");
            config["supportWebsiteUrl"] = json!("https://example.com/help");
        }
        config
    }
}

/// What a state puts in sessionStorage before the screen mounts.
#[derive(Clone, Copy)]
enum Preset {
    Nothing,
    /// `sign-in:identifier` (identifier-first password screen).
    RememberedIdentifier,
    /// `sign-in:flow` with an email and a verification id.
    Flow(InteractionEvent),
    /// `sign-in:mfa`: every factor, skippable or not.
    Mfa {
        skippable: bool,
    },
    /// The SSO connectors a domain matched (`/single-sign-on/connectors`).
    SsoConnectors,
    /// An identifier-first passkey step waiting (`/sign-in/passkey`, `/sign-in/verification-methods`).
    PasskeyStep,
    /// The social callback's question: link the new identity to the account with that email?
    SocialLinkQuestion,
    /// A notice (phrase key) left for the screen, as a cancelled social sign-in leaves one for `/sign-in`.
    CarriedNotice(&'static str),
}

/// One gallery state: a real route, its preset storage, its fixture variant and its canned failures.
pub struct GalleryState {
    pub id: &'static str,
    pub group: &'static str,
    pub label: &'static str,
    pub path: &'static str,
    variant: Variant,
    preset: Preset,
    /// `api::canned` scenario (empty: every call succeeds).
    scenario: &'static str,
    /// What to do for the state to appear, when opening it is not enough.
    pub action: &'static str,
}

#[allow(clippy::too_many_arguments)]
const fn state(
    id: &'static str,
    group: &'static str,
    label: &'static str,
    path: &'static str,
    variant: Variant,
    preset: Preset,
    scenario: &'static str,
    action: &'static str,
) -> GalleryState {
    GalleryState { id, group, label, path, variant, preset, scenario, action }
}

use Preset::*;
use Variant::*;

/// Every state, in the order the index lists them (the browser suite checks it covers exactly these ids).
pub const STATES: &[GalleryState] = &[
    state("sign-in", "Sign in", "Identifier first, passkey, SSO, social", "/sign-in", Rich, Nothing, "", ""),
    state(
        "sign-in-notice",
        "Sign in",
        "Notice after a cancelled social sign-in",
        "/sign-in",
        Rich,
        CarriedNotice("error.social_cancelled"),
        "",
        "",
    ),
    state(
        "sign-in-field-errors",
        "Sign in",
        "Empty submit (field error)",
        "/sign-in",
        Rich,
        Nothing,
        "",
        "Submit the empty form",
    ),
    state(
        "sign-in-password-form",
        "Sign in",
        "Identifier + password form, terms always",
        "/sign-in",
        PasswordForm,
        Nothing,
        "",
        "",
    ),
    state(
        "sign-in-wrong-password",
        "Sign in",
        "Wrong password (provider error)",
        "/sign-in",
        PasswordForm,
        Nothing,
        "wrong-password",
        "Fill both fields, accept the terms, submit",
    ),
    state(
        "sign-in-pending",
        "Sign in",
        "Pending (request never answers)",
        "/sign-in",
        PasswordForm,
        Nothing,
        "pending",
        "Fill both fields, accept the terms, submit",
    ),
    state(
        "sign-in-password",
        "Sign in",
        "Password for a chosen identifier",
        "/sign-in/password",
        Rich,
        RememberedIdentifier,
        "",
        "",
    ),
    state(
        "sign-in-password-captcha",
        "Sign in",
        "Password step with a checkbox captcha",
        "/sign-in/password",
        Captcha,
        RememberedIdentifier,
        "",
        "",
    ),
    state("sign-in-dev-tenant", "Sign in", "Development tenant notice", "/sign-in", DevTenant, Nothing, "", ""),
    state("sign-in-passkey", "Sign in", "Identifier-first passkey", "/sign-in/passkey", Rich, PasskeyStep, "", ""),
    state(
        "sign-in-methods",
        "Sign in",
        "Every way in for the chosen identifier",
        "/sign-in/verification-methods",
        Rich,
        PasskeyStep,
        "",
        "",
    ),
    state(
        "sign-in-code",
        "Sign in",
        "Verification code",
        "/sign-in/verification-code",
        Rich,
        Flow(InteractionEvent::SignIn),
        "",
        "",
    ),
    state(
        "sign-in-code-mismatch",
        "Sign in",
        "Verification code: wrong code",
        "/sign-in/verification-code",
        Rich,
        Flow(InteractionEvent::SignIn),
        "code-mismatch",
        "Type six digits",
    ),
    state("single-sign-on", "Sign in", "Single sign-on: email", "/single-sign-on/email", Rich, Nothing, "", ""),
    state(
        "single-sign-on-connectors",
        "Sign in",
        "Single sign-on: choose a connector",
        "/single-sign-on/connectors",
        Rich,
        SsoConnectors,
        "",
        "",
    ),
    state("register", "Register", "Email, terms to accept", "/register", Rich, Nothing, "", ""),
    state(
        "register-password",
        "Register",
        "Set a password (policy hint)",
        "/register/password",
        Rich,
        Flow(InteractionEvent::Register),
        "",
        "",
    ),
    state(
        "register-password-rejected",
        "Register",
        "Password rejected by the provider",
        "/register/password",
        Rich,
        Flow(InteractionEvent::Register),
        "password-rejected",
        "Type a valid password twice, submit",
    ),
    state(
        "continue-username",
        "Register",
        "Missing profile: username",
        "/continue/username",
        Rich,
        Flow(InteractionEvent::Register),
        "",
        "",
    ),
    state("forgot-password", "Forgot password", "Email or phone for a code", "/forgot-password", Rich, Nothing, "", ""),
    state(
        "mfa-verification",
        "MFA",
        "Verify: choose a factor",
        "/mfa-verification",
        Rich,
        Mfa { skippable: false },
        "",
        "",
    ),
    state(
        "mfa-verify-totp-mismatch",
        "MFA",
        "Verify: authenticator app, wrong code",
        "/mfa-verification/Totp",
        Rich,
        Mfa { skippable: false },
        "code-mismatch",
        "Type six digits",
    ),
    state(
        "mfa-verify-backup-code",
        "MFA",
        "Verify: backup code",
        "/mfa-verification/BackupCode",
        Rich,
        Mfa { skippable: false },
        "",
        "",
    ),
    state(
        "mfa-verify-email",
        "MFA",
        "Verify: email code",
        "/mfa-verification/EmailVerificationCode",
        Rich,
        Mfa { skippable: false },
        "",
        "",
    ),
    state(
        "mfa-binding",
        "MFA",
        "Set up: choose a factor (skippable)",
        "/mfa-binding",
        Rich,
        Mfa { skippable: true },
        "",
        "",
    ),
    state(
        "mfa-bind-totp",
        "MFA",
        "Set up: authenticator app (QR code)",
        "/mfa-binding/Totp",
        Rich,
        Mfa { skippable: true },
        "",
        "",
    ),
    state(
        "mfa-bind-backup-code",
        "MFA",
        "Set up: backup codes",
        "/mfa-binding/BackupCode",
        Rich,
        Mfa { skippable: false },
        "",
        "",
    ),
    state(
        "mfa-bind-webauthn",
        "MFA",
        "Set up: passkey (mandatory)",
        "/mfa-binding/WebAuthn",
        Rich,
        Mfa { skippable: false },
        "",
        "",
    ),
    state("mfa-onboarding", "MFA", "Turn on 2-step verification?", "/mfa-onboarding", Rich, Nothing, "", ""),
    state("create-passkey", "MFA", "Create a sign-in passkey?", "/create-passkey", Rich, Nothing, "", ""),
    state(
        "social-link",
        "Social",
        "Link the new identity to an existing account?",
        "/social/link/mock-social",
        Rich,
        SocialLinkQuestion,
        "",
        "",
    ),
    state(
        "switch-account",
        "Magic link",
        "Another account is signed in",
        "/switch-account?login_hint=pat%40example.com&one_time_token=gallery",
        Rich,
        Nothing,
        "",
        "",
    ),
    state(
        "one-time-token-terms",
        "Magic link",
        "Terms asked first (policy Manual)",
        "/one-time-token?login_hint=pat%40example.com&one_time_token=gallery",
        PasswordForm,
        Nothing,
        "",
        "",
    ),
    state(
        "consent",
        "Consent",
        "Third-party app: permissions, organizations",
        "/consent?app_id=notes-app",
        Rich,
        Nothing,
        "",
        "",
    ),
    state(
        "consent-no-organization",
        "Consent",
        "The account is in no organization",
        "/consent?app_id=notes-app",
        Rich,
        Nothing,
        "no-organization",
        "",
    ),
    state(
        "consent-denied",
        "Consent",
        "Access denied by the provider",
        "/consent?app_id=notes-app",
        Rich,
        Nothing,
        "access-denied",
        "Authorize",
    ),
    state(
        "consent-unavailable",
        "Consent",
        "Consent details could not be loaded: why, and Try again",
        "/consent?app_id=notes-app",
        Rich,
        Nothing,
        "network",
        "",
    ),
    state(
        "consent-ended",
        "Consent",
        "Consent details refused: the sign-in has ended",
        "/consent?app_id=notes-app",
        Rich,
        Nothing,
        "session-ended",
        "",
    ),
    state(
        "consent-unsafe-redirect",
        "Consent",
        "Authorize answered with an address the page won't open",
        "/consent?app_id=notes-app",
        Rich,
        Nothing,
        "unsafe-redirect",
        "Authorize",
    ),
    state("device", "Device", "Enter the device's code", "/device", Rich, Nothing, "", ""),
    state("device-required", "Device", "Empty code", "/device", Rich, Nothing, "", "Submit the empty form"),
    state(
        "device-invalid",
        "Device",
        "Code matches no device",
        "/device?user_code=BCDF-GHJK&error=not_found",
        Rich,
        Nothing,
        "",
        "",
    ),
    state(
        "device-expired",
        "Device",
        "Code expired",
        "/device?user_code=BCDF-GHJK&error=expired",
        Rich,
        Nothing,
        "",
        "",
    ),
    state(
        "device-used",
        "Device",
        "Code already used",
        "/device?user_code=BCDF-GHJK&error=already_used",
        Rich,
        Nothing,
        "",
        "",
    ),
    state("device-success", "Device", "Device connected", "/device/success", Rich, Nothing, "", ""),
    state("unknown-session", "Errors", "Unknown session", "/unknown-session", Rich, Nothing, "", ""),
    state(
        "error-support",
        "Errors",
        "Error screen with the tenant's support contacts",
        "/unknown-session",
        DevTenant,
        Nothing,
        "",
        "",
    ),
    state("not-found", "Errors", "Not found", "/gallery-no-such-screen", Rich, Nothing, "", ""),
];

fn find(id: &str) -> Option<&'static GalleryState> {
    STATES.iter().find(|s| s.id == id)
}

fn query() -> web_sys::UrlSearchParams {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search).expect("a query string parses")
}

fn path() -> String {
    web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default()
}

/// `/gallery`: the index (mounted instead of the app, see `main.rs`).
pub fn is_index() -> bool {
    path().trim_end_matches('/') == "/gallery"
}

/// Stores a switch from the URL (`system`/`auto`/empty clear it); returns the stored value.
fn switch(params: &web_sys::UrlSearchParams, name: &str, key: &str, allowed: &[&str]) -> Option<String> {
    if let Some(value) = params.get(name) {
        session::set(key, allowed.contains(&value.as_str()).then_some(value.as_str()));
    }
    session::get(key)
}

fn apply_preset(state: &GalleryState) {
    let email = Identifier { kind: IdentifierType::Email, value: "jane@example.com".into() };
    session::set(SCENARIO, Some(state.scenario).filter(|s| !s.is_empty()));
    session::set(VARIANT, Some(state.variant.name()));
    match state.preset {
        Nothing => {}
        RememberedIdentifier => session::remember_identifier(&email),
        Flow(event) => session::save_flow(&FlowState {
            event,
            identifier: Some(email),
            verification_id: Some("gallery-verification".into()),
        }),
        Mfa { skippable } => session::save_mfa(&MfaState {
            available_factors: MfaFactor::ALL.to_vec(),
            skippable,
            suggestion: false,
            masked_identifiers: Some(json!({"email": "j***@example.com", "phone": "+1 *** *** 0123"})),
            ..Default::default()
        }),
        SsoConnectors => crate::sso::remember_connectors(&["acme-sso-connector".into()]),
        PasskeyStep => {
            session::remember_identifier(&email);
            session::save_flow(&FlowState {
                event: InteractionEvent::SignIn,
                identifier: Some(email),
                verification_id: Some("gallery-verification".into()),
            });
            crate::pages::sign_in_passkey::remember_options(&json!({"challenge": "Z2FsbGVyeQ", "rpId": "localhost"}));
        }
        SocialLinkQuestion => crate::pages::social_link::ask(&crate::pages::social_link::LinkQuestion {
            verification_id: "gallery-social".into(),
            value: "jane@example.com".into(),
        }),
        CarriedNotice(key) => crate::notice::carry(key),
    }
}

/// The sign-in experience of the stored variant.
fn config() -> SignInExperience {
    let variant = Variant::from_name(&session::get(VARIANT).unwrap_or_default());
    serde_json::from_value(variant.config()).expect("the gallery fixture is a sign-in experience")
}

/// The gallery's settings (boot.rs): the state's preset applied, the fixture variant and the chosen language.
pub fn settings(visit: &Visit) -> Settings {
    let params = query();
    if let Some(state) = params.get("gallery").as_deref().and_then(find) {
        apply_preset(state);
    }
    // Any route may choose a scenario of its own (`&scenario=network`), after the state's.
    if let Some(scenario) = params.get("scenario") {
        session::set(SCENARIO, Some(scenario.as_str()).filter(|s| !s.is_empty()));
    }
    switch(&params, "theme", THEME, &["light", "dark"]);
    switch(&params, "dir", DIR, &["ltr", "rtl"]);
    let wanted = visit.ui_locales.as_deref().and_then(|l| l.split_whitespace().next()).map(str::to_owned);
    if let Some(lang) = wanted.as_deref().filter(|l| LANGUAGES.contains(l)) {
        session::set(LANG, Some(lang));
    }
    let phrases = session::get(LANG).and_then(|lang| i18n::ours(&lang)).unwrap_or_else(i18n::english);
    Settings::new(config(), phrases, visit.clone())
}

/// After the app's first render (main.rs): a forced theme and direction win over the system's and the language's.
/// (The app's own `Theme` signal is left alone: the fixture's logo is the same in both themes.)
pub fn apply_switches() {
    let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) else { return };
    if let Some(theme) = session::get(THEME) {
        let _ = root.set_attribute("data-theme", &theme);
        if let Some(root) = root.dyn_ref::<web_sys::HtmlElement>() {
            for (name, value) in sign_in_core::color::brand_properties(&config().color, theme == "dark") {
                let _ = root.style().set_property(name, &value);
            }
        }
    }
    if let Some(dir) = session::get(DIR) {
        let _ = root.set_attribute("dir", &dir);
    }
}

fn state_url(state: &GalleryState, theme: &str, lang: &str, dir: &str) -> String {
    let separator = if state.path.contains('?') { '&' } else { '?' };
    format!("{}{separator}gallery={}&ui_locales={lang}&theme={theme}&dir={dir}", state.path, state.id)
}

const VIEWPORTS: [(&str, &str, u32, u32); 3] =
    [("narrow", "Narrow 375", 375, 740), ("wide", "Wide 1280", 1280, 800), ("fill", "Fill", 0, 0)];

/// One radio group of switches.
fn radios(
    legend: &'static str,
    name: &'static str,
    options: &[(&'static str, &'static str)],
    value: RwSignal<String>,
) -> impl IntoView {
    let items = options
        .iter()
        .map(|&(v, label)| {
            view! {
                <label style="display:inline-flex;gap:.25rem;align-items:center;margin-inline-end:.75rem">
                    <input type="radio" name=name value=v prop:checked=move || value.get() == v on:change=move |_| value.set(v.to_owned()) />
                    {label}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset style="border:0;margin:0 0 .5rem;padding:0">
            <legend style="font-weight:600;padding:0;margin-bottom:.25rem">{legend}</legend>
            {items}
        </fieldset>
    }
}

/// `/gallery`: the list of states with the switches, and a preview iframe of the chosen viewport.
#[component]
pub fn Index() -> impl IntoView {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title("Sign-in page gallery");
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("lang", "en");
            let _ = root.set_attribute("dir", "ltr");
        }
    }
    let params = query();
    let initial = |name: &str, default: &str| params.get(name).unwrap_or_else(|| default.to_owned());
    let theme = RwSignal::new(initial("theme", "system"));
    let lang = RwSignal::new(initial("ui_locales", "en"));
    let dir = RwSignal::new(initial("dir", "auto"));
    let viewport = RwSignal::new(initial("viewport", "narrow"));
    let selected = RwSignal::new(params.get("state").and_then(|id| find(&id)).unwrap_or(&STATES[0]).id);
    let url = move || {
        let state = find(selected.get()).unwrap_or(&STATES[0]);
        state_url(state, &theme.get(), &lang.get(), &dir.get())
    };
    let frame_style = move || {
        let (_, _, w, h) = VIEWPORTS.iter().find(|v| v.0 == viewport.get()).copied().unwrap_or(VIEWPORTS[0]);
        let size =
            if w == 0 { "width:100%;height:100%".to_owned() } else { format!("width:{w}px;height:{h}px;flex:none") };
        format!("{size};border:1px solid #a1a1aa;background:#fff")
    };
    let mut groups: Vec<&str> = Vec::new();
    for s in STATES {
        if !groups.contains(&s.group) {
            groups.push(s.group);
        }
    }
    let lists = groups
        .into_iter()
        .map(|group| {
            let links = STATES
                .iter()
                .filter(|s| s.group == group)
                .map(|s| {
                    let href = move || state_url(s, &theme.get(), &lang.get(), &dir.get());
                    let current = move || (selected.get() == s.id).then_some("true");
                    let title = (!s.action.is_empty()).then(|| format!("Then: {}", s.action));
                    view! {
                        <li>
                            <a
                                class="gallery_state"
                                data-state=s.id
                                data-path=s.path
                                href=href
                                title=title
                                aria-current=current
                                style="color:#1d4ed8"
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    selected.set(s.id);
                                }
                            >
                                {s.label}
                            </a>
                            {(!s.action.is_empty()).then(|| view! { <small style="color:#52525b">" — " {s.action}</small> })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h2 style="font-size:.95rem;margin:1rem 0 .25rem">{group}</h2>
                <ul style="margin:0;padding-inline-start:1.1rem">{links}</ul>
            }
        })
        .collect_view();
    view! {
        <div
            class="gallery_index"
            style="position:fixed;inset:0;z-index:10;display:grid;grid-template-columns:minmax(16rem,24rem) 1fr;background:#f4f4f5;color:#18181b;font:14px/1.45 system-ui,sans-serif;text-align:start"
        >
            <nav aria-label="Gallery states" style="overflow:auto;padding:1rem;background:#fff;border-inline-end:1px solid #d4d4d8">
                <h1 style="font-size:1.15rem;margin:0 0 .75rem">"Sign-in page gallery"</h1>
                {radios("Theme", "theme", &[("system", "System"), ("light", "Light"), ("dark", "Dark")], theme)}
                {radios("Language", "lang", &[("en", "English"), ("fr", "Français"), ("ar", "العربية")], lang)}
                {radios("Direction", "dir", &[("auto", "From language"), ("ltr", "LTR"), ("rtl", "RTL")], dir)}
                {radios("Viewport", "viewport", &VIEWPORTS.map(|v| (v.0, v.1)), viewport)}
                {lists}
            </nav>
            <section aria-label="Preview" style="overflow:auto;display:flex;flex-direction:column;align-items:center;gap:.5rem;padding:1rem">
                <p style="margin:0">
                    <a href=url target="_blank" rel="noopener" style="color:#1d4ed8">"Open this state in its own tab"</a>
                </p>
                <iframe name="gallery-preview" title="Preview of the chosen state" src=url style=frame_style></iframe>
            </section>
        </div>
    }
}
