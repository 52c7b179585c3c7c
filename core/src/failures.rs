//! Failures of Experience API calls and what the page does with each: the failure reactions
//! (docs/experience-api.md, Errors and reactions), kept as plain data so tests can read the table.

use crate::api::{ErrorBody, IdentifierType};
use crate::captcha::{self, CaptchaProblem};
use crate::config::SignInExperience;
use crate::interaction::NextStep;
use crate::password_policy::{self, Rejection};
use crate::route::Page;

/// Why a call to the provider failed, as the API client reports it.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The provider answered with Logto's error body.
    Logto { status: u16, body: ErrorBody },
    /// The request never got an answer (offline, provider down, aborted).
    Network,
    /// The answer took longer than the client waits.
    Timeout,
    /// An error status without Logto's error body (e.g. a proxy's 502 page).
    Http { status: u16 },
    /// 429 without Logto's error body (a rate limiter in front of the provider), with its `Retry-After` in seconds.
    TooManyRequests { retry_after: Option<u32> },
    /// A success status whose body is not what the call returns.
    Malformed,
    /// A success answer naming where to go next that the page must not open (`SubmitResponse::destination`).
    UnsafeRedirect,
    /// No captcha token to start the interaction with (docs/experience-api.md, Captcha).
    Captcha(CaptchaProblem),
}

impl ApiFailure {
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Logto { body, .. } => Some(&body.code),
            _ => None,
        }
    }
}

/// Identifier-first passkey sign-in (docs/experience-api.md, Passkey sign-in): whether a failed
/// `sign-in-passkey/authentication {identifier}` means "no passkey to use here", so the page silently goes on with the
/// password or the code. Logto answers `session.mfa.webauthn_verification_not_found`; an unknown account
/// (`user.user_not_exist`, should a provider say so) is left to the password or code step to word.
pub fn passkey_falls_back(failure: &ApiFailure) -> bool {
    matches!(failure.code(), Some("session.mfa.webauthn_verification_not_found" | "user.user_not_exist"))
}

/// Whether the provider refused the password it was asked to check (`verification/password`): Logto answers
/// `session.invalid_credentials` for a wrong password, and for an unknown account so as not to tell them apart. The
/// page then marks the password field as the one to fix.
pub fn password_refused(failure: &ApiFailure) -> bool {
    failure.code() == Some("session.invalid_credentials")
}

