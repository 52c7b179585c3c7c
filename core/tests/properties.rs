//! Property tests of the parsers that read outside input: the decoders of the provider's answers and settings, the
//! `customContent` sanitizer, and the route and landing-URL parsers. Each property runs proptest's default 256 cases,
//! which keeps this file to a few seconds; `PROPTEST_CASES=20000 cargo test -p sign-in-core --test properties` runs
//! a longer search (proptest reads that variable itself). A failing case is shrunk, printed and saved in
//! `core/tests/properties.proptest-regressions`, whose cases are replayed first on the next runs.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use proptest::prelude::*;
use proptest::sample::select;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use sign_in_core::api::{
    ConsentInfoResponse, ErrorBody, IdentifierType, SubmitResponse, TotpSecretResponse, VerificationIdResponse,
};
use sign_in_core::config::{SettingsPart, SignInExperience};
use sign_in_core::failures::{self, ApiFailure};
use sign_in_core::i18n::{english, Phrases};
use sign_in_core::interaction::{CodeFlow, FlowState, MissingProfile, NextStep};
use sign_in_core::landing::{self, LandingParams};
use sign_in_core::mfa::{MfaFactor, MfaFlow, MfaNext, MfaState};
use sign_in_core::password_policy::{PasswordPolicy, Rejection, UserInfo};
use sign_in_core::profile_fields::{self, ProfileField};
use sign_in_core::route::{resolve, Page};
use sign_in_core::sanitize::sanitize_html;
use sign_in_core::social::{self, CallbackParams};
use sign_in_core::username_policy::UsernamePolicy;
use sign_in_core::{color, identifier, query, ssr, terms};
use std::cell::RefCell;
use std::path::Path;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------------------------------
// Generators

/// Words the decoders give meaning to (keys, enum values, codes, URLs), so random JSON often takes their paths.
const WORDS: &[&str] = &[
    "",
    "en",
    "fr-CA",
    "ar",
    "email",
    "phone",
    "username",
    "emailOrPhone",
    "SignIn",
    "Register",
    "ForgotPassword",
    "Totp",
    "WebAuthn",
    "BackupCode",
    "EmailVerificationCode",
    "PhoneVerificationCode",
    "Web",
    "Native",
    "Universal",
    "Manual",
    "Automatic",
    "Text",
    "Number",
    "Regex",
    "Address",
    "Fullname",
    "Select",
    "#6139f6",
    "#FFF",
    "#12345",
    "javascript:alert(1)",
    " java\tscript:x",
    "data:text/html,x",
    "https://example.com/a.png",
    "/logo.svg",
    "user.missing_profile",
    "user.missing_mfa",
    "session.mfa.suggest_additional_mfa",
    "session.mfa.require_mfa_verification",
    "password.rejected",
    "password_rejected.too_short",
    "user.identity_not_exist",
    "{{count}}",
    "{{",
    "}}",
    "é",
    "🙂",
];

/// Object keys: the camelCase fields of the provider's answers and settings, plus anything.
const KEYS: &[&str] = &[
    "color",
    "primaryColor",
    "isDarkModeEnabled",
    "darkPrimaryColor",
    "branding",
    "logoUrl",
    "darkLogoUrl",
    "favicon",
    "languageInfo",
    "autoDetect",
    "fallbackLanguage",
    "termsOfUseUrl",
    "privacyPolicyUrl",
    "agreeToTermsPolicy",
    "signIn",
    "methods",
    "identifier",
    "password",
    "verificationCode",
    "isPasswordPrimary",
    "signUp",
    "identifiers",
    "verify",
    "secondaryIdentifiers",
    "signInMode",
    "customCss",
    "customContent",
    "passwordPolicy",
    "length",
    "min",
    "max",
    "characterTypes",
    "rejects",
    "usernamePolicy",
    "mfa",
    "socialConnectors",
    "ssoConnectors",
    "id",
    "target",
    "name",
    "logo",
    "platform",
    "forgotPassword",
    "customProfileFields",
    "type",
    "config",
    "parts",
    "options",
    "value",
    "code",
    "message",
    "data",
    "details",
    "missingProfile",
    "availableFactors",
    "skippable",
    "maskedIdentifiers",
    "relatedUser",
    "interpolation",
    "translation",
    "interactionEvent",
    "verificationRecords",
    "verified",
    "redirectTo",
    "verificationId",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(WORDS).prop_map(str::to_owned),
        2 => prop::collection::vec(any::<char>(), 0..12).prop_map(|c| c.into_iter().collect()),
    ]
}

