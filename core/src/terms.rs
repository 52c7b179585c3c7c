//! Where the terms of use must be accepted with a checkbox (`agreeToTermsPolicy`; docs/experience-api.md,
//! Terms policies).

use crate::config::{AgreeToTermsPolicy, SignInExperience};

/// The screens the policy distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermsScreen {
    SignIn,
    Register,
}

/// Automatic: links only. ManualRegistrationOnly: a checkbox on registration. Manual: everywhere.
/// Without any terms link there is nothing to accept.
pub fn needs_acceptance(config: &SignInExperience, screen: TermsScreen) -> bool {
    let has_terms = config.terms_of_use_url.is_some() || config.privacy_policy_url.is_some();
    has_terms
        && match config.agree_to_terms_policy {
            AgreeToTermsPolicy::Automatic => false,
            AgreeToTermsPolicy::ManualRegistrationOnly => screen == TermsScreen::Register,
            AgreeToTermsPolicy::Manual => true,
        }
}

/// When a screen with no form to tick a box on (a magic link, a social/SSO callback) asks for the terms as a
/// question of its own: unless they were `accepted` earlier in the visit, before anything under `Manual`, and
/// before creating an account under `ManualRegistrationOnly` too (docs/experience-api.md, Terms policies).
pub fn asked_without_form(config: &SignInExperience, registering: bool, accepted: bool) -> bool {
    let screen = if registering { TermsScreen::Register } else { TermsScreen::SignIn };
    !accepted && needs_acceptance(config, screen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_table() {
        let mut config = SignInExperience { terms_of_use_url: Some("https://t".into()), ..Default::default() };
        assert!(!needs_acceptance(&config, TermsScreen::Register));
        config.agree_to_terms_policy = AgreeToTermsPolicy::ManualRegistrationOnly;
        assert!(needs_acceptance(&config, TermsScreen::Register));
        assert!(!needs_acceptance(&config, TermsScreen::SignIn));
        config.agree_to_terms_policy = AgreeToTermsPolicy::Manual;
        assert!(needs_acceptance(&config, TermsScreen::SignIn));
        config.terms_of_use_url = None;
        assert!(!needs_acceptance(&config, TermsScreen::SignIn));
    }

    #[test]
    fn asked_without_form_before_sign_in_only_when_manual() {
        let mut config = SignInExperience { privacy_policy_url: Some("https://p".into()), ..Default::default() };
        assert!(!asked_without_form(&config, true, false));
        config.agree_to_terms_policy = AgreeToTermsPolicy::ManualRegistrationOnly;
        assert!(!asked_without_form(&config, false, false));
        assert!(asked_without_form(&config, true, false));
        config.agree_to_terms_policy = AgreeToTermsPolicy::Manual;
        assert!(asked_without_form(&config, false, false));
        // Accepted earlier in the visit: not asked again.
        assert!(!asked_without_form(&config, true, true));
    }
}
