//! What kind of identifier a person typed, and the sign-in form the config calls for.

use crate::api::{Identifier, IdentifierType};
use crate::config::SignInExperience;
use crate::i18n::Phrases;

/// Guesses the type of `input` among the `enabled` ones, as Logto's smart input does:
/// an `@` means email, digits (with `+`, spaces, dashes, brackets) mean phone, anything else username.
pub fn detect(input: &str, enabled: &[IdentifierType]) -> Option<IdentifierType> {
    let value = input.trim();
    if value.is_empty() {
        return None;
    }
    let looks_like_phone =
        value.chars().any(|c| c.is_ascii_digit()) && value.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    let guess = if value.contains('@') {
        IdentifierType::Email
    } else if looks_like_phone && enabled.contains(&IdentifierType::Phone) {
        IdentifierType::Phone
    } else {
        IdentifierType::Username
    };
    enabled.contains(&guess).then_some(guess)
}

/// Why an identifier can't be sent as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifierProblem {
    Missing,
    /// Not a well-formed value of any enabled type.
    Invalid,
}

/// Checks and normalises what was typed into the identifier field.
/// Phones are sent as digits only, like Logto (`+1 415-555-0123` → `14155550123`).
pub fn parse(input: &str, enabled: &[IdentifierType]) -> Result<Identifier, IdentifierProblem> {
    let value = input.trim();
    if value.is_empty() {
        return Err(IdentifierProblem::Missing);
    }
    let kind = detect(value, enabled).ok_or(IdentifierProblem::Invalid)?;
    let value = match kind {
        IdentifierType::Email if !is_email(value) => return Err(IdentifierProblem::Invalid),
        IdentifierType::Phone => value.chars().filter(char::is_ascii_digit).collect(),
        _ => value.to_owned(),
    };
    Ok(Identifier { kind, value })
}

fn is_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else { return false };
    !local.is_empty()
        && !domain.starts_with('.')
        && domain.contains('.')
        && !domain.ends_with('.')
        && !value.chars().any(char::is_whitespace)
        && !domain.contains('@')
}

/// The first form of `/sign-in`: one form with identifier and password when every usable method is
/// password-only and passkey sign-in is off, else identifier first and the method on the next screen (with
/// passkey sign-in on, an account that has a passkey is offered it after its identifier, as Logto does, even
/// when the passkey button is hidden).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInForm {
    Password {
        identifiers: Vec<IdentifierType>,
    },
    IdentifierFirst {
        identifiers: Vec<IdentifierType>,
    },
    /// No usable sign-in method: only social / SSO buttons (or nothing) remain.
    None,
}

impl SignInForm {
    pub fn for_config(config: &SignInExperience) -> Self {
        let methods: Vec<_> = config.usable_sign_in_methods().collect();
        let identifiers: Vec<_> = methods.iter().map(|m| m.identifier).collect();
        if methods.is_empty() {
            Self::None
        } else if !config.passkey_sign_in.enabled && methods.iter().all(|m| m.password && !m.verification_code) {
            Self::Password { identifiers }
        } else {
            Self::IdentifierFirst { identifiers }
        }
    }

    /// Keeps only the kinds of the landing URL's `identifier` parameter (`/identifier-sign-in`); a parameter
    /// naming none of the configured kinds keeps them all, as Logto does (docs/experience-api.md, Landing URL
    /// parameters).
    pub fn only(self, wanted: &[IdentifierType]) -> Self {
        let keep = |ids| only_wanted(ids, wanted);
        match self {
            Self::Password { identifiers } => Self::Password { identifiers: keep(identifiers) },
            Self::IdentifierFirst { identifiers } => Self::IdentifierFirst { identifiers: keep(identifiers) },
            Self::None => Self::None,
        }
    }

    pub fn identifiers(&self) -> &[IdentifierType] {
        match self {
            Self::Password { identifiers } | Self::IdentifierFirst { identifiers } => identifiers,
            Self::None => &[],
        }
    }
}

/// The kinds named by the landing URL's `identifier` parameter (`"email phone"`); unknown tokens are ignored.
pub fn kinds_from_param(param: Option<&str>) -> Vec<IdentifierType> {
    param
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|token| {
            [IdentifierType::Username, IdentifierType::Email, IdentifierType::Phone]
                .into_iter()
                .find(|k| k.as_str() == token)
        })
        .collect()
}

