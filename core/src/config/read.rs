//! The sign-in experience read from JSON by hand, field by field, instead of by serde's derived decoders: those were
//! the largest single function of the first screen (27 KB of wasm for these ~70 fields, because every field of every
//! nested struct grows a generic state machine), and this reader is a small fraction of it. The rules are those of the
//! derived decoders it replaces: unknown fields are ignored, a missing field takes its default, a field of the wrong
//! type or an unknown enum name is an error naming the field. Two differences, on purpose: `null` reads as
//! missing, and a social connector without `name` has no names (the button falls back to its target).
//! Names on the wire are those `Serialize` writes; `tests::what_is_written_reads_back` holds the two together.

use super::*;
use serde_json::{Map, Value};

pub(super) type Read<T> = Result<T, String>;

/// One JSON object of the settings, and where it is (`signIn.methods[]`), for error messages.
#[derive(Clone, Copy)]
struct Object<'a> {
    map: &'a Map<String, Value>,
    at: &'static str,
}

fn wrong(at: &str, key: &str, expected: &str) -> String {
    format!("{at}{key}: expected {expected}")
}

// The helpers take plain values and `fn` pointers, not closures: each closure would be a copy of its helper.
impl<'a> Object<'a> {
    fn new(value: &'a Value, at: &'static str) -> Read<Self> {
        value.as_object().map(|map| Object { map, at }).ok_or_else(|| wrong(at, "", "an object"))
    }

    /// The field's value; `null` counts as missing.
    fn get(self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|value| !value.is_null())
    }

    fn string(self, key: &str) -> Read<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(wrong(self.at, key, "a string")),
        }
    }

    fn required_string(self, key: &str) -> Read<String> {
        self.string(key)?.ok_or_else(|| wrong(self.at, key, "a string, and it is missing"))
    }

    fn optional_flag(self, key: &str) -> Read<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(_) => Err(wrong(self.at, key, "true or false")),
        }
    }

    fn flag(self, key: &str) -> Read<bool> {
        Ok(self.optional_flag(key)?.unwrap_or_default())
    }

    fn object(self, key: &str, at: &'static str) -> Read<Option<Object<'a>>> {
        self.get(key).map(|value| Object::new(value, at)).transpose()
    }

    /// A nested object read by `read`; missing is the default.
    fn part<T: Default>(self, key: &str, at: &'static str, read: fn(Object) -> Read<T>) -> Read<T> {
        Ok(match self.object(key, at)? {
            Some(object) => read(object)?,
            None => T::default(),
        })
    }

    /// Each element of an array field read by `read`; a missing field is empty.
    fn list<T>(self, key: &str, read: fn(&Value) -> Read<T>) -> Read<Vec<T>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items.iter().map(read).collect(),
            Some(_) => Err(wrong(self.at, key, "an array")),
        }
    }

    fn strings_by_key(self, key: &str) -> Read<Strings> {
        let Some(object) = self.object(key, "")? else { return Ok(Strings::default()) };
        if !object.map.values().all(Value::is_string) {
            return Err(wrong(self.at, key, "an object of strings"));
        }
        Ok(Strings(object.map.clone()))
    }

    /// An untyped part (decoded later by the code that uses it); missing is `null`.
    fn any(self, key: &str) -> Value {
        self.get(key).cloned().unwrap_or_default()
    }

    fn name_of<T: Copy>(self, key: &str, all: &[T], name: fn(T) -> &'static str) -> Read<Option<T>> {
        let Some(value) = self.string(key)? else { return Ok(None) };
        let known = all.iter().copied().find(|&variant| name(variant) == value);
        known.map(Some).ok_or_else(|| wrong(self.at, key, "a known name"))
    }
}

fn identifier_type(name: &str) -> Option<IdentifierType> {
    IdentifierType::ALL.into_iter().find(|kind| kind.as_str() == name)
}