/// What the page shows or does after a failed call.
#[derive(Debug, Clone, PartialEq)]
pub enum Reaction {
    /// A message for the whole form (an alert inside it); `text` is the provider's localized message.
    FormMessage { text: String },
    /// A message from our phrases, for failures the provider didn't describe.
    FormPhrase { key: &'static str },
    /// Leave the form for another screen.
    Navigate(Page),
    /// Leave the form for another screen that can finish the job, with a notice (phrase key) saying why.
    Redirect { screen: Page, notice: &'static str },
    /// The provider asks for another step of the flow (profile, new password).
    Next(NextStep),
    /// The provider refused a new password for these reasons (`password.rejected`).
    PasswordRejected(Vec<Rejection>),
    /// Too many requests: try again later, after `retry_after` seconds when the answer said.
    TooManyRequests { retry_after: Option<u32> },
}

/// How "too many attempts" is said: the phrase key and its value, seconds below two minutes, else whole minutes
/// (rounded up), nothing to count without a `Retry-After`.
pub fn too_many_requests_phrase(retry_after: Option<u32>) -> (&'static str, Option<(&'static str, u32)>) {
    match retry_after {
        None | Some(0) => ("error.too_many_requests", None),
        Some(seconds @ 1..120) => ("error.too_many_requests_seconds", Some(("seconds", seconds))),
        Some(seconds) => ("error.too_many_requests_minutes", Some(("minutes", seconds.div_ceil(60)))),
    }
}

/// The most of a provider's message the page shows: a message is a sentence or two, and a hostile or broken one
/// (a 100 KB word) must not freeze the page.
pub const MESSAGE_LIMIT: usize = 300;

/// The provider's message as shown: cut at [`MESSAGE_LIMIT`] characters, with an ellipsis when cut.
fn shown(message: &str) -> String {
    match message.char_indices().nth(MESSAGE_LIMIT) {
        Some((end, _)) => format!("{}…", &message[..end]),
        None => message.to_owned(),
    }
}

/// The reaction to a failed Experience API call where no screen-specific handling applies (Logto's
/// "global" handler, plus the terminal codes and next steps of `identification`/`submit`).
pub fn react(failure: &ApiFailure) -> Reaction {
    match failure {
        ApiFailure::Network => Reaction::FormPhrase { key: "error.network" },
        ApiFailure::Timeout => Reaction::FormPhrase { key: "error.timeout" },
        ApiFailure::Http { .. } | ApiFailure::Malformed => Reaction::FormPhrase { key: "error.unknown" },
        ApiFailure::UnsafeRedirect => Reaction::FormPhrase { key: "error.unsafe_redirect" },
        ApiFailure::TooManyRequests { retry_after } => Reaction::TooManyRequests { retry_after: *retry_after },
        ApiFailure::Captcha(problem) => Reaction::FormPhrase { key: captcha::problem_phrase(*problem) },
        ApiFailure::Logto { body, .. } => match body.code.as_str() {
            // The provider's wording says nothing of what to do: ours asks for the (fresh) challenge.
            "session.captcha_required" => {
                Reaction::FormPhrase { key: captcha::problem_phrase(CaptchaProblem::Unsolved) }
            }
            "session.captcha_failed" => Reaction::FormPhrase { key: captcha::problem_phrase(CaptchaProblem::Failed) },
            "session.not_found" => Reaction::Navigate(Page::UnknownSession),
            "user.suspended" => Reaction::Navigate(Page::AccountSuspended),
            "password.rejected" => {
                let reasons = Rejection::list_from(body.data.as_ref());
                // Reasons we have no words for: the provider's own message says it better (as Logto's page).
                if password_policy::has_message(&reasons) || body.message.trim().is_empty() {
                    Reaction::PasswordRejected(reasons)
                } else {
                    Reaction::FormMessage { text: shown(&body.message) }
                }
            }
            // The provider's "usage limit" wording means nothing to the person: say no code could be sent.
            "connector.usage_limit_exceeded" => Reaction::FormPhrase { key: "error.send_verification_code_failed" },
            code if is_next_step(code) => match NextStep::from_failure(failure) {
                Some(step) => Reaction::Next(step),
                None => Reaction::FormPhrase { key: "error.unsupported_step" },
            },
            _ if body.message.trim().is_empty() => Reaction::FormPhrase { key: "error.unknown" },
            _ => Reaction::FormMessage { text: shown(&body.message) },
        },
    }
}

/// Password sign-in's reading of a failure: an expired password leads to the reset, with a notice, when the
/// tenant offers one; otherwise the provider's message stays on the form (docs/experience-api.md, Errors and
/// reactions).
pub fn password_sign_in_failure(failure: &ApiFailure, config: &SignInExperience) -> Reaction {
    match failure.code() {
        Some("password.expired") if config.forgot_password.any() => {
            Reaction::Redirect { screen: Page::ForgotPassword, notice: "description.password_expired" }
        }
        _ => react(failure),
    }
}

/// Sending a sign-in code: when the provider's connector is over its quota and the identifier can also sign
/// in with a password, go to the password screen with a notice, else show why no code came.
pub fn sign_in_code_failure(failure: &ApiFailure, config: &SignInExperience, kind: IdentifierType) -> Reaction {
    match failure.code() {
        Some("connector.usage_limit_exceeded")
            if config.sign_in.methods.iter().any(|method| method.identifier == kind && method.password) =>
        {
            Reaction::Redirect {
                screen: Page::SignInPassword,
                notice: "error.send_verification_code_failed_use_password",
            }
        }
        _ => react(failure),
    }
}

/// [`react`] on a screen that is not a step of the sign-in (consent): where a sign-in would move to another of its
/// screens, the failure is said in place instead, in the provider's words when it has some.
pub fn react_in_place(failure: &ApiFailure) -> Reaction {
    match react(failure) {
        Reaction::Navigate(_) | Reaction::Redirect { .. } | Reaction::Next(_) => match failure {
            ApiFailure::Logto { body, .. } if !body.message.trim().is_empty() => {
                Reaction::FormMessage { text: body.message.clone() }
            }
            _ => Reaction::FormPhrase { key: "error.unknown" },
        },
        reaction => reaction,
    }
}

/// What the boot-failure screen says when the page could not get its settings: no answer at all (the connection, a
/// timeout), or an answer that is not the settings (an error page, JSON of another shape).
pub fn boot_failure_phrase(failure: &ApiFailure) -> &'static str {
    match failure {
        ApiFailure::Network => "error.network",
        ApiFailure::Timeout => "error.timeout",
        _ => "error.settings_unreadable",
    }
}

