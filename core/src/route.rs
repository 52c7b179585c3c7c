//! The page's routes: which screen a path shows, with the values its segments carry. One plain function
//! instead of a table of router entries keeps the decision testable and the WebAssembly small.

use crate::interaction::{CodeFlow, MissingProfile};
use crate::mfa::{MfaFactor, MfaFlow};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    SignIn,
    IdentifierSignIn,
    SignInPassword,
    /// `/sign-in/passkey`: identifier-first passkey sign-in.
    SignInPasskey,
    /// `/sign-in/verification-methods`: every first factor of the chosen identifier.
    VerificationMethods,
    Register,
    IdentifierRegister,
    SetPassword,
    ForgotPassword,
    ForgotPasswordReset,
    VerificationCode(CodeFlow),
    Continue(MissingProfile),
    SingleSignOn,
    SingleSignOnConnectors,
    /// `/callback/:connectorId`: where identity providers return.
    Callback(String),
    /// `/callback/social/:connectorId`: the callback's work.
    SocialCallback(String),
    /// `/social/link/:connectorId`: link a new social identity to the account with its email/phone?
    SocialLink(String),
    /// `/social/landing/:connectorId`: a native app's universal connector starts here (docs/experience-api.md,
    /// Social sign-in).
    SocialLanding(String),
    OneTimeToken,
    OneTimeTokenError,
    /// `/switch-account`: a magic link while another account is signed in.
    SwitchAccount,
    /// `/consent`: a third-party application asks for access.
    Consent,
    /// `/device`: the user code of the OAuth device flow.
    Device,
    /// `/device/success`: the device is signed in.
    DeviceSuccess,
    /// `/mfa-verification[/:factor]`, `/mfa-binding[/:factor]`; no factor: the chooser.
    Mfa(MfaFlow, Option<MfaFactor>),
    MfaOnboarding,
    CreatePasskey,
    UnknownSession,
    AccountSuspended,
    NotFound,
}

/// The screen for a path (without query). A trailing slash is ignored.
pub fn resolve(path: &str) -> Page {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    match segments.as_slice() {
        ["sign-in"] => Page::SignIn,
        ["identifier-sign-in"] => Page::IdentifierSignIn,
        ["sign-in", "password"] => Page::SignInPassword,
        ["sign-in", "passkey"] => Page::SignInPasskey,
        ["sign-in", "verification-methods"] => Page::VerificationMethods,
        ["register"] => Page::Register,
        ["identifier-register"] => Page::IdentifierRegister,
        ["register", "password"] => Page::SetPassword,
        ["forgot-password"] | ["reset-password"] => Page::ForgotPassword,
        ["forgot-password", "reset"] => Page::ForgotPasswordReset,
        [flow, "verification-code"] => CodeFlow::from_segment(flow).map_or(Page::NotFound, Page::VerificationCode),
        ["continue", method] => Page::Continue(MissingProfile::from_code(method)),
        ["single-sign-on"] | ["single-sign-on", "email"] => Page::SingleSignOn,
        ["single-sign-on", "connectors"] => Page::SingleSignOnConnectors,
        ["callback", "social", id] => Page::SocialCallback(decode(id)),
        ["callback", id] => Page::Callback(decode(id)),
        ["social", "link", id] => Page::SocialLink(decode(id)),
        ["social", "landing", id] => Page::SocialLanding(decode(id)),
        ["one-time-token"] => Page::OneTimeToken,
        ["one-time-token", "error"] => Page::OneTimeTokenError,
        ["switch-account"] => Page::SwitchAccount,
        ["consent"] => Page::Consent,
        ["device"] => Page::Device,
        ["device", "success"] => Page::DeviceSuccess,
        ["mfa-verification"] => Page::Mfa(MfaFlow::Verification, None),
        ["mfa-binding"] => Page::Mfa(MfaFlow::Binding, None),
        ["mfa-verification", factor] => {
            MfaFactor::from_segment(factor).map_or(Page::NotFound, |f| Page::Mfa(MfaFlow::Verification, Some(f)))
        }
        ["mfa-binding", factor] => {
            MfaFactor::from_segment(factor).map_or(Page::NotFound, |f| Page::Mfa(MfaFlow::Binding, Some(f)))
        }
        ["mfa-onboarding"] => Page::MfaOnboarding,
        ["create-passkey"] => Page::CreatePasskey,
        ["unknown-session"] => Page::UnknownSession,
        ["account-suspended"] => Page::AccountSuspended,
        _ => Page::NotFound,
    }
}