// Field by field into a default value, not one struct literal: each `?` inside a literal leaves by its own path that
// drops every field read before it (quadratic code, most of this function's size); here each leaves dropping `s`.
#[allow(clippy::field_reassign_with_default)] // on purpose: see above
pub(super) fn sign_in_experience(value: &Value) -> Read<SignInExperience> {
    let o = Object::new(value, "settings")?;
    let mut s = SignInExperience::default();
    s.color = o.part("color", "color.", color)?;
    s.branding = o.part("branding", "branding.", branding)?;
    s.hide_logto_branding = o.flag("hideLogtoBranding")?;
    s.language_info = o.part("languageInfo", "languageInfo.", language_info)?;
    s.terms_of_use_url = o.string("termsOfUseUrl")?;
    s.privacy_policy_url = o.string("privacyPolicyUrl")?;
    s.agree_to_terms_policy =
        o.name_of("agreeToTermsPolicy", &AgreeToTermsPolicy::ALL, AgreeToTermsPolicy::as_str)?.unwrap_or_default();
    s.sign_in = o.part("signIn", "signIn.", |o| Ok(SignIn { methods: o.list("methods", sign_in_method)? }))?;
    s.sign_up = o.part("signUp", "signUp.", sign_up)?;
    s.social_sign_in = o.part("socialSignIn", "socialSignIn.", social_sign_in)?;
    s.sign_in_mode = o.name_of("signInMode", &SignInMode::ALL, SignInMode::as_str)?.unwrap_or_default();
    s.custom_css = o.string("customCss")?;
    s.custom_content = o.strings_by_key("customContent")?;
    s.password_policy = o.any("passwordPolicy");
    s.username_policy = o.any("usernamePolicy");
    s.mfa = o.any("mfa");
    s.single_sign_on_enabled = o.flag("singleSignOnEnabled")?;
    s.support_email = o.string("supportEmail")?;
    s.support_website_url = o.string("supportWebsiteUrl")?;
    s.passkey_sign_in = o.part("passkeySignIn", "passkeySignIn.", passkey_sign_in)?;
    s.social_connectors = o.list("socialConnectors", social_connector)?;
    s.sso_connectors = o.list("ssoConnectors", sso_connector)?;
    s.forgot_password = o.part("forgotPassword", "forgotPassword.", forgot_password)?;
    s.is_development_tenant = o.flag("isDevelopmentTenant")?;
    s.custom_profile_fields = o.list("customProfileFields", |field| Ok(field.clone()))?;
    s.captcha_policy = o.any("captchaPolicy");
    s.captcha_config = o.any("captchaConfig");
    Ok(s)
}

fn color(o: Object) -> Read<Color> {
    Ok(Color {
        primary_color: o.required_string("primaryColor")?,
        is_dark_mode_enabled: o.flag("isDarkModeEnabled")?,
        dark_primary_color: o.string("darkPrimaryColor")?,
    })
}

fn branding(o: Object) -> Read<Branding> {
    Ok(Branding {
        logo_url: o.string("logoUrl")?,
        dark_logo_url: o.string("darkLogoUrl")?,
        favicon: o.string("favicon")?,
        dark_favicon: o.string("darkFavicon")?,
    })
}

fn language_info(o: Object) -> Read<LanguageInfo> {
    Ok(LanguageInfo { auto_detect: o.flag("autoDetect")?, fallback_language: o.required_string("fallbackLanguage")? })
}

fn sign_in_method(value: &Value) -> Read<SignInMethod> {
    let o = Object::new(value, "signIn.methods[].")?;
    Ok(SignInMethod {
        identifier: o
            .name_of("identifier", &IdentifierType::ALL, IdentifierType::as_str)?
            .ok_or_else(|| wrong(o.at, "identifier", "an identifier type, and it is missing"))?,
        password: o.flag("password")?,
        verification_code: o.flag("verificationCode")?,
        is_password_primary: o.flag("isPasswordPrimary")?,
    })
}

fn sign_up(o: Object) -> Read<SignUp> {
    Ok(SignUp {
        identifiers: o.list("identifiers", |value| {
            value.as_str().and_then(identifier_type).ok_or_else(|| wrong("signUp.", "identifiers", "identifier types"))
        })?,
        password: o.flag("password")?,
        verify: o.flag("verify")?,
        secondary_identifiers: o.list("secondaryIdentifiers", |value| {
            let o = Object::new(value, "signUp.secondaryIdentifiers[].")?;
            Ok(SecondaryIdentifier { identifier: o.required_string("identifier")?, verify: o.optional_flag("verify")? })
        })?,
    })
}