/// A screen that loads what it shows with one call (consent): how a failed load ends.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadFailure {
    /// The provider refused access (`oidc.access_denied`).
    Denied,
    /// Any other refusal: there is nothing to load any more (the sign-in has ended).
    Ended,
    /// No usable answer: the screen says why ([`react_in_place`]) and offers to load again.
    Retry(Reaction),
}

pub fn load_failure(failure: &ApiFailure) -> LoadFailure {
    match failure.code() {
        Some("oidc.access_denied") => LoadFailure::Denied,
        _ if failure.is_transient() => LoadFailure::Retry(react_in_place(failure)),
        _ => LoadFailure::Ended,
    }
}

/// A failed call of a sequence that resumes where it stopped (a magic link, docs/experience-api.md, Magic links
/// (one-time tokens); the account a social sign-in makes after the terms): how the screen goes on.
#[derive(Debug, Clone, PartialEq)]
pub enum ResumableFailure {
    /// The provider refused the token itself (used, expired, unknown, another email): the link error page.
    Refused,
    /// No usable answer ([`ApiFailure::is_transient`]): said on the landing ([`react_in_place`]), which tries again
    /// from the failed call (a verified token is not sent again: it is good once).
    Retry(Reaction),
    /// Any other refusal: its usual reaction ([`react`]).
    Refusal(Reaction),
}

/// How a resumable sequence's failed call ends; `verifying_token`: the call was `one-time-token/verify`.
pub fn resumable_failure(failure: &ApiFailure, verifying_token: bool) -> ResumableFailure {
    if failure.is_transient() {
        ResumableFailure::Retry(react_in_place(failure))
    } else if verifying_token {
        ResumableFailure::Refused
    } else {
        ResumableFailure::Refusal(react(failure))
    }
}