/// `kinds` narrowed to the `wanted` ones; all of them when none is wanted or none of the wanted is there.
pub fn only_wanted(kinds: Vec<IdentifierType>, wanted: &[IdentifierType]) -> Vec<IdentifierType> {
    let kept: Vec<_> = kinds.iter().copied().filter(|k| wanted.contains(k)).collect();
    if kept.is_empty() {
        kinds
    } else {
        kept
    }
}

/// The phrase key naming one identifier type in a field label.
pub fn label_key(kind: IdentifierType) -> &'static str {
    match kind {
        IdentifierType::Username => "input.username",
        IdentifierType::Email => "input.email",
        IdentifierType::Phone => "input.phone_number",
    }
}

/// The identifier field's `type`: `email` or `tel` when it takes only that kind (the phone keyboard shows `@` or
/// digits), else `text`. One rule for every screen that asks for an identifier.
pub fn input_type(identifiers: &[IdentifierType]) -> &'static str {
    match identifiers {
        [IdentifierType::Email] => "email",
        [IdentifierType::Phone] => "tel",
        _ => "text",
    }
}

/// A valid `autocomplete` token for the identifier field (axe rejects Logto's "username email tel").
pub fn autocomplete(identifiers: &[IdentifierType]) -> &'static str {
    match identifiers {
        [IdentifierType::Email] => "email",
        [IdentifierType::Phone] => "tel",
        _ => "username",
    }
}

/// What an identifier field shows when its screen opens: the identifier the person gave earlier in the visit (kept in
/// the browser's storage, so it survives a trip away from the page that failed, e.g. to enterprise SSO) when the field
/// takes its kind, else the landing URL's `login_hint`, else nothing.
pub fn prefill(earlier: Option<&Identifier>, kinds: &[IdentifierType], login_hint: Option<&str>) -> String {
    earlier
        .filter(|id| kinds.contains(&id.kind))
        .map(|id| id.value.as_str())
        .or(login_hint)
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdentifierType::*;

    #[test]
    fn detection_follows_enabled_types() {
        let all = [Username, Email, Phone];
        assert_eq!(detect("alice", &all), Some(Username));
        assert_eq!(detect("a@b.co", &all), Some(Email));
        assert_eq!(detect("+1 (415) 555-0123", &all), Some(Phone));
        assert_eq!(detect("12345", &[Username]), Some(Username));
        assert_eq!(detect("a@b.co", &[Username]), None);
        assert_eq!(detect("  ", &all), None);
    }

    #[test]
    fn parsing_normalises_and_rejects() {
        let all = [Username, Email, Phone];
        assert_eq!(parse(" alice ", &all), Ok(Identifier { kind: Username, value: "alice".into() }));
        assert_eq!(parse("+1 415-555-0123", &all).unwrap().value, "14155550123");
        assert_eq!(parse("a@b", &all), Err(IdentifierProblem::Invalid));
        assert_eq!(parse("", &all), Err(IdentifierProblem::Missing));
        assert_eq!(parse("a@b.co", &[Username]), Err(IdentifierProblem::Invalid));
    }

    #[test]
    fn prefill_prefers_what_was_typed_when_the_field_takes_it() {
        let email = Identifier { kind: Email, value: "pat@acme.test".into() };
        let phone = Identifier { kind: Phone, value: "14155550123".into() };
        assert_eq!(prefill(Some(&email), &[Email], Some("hint@example.com")), "pat@acme.test");
        assert_eq!(prefill(Some(&phone), &[Email], Some("hint@example.com")), "hint@example.com");
        assert_eq!(prefill(Some(&phone), &[Email], None), "");
        assert_eq!(prefill(None, &[Email, Phone], None), "");
        assert_eq!(prefill(Some(&phone), &[Email, Phone], None), "14155550123");
    }

    #[test]
    fn autocomplete_tokens_are_single_valid_tokens() {
        assert_eq!(autocomplete(&[Username, Email]), "username");
        assert_eq!(autocomplete(&[Email]), "email");
        assert_eq!(input_type(&[Email]), "email");
        assert_eq!(input_type(&[Phone]), "tel");
        assert_eq!(input_type(&[Email, Phone]), "text");
        assert_eq!(autocomplete(&[Phone]), "tel");
    }
}