/// Any JSON value, with numbers that survive a text round trip exactly.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (0u32..4000).prop_map(Value::from),
        select(vec![0.5, -1.25, 1024.0, 1e300, -0.0]).prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop_oneof![3 => select(KEYS).prop_map(str::to_owned), 1 => text()], inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// The sign-in experience bodies of the Logto captures: real shapes to mutate.
fn seeds() -> &'static [Value] {
    static SEEDS: OnceLock<Vec<Value>> = OnceLock::new();
    SEEDS.get_or_init(read_seeds)
}

fn read_seeds() -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/logto-1.42");
    let mut seeds = Vec::new();
    for name in ["sign-in-exp.a-seed-default.json", "sign-in-exp.b-rich.json", "sign-in-exp.c-mfa-mandatory.json"] {
        let file: Value = serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
        for (key, entry) in file.as_object().unwrap() {
            if key != "meta" {
                seeds.push(entry["response"]["body"].clone());
            }
        }
    }
    assert!(seeds.len() >= 3);
    seeds
}

/// Every node of `value`, as JSON pointers.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// A capture's settings with one node (`pick` among all of them) replaced by `replacement`.
fn mutated_settings(seed: usize, pick: usize, replacement: Value) -> Value {
    let seeds = seeds();
    let mut value = seeds[seed % seeds.len()].clone();
    let mut all = Vec::new();
    pointers(&value, String::new(), &mut all);
    let at = &all[pick % all.len()];
    match value.pointer_mut(at) {
        Some(node) => *node = replacement,
        None => unreachable!("{at}"),
    }
    value
}

/// `from(to(x)) == x` for whatever decoded once: decoding is a normal form.
fn assert_round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(decoded: &T) {
    let text = serde_json::to_string(decoded).unwrap();
    let again: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("re-decoding {text}: {e}"));
    assert_eq!(&again, decoded, "{text}");
}

fn failure(code: &str, message: &str, data: Option<Value>) -> ApiFailure {
    let body = ErrorBody {
        code: code.into(),
        message: message.into(),
        data,
        details: None,
        error: None,
        error_description: None,
    };
    ApiFailure::Logto { status: 422, body }
}

const KINDS: [IdentifierType; 3] = [IdentifierType::Username, IdentifierType::Email, IdentifierType::Phone];