/// Codes with which `identification`/`submit` ask the page for a further step (profile, MFA, passkey).
pub fn is_next_step(code: &str) -> bool {
    matches!(
        code,
        "user.missing_profile"
            | "user.missing_mfa"
            | "user.suggest_mfa"
            | "user.passkey_preferred"
            | "session.mfa.require_mfa_verification"
            | "session.mfa.suggest_additional_mfa"
            | "session.mfa.backup_code_required"
            | "user.new_password_required_in_profile"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logto(status: u16, code: &str, message: &str) -> ApiFailure {
        ApiFailure::Logto {
            status,
            body: ErrorBody {
                code: code.into(),
                message: message.into(),
                data: None,
                details: None,
                error: None,
                error_description: None,
            },
        }
    }

    #[test]
    fn password_sign_in_table() {
        let cases = [
            (logto(422, "session.invalid_credentials", "Wrong"), Reaction::FormMessage { text: "Wrong".into() }),
            (logto(400, "session.not_found", "x"), Reaction::Navigate(Page::UnknownSession)),
            (logto(401, "user.suspended", "x"), Reaction::Navigate(Page::AccountSuspended)),
            (logto(422, "user.missing_profile", "x"), Reaction::FormPhrase { key: "error.unsupported_step" }),
            (logto(500, "unknown", " "), Reaction::FormPhrase { key: "error.unknown" }),
            (ApiFailure::Network, Reaction::FormPhrase { key: "error.network" }),
            (ApiFailure::Timeout, Reaction::FormPhrase { key: "error.timeout" }),
            (ApiFailure::Http { status: 502 }, Reaction::FormPhrase { key: "error.unknown" }),
            (
                ApiFailure::TooManyRequests { retry_after: Some(30) },
                Reaction::TooManyRequests { retry_after: Some(30) },
            ),
            (ApiFailure::Malformed, Reaction::FormPhrase { key: "error.unknown" }),
            (ApiFailure::UnsafeRedirect, Reaction::FormPhrase { key: "error.unsafe_redirect" }),
            (logto(422, "session.captcha_required", "x"), Reaction::FormPhrase { key: "error.captcha_required" }),
            (
                logto(422, "session.captcha_failed", "x"),
                Reaction::FormPhrase { key: "error.captcha_verification_failed" },
            ),
            (ApiFailure::Captcha(CaptchaProblem::Unsolved), Reaction::FormPhrase { key: "error.captcha_required" }),
            (
                ApiFailure::Captcha(CaptchaProblem::Failed),
                Reaction::FormPhrase { key: "error.captcha_verification_failed" },
            ),
        ];
        for (failure, expected) in cases {
            assert_eq!(react(&failure), expected, "{failure:?}");
        }
    }

    #[test]
    fn only_invalid_credentials_refuse_the_password() {
        assert!(password_refused(&logto(422, "session.invalid_credentials", "Wrong")));
        for failure in [
            logto(422, "password.expired", "x"),
            logto(401, "user.suspended", "x"),
            logto(400, "session.not_found", "x"),
            ApiFailure::Network,
            ApiFailure::Http { status: 422 },
            ApiFailure::TooManyRequests { retry_after: None },
        ] {
            assert!(!password_refused(&failure), "{failure:?}");
        }
    }

    #[test]
    fn too_many_requests_counts_seconds_then_minutes() {
        assert_eq!(too_many_requests_phrase(None), ("error.too_many_requests", None));
        assert_eq!(too_many_requests_phrase(Some(0)), ("error.too_many_requests", None));
        assert_eq!(too_many_requests_phrase(Some(30)), ("error.too_many_requests_seconds", Some(("seconds", 30))));
        assert_eq!(too_many_requests_phrase(Some(119)), ("error.too_many_requests_seconds", Some(("seconds", 119))));
        assert_eq!(too_many_requests_phrase(Some(120)), ("error.too_many_requests_minutes", Some(("minutes", 2))));
        assert_eq!(too_many_requests_phrase(Some(3601)), ("error.too_many_requests_minutes", Some(("minutes", 61))));
    }

    #[test]
    fn long_messages_are_cut() {
        let huge = "é".repeat(100_000);
        let Reaction::FormMessage { text } = react(&logto(400, "some.code", &huge)) else { panic!("a message") };
        assert_eq!(text.chars().count(), MESSAGE_LIMIT + 1);
        assert!(text.ends_with('…'));
        assert_eq!(react(&logto(400, "some.code", "Short.")), Reaction::FormMessage { text: "Short.".into() });
    }
}

/// What the social/SSO callback does after `identification` failed (docs/experience-api.md, Social sign-in).
#[derive(Debug, Clone, PartialEq)]
pub enum SocialNext {
    /// New identity, no account to link: `interaction-event {Register}` → identification → submit.
    Register,
    /// An account with the same verified email/phone exists and the config links automatically.
    LinkAutomatically,
    /// An account with the same email/phone exists: ask before linking (`/social/link/:id`).
    AskToLink { kind: String, value: String },
    /// Back to `/sign-in` with this reaction shown there.
    BackToSignIn(Reaction),
}

pub fn social_identification(failure: &ApiFailure, config: &crate::config::SignInExperience) -> SocialNext {
    let code = failure.code().unwrap_or("");
    if code != "user.identity_not_exist" && code != "user.sso_identity_not_exist" {
        return SocialNext::BackToSignIn(react(failure));
    }
    let related = match failure {
        ApiFailure::Logto { body, .. } => body
            .data
            .as_ref()
            .and_then(|d| d.get("relatedUser"))
            .and_then(|r| Some((r.get("type")?.as_str()?.to_owned(), r.get("value")?.as_str()?.to_owned()))),
        _ => None,
    };
    match related {
        Some(_) if config.social_sign_in.automatic_account_linking => SocialNext::LinkAutomatically,
        Some((kind, value)) => SocialNext::AskToLink { kind, value },
        None if config.sign_in_mode.allows_register() => SocialNext::Register,
        None => SocialNext::BackToSignIn(Reaction::FormPhrase { key: "error.social_account_not_registered" }),
    }
}

#[cfg(test)]
mod redirect_tests {
    use super::*;
    use crate::config::SignInMethod;
    use serde_json::json;

    fn failure(code: &str) -> ApiFailure {
        let body = serde_json::from_value::<ErrorBody>(json!({"code": code, "message": "m"})).unwrap();
        ApiFailure::Logto { status: 422, body }
    }

    #[test]
    fn expired_password_resets_only_where_the_tenant_allows() {
        let mut config = SignInExperience::default();
        assert_eq!(
            password_sign_in_failure(&failure("password.expired"), &config),
            Reaction::FormMessage { text: "m".into() }
        );
        config.forgot_password.email = true;
        assert_eq!(
            password_sign_in_failure(&failure("password.expired"), &config),
            Reaction::Redirect { screen: Page::ForgotPassword, notice: "description.password_expired" }
        );
        assert_eq!(
            password_sign_in_failure(&failure("session.invalid_credentials"), &config),
            Reaction::FormMessage { text: "m".into() }
        );
    }

    #[test]
    fn code_quota_falls_back_to_the_password_of_the_same_identifier() {
        let mut config = SignInExperience::default();
        config.sign_in.methods = vec![SignInMethod {
            identifier: IdentifierType::Email,
            password: true,
            verification_code: true,
            is_password_primary: false,
        }];
        let over_quota = failure("connector.usage_limit_exceeded");
        assert_eq!(
            sign_in_code_failure(&over_quota, &config, IdentifierType::Email),
            Reaction::Redirect {
                screen: Page::SignInPassword,
                notice: "error.send_verification_code_failed_use_password"
            }
        );
        assert_eq!(
            sign_in_code_failure(&over_quota, &config, IdentifierType::Phone),
            Reaction::FormPhrase { key: "error.send_verification_code_failed" }
        );
    }
}

#[cfg(test)]
mod social_tests {
    use super::*;
    use crate::config::{SignInExperience, SignInMode};
    use serde_json::json;

    fn not_exist(data: serde_json::Value) -> ApiFailure {
        serde_json::from_value::<ErrorBody>(json!({"code": "user.identity_not_exist", "message": "m", "data": data}))
            .map(|body| ApiFailure::Logto { status: 404, body })
            .unwrap()
    }

    #[test]
    fn new_identity_registers_unless_sign_in_only() {
        let mut config = SignInExperience::default();
        assert_eq!(social_identification(&not_exist(json!({})), &config), SocialNext::Register);
        config.sign_in_mode = SignInMode::SignIn;
        assert!(matches!(social_identification(&not_exist(json!({})), &config), SocialNext::BackToSignIn(_)));
    }

    #[test]
    fn related_user_links_by_config_or_asks() {
        let mut config = SignInExperience::default();
        let related = not_exist(json!({"relatedUser": {"type": "email", "value": "erin@example.com"}}));
        assert_eq!(
            social_identification(&related, &config),
            SocialNext::AskToLink { kind: "email".into(), value: "erin@example.com".into() }
        );
        config.social_sign_in.automatic_account_linking = true;
        assert_eq!(social_identification(&related, &config), SocialNext::LinkAutomatically);
    }

    #[test]
    fn other_failures_go_back_to_sign_in() {
        let config = SignInExperience::default();
        assert_eq!(
            social_identification(&ApiFailure::Network, &config),
            SocialNext::BackToSignIn(Reaction::FormPhrase { key: "error.network" })
        );
    }
}

#[cfg(test)]
mod passkey_fallback_tests {
    use super::*;

    fn logto(code: &str) -> ApiFailure {
        ApiFailure::Logto {
            status: 400,
            body: serde_json::from_value(serde_json::json!({"code": code, "message": "m"})).unwrap(),
        }
    }

    #[test]
    fn identifier_passkey_falls_back_only_when_there_is_no_passkey() {
        assert!(passkey_falls_back(&logto("session.mfa.webauthn_verification_not_found")));
        assert!(passkey_falls_back(&logto("user.user_not_exist")));
        assert!(!passkey_falls_back(&logto("session.interaction_not_found")));
        assert!(!passkey_falls_back(&ApiFailure::Network));
        assert!(!passkey_falls_back(&ApiFailure::Timeout));
    }
}

#[cfg(test)]
mod password_rejected_tests {
    use super::*;
    use serde_json::json;

    fn rejected(data: serde_json::Value) -> ApiFailure {
        let body = json!({"code": "password.rejected", "message": "Rejected by the server", "data": data});
        ApiFailure::Logto { status: 422, body: serde_json::from_value(body).unwrap() }
    }

    #[test]
    fn known_reasons_are_kept_and_unknown_ones_use_the_provider_message() {
        let data = json!([{"code": "password_rejected.restricted.sequence"}]);
        assert_eq!(react(&rejected(data.clone())), Reaction::PasswordRejected(Rejection::list_from(Some(&data))));
        assert_eq!(
            react(&rejected(json!([{"code": "password_rejected.from_the_future"}]))),
            Reaction::FormMessage { text: "Rejected by the server".into() }
        );
        assert_eq!(react(&rejected(json!([]))), Reaction::FormMessage { text: "Rejected by the server".into() });
    }
}

impl ApiFailure {
    /// Whether the failure says nothing about what was sent: no answer, a server error, an answer that could not be
    /// read, a rate limit. The provider may well accept the same call again; a refusal (a Logto 4xx) is its verdict.
    pub fn is_transient(&self) -> bool {
        match self {
            // An answer the page would not follow: the same call may well be answered better.
            Self::Network
            | Self::Timeout
            | Self::Http { .. }
            | Self::TooManyRequests { .. }
            | Self::Malformed
            | Self::UnsafeRedirect => true,
            Self::Logto { status, .. } => *status >= 500 || *status == 429,
            // A challenge is good once: the retry solves a fresh one from the start.
            Self::Captcha(_) => false,
        }
    }
}

/// How far a call sequence got past its verification (docs/experience-api.md, Retrying a sequence): the verification
/// id the provider gave and how many of the calls after it succeeded. A retry after a failed later call resumes at
/// that call with the id already held: what was verified (a code, a backup code, an IdP's answer, a passkey's
/// assertion) is good once, so checking it again would fail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    verified: Option<String>,
    done: usize,
}