fn social_sign_in(o: Object) -> Read<SocialSignIn> {
    Ok(SocialSignIn {
        automatic_account_linking: o.flag("automaticAccountLinking")?,
        skip_required_identifiers: o.flag("skipRequiredIdentifiers")?,
    })
}

fn passkey_sign_in(o: Object) -> Read<PasskeySignIn> {
    Ok(PasskeySignIn {
        enabled: o.flag("enabled")?,
        show_passkey_button: o.flag("showPasskeyButton")?,
        allow_autofill: o.flag("allowAutofill")?,
    })
}

fn forgot_password(o: Object) -> Read<ForgotPassword> {
    Ok(ForgotPassword { email: o.flag("email")?, phone: o.flag("phone")? })
}

fn social_connector(value: &Value) -> Read<SocialConnector> {
    let o = Object::new(value, "socialConnectors[].")?;
    Ok(SocialConnector {
        id: o.required_string("id")?,
        target: o.required_string("target")?,
        name: o.strings_by_key("name")?,
        logo: o.required_string("logo")?,
        logo_dark: o.string("logoDark")?,
        platform: o.name_of("platform", &ConnectorPlatform::ALL, ConnectorPlatform::as_str)?,
    })
}

fn sso_connector(value: &Value) -> Read<SsoConnector> {
    let o = Object::new(value, "ssoConnectors[].")?;
    Ok(SsoConnector {
        id: o.required_string("id")?,
        connector_name: o.required_string("connectorName")?,
        logo: o.required_string("logo")?,
        dark_logo: o.string("darkLogo")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Read<SignInExperience> {
        sign_in_experience(&serde_json::from_str(text).unwrap())
    }

    /// Every field set, every enum name used somewhere.
    fn everything() -> Vec<SignInExperience> {
        let connector = |platform| SocialConnector {
            id: "c1".into(),
            target: "google".into(),
            name: Strings::from([("en", "Google"), ("fr", "Gougle")]),
            logo: "https://x.test/g.svg".into(),
            logo_dark: Some("https://x.test/g-dark.svg".into()),
            platform,
        };
        let full = SignInExperience {
            color: Color {
                primary_color: "#123456".into(),
                is_dark_mode_enabled: true,
                dark_primary_color: Some("#654321".into()),
            },
            branding: Branding {
                logo_url: Some("l".into()),
                dark_logo_url: Some("dl".into()),
                favicon: Some("f".into()),
                dark_favicon: Some("df".into()),
            },
            hide_logto_branding: true,
            language_info: LanguageInfo { auto_detect: false, fallback_language: "fr".into() },
            terms_of_use_url: Some("https://x.test/terms".into()),
            privacy_policy_url: Some("https://x.test/privacy".into()),
            agree_to_terms_policy: AgreeToTermsPolicy::Manual,
            sign_in: SignIn {
                methods: IdentifierType::ALL
                    .into_iter()
                    .map(|identifier| SignInMethod {
                        identifier,
                        password: true,
                        verification_code: true,
                        is_password_primary: true,
                    })
                    .collect(),
            },
            sign_up: SignUp {
                identifiers: IdentifierType::ALL.to_vec(),
                password: true,
                verify: true,
                secondary_identifiers: vec![
                    SecondaryIdentifier { identifier: "emailOrPhone".into(), verify: Some(false) },
                    SecondaryIdentifier { identifier: "username".into(), verify: None },
                ],
            },
            social_sign_in: SocialSignIn { automatic_account_linking: true, skip_required_identifiers: true },
            sign_in_mode: SignInMode::Register,
            custom_css: Some("body{}".into()),
            custom_content: Strings::from([("/sign-in", "<p>hi</p>")]),
            password_policy: serde_json::json!({"length": {"min": 8}}),
            username_policy: serde_json::json!({"allowedChars": "lowercase"}),
            mfa: serde_json::json!({"factors": ["Totp"], "policy": "Mandatory"}),
            single_sign_on_enabled: true,
            support_email: Some("help@x.test".into()),
            support_website_url: Some("https://x.test/help".into()),
            passkey_sign_in: PasskeySignIn { enabled: true, show_passkey_button: true, allow_autofill: true },
            social_connectors: ConnectorPlatform::ALL.into_iter().map(Some).chain([None]).map(connector).collect(),
            sso_connectors: vec![SsoConnector {
                id: "s1".into(),
                connector_name: "Acme".into(),
                logo: "a.svg".into(),
                dark_logo: Some("ad.svg".into()),
            }],
            forgot_password: ForgotPassword { email: true, phone: true },
            is_development_tenant: true,
            custom_profile_fields: vec![serde_json::json!({"name": "nickname"})],
            captcha_policy: serde_json::json!({"enabled": true}),
            captcha_config: serde_json::json!({"type": "Turnstile"}),
        };
        let other_enums =
            |terms, mode| SignInExperience { agree_to_terms_policy: terms, sign_in_mode: mode, ..Default::default() };
        vec![
            full,
            SignInExperience::default(),
            other_enums(AgreeToTermsPolicy::Automatic, SignInMode::SignIn),
            other_enums(AgreeToTermsPolicy::ManualRegistrationOnly, SignInMode::SignInAndRegister),
        ]
    }

    #[test]
    fn what_is_written_reads_back() {
        for settings in everything() {
            let written = serde_json::to_value(&settings).unwrap();
            assert_eq!(sign_in_experience(&written).as_ref(), Ok(&settings), "{written}");
        }
    }

    #[test]
    fn missing_and_null_fields_take_their_defaults_and_unknown_ones_are_ignored() {
        assert_eq!(read("{}"), Ok(SignInExperience::default()));
        let nulls = r#"{"color": null, "signIn": {"methods": null}, "customCss": null, "mfa": null, "isDevelopmentTenant": null,
            "languageInfo": {"fallbackLanguage": "de", "autoDetect": null}, "futureField": {"x": [1]}}"#;
        let expected = SignInExperience {
            language_info: LanguageInfo { auto_detect: false, fallback_language: "de".into() },
            ..Default::default()
        };
        assert_eq!(read(nulls), Ok(expected));
        let connector = read(r#"{"socialConnectors": [{"id": "c", "target": "github", "logo": "g.svg"}]}"#).unwrap();
        assert!(connector.social_connectors[0].name.is_empty());
    }

    #[test]
    fn a_wrong_field_is_an_error_that_names_it() {
        for (text, named) in [
            ("[]", "settings: expected an object"),
            ("null", "settings: expected an object"),
            (r#"{"signIn": 5}"#, "signIn.: expected an object"),
            (r#"{"signIn": {"methods": {}}}"#, "signIn.methods: expected an array"),
            (r#"{"signIn": {"methods": [{"password": true}]}}"#, "signIn.methods[].identifier"),
            (
                r#"{"signIn": {"methods": [{"identifier": "fax"}]}}"#,
                "signIn.methods[].identifier: expected a known name",
            ),
            (r#"{"signUp": {"identifiers": ["email", 3]}}"#, "signUp.identifiers"),
            (r#"{"color": {}}"#, "color.primaryColor"),
            (r#"{"color": {"primaryColor": 5}}"#, "color.primaryColor: expected a string"),
            (r#"{"signInMode": "Everything"}"#, "signInMode: expected a known name"),
            (r#"{"hideLogtoBranding": "yes"}"#, "hideLogtoBranding: expected true or false"),
            (r#"{"customContent": {"/sign-in": 1}}"#, "customContent: expected an object of strings"),
            (r#"{"socialConnectors": [{"id": "c", "target": "g"}]}"#, "socialConnectors[].logo"),
            (
                r#"{"ssoConnectors": [{"id": "s", "logo": "l", "connectorName": "A", "darkLogo": 1}]}"#,
                "ssoConnectors[].darkLogo",
            ),
        ] {
            let error = read(text).unwrap_err();
            assert!(error.contains(named), "{text}: {error}");
        }
    }
}