/// Everything the page does with decoded settings, none of which may panic; and the URL guard holds.
fn exercise_settings(mut config: SignInExperience, phrases: &Phrases) {
    config.drop_unsafe_urls();
    let urls = [&config.terms_of_use_url, &config.privacy_policy_url, &config.support_website_url];
    let branding = &config.branding;
    let logos = [&branding.logo_url, &branding.dark_logo_url, &branding.favicon, &branding.dark_favicon];
    for url in urls.into_iter().chain(logos).flatten() {
        assert!(sign_in_core::config::is_safe_url(url), "{url:?} kept");
    }
    for c in &config.social_connectors {
        assert!(
            sign_in_core::config::is_safe_url(&c.logo)
                && c.logo_dark.iter().all(|u| sign_in_core::config::is_safe_url(u))
        );
        let _ = social::display_name(c, "fr-CA");
    }
    for dark in [false, true] {
        let _ = color::brand_properties(&config.color, dark);
        let _ = color::logo_url(&config.branding, config.color.is_dark_mode_enabled, dark);
        let _ = color::favicon_url(&config.branding, config.color.is_dark_mode_enabled, dark);
    }
    let _ = social::web_connectors(&config);
    let form = identifier::SignInForm::for_config(&config);
    let _ = form.identifiers();
    for kind in KINDS {
        let _ = identifier::first_factors(&config, kind);
        let _ = sign_in_core::interaction::can_sign_in_by_code(&config, kind);
        let f = failure("connector.usage_limit_exceeded", "x", None);
        let _ = failures::sign_in_code_failure(&f, &config, kind);
    }
    let _ = sign_in_core::interaction::register_kinds(&config);
    let _ = sign_in_core::interaction::forgot_password_kinds(&config);
    let _ = config.shows_register_screen(true) && config.shows_register_screen(false);
    let _ = terms::needs_acceptance(&config, terms::TermsScreen::Register);
    let policy = PasswordPolicy::from_config(&config.password_policy);
    let info = UserInfo { name: Some("Jane".into()), username: Some("jane".into()), ..Default::default() };
    let _ = policy.check("Passw0rd!é", &info);
    let _ = sign_in_core::password_policy::requirements(&policy, phrases);
    let usernames = UsernamePolicy::from_config(&config.username_policy);
    let _ = usernames.check("jane_doe", phrases);
    let _ = usernames.requirements(phrases);
    for field in ProfileField::list(&config.custom_profile_fields) {
        for input in field.inputs() {
            for value in ["", "x", "42", "2024-02-30", "https://a.b", "true", "NaN"] {
                let _ = input.problem(value, phrases);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Decoders of the provider's answers and settings

proptest! {
    /// Bytes off the wire: every decoder answers `Err` (or a value), never panics.
    #[test]
    fn arbitrary_bytes_never_break_a_decoder(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = serde_json::from_slice::<SignInExperience>(&bytes);
        let _ = serde_json::from_slice::<ErrorBody>(&bytes);
        let _ = serde_json::from_slice::<SubmitResponse>(&bytes);
        let _ = serde_json::from_slice::<VerificationIdResponse>(&bytes);
        let _ = serde_json::from_slice::<TotpSecretResponse>(&bytes);
        let _ = serde_json::from_slice::<ConsentInfoResponse>(&bytes);
        let _ = serde_json::from_slice::<MfaState>(&bytes);
        let _ = serde_json::from_slice::<FlowState>(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        let _ = ssr::parse(&text);
        let _ = ssr::parse(&format!("Object.freeze({text})"));
    }

    /// Any JSON where the provider's settings go: decodes or not, and what decodes is usable and round-trips.
    #[test]
    fn arbitrary_json_as_settings(value in json()) {
        if let Ok(config) = SignInExperience::read(&value) {
            assert_round_trip(&config);
            exercise_settings(config, &english());
        }
    }

    /// Real settings with one part replaced by anything: still no panic, the URL guard holds, and what decodes
    /// round-trips (through the SSR block as well as on its own).
    #[test]
    fn mutated_real_settings(seed in 0usize..16, pick in any::<usize>(), replacement in json()) {
        let value = mutated_settings(seed, pick, replacement);
        // As the page reads settings: from an object only (`SettingsPart`), on the wire and in the SSR block alike.
        let decoded = SignInExperience::read(&value);
        let block = json!({
            "signInExperience": {"appId": "demo-app", "data": value},
            "phrases": {"lng": "fr", "data": {"translation": {}}},
        });
        let from_ssr = ssr::parse(&format!("Object.freeze({block})"));
        prop_assert_eq!(from_ssr.as_ref().map(|s| &s.sign_in_experience.data), decoded.as_ref().ok());
        if let Ok(config) = decoded {
            assert_round_trip(&config);
            exercise_settings(config, &Phrases::from_provider("fr", &json!({"translation": {}})));
        }
    }

    /// Any `data` under any code: the reactions, next steps and MFA states are decided without panicking, and the
    /// state the MFA screens keep in sessionStorage round-trips.
    #[test]
    fn arbitrary_error_data(code in text(), message in text(), data in prop::option::of(json())) {
        let failure = failure(&code, &message, data.clone());
        let config: SignInExperience = serde_json::from_value(seeds()[1].clone()).unwrap();
        let _ = failures::react(&failure);
        let _ = failures::password_sign_in_failure(&failure, &config);
        let _ = failures::social_identification(&failure, &config);
        let _ = failures::passkey_falls_back(&failure);
        let _ = NextStep::from_failure(&failure);
        for flow in [CodeFlow::SignIn, CodeFlow::Register, CodeFlow::Continue] {
            for kind in KINDS {
                let _ = sign_in_core::interaction::switch_offer(flow, &failure, &config, kind, true);
            }
        }
        let _ = Rejection::list_from(data.as_ref());
        if let Some(next) = MfaNext::from_failure(&failure) {
            let (page, state) = next.entry();
            prop_assert_ne!(page, Page::NotFound);
            if let Some(state) = state {
                assert_round_trip(&state);
                for factor in MfaFactor::ALL {
                    let _ = state.masked_address(factor);
                    let _ = next.resumes(MfaFlow::Binding, Some(factor));
                }
                let _ = state.choices();
            }
        }
        if let Some(data) = &data {
            for flow in [CodeFlow::SignIn, CodeFlow::Register, CodeFlow::ForgotPassword, CodeFlow::Continue] {
                if let Some(state) = FlowState::pending_code(flow, data) {
                    assert_round_trip(&state);
                }
            }
            let _ = sign_in_core::mfa::webauthn_payload(data.clone());
            let phrases = Phrases::from_provider("ar", data);
            for key in ["action.sign_in", "error.general_required", "mfa.totp", "description.not_found", &code] {
                let _ = phrases.t_with(key, &[("types", "x"), ("count", "2")]);
                let _ = phrases.t_count(key, 3);
            }
            let _ = phrases.list_or(&["a".into(), "b".into(), "c".into()]);
            let fields = ProfileField::list(std::slice::from_ref(data));
            let _ = profile_fields::values(&fields, |_| message.clone());
        }
    }

    /// Error bodies round-trip whatever they carry, and decoding one ignores fields it doesn't know.
    #[test]
    fn error_bodies_round_trip(code in text(), message in text(), data in prop::option::of(json()),
                               details in prop::option::of(text()), extra in json()) {
        // `"data": null` reads as no data (as the page treats both).
        let data = data.filter(|d| !d.is_null());
        let body = ErrorBody { code, message, data, details, error: None, error_description: None };
        assert_round_trip(&body);
        let mut with_extra = serde_json::to_value(&body).unwrap();
        with_extra["someFutureField"] = extra;
        prop_assert_eq!(serde_json::from_value::<ErrorBody>(with_extra).unwrap(), body);
    }

    /// A custom profile field value the page lets through is one it can send (`values` has it).
    #[test]
    fn accepted_profile_values_are_sent(value in prop_oneof![
        select(vec!["NaN", "inf", "-inf", "infinity", "1e400", "-1e999", "12", "0.5", "-3"]).prop_map(str::to_owned),
        "[0-9.eE+-]{1,8}",
    ]) {
        let fields = ProfileField::list(&[json!({"name": "age", "type": "Number", "required": true, "config": {}})]);
        let phrases = english();
        if fields[0].problem(&value, &phrases).is_none() {
            let sent = profile_fields::values(&fields, |_| value.clone());
            prop_assert!(sent.contains_key("age"), "{value:?} passes the check but is not sent: {sent:?}");
        }
    }
}

/// Query text with the characters that matter to the form encoding: separators, `+`, `%` and hex digits (valid and
/// broken escapes), non-ASCII.
fn query_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            select(vec!["&", "=", "+", "%", "%2", "%2B", "%e2%82%ac", "%FF", "%zz", "?", "a", "F", "0", "é", " ", "/"])
                .prop_map(str::to_owned),
            any::<char>().prop_map(String::from)
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    /// The page's query reader and writer agree with the `form_urlencoded` crate on any text.
    #[test]
    fn queries_read_and_write_as_form_urlencoded_does(text in query_text(), other in query_text()) {
        let ours: Vec<(String, String)> = query::parse(&text).collect();
        let theirs: Vec<(String, String)> =
            form_urlencoded::parse(text.trim_start_matches('?').as_bytes()).into_owned().collect();
        prop_assert_eq!(ours, theirs);
        let pairs = [(text.as_str(), other.as_str()), ("k", text.as_str())];
        let theirs = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        prop_assert_eq!(query::encode(pairs), theirs);
    }
}

/// The character class of a `^[…]+$` pattern of a `Regex` profile field, as tenants write them.
fn class() -> impl Strategy<Value = String> {
    let parts = select(vec!["a-z", "A-Z", "0-9", "_", ".", "@", "é", " ", r"\d", r"\w", r"\-", r"\."]);
    (any::<bool>(), prop::collection::vec(parts, 1..4))
        .prop_map(|(negated, parts)| format!("[{}{}]", if negated { "^" } else { "" }, parts.concat()))
}

proptest! {
    /// The page's own check of a `Regex` field never refuses a value the pattern matches (values drawn from the
    /// class itself by proptest's regex generator); what it cannot read, it leaves to the provider.
    #[test]
    fn regex_fields_never_refuse_a_matching_value(
        (class, value) in class().prop_flat_map(|c| {
            let values = proptest::string::string_regex(&format!("{c}+")).unwrap();
            (Just(c), values)
        })
    ) {
        let pattern = format!("^{class}+$");
        let config = json!({"format": pattern});
        let field = json!({"name": "code", "type": "Regex", "required": true, "config": config});
        let field = &ProfileField::list(&[field])[0];
        prop_assert_eq!(field.problem(&value, &english()), None, "{:?} refused by {}", value, pattern);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// The sanitizer, re-read by a browser-grade tokenizer

/// Elements and attributes the sanitizer may write (its contract, stated here independently of its tables).
const ALLOWED_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "span",
    "a",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "img",
    "figure",
    "figcaption",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "small",
    "code",
    "pre",
    "hr",
];
const VOID_ELEMENTS: &[&str] = &["br", "hr", "img"];
const GLOBAL_ATTRIBUTES: &[&str] = &["class", "id", "title", "alt", "width", "height", "lang", "dir", "role"];

struct Collect(RefCell<Vec<Token>>);

impl TokenSink for Collect {
    type Handle = ();
    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        self.0.borrow_mut().push(token);
        TokenSinkResult::Continue
    }
}

/// The tokens a browser reads from `html` in a normal (non-raw-text) context.
fn tokens(html: &str) -> Vec<Token> {
    // A fragment, not a document: a leading U+FEFF is text.
    let opts = TokenizerOpts { discard_bom: false, ..TokenizerOpts::default() };
    let tokenizer = Tokenizer::new(Collect(RefCell::new(Vec::new())), opts);
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// An attribute value as a URL parser reads it: surrounding controls and spaces, and every tab and newline, dropped.
fn normalized_url(value: &str) -> String {
    value.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect()
}

/// The scheme a URL parser finds in an attribute value, lower-cased.
fn url_scheme(value: &str) -> Option<String> {
    let url = normalized_url(value);
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    (chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| scheme.to_ascii_lowercase())
}

/// What the browser would build from `out`: only allowed elements and attributes, no executable URL, no
/// comments or doctypes, tags properly nested. Returns the text it holds.
fn assert_inert(out: &str, input: &str) -> String {
    let mut open: Vec<String> = Vec::new();
    let mut text = String::new();
    for token in tokens(out) {
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                assert!(ALLOWED_ELEMENTS.contains(&name), "<{name}> in {out:?} from {input:?}");
                match tag.kind {
                    TagKind::StartTag => {
                        let target_blank = tag.attrs.iter().any(|a| &*a.name.local == "target");
                        for attr in &tag.attrs {
                            let (attr_name, value): (&str, &str) = (&attr.name.local, &attr.value);
                            let allowed = match attr_name {
                                "href" => {
                                    name == "a"
                                        && url_scheme(value)
                                            .is_none_or(|s| ["http", "https", "mailto"].contains(&s.as_str()))
                                }
                                "src" => {
                                    name == "img"
                                        && match url_scheme(value).as_deref() {
                                            None | Some("http" | "https") => true,
                                            Some("data") => {
                                                let media = normalized_url(value)[5..].to_ascii_lowercase();
                                                ["image/png", "image/gif", "image/jpeg", "image/webp"]
                                                    .iter()
                                                    .any(|t| media.starts_with(t))
                                            }
                                            Some(_) => false,
                                        }
                                }
                                "target" => name == "a" && value == "_blank",
                                "rel" => name == "a" && target_blank && value == "noopener noreferrer",
                                a => {
                                    GLOBAL_ATTRIBUTES.contains(&a)
                                        || a.strip_prefix("aria-").is_some_and(|r| {
                                            !r.is_empty()
                                                && r.bytes()
                                                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
                                        })
                                }
                            };
                            assert!(allowed, "<{name} {attr_name}={value:?}> in {out:?} from {input:?}");
                        }
                        if !VOID_ELEMENTS.contains(&name) {
                            assert!(!tag.self_closing, "{out:?}");
                            open.push(name.to_owned());
                        }
                    }
                    TagKind::EndTag => {
                        assert!(tag.attrs.is_empty(), "{out:?}");
                        assert_eq!(open.pop().as_deref(), Some(name), "nesting of {out:?} from {input:?}");
                    }
                }
            }
            Token::CharacterTokens(t) => text.push_str(&t),
            Token::NullCharacterToken => panic!("NUL in {out:?} from {input:?}"),
            Token::CommentToken(_) | Token::DoctypeToken(_) => panic!("markup declaration in {out:?} from {input:?}"),
            Token::ParseError(_) | Token::EOFToken => {}
        }
    }
    assert!(open.is_empty(), "unclosed {open:?} in {out:?} from {input:?}");
    text
}

/// Fragments of markup, hostile and plain, for soups.
const PIECES: &[&str] = &[
    "<",
    ">",
    "/",
    "=",
    "\"",
    "'",
    " ",
    "\t",
    "\n",
    "\r",
    "&",
    "&#x61;",
    "&#106;",
    "&colon;",
    "&Tab;",
    "&amp;",
    "&lt;",
    "&quot",
    ";",
    "#",
    "-",
    "!",
    "?",
    "<!--",
    "-->",
    "--!>",
    "<!",
    "<?",
    "</",
    "/>",
    "<![CDATA[",
    "]]>",
    "p",
    "a",
    "img",
    "script",
    "style",
    "svg",
    "math",
    "template",
    "textarea",
    "noscript",
    "plaintext",
    "title",
    "iframe",
    "div",
    "b",
    "li",
    "table",
    "href",
    "src",
    "onerror",
    "onclick",
    "style",
    "x",
    "javascript:",
    "JaVaScRiPt:",
    "vbscript:",
    "data:",
    "data:image/png;base64,",
    "data:image/svg+xml,",
    "image/png,",
    "https://e.com/",
    "target",
    "_blank",
    "rel",
    "class",
    "aria-x",
    "aria-",
    "title",
    "<a href=",
    "<img src=",
    "</a>",
    "</p>",
    "<script>",
    "</script>",
    "</script ",
    "<svg>",
    "</svg>",
    "<style>",
    "</style>",
    "<textarea>",
    "</textarea>",
    "é",
    "مرحبا",
    "\0",
    "\u{1}",
    "\u{feff}",
];

fn markup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            6 => select(PIECES).prop_map(str::to_owned),
            1 => prop::collection::vec(any::<char>(), 1..4).prop_map(|c| c.into_iter().collect()),
        ],
        0..60,
    )
    .prop_map(|pieces| pieces.concat())
}

