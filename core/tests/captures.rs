//! The core against real Logto 1.42 captures (`testdata/logto-1.42`, phrase texts stripped).

use serde_json::Value;
use sign_in_core::api::{
    ErrorBody, IdentificationBody, IdentifierType, InteractionEvent, InteractionEventBody, PasswordVerificationBody,
};
use sign_in_core::config::{AgreeToTermsPolicy, ConnectorPlatform, SignInExperience, SignInMode};
use sign_in_core::failures::{self, ApiFailure, Reaction};
use sign_in_core::identifier::SignInForm;
use sign_in_core::interaction::NextStep;
use sign_in_core::route::Page;
use sign_in_core::ssr;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/logto-1.42")
}

fn read(name: &str) -> Value {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Names of the capture files starting with `prefix` and ending in `.json`, sorted.
fn files(prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("testdata/logto-1.42 exists")
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(prefix) && n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no {prefix}*.json captures");
    names
}

/// Every response body of a `sign-in-exp.*.json` file (`{meta, without_appId, with_appId}`).
fn sign_in_exp_bodies(name: &str) -> Vec<(String, Value)> {
    let file = read(name);
    let bodies: Vec<_> = file
        .as_object()
        .unwrap()
        .iter()
        .filter(|(key, _)| key.as_str() != "meta")
        .filter_map(|(key, entry)| {
            let response = entry.get("response")?;
            assert_eq!(response["status"], 200, "{name} {key}");
            Some((key.clone(), response["body"].clone()))
        })
        .collect();
    assert!(bodies.len() >= 2, "{name}: expected both requests, got {}", bodies.len());
    bodies
}

fn decode_sie(name: &str) -> Vec<SignInExperience> {
    sign_in_exp_bodies(name)
        .into_iter()
        .map(|(key, body)| {
            serde_json::from_value(body).unwrap_or_else(|e| panic!("{name} {key}: SignInExperience: {e}"))
        })
        .collect()
}

fn only_config(name: &str) -> SignInExperience {
    let configs = decode_sie(name);
    for c in &configs[1..] {
        assert_eq!(c, &configs[0], "{name}: bodies with and without appId differ");
    }
    configs.into_iter().next().unwrap()
}

#[test]
fn every_sign_in_exp_body_decodes() {
    for name in files("sign-in-exp.") {
        let configs = decode_sie(&name);
        for c in configs {
            assert!(c.usable_sign_in_methods().count() > 0, "{name}: no usable method");
            assert!(c.color.primary_color.starts_with('#'), "{name}");
            assert_eq!(c.language_info.fallback_language, "en", "{name}");
        }
    }
}

#[test]
fn default_config_is_username_and_password_only() {
    use IdentifierType::*;
    let c = only_config("sign-in-exp.a-seed-default.json");
    assert_eq!(c.sign_in.methods.len(), 1);
    let m = &c.sign_in.methods[0];
    assert_eq!((m.identifier, m.password, m.verification_code, m.is_password_primary), (Username, true, false, true));
    assert_eq!(c.sign_up.identifiers, vec![Username]);
    assert!(c.sign_up.password);
    assert!(!c.sign_up.verify);
    assert!(c.sign_up.secondary_identifiers.is_empty());
    assert_eq!(c.sign_in_mode, SignInMode::SignInAndRegister);
    assert!(c.can_register());
    assert_eq!(c.agree_to_terms_policy, AgreeToTermsPolicy::Automatic);
    assert_eq!(c.color.primary_color, "#6139F6");
    assert!(!c.color.is_dark_mode_enabled);
    assert!(c.social_connectors.is_empty());
    assert!(c.sso_connectors.is_empty());
    assert!(!c.forgot_password.any());
    assert!(!c.passkey_sign_in.enabled);
    assert_eq!(c.terms_of_use_url, None);
    assert_eq!(c.custom_css, None);
    assert_eq!(SignInForm::for_config(&c), SignInForm::Password { identifiers: vec![Username] });
    // Passkey sign-in on, button shown or not: the identifier comes first, so an account's passkey can be offered.
    let mut with_passkey = c.clone();
    with_passkey.passkey_sign_in.enabled = true;
    for button in [true, false] {
        with_passkey.passkey_sign_in.show_passkey_button = button;
        assert_eq!(SignInForm::for_config(&with_passkey), SignInForm::IdentifierFirst { identifiers: vec![Username] });
    }
}

#[test]
fn rich_config_values() {
    use IdentifierType::*;
    let c = only_config("sign-in-exp.b-rich.json");

    let methods: Vec<_> = c
        .sign_in
        .methods
        .iter()
        .map(|m| (m.identifier, m.password, m.verification_code, m.is_password_primary))
        .collect();
    assert_eq!(methods, vec![(Username, true, false, true), (Email, true, true, true), (Phone, false, true, false)]);

    assert_eq!(c.sign_up.identifiers, vec![Email]);
    assert!(c.sign_up.password);
    assert!(c.sign_up.verify);
    assert_eq!(c.sign_up.secondary_identifiers.len(), 1);
    assert_eq!(c.sign_up.secondary_identifiers[0].identifier, "username");
    assert_eq!(c.sign_up.secondary_identifiers[0].verify, None);
    assert!(c.can_register());

    assert_eq!(c.color.primary_color, "#0F766E");
    assert!(c.color.is_dark_mode_enabled);
    assert_eq!(c.color.dark_primary_color.as_deref(), Some("#2DD4BF"));
    assert_eq!(c.branding.logo_url.as_deref(), Some("https://example.com/brand/logo.svg"));
    assert_eq!(c.branding.dark_logo_url.as_deref(), Some("https://example.com/brand/logo-dark.svg"));

    assert_eq!(c.terms_of_use_url.as_deref(), Some("https://example.com/terms"));
    assert_eq!(c.privacy_policy_url.as_deref(), Some("https://example.com/privacy"));
    assert_eq!(c.agree_to_terms_policy, AgreeToTermsPolicy::ManualRegistrationOnly);

    assert_eq!(c.social_connectors.len(), 1);
    let s = &c.social_connectors[0];
    assert_eq!(s.id, "3ksv8r1y9ec6");
    assert_eq!(s.target, "mock-social");
    assert_eq!(s.platform, Some(ConnectorPlatform::Universal));
    assert_eq!(s.name.get("en"), Some("Mock Social"));
    assert!(s.logo.starts_with("data:image/svg+xml;base64,"));
    assert_eq!(s.logo_dark, None);
    assert!(!c.social_sign_in.automatic_account_linking);
    assert!(c.sso_connectors.is_empty());
    assert!(!c.single_sign_on_enabled);

    assert!(c.forgot_password.email);
    assert!(!c.forgot_password.phone);
    assert!(c.passkey_sign_in.enabled && c.passkey_sign_in.show_passkey_button && c.passkey_sign_in.allow_autofill);
    assert!(c.custom_css.as_deref().unwrap().contains(".logto_main-content"));
    assert_eq!(c.mfa["policy"], "PromptAtSignInAndSignUp");
    assert_eq!(c.password_policy["rejects"]["pwned"], false);

    // Phone is code-only and email has a code: identifier first, every usable method in config order.
    assert_eq!(SignInForm::for_config(&c), SignInForm::IdentifierFirst { identifiers: vec![Username, Email, Phone] });
}

#[test]
fn mfa_mandatory_differs_from_rich_only_in_mfa_policy() {
    let rich = only_config("sign-in-exp.b-rich.json");
    let mut mandatory = only_config("sign-in-exp.c-mfa-mandatory.json");
    assert_eq!(mandatory.mfa["policy"], "Mandatory");
    mandatory.mfa = rich.mfa.clone();
    assert_eq!(mandatory, rich);
}

// ---- SSR ----

fn logto_ssr(name: &str) -> Value {
    let v = read(name)["logtoSsr"].clone();
    assert!(v.is_object(), "{name}: logtoSsr");
    // Phrase texts are stripped from the checked-in captures.
    assert_eq!(v["phrases"]["data"], serde_json::json!({"translation": {}}), "{name}");
    v
}

#[test]
fn every_ssr_object_parses_frozen_and_bare() {
    for name in files("ssr.") {
        let raw = logto_ssr(&name);
        let compact = serde_json::to_string(&raw).unwrap();
        let pretty = serde_json::to_string_pretty(&raw).unwrap();
        let variants = [
            format!("Object.freeze({compact})"),
            format!("Object.freeze({pretty})"),
            compact.clone(),
            pretty.clone(),
            format!("  Object.freeze({compact})\n"),
        ];
        let mut parsed = Vec::new();
        for text in &variants {
            let data = ssr::parse(text).unwrap_or_else(|| panic!("{name}: ssr::parse failed on {:.60}…", text));
            parsed.push(data);
        }
        for p in &parsed[1..] {
            assert_eq!(p, &parsed[0], "{name}: framings decode differently");
        }
        let data = &parsed[0];
        assert_eq!(data.sign_in_experience.app_id.as_deref(), Some("demo-app"), "{name}");
        assert_eq!(data.sign_in_experience.organization_id, None, "{name}");
        assert_eq!(data.phrases.lng, "en", "{name}");

        assert!(data.settings_match(Some("demo-app"), None), "{name}");
        assert!(!data.settings_match(None, None), "{name}");
        assert!(!data.settings_match(Some("other-app"), None), "{name}");
        assert!(!data.settings_match(Some("demo-app"), Some("org")), "{name}");

        assert!(data.phrases_match(None), "{name}");
        assert!(data.phrases_match(Some("en")), "{name}");
        assert!(data.phrases_match(Some("EN fr")), "{name}");
        assert!(!data.phrases_match(Some("ar")), "{name}");
        assert!(!data.phrases_match(Some("fr-CA en")), "{name}");
    }
}

#[test]
fn ssr_sign_in_experience_equals_the_api_one() {
    // SSR connectors carry extra fields (description, readme, configTemplate) that the core ignores.
    for (ssr_file, api_file) in [
        ("ssr.a-seed-default.json", "sign-in-exp.a-seed-default.json"),
        ("ssr.b-rich.json", "sign-in-exp.b-rich.json"),
        ("ssr.b-rich.ui_locales-ar.json", "sign-in-exp.b-rich.json"),
        ("ssr.c-mfa-mandatory.json", "sign-in-exp.c-mfa-mandatory.json"),
    ] {
        let text = format!("Object.freeze({})", logto_ssr(ssr_file));
        let data = ssr::parse(&text).unwrap();
        assert_eq!(data.sign_in_experience.data, only_config(api_file), "{ssr_file} vs {api_file}");
    }
}

#[test]
fn ssr_placeholder_and_garbage_are_none() {
    assert_eq!(ssr::parse(ssr::PLACEHOLDER), None);
    assert_eq!(ssr::parse("\"__LOGTO_SSR__\""), None);
    assert_eq!(ssr::parse("  \"__LOGTO_SSR__\"\n"), None);
    assert_eq!(ssr::parse(""), None);
    assert_eq!(ssr::parse("   "), None);
    assert_eq!(ssr::parse("garbage"), None);
    assert_eq!(ssr::parse("Object.freeze("), None);
    assert_eq!(ssr::parse("Object.freeze({})"), None);
    assert_eq!(ssr::parse("{\"signInExperience\": 1}"), None);
    assert_eq!(ssr::parse("null"), None);
    // A valid object cut short.
    let full = format!("Object.freeze({})", logto_ssr("ssr.b-rich.json"));
    assert_eq!(ssr::parse(&full[..full.len() / 2]), None);
}

// ---- Transcripts ----

struct Exchange {
    file: String,
    index: usize,
    method: String,
    path: String,
    request_body: Option<Value>,
    status: u16,
    response_body: Option<Value>,
}

fn transcripts() -> Vec<Exchange> {
    let mut names = files("error.");
    names.extend(files("flow."));
    let mut all = Vec::new();
    for name in names {
        let file = read(&name);
        let entries = file["transcript"].as_array().unwrap_or_else(|| panic!("{name}: transcript"));
        assert!(!entries.is_empty(), "{name}");
        for (index, e) in entries.iter().enumerate() {
            all.push(Exchange {
                file: name.clone(),
                index,
                method: e["request"]["method"].as_str().unwrap().to_owned(),
                path: e["request"]["path"].as_str().unwrap().to_owned(),
                request_body: e["request"].get("body").cloned(),
                status: e["response"]["status"].as_u64().unwrap() as u16,
                response_body: e["response"].get("body").cloned(),
            });
        }
    }
    all
}

fn error_exchanges() -> Vec<(Exchange, ErrorBody)> {
    transcripts()
        .into_iter()
        .filter(|x| x.status >= 400 && x.response_body.as_ref().is_some_and(Value::is_object))
        .map(|x| {
            let body: ErrorBody = serde_json::from_value(x.response_body.clone().unwrap())
                .unwrap_or_else(|e| panic!("{} #{} {} {}: ErrorBody: {e}", x.file, x.index, x.method, x.path));
            (x, body)
        })
        .collect()
}

#[test]
fn every_error_body_decodes() {
    let errors = error_exchanges();
    assert!(errors.len() >= 40, "only {} error bodies", errors.len());
    for (x, body) in &errors {
        let at = format!("{} #{} {} {}", x.file, x.index, x.method, x.path);
        assert!(!body.code.is_empty(), "{at}");
        assert!(!body.message.trim().is_empty(), "{at}");
        // Round trip: nothing the core types is lost.
        let back = serde_json::to_value(body).unwrap();
        let original = x.response_body.as_ref().unwrap();
        for key in ["code", "message", "data", "details", "error", "error_description"] {
            assert_eq!(back.get(key), original.get(key), "{at}: {key}");
        }
    }
    let codes: std::collections::BTreeSet<_> = errors.iter().map(|(_, b)| b.code.as_str()).collect();
    for expected in [
        "session.invalid_credentials",
        "session.not_found",
        "session.interaction_not_found",
        "guard.invalid_input",
        "user.missing_profile",
        "session.mfa.require_mfa_verification",
    ] {
        assert!(codes.contains(expected), "no {expected} in the captures");
    }
    // OIDC-level error carries error/error_description.
    let (_, nf) = errors.iter().find(|(_, b)| b.code == "session.not_found").unwrap();
    assert_eq!(nf.error.as_deref(), Some("invalid_request"));
    assert_eq!(nf.error_description.as_deref(), Some("interaction session id cookie not found"));
}

fn is_password_sequence(x: &Exchange) -> bool {
    matches!(
        (x.method.as_str(), x.path.as_str()),
        ("PUT", "/api/experience")
            | ("POST", "/api/experience/verification/password")
            | ("POST", "/api/experience/identification")
            | ("POST", "/api/experience/submit")
    )
}

#[test]
fn captured_errors_get_their_reactions() {
    let mut invalid_credentials = 0;
    let mut not_found = 0;
    for (x, body) in error_exchanges().into_iter().filter(|(x, _)| is_password_sequence(x)) {
        let at = format!("{} #{} {} {} → {}", x.file, x.index, x.method, x.path, body.code);
        let failure = ApiFailure::Logto { status: x.status, body: body.clone() };
        assert_eq!(failure.code(), Some(body.code.as_str()));
        let reaction = failures::react(&failure);
        match body.code.as_str() {
            "session.invalid_credentials" => {
                invalid_credentials += 1;
                assert_eq!(x.status, 422, "{at}");
                assert_eq!(reaction, Reaction::FormMessage { text: body.message.clone() }, "{at}");
            }
            "session.not_found" => {
                not_found += 1;
                assert_eq!(x.status, 400, "{at}");
                assert_eq!(reaction, Reaction::Navigate(Page::UnknownSession), "{at}");
            }
            code if failures::is_next_step(code) => match NextStep::from_failure(&failure) {
                Some(step) => assert_eq!(reaction, Reaction::Next(step), "{at}"),
                None => panic!("{at}: next-step code without a step"),
            },
            _ => assert_eq!(reaction, Reaction::FormMessage { text: body.message.clone() }, "{at}"),
        }
    }
    assert!(invalid_credentials >= 5, "invalid_credentials cases: {invalid_credentials}");
    assert!(not_found >= 3, "session.not_found cases: {not_found}");
}

#[test]
fn captured_submit_prompts_are_next_steps() {
    for (x, body) in error_exchanges() {
        if x.path == "/api/experience/submit" && matches!(x.status, 403 | 422) {
            assert!(failures::is_next_step(&body.code), "{} #{}: {} is not a next step", x.file, x.index, body.code);
        }
    }
}

fn round_trip<T>(x: &Exchange) -> T
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let body = x.request_body.clone().unwrap_or_else(|| panic!("{} #{}: no request body", x.file, x.index));
    let typed: T = serde_json::from_value(body.clone())
        .unwrap_or_else(|e| panic!("{} #{} {} {}: {e}", x.file, x.index, x.method, x.path));
    assert_eq!(serde_json::to_value(&typed).unwrap(), body, "{} #{} {} {}", x.file, x.index, x.method, x.path);
    typed
}