impl Progress {
    /// The verification id held from an earlier attempt, if any.
    pub fn verified(&self) -> Option<&str> {
        self.verified.as_deref()
    }

    /// Records a successful verification: the calls after it start from the first.
    pub fn verify(&mut self, verification_id: String) {
        *self = Self { verified: Some(verification_id), done: 0 };
    }

    /// Whether the `index`-th call after the verification still has to be made.
    pub fn pending(&self, index: usize) -> bool {
        index >= self.done
    }

    /// Records that the `index`-th call after the verification succeeded.
    pub fn did(&mut self, index: usize) {
        self.done = self.done.max(index + 1);
    }

    /// After a failed call: what succeeded is kept when the failure is [transient](ApiFailure::is_transient); a
    /// refusal starts the sequence over (the provider may have dropped the verification, or the person must change
    /// something first).
    pub fn failed(&mut self, failure: &ApiFailure) {
        if !failure.is_transient() {
            *self = Self::default();
        }
    }
}

#[cfg(test)]
mod progress_tests {
    use super::*;

    fn refusal(status: u16) -> ApiFailure {
        ApiFailure::Logto {
            status,
            body: serde_json::from_value(
                serde_json::json!({"code": "session.verification_session_not_found", "message": ""}),
            )
            .unwrap(),
        }
    }