/// The message for an identifier that can't be sent, naming the accepted kinds ("username or email").
pub fn problem_message(problem: IdentifierProblem, enabled: &[IdentifierType], phrases: &Phrases) -> String {
    let kinds: Vec<String> = enabled.iter().map(|kind| phrases.t(description_key(*kind))).collect();
    let key = match problem {
        IdentifierProblem::Missing => "error.general_required",
        IdentifierProblem::Invalid => "error.general_invalid",
    };
    phrases.t_with(key, &[("types", &phrases.list_or(&kinds))])
}

/// The label of the identifier field: the accepted kinds joined with " / ", as Logto's smart input.
pub fn field_label(enabled: &[IdentifierType], phrases: &Phrases) -> String {
    enabled.iter().map(|kind| phrases.t(label_key(*kind))).collect::<Vec<_>>().join(" / ")
}

/// The phrase key naming one identifier type in running text ("username").
pub fn description_key(kind: IdentifierType) -> &'static str {
    match kind {
        IdentifierType::Username => "description.username",
        IdentifierType::Email => "description.email",
        IdentifierType::Phone => "description.phone_number",
    }
}

/// The screen after the identifier in identifier-first sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstFactor {
    Password,
    VerificationCode,
}

/// Password when it is the method's primary factor or its only one; otherwise a verification code.
pub fn first_factor(config: &SignInExperience, kind: IdentifierType) -> Option<FirstFactor> {
    let method = config.usable_sign_in_methods().find(|m| m.identifier == kind)?;
    if method.password && (method.is_password_primary || !method.verification_code) {
        Some(FirstFactor::Password)
    } else {
        Some(FirstFactor::VerificationCode)
    }
}

/// Whether an enterprise connector may serve this identifier: an email, in a tenant with SSO connectors (the provider
/// names them per domain).
pub fn sso_may_serve(config: &SignInExperience, kind: IdentifierType) -> bool {
    kind == IdentifierType::Email && !config.sso_connectors.is_empty()
}

/// What may follow the identifier on the identifier-first screen, one check after another (docs/experience-api.md,
/// Password sign-in): the first that applies decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterIdentifier {
    /// An email whose domain an enterprise connector serves signs in there.
    SingleSignOn,
    /// An account with passkeys verifies with one; without, the next check follows.
    Passkey,
    /// The password, on its own screen.
    PasswordScreen,
    /// A code, sent now; its screen follows.
    SendCode,
}

/// The checks after the identifier, in order; the last one always applies. `webauthn`: the browser can run a passkey
/// ceremony.
pub fn after_identifier(config: &SignInExperience, kind: IdentifierType, webauthn: bool) -> Vec<AfterIdentifier> {
    let mut checks = Vec::new();
    if sso_may_serve(config, kind) {
        checks.push(AfterIdentifier::SingleSignOn);
    }
    if config.passkey_sign_in.enabled && webauthn {
        checks.push(AfterIdentifier::Passkey);
    }
    checks.push(match first_factor(config, kind) {
        Some(FirstFactor::Password) => AfterIdentifier::PasswordScreen,
        _ => AfterIdentifier::SendCode,
    });
    checks
}

/// The first factors the identifier's sign-in method offers, primary first (`/sign-in/verification-methods`).
pub fn first_factors(config: &SignInExperience, kind: IdentifierType) -> Vec<FirstFactor> {
    let Some(method) = config.usable_sign_in_methods().find(|m| m.identifier == kind) else { return Vec::new() };
    let mut factors = Vec::new();
    if method.password {
        factors.push(FirstFactor::Password);
    }
    if method.verification_code {
        factors.push(FirstFactor::VerificationCode);
    }
    if first_factor(config, kind) == Some(FirstFactor::VerificationCode) {
        factors.reverse();
    }
    factors
}

#[cfg(test)]
mod filter_tests {
    use super::*;
    use IdentifierType::*;