proptest! {
    /// Markup soups and arbitrary text: what a browser reads back from the output is only allowed elements with
    /// allowed attributes and safe URLs, properly nested, and sanitizing again changes nothing.
    #[test]
    fn sanitized_markup_is_inert(input in prop_oneof![markup(), any::<String>()]) {
        let out = sanitize_html(&input);
        assert_inert(&out, &input);
        prop_assert_eq!(sanitize_html(&out), out.clone(), "not a fixed point: {:?}", input);
    }

    /// Text without markup or references reads the same before and after (newlines normalized, NUL dropped).
    #[test]
    fn plain_text_survives(input in "[^<&]{0,64}") {
        let out = sanitize_html(&input);
        // NUL is dropped first, so a CR and LF it separated become one line break.
        let expected: String = input.replace('\0', "").replace("\r\n", "\n").replace('\r', "\n");
        prop_assert_eq!(assert_inert(&out, &input), expected);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Routes and landing URLs

/// `encodeURIComponent`, as the page escapes a connector id into a path.
fn encode_uri_component(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Every page, with unusual connector ids where a path carries one.
fn every_page() -> Vec<Page> {
    let mut pages = vec![
        Page::SignIn,
        Page::IdentifierSignIn,
        Page::SignInPassword,
        Page::SignInPasskey,
        Page::VerificationMethods,
        Page::Register,
        Page::IdentifierRegister,
        Page::SetPassword,
        Page::ForgotPassword,
        Page::ForgotPasswordReset,
        Page::SingleSignOn,
        Page::SingleSignOnConnectors,
        Page::Callback("mock id/ü?#%".into()),
        Page::SocialCallback("abc".into()),
        Page::SocialLink("x y".into()),
        Page::SocialLanding("mock-social".into()),
        Page::OneTimeToken,
        Page::OneTimeTokenError,
        Page::SwitchAccount,
        Page::Consent,
        Page::Device,
        Page::DeviceSuccess,
        Page::MfaOnboarding,
        Page::CreatePasskey,
        Page::UnknownSession,
        Page::AccountSuspended,
        Page::NotFound,
    ];
    pages.extend(
        [CodeFlow::SignIn, CodeFlow::Register, CodeFlow::ForgotPassword, CodeFlow::Continue]
            .map(Page::VerificationCode),
    );
    pages.extend(
        [
            MissingProfile::Username,
            MissingProfile::Password,
            MissingProfile::Email,
            MissingProfile::Phone,
            MissingProfile::EmailOrPhone,
            MissingProfile::ExtraProfile,
        ]
        .map(Page::Continue),
    );
    for flow in [MfaFlow::Binding, MfaFlow::Verification] {
        pages.push(Page::Mfa(flow, None));
        pages.extend(MfaFactor::ALL.map(|factor| Page::Mfa(flow, Some(factor))));
    }
    pages
}

proptest! {
    /// Any path resolves to some page without panicking; percent escapes in a callback id are undone.
    #[test]
    fn any_path_resolves(path in prop_oneof![any::<String>(), "(/[a-z%0-9A-F-]{0,12}){0,4}/?"]) {
        let _ = resolve(&path);
        let _ = resolve(&format!("/callback/{path}"));
    }

    /// Every page's path comes back as the page, with or without a trailing slash, whatever its connector id.
    #[test]
    fn page_paths_resolve_to_their_pages(page in select(every_page()), id in "\\PC{1,24}", slash in any::<bool>()) {
        let page = match page {
            Page::Callback(_) => Page::Callback(id),
            Page::SocialCallback(_) => Page::SocialCallback(id),
            Page::SocialLink(_) => Page::SocialLink(id),
            Page::SocialLanding(_) => Page::SocialLanding(id),
            page => page,
        };
        let path = if slash { format!("{}/", page.path()) } else { page.path() };
        prop_assert_eq!(resolve(&path), page, "{}", path);
    }

    /// A connector id survives its trip through the callback paths: escaped by the page (`/callback/social/…`),
    /// or as Logto's ids are, unescaped in the registered redirect URI (`/callback/…`).
    #[test]
    fn callback_ids_round_trip(id in "\\PC{1,24}", logto_id in "[a-zA-Z0-9_-]{1,24}") {
        let escaped = encode_uri_component(&id);
        prop_assert_eq!(resolve(&format!("/callback/social/{escaped}")), Page::SocialCallback(id.clone()));
        prop_assert_eq!(resolve(&format!("/callback/{escaped}")), Page::Callback(id));
        let uri = social::redirect_uri("https://auth.example.com", &logto_id);
        let path = uri.trim_start_matches("https://auth.example.com");
        prop_assert_eq!(resolve(path), Page::Callback(logto_id));
    }

    /// Any query string reads without panicking; cleaning it keeps `app_id` and `login_hint` and drops the two
    /// session values; the queries the page writes read back as written.
    #[test]
    fn landing_parameters(query in prop_oneof![any::<String>(), "[?&=a-z_%0-9A-F+]{0,40}"],
                          app_id in "\\PC{0,12}", organization_id in "\\PC{0,12}", ui_locales in "\\PC{0,12}",
                          login_hint in "\\PC{0,12}") {
        let read = LandingParams::from_query(&query);
        let cleaned = LandingParams::from_query(&landing::cleaned_query(&query));
        prop_assert_eq!(&cleaned.app_id, &read.app_id);
        prop_assert_eq!(&cleaned.login_hint, &read.login_hint);
        prop_assert_eq!(cleaned.organization_id, None);
        prop_assert_eq!(cleaned.ui_locales, None);

        let some = |s: &String| Some(s.clone()).filter(|s| !s.is_empty());
        let written = landing::query_of(&[
            ("app_id", Some(app_id.as_str())),
            ("organization_id", Some(organization_id.as_str())),
            ("ui_locales", Some(ui_locales.as_str())),
            ("login_hint", Some(login_hint.as_str())),
        ]);
        let expected = LandingParams {
            app_id: some(&app_id),
            organization_id: some(&organization_id),
            ui_locales: some(&ui_locales),
            login_hint: some(&login_hint),
        };
        prop_assert_eq!(LandingParams::from_query(&written), expected);
        let href = landing::href("/sign-in", Some(&app_id));
        let (path, href_query) = href.split_once('?').unwrap();
        prop_assert_eq!(path, "/sign-in");
        prop_assert_eq!(LandingParams::from_query(href_query).app_id, some(&app_id));
    }

    /// What an identity provider sends back survives the hop from `/callback/:id` to `/callback/social/:id`.
    #[test]
    fn callback_parameters_round_trip(query in any::<String>(), fragment in any::<String>(),
                                      state in prop::option::of("\\PC{0,12}"),
                                      data in prop::collection::btree_map("[a-z_]{1,8}", "\\PC{0,12}", 0..5)) {
        let _ = CallbackParams::parse(&query, &fragment);
        let params = CallbackParams {
            state,
            error: data.get("error").cloned(),
            data: data.into_iter().filter(|(k, _)| k != "state").collect(),
        };
        prop_assert_eq!(CallbackParams::parse(&params.to_query(), ""), params.clone());
        prop_assert_eq!(CallbackParams::parse("", &format!("#{}", params.to_query())), params);
    }

    /// Other text the page parses from people and providers: identifiers, colours, pasted codes.
    #[test]
    fn other_parsers(input in any::<String>(), r in any::<u8>(), g in any::<u8>(), b in any::<u8>(), index in 0usize..6) {
        let _ = identifier::detect(&input, &KINDS);
        let _ = identifier::parse(&input, &KINDS);
        let _ = identifier::kinds_from_param(Some(&input));
        let _ = color::Rgb::parse(&input);
        let rgb = color::Rgb { r, g, b };
        prop_assert_eq!(color::Rgb::parse(&rgb.to_hex()), Some(rgb));
        prop_assert_eq!(color::Rgb::parse(&rgb.to_hex().to_uppercase()), Some(rgb));
        let mut slots = [None; 6];
        let next = sign_in_core::code_entry::enter(&mut slots, index, &input);
        prop_assert!(next < 6);
        let _ = sign_in_core::code_entry::backspace(&mut slots, next);
        let _ = Phrases::built_in().t(&input);
    }
}