    #[test]
    fn a_transient_failure_keeps_the_verification_and_the_calls_done() {
        for failure in [
            ApiFailure::Network,
            ApiFailure::Timeout,
            ApiFailure::Malformed,
            ApiFailure::UnsafeRedirect,
            ApiFailure::Http { status: 404 },
            ApiFailure::Http { status: 502 },
            ApiFailure::TooManyRequests { retry_after: Some(3) },
            refusal(500),
            refusal(429),
        ] {
            let mut progress = Progress::default();
            progress.verify("v1".into());
            progress.did(0);
            progress.failed(&failure);
            assert_eq!(progress.verified(), Some("v1"), "{failure:?}");
            assert!(!progress.pending(0) && progress.pending(1), "{failure:?}");
        }
    }

    #[test]
    fn a_refusal_starts_over() {
        for status in [400, 401, 403, 404, 422] {
            let mut progress = Progress::default();
            progress.verify("v1".into());
            progress.failed(&refusal(status));
            assert_eq!(progress, Progress::default(), "{status}");
        }
    }

    #[test]
    fn a_new_verification_restarts_the_later_calls() {
        let mut progress = Progress::default();
        assert!(progress.verified().is_none() && progress.pending(0));
        progress.verify("v1".into());
        progress.did(1);
        progress.did(0);
        assert!(!progress.pending(1) && progress.pending(2));
        progress.verify("v2".into());
        assert_eq!(progress.verified(), Some("v2"));
        assert!(progress.pending(0));
    }
}

#[cfg(test)]
mod in_place_tests {
    use super::*;

    fn logto(code: &str, message: &str) -> ApiFailure {
        let body = serde_json::from_value(serde_json::json!({"code": code, "message": message})).unwrap();
        ApiFailure::Logto { status: 400, body }
    }