impl Page {
    /// The page's path, the one [`resolve`] maps back to this page (the canonical one where two paths share a page).
    pub fn path(&self) -> String {
        let fixed = match self {
            Self::SignIn => "/sign-in",
            Self::IdentifierSignIn => "/identifier-sign-in",
            Self::SignInPassword => "/sign-in/password",
            Self::SignInPasskey => "/sign-in/passkey",
            Self::VerificationMethods => "/sign-in/verification-methods",
            Self::Register => "/register",
            Self::IdentifierRegister => "/identifier-register",
            Self::SetPassword => "/register/password",
            Self::ForgotPassword => "/forgot-password",
            Self::ForgotPasswordReset => "/forgot-password/reset",
            Self::VerificationCode(flow) => flow.path(),
            Self::Continue(missing) => missing.path(),
            Self::SingleSignOn => "/single-sign-on/email",
            Self::SingleSignOnConnectors => "/single-sign-on/connectors",
            Self::Callback(id) => return format!("/callback/{}", encode(id)),
            Self::SocialCallback(id) => return format!("/callback/social/{}", encode(id)),
            Self::SocialLink(id) => return format!("/social/link/{}", encode(id)),
            Self::SocialLanding(id) => return format!("/social/landing/{}", encode(id)),
            Self::OneTimeToken => "/one-time-token",
            Self::OneTimeTokenError => "/one-time-token/error",
            Self::SwitchAccount => "/switch-account",
            Self::Consent => "/consent",
            Self::Device => "/device",
            Self::DeviceSuccess => "/device/success",
            Self::Mfa(flow, factor) => {
                let base = match flow {
                    MfaFlow::Binding => "/mfa-binding",
                    MfaFlow::Verification => "/mfa-verification",
                };
                return match factor {
                    Some(factor) => format!("{base}/{}", factor.segment()),
                    None => base.to_owned(),
                };
            }
            Self::MfaOnboarding => "/mfa-onboarding",
            Self::CreatePasskey => "/create-passkey",
            Self::UnknownSession => "/unknown-session",
            Self::AccountSuspended => "/account-suspended",
            Self::NotFound => "/not-found",
        };
        fixed.to_owned()
    }
}

/// A path segment with everything but RFC 3986's unreserved characters percent-encoded.
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn decode(segment: &str) -> String {
    let bytes: Vec<u8> = percent_decode(segment.as_bytes());
    String::from_utf8(bytes).unwrap_or_else(|_| segment.to_owned())
}

fn percent_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (input[i], input.get(i + 1).copied().and_then(hex), input.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_resolves() {
        let cases = [
            ("/sign-in", Page::SignIn),
            ("/sign-in/", Page::SignIn),
            ("/identifier-sign-in", Page::IdentifierSignIn),
            ("/sign-in/password", Page::SignInPassword),
            ("/sign-in/passkey", Page::SignInPasskey),
            ("/sign-in/passkey/", Page::SignInPasskey),
            ("/sign-in/verification-methods", Page::VerificationMethods),
            ("/register", Page::Register),
            ("/identifier-register", Page::IdentifierRegister),
            ("/register/password", Page::SetPassword),
            ("/forgot-password", Page::ForgotPassword),
            ("/reset-password", Page::ForgotPassword),
            ("/forgot-password/reset", Page::ForgotPasswordReset),
            ("/sign-in/verification-code", Page::VerificationCode(CodeFlow::SignIn)),
            ("/continue/verification-code", Page::VerificationCode(CodeFlow::Continue)),
            ("/mfa/verification-code", Page::NotFound),
            ("/continue/username", Page::Continue(MissingProfile::Username)),
            ("/continue/extra-profile", Page::Continue(MissingProfile::ExtraProfile)),
            ("/single-sign-on/email", Page::SingleSignOn),
            ("/single-sign-on/connectors", Page::SingleSignOnConnectors),
            ("/callback/mock%20id", Page::Callback("mock id".into())),
            ("/callback/social/abc", Page::SocialCallback("abc".into())),
            ("/social/link/mock-social", Page::SocialLink("mock-social".into())),
            ("/social/landing/mock-social", Page::SocialLanding("mock-social".into())),
            ("/social/link", Page::NotFound),
            ("/one-time-token", Page::OneTimeToken),
            ("/one-time-token/error", Page::OneTimeTokenError),
            ("/switch-account", Page::SwitchAccount),
            ("/switch-account/x", Page::NotFound),
            ("/consent", Page::Consent),
            ("/device", Page::Device),
            ("/device/success", Page::DeviceSuccess),
            ("/device/nope", Page::NotFound),
            ("/mfa-binding", Page::Mfa(MfaFlow::Binding, None)),
            ("/mfa-verification/Totp", Page::Mfa(MfaFlow::Verification, Some(MfaFactor::Totp))),
            ("/mfa-verification/totp", Page::NotFound),
            ("/mfa-onboarding", Page::MfaOnboarding),
            ("/create-passkey", Page::CreatePasskey),
            ("/unknown-session", Page::UnknownSession),
            ("/account-suspended", Page::AccountSuspended),
            ("/", Page::NotFound),
            ("/nope", Page::NotFound),
        ];
        for (path, page) in cases {
            assert_eq!(resolve(path), page, "{path}");
        }
    }
}