/// Request bodies the server accepted or judged on their content (not `guard.invalid_input` ones,
/// which are deliberately malformed).
fn well_formed_requests(method: &str, path: &str) -> Vec<Exchange> {
    let invalid_input = |x: &Exchange| {
        x.response_body.as_ref().and_then(|b| b.get("code")).and_then(Value::as_str) == Some("guard.invalid_input")
    };
    transcripts()
        .into_iter()
        .filter(|x| x.method == method && x.path == path && x.request_body.is_some() && !invalid_input(x))
        .collect()
}

#[test]
fn interaction_event_bodies_round_trip() {
    let mut seen = std::collections::BTreeSet::new();
    let mut exchanges = well_formed_requests("PUT", "/api/experience");
    exchanges.extend(well_formed_requests("PUT", "/api/experience/interaction-event"));
    assert!(exchanges.len() >= 20, "{}", exchanges.len());
    for x in &exchanges {
        let body: InteractionEventBody = round_trip(x);
        seen.insert(format!("{:?}", body.interaction_event));
    }
    for e in [InteractionEvent::SignIn, InteractionEvent::Register, InteractionEvent::ForgotPassword] {
        assert!(seen.contains(&format!("{e:?}")), "no {e:?} body");
    }
}

#[test]
fn malformed_interaction_event_is_rejected_like_the_server() {
    for x in transcripts().iter().filter(|x| x.method == "PUT" && x.path == "/api/experience" && x.status == 400) {
        if let Some(body) = &x.request_body {
            if body["interactionEvent"] == "Bogus" {
                assert!(serde_json::from_value::<InteractionEventBody>(body.clone()).is_err());
            }
        }
    }
}

#[test]
fn password_verification_bodies_round_trip() {
    let exchanges = well_formed_requests("POST", "/api/experience/verification/password");
    assert!(exchanges.len() >= 10, "{}", exchanges.len());
    let mut kinds = std::collections::BTreeSet::new();
    for x in &exchanges {
        let body: PasswordVerificationBody = round_trip(x);
        assert!(!body.identifier.value.is_empty());
        kinds.insert(body.identifier.kind.as_str());
    }
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), vec!["email", "phone", "username"]);
}

#[test]
fn identification_bodies_round_trip() {
    let exchanges = well_formed_requests("POST", "/api/experience/identification");
    assert!(exchanges.len() >= 15, "{}", exchanges.len());
    let mut empty = 0;
    for x in &exchanges {
        let body: IdentificationBody = round_trip(x);
        if body == IdentificationBody::default() {
            empty += 1;
        }
    }
    assert!(empty > 0, "expected some `{{}}` identification bodies (register flows)");
}
