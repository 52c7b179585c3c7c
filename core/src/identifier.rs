//! What kind of identifier a person typed, and the sign-in form the config calls for.

use crate::api::{Identifier, IdentifierType};
use crate::config::SignInExperience;

/// Guesses the type of `input` among the `enabled` ones, as Logto's smart input does:
/// an `@` means email, digits (with `+`, spaces, dashes, brackets) mean phone, anything else username.
pub fn detect(input: &str, enabled: &[IdentifierType]) -> Option<IdentifierType> {
    let value = input.trim();
    if value.is_empty() {
        return None;
    }
    let looks_like_phone = value.chars().any(|c| c.is_ascii_digit())
        && value.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
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

/// The first form of `/sign-in` (contract §1): one form with identifier and password when every
/// usable method is password-only, else identifier first and the method on the next screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInForm {
    Password { identifiers: Vec<IdentifierType> },
    IdentifierFirst { identifiers: Vec<IdentifierType> },
    /// No usable sign-in method: only social / SSO buttons (or nothing) remain.
    None,
}

impl SignInForm {
    pub fn for_config(config: &SignInExperience) -> Self {
        let methods: Vec<_> = config.usable_sign_in_methods().collect();
        let identifiers: Vec<_> = methods.iter().map(|m| m.identifier).collect();
        if methods.is_empty() {
            Self::None
        } else if methods.iter().all(|m| m.password && !m.verification_code) {
            Self::Password { identifiers }
        } else {
            Self::IdentifierFirst { identifiers }
        }
    }

    pub fn identifiers(&self) -> &[IdentifierType] {
        match self {
            Self::Password { identifiers } | Self::IdentifierFirst { identifiers } => identifiers,
            Self::None => &[],
        }
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

/// A valid `autocomplete` token for the identifier field (axe rejects Logto's "username email tel").
pub fn autocomplete(identifiers: &[IdentifierType]) -> &'static str {
    match identifiers {
        [IdentifierType::Email] => "email",
        [IdentifierType::Phone] => "tel",
        _ => "username",
    }
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
    fn autocomplete_tokens_are_single_valid_tokens() {
        assert_eq!(autocomplete(&[Username, Email]), "username");
        assert_eq!(autocomplete(&[Email]), "email");
        assert_eq!(autocomplete(&[Phone]), "tel");
    }
}