    #[test]
    fn a_failure_that_would_change_screens_is_said_in_place() {
        assert_eq!(react(&logto("session.not_found", "Gone.")), Reaction::Navigate(Page::UnknownSession));
        assert_eq!(
            react_in_place(&logto("session.not_found", "Gone.")),
            Reaction::FormMessage { text: "Gone.".into() }
        );
        assert_eq!(react_in_place(&logto("user.suspended", " ")), Reaction::FormPhrase { key: "error.unknown" });
        assert_eq!(react_in_place(&ApiFailure::Network), react(&ApiFailure::Network));
    }

    #[test]
    fn a_failed_load_is_retried_only_when_the_answer_went_missing() {
        let status = |status: u16, code: &str| {
            let body = serde_json::from_value(serde_json::json!({"code": code, "message": ""})).unwrap();
            ApiFailure::Logto { status, body }
        };
        assert_eq!(load_failure(&status(403, "oidc.access_denied")), LoadFailure::Denied);
        assert_eq!(load_failure(&status(400, "session.not_found")), LoadFailure::Ended);
        assert_eq!(load_failure(&status(404, "session.verification_session_not_found")), LoadFailure::Ended);
        for (failure, key) in [
            (ApiFailure::Network, "error.network"),
            (ApiFailure::Timeout, "error.timeout"),
            (ApiFailure::Malformed, "error.unknown"),
            (ApiFailure::Http { status: 500 }, "error.unknown"),
            (status(500, "unknown"), "error.unknown"),
        ] {
            assert_eq!(load_failure(&failure), LoadFailure::Retry(Reaction::FormPhrase { key }), "{failure:?}");
        }
    }

    #[test]
    fn a_magic_link_is_refused_only_by_a_verdict_on_its_token() {
        let logto = |status: u16, code: &str| {
            let body = serde_json::from_value(serde_json::json!({"code": code, "message": "Said."})).unwrap();
            ApiFailure::Logto { status, body }
        };
        for code in ["one_time_token.token_consumed", "one_time_token.token_expired", "one_time_token.email_mismatch"] {
            assert_eq!(resumable_failure(&logto(400, code), true), ResumableFailure::Refused, "{code}");
        }
        assert_eq!(resumable_failure(&logto(404, "one_time_token.token_not_found"), true), ResumableFailure::Refused);
        // An answer that went missing says nothing about the token: the landing tries again.
        for (failure, key) in [
            (ApiFailure::Network, "error.network"),
            (ApiFailure::Timeout, "error.timeout"),
            (ApiFailure::Malformed, "error.unknown"),
            (ApiFailure::Http { status: 404 }, "error.unknown"),
            (ApiFailure::Http { status: 502 }, "error.unknown"),
        ] {
            let retry = ResumableFailure::Retry(Reaction::FormPhrase { key });
            assert_eq!(resumable_failure(&failure, true), retry, "{failure:?}");
            assert_eq!(resumable_failure(&failure, false), retry, "{failure:?}");
        }
        assert_eq!(
            resumable_failure(&ApiFailure::TooManyRequests { retry_after: Some(7) }, true),
            ResumableFailure::Retry(Reaction::TooManyRequests { retry_after: Some(7) })
        );
        // A 5xx in Logto's words is said as it is, never as another screen.
        assert_eq!(
            resumable_failure(&logto(500, "session.not_found"), false),
            ResumableFailure::Retry(Reaction::FormMessage { text: "Said.".into() })
        );
        // Other calls' refusals take their usual course.
        assert_eq!(
            resumable_failure(&logto(400, "session.not_found"), false),
            ResumableFailure::Refusal(Reaction::Navigate(Page::UnknownSession))
        );
        assert_eq!(
            resumable_failure(&logto(422, "some.refusal"), false),
            ResumableFailure::Refusal(Reaction::FormMessage { text: "Said.".into() })
        );
    }

    #[test]
    fn the_boot_failure_names_its_cause() {
        assert_eq!(boot_failure_phrase(&ApiFailure::Network), "error.network");
        assert_eq!(boot_failure_phrase(&ApiFailure::Timeout), "error.timeout");
        for failure in [ApiFailure::Malformed, ApiFailure::Http { status: 502 }] {
            assert_eq!(boot_failure_phrase(&failure), "error.settings_unreadable", "{failure:?}");
        }
    }
}