    #[test]
    fn identifier_param_filters_the_form() {
        assert_eq!(kinds_from_param(Some("email  bogus phone")), vec![Email, Phone]);
        assert!(kinds_from_param(None).is_empty());
        let form = SignInForm::IdentifierFirst { identifiers: vec![Username, Email, Phone] };
        assert_eq!(form.clone().only(&[Email]), SignInForm::IdentifierFirst { identifiers: vec![Email] });
        assert_eq!(form.clone().only(&[]), form);
    }
}

#[cfg(test)]
mod message_tests {
    use super::*;
    use crate::i18n::english;
    use IdentifierType::*;

    #[test]
    fn messages_name_the_accepted_kinds() {
        let p = english();
        assert_eq!(problem_message(IdentifierProblem::Missing, &[Username], &p), "Enter your username");
        assert_eq!(
            problem_message(IdentifierProblem::Invalid, &[Username, Email], &p),
            "That username or email doesn't look right"
        );
        assert_eq!(field_label(&[Username, Email], &p), "Username / Email");
    }

    #[test]
    fn first_factor_prefers_primary_password() {
        let config: SignInExperience = serde_json::from_value(serde_json::json!({"signIn": {"methods": [
            {"identifier": "email", "password": true, "verificationCode": true, "isPasswordPrimary": true},
            {"identifier": "phone", "password": false, "verificationCode": true, "isPasswordPrimary": false},
            {"identifier": "username", "password": true, "verificationCode": false, "isPasswordPrimary": false}
        ]}}))
        .unwrap();
        assert_eq!(first_factor(&config, Email), Some(FirstFactor::Password));
        assert_eq!(first_factor(&config, Phone), Some(FirstFactor::VerificationCode));
        assert_eq!(first_factor(&config, Username), Some(FirstFactor::Password));
    }
}

#[cfg(test)]
mod first_factor_tests {
    use super::*;
    use crate::config::SignInMethod;

    fn config(password: bool, verification_code: bool, is_password_primary: bool) -> SignInExperience {
        let mut config = SignInExperience::default();
        config.sign_in.methods =
            vec![SignInMethod { identifier: IdentifierType::Email, password, verification_code, is_password_primary }];
        config
    }

    #[test]
    fn every_factor_of_the_method_primary_first() {
        use FirstFactor::*;
        assert_eq!(first_factors(&config(true, true, true), IdentifierType::Email), [Password, VerificationCode]);
        assert_eq!(first_factors(&config(true, true, false), IdentifierType::Email), [VerificationCode, Password]);
        assert_eq!(first_factors(&config(false, true, false), IdentifierType::Email), [VerificationCode]);
        assert_eq!(first_factors(&config(true, true, true), IdentifierType::Phone), []);
    }
}

#[cfg(test)]
mod after_identifier_tests {
    use super::*;
    use crate::config::{SignInMethod, SsoConnector};
    use AfterIdentifier::*;
    use IdentifierType::*;

    fn config(password_primary: bool, sso: bool, passkey: bool) -> SignInExperience {
        let mut config = SignInExperience::default();
        config.sign_in.methods = [Email, Username]
            .map(|identifier| SignInMethod {
                identifier,
                password: true,
                verification_code: identifier == Email,
                is_password_primary: password_primary,
            })
            .to_vec();
        if sso {
            config.sso_connectors = vec![SsoConnector {
                id: "c".into(),
                connector_name: "Work".into(),
                logo: String::new(),
                dark_logo: None,
            }];
        }
        config.passkey_sign_in.enabled = passkey;
        config
    }

    #[test]
    fn checks_in_order_the_last_always_applies() {
        assert_eq!(after_identifier(&config(true, false, false), Email, true), [PasswordScreen]);
        assert_eq!(after_identifier(&config(false, false, false), Email, true), [SendCode]);
        assert_eq!(after_identifier(&config(false, true, true), Email, true), [SingleSignOn, Passkey, SendCode]);
        // SSO serves emails only; a passkey needs a browser that can.
        assert_eq!(after_identifier(&config(false, true, true), Username, false), [PasswordScreen]);
        // A kind the tenant no longer offers still ends somewhere: the code, as the screen did before.
        assert_eq!(after_identifier(&config(true, false, false), Phone, true), [SendCode]);
    }
}
