//! The submit-time MFA policy engine, in Logto's order: which factors an account has, the verification gate
//! (403 before anything else at SignIn), the binding gate (passkey prompt, optional-MFA prompt, binding,
//! additional-factor suggestion, backup codes) and writing the interaction's bindings onto the account.

use super::err;
use crate::errors::ApiError;
use crate::interactions::Experience;
use crate::state::AppState;
use crate::users::{BackupCode, MfaVerification, User};
use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use sign_in_core::api::{IdentifierType, InteractionEvent};
use sign_in_core::mfa::MfaFactor;

/// Logto's display priority (`sortMfaFactors`).
const ORDER: [MfaFactor; 5] = [
    MfaFactor::WebAuthn,
    MfaFactor::Totp,
    MfaFactor::PhoneVerificationCode,
    MfaFactor::EmailVerificationCode,
    MfaFactor::BackupCode,
];

pub fn sort_factors(mut factors: Vec<MfaFactor>) -> Vec<MfaFactor> {
    factors.sort_by_key(|f| ORDER.iter().position(|o| o == f).unwrap_or(ORDER.len()));
    factors
}

pub(super) struct MfaSettings {
    policy: String,
    factors: Vec<MfaFactor>,
    passkey_sign_in: bool,
}

impl MfaSettings {
    pub(super) fn of(state: &AppState) -> Self {
        let mfa = &state.sie.public()["mfa"];
        Self {
            policy: mfa["policy"].as_str().unwrap_or("UserControlled").to_owned(),
            factors: mfa["factors"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).filter_map(MfaFactor::from_segment).collect())
                .unwrap_or_default(),
            passkey_sign_in: state.sie.typed.passkey_sign_in.enabled,
        }
    }
    pub(super) fn enabled(&self, f: MfaFactor) -> bool {
        self.factors.contains(&f)
    }
    /// `Mandatory` and the adaptive `*Mandatory` policies cannot be skipped.
    pub(super) fn no_skip(&self) -> bool {
        self.policy.ends_with("Mandatory")
    }
    pub(super) fn prompt_only_at_sign_in(&self) -> bool {
        self.policy.starts_with("PromptOnlyAtSignIn")
    }
    /// Factors a person can bind (the policy's set without backup codes), in display order.
    pub(super) fn configured(&self) -> Vec<MfaFactor> {
        sort_factors(self.factors.iter().copied().filter(|f| *f != MfaFactor::BackupCode).collect())
    }
    pub(super) fn can_bind(&self, f: MfaFactor) -> bool {
        self.enabled(f) || (f == MfaFactor::WebAuthn && self.passkey_sign_in)
    }
}

/// The account's usable factors (Logto's `getAllUserEnabledMfaVerifications`): stored ones enabled in the
/// config (WebAuthn first, the rest by last use, backup codes only while one is unused and always last), then
/// e-mail/phone when those factors are on and the account (or this interaction's profile) has the address.
pub(super) fn account_factors(s: &MfaSettings, user: &User, profile: Option<&Map<String, Value>>) -> Vec<MfaFactor> {
    let mut stored: Vec<(MfaFactor, u64)> = Vec::new();
    for v in &user.mfa_verifications {
        let f = v.factor();
        if !s.enabled(f) || (f == MfaFactor::BackupCode && !user.has_unused_backup_code()) {
            continue;
        }
        let used = v.last_used_at().unwrap_or(0);
        match stored.iter_mut().find(|(g, _)| *g == f) {
            Some(e) => e.1 = e.1.max(used),
            None => stored.push((f, used)),
        }
    }
    stored.sort_by(|a, b| {
        let rank = |f: MfaFactor| match f {
            MfaFactor::WebAuthn => 0,
            MfaFactor::BackupCode => 2,
            _ => 1,
        };
        rank(a.0).cmp(&rank(b.0)).then(b.1.cmp(&a.1))
    });
    let mut out: Vec<MfaFactor> = stored.into_iter().map(|(f, _)| f).collect();
    let text = |k: &str| profile.and_then(|p| p.get(k)).and_then(Value::as_str).is_some();
    if s.enabled(MfaFactor::PhoneVerificationCode) && (user.primary_phone.is_some() || text("primaryPhone")) {
        out.push(MfaFactor::PhoneVerificationCode);
    }
    if s.enabled(MfaFactor::EmailVerificationCode) && (user.primary_email.is_some() || text("primaryEmail")) {
        out.push(MfaFactor::EmailVerificationCode);
    }
    // Backup codes stay last.
    out.sort_by_key(|f| *f == MfaFactor::BackupCode);
    out
}

/// Logto's `maskEmail` / `maskPhone`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((name, domain)) if !name.is_empty() => {
            let head: String = if name.chars().count() > 4 { name.chars().take(4).collect() } else { String::new() };
            format!("{head}****@{domain}")
        }
        _ => email.to_owned(),
    }
}

pub fn mask_phone(phone: &str) -> String {
    let n = phone.chars().count();
    if n > 4 {
        format!("****{}", phone.chars().skip(n - 4).collect::<String>())
    } else {
        "****".to_owned()
    }
}

fn masked(user: &User, factors: &[MfaFactor]) -> Value {
    let mut m = Map::new();
    let (email, phone) = (MfaFactor::EmailVerificationCode, MfaFactor::PhoneVerificationCode);
    if factors.contains(&email) {
        if let Some(e) = &user.primary_email {
            m.insert(email.segment().into(), json!(mask_email(e)));
        }
    }
    if factors.contains(&phone) {
        if let Some(p) = &user.primary_phone {
            m.insert(phone.segment().into(), json!(mask_phone(p)));
        }
    }
    Value::Object(m)
}

fn skips_mfa(exp: &Experience) -> bool {
    matches!(exp.mfa.identified_via, Some("SignInPasskey" | "EnterpriseSso"))
}

/// SignIn only, before anything else about the account: a person with factors must verify one
/// (403 `session.mfa.require_mfa_verification`). Passkey and enterprise SSO sign-ins skip this.
pub fn verification_gate(state: &AppState, exp: &Experience, user: &User) -> Result<(), ApiError> {
    if exp.event != InteractionEvent::SignIn || exp.mfa.verified || skips_mfa(exp) {
        return Ok(());
    }
    let factors = account_factors(&MfaSettings::of(state), user, None);
    if factors.is_empty() {
        return Ok(());
    }
    Err(err(StatusCode::FORBIDDEN, "session.mfa.require_mfa_verification")
        .with_data(json!({ "availableFactors": factors, "maskedIdentifiers": masked(user, &factors) })))
}

/// After the profile is complete: passkey prompt, optional-MFA prompt, binding, additional-factor suggestion,
/// backup codes, in that order (the first unmet one answers).
pub fn binding_gate(state: &AppState, exp: &mut Experience, user: &User) -> Result<(), ApiError> {
    if skips_mfa(exp) {
        return Ok(());
    }
    let s = MfaSettings::of(state);
    let register = exp.event == InteractionEvent::Register;
    let m = &exp.mfa;
    if s.passkey_sign_in
        && !m.passkey_skipped.unwrap_or(user.passkey_skipped)
        && m.webauthn.is_empty()
        && user.webauthn().next().is_none()
    {
        return Err(err(StatusCode::UNPROCESSABLE_ENTITY, "user.passkey_preferred"));
    }
    if s.factors.is_empty() || s.policy == "NoPrompt" || (register && s.prompt_only_at_sign_in()) {
        return Ok(());
    }
    // Factors the account has, counting what this interaction bound.
    let mut in_user = account_factors(&s, user, Some(&exp.profile));
    if m.totp.is_some() && !in_user.contains(&MfaFactor::Totp) {
        in_user.push(MfaFactor::Totp);
    }
    if !m.webauthn.is_empty() && !in_user.contains(&MfaFactor::WebAuthn) {
        in_user.push(MfaFactor::WebAuthn);
    }
    let skipped = m.skipped.unwrap_or(user.mfa_skipped);
    if !s.no_skip() {
        if skipped {
            return Ok(());
        }
        match m.enabled.or(user.mfa_enabled) {
            Some(true) => {}
            Some(false) => return Err(suggest_mfa()),
            // Accounts from before the flag: having a factor means MFA is on.
            None if in_user.is_empty() => return Err(suggest_mfa()),
            None => exp.mfa.enabled = Some(true),
        }
    }
    let m = &exp.mfa;
    let configured = s.configured();
    let mut linked = in_user.clone();
    if m.backup_codes.is_some() {
        linked.push(MfaFactor::BackupCode);
    }
    if !configured.iter().any(|f| linked.contains(f)) {
        let mut data = json!({ "availableFactors": configured });
        if !s.no_skip() {
            data["skippable"] = json!(true);
        }
        return Err(err(StatusCode::UNPROCESSABLE_ENTITY, "user.missing_mfa").with_data(data));
    }
    if register && !m.suggestion_skipped {
        suggest_additional(state, &s, exp, user, &in_user, &configured)?;
    }
    let m = &exp.mfa;
    if s.enabled(MfaFactor::BackupCode) && !(user.has_unused_backup_code() || m.backup_codes.is_some()) {
        return Err(err(StatusCode::UNPROCESSABLE_ENTITY, "session.mfa.backup_code_required"));
    }
    Ok(())
}

fn suggest_mfa() -> ApiError {
    err(StatusCode::UNPROCESSABLE_ENTITY, "user.suggest_mfa")
}

/// `session.mfa.suggest_additional_mfa`: someone who registered with only an e-mail/phone (or passkey) factor
/// is offered a second one, once per interaction.
fn suggest_additional(
    state: &AppState,
    s: &MfaSettings,
    exp: &Experience,
    user: &User,
    in_user: &[MfaFactor],
    configured: &[MfaFactor],
) -> Result<(), ApiError> {
    let m = &exp.mfa;
    if m.totp.is_some() || m.backup_codes.is_some() || !m.webauthn.is_empty() {
        return Ok(());
    }
    if !configured.iter().any(|f| !in_user.contains(f)) {
        return Ok(());
    }
    let sign_up = &state.sie.typed.sign_up;
    let registered_by = |k: IdentifierType| {
        sign_up.identifiers.contains(&k)
            || sign_up
                .secondary_identifiers
                .iter()
                .any(|x| x.identifier == k.as_str() || x.identifier == "emailOrPhone")
    };
    if in_user.contains(&MfaFactor::EmailVerificationCode) && !registered_by(IdentifierType::Email) {
        return Ok(());
    }
    if in_user.contains(&MfaFactor::PhoneVerificationCode) && !registered_by(IdentifierType::Phone) {
        return Ok(());
    }
    if in_user.contains(&MfaFactor::Totp)
        || in_user.contains(&MfaFactor::BackupCode)
        || (in_user.contains(&MfaFactor::WebAuthn) && !s.passkey_sign_in)
    {
        return Ok(());
    }
    let mut probe = user.clone();
    if let Some(e) = exp.profile.get("primaryEmail").and_then(Value::as_str) {
        probe.primary_email = Some(e.to_owned());
    }
    if let Some(p) = exp.profile.get("primaryPhone").and_then(Value::as_str) {
        probe.primary_phone = Some(p.to_owned());
    }
    Err(err(StatusCode::UNPROCESSABLE_ENTITY, "session.mfa.suggest_additional_mfa").with_data(json!({
        "availableFactors": configured,
        "maskedIdentifiers": masked(&probe, in_user),
        "isWebAuthnUsedAsSignInPasskey": s.passkey_sign_in && in_user.contains(&MfaFactor::WebAuthn),
        "skippable": true,
        "suggestion": true,
    })))
}

/// Writes this interaction's MFA bindings and choices onto the account (after every gate passed).
pub fn persist(state: &AppState, exp: &Experience, user_id: &str) {
    let m = &exp.mfa;
    let mut users = state.users();
    let Some(u) = users.by_id_mut(user_id) else { return };
    let bound = m.totp.is_some() || !m.webauthn.is_empty() || m.backup_codes.is_some();
    if let Some(secret) = &m.totp {
        u.mfa_verifications.retain(|v| !matches!(v, MfaVerification::Totp { .. }));
        u.mfa_verifications.push(MfaVerification::Totp {
            id: crate::random::verification_id(),
            key: secret.clone(),
            last_used_at: None,
        });
    }
    for c in &m.webauthn {
        if u.webauthn().all(|e| e.credential_id != c.credential_id) {
            u.mfa_verifications.push(MfaVerification::WebAuthn(c.clone()));
        }
    }
    if let Some(codes) = &m.backup_codes {
        u.mfa_verifications.retain(|v| !matches!(v, MfaVerification::BackupCode { .. }));
        u.mfa_verifications.push(MfaVerification::BackupCode {
            id: crate::random::verification_id(),
            codes: codes.iter().map(|c| BackupCode { code: c.clone(), used_at: None }).collect(),
            last_used_at: None,
        });
    }
    if let Some(e) = m.enabled {
        u.mfa_enabled = Some(e);
    } else if bound {
        u.mfa_enabled = Some(true);
    }
    if m.skipped == Some(true) {
        u.mfa_skipped = true;
    }
    if m.passkey_skipped == Some(true) {
        u.passkey_skipped = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experience::test_state;

    fn state(factors: &[&str], policy: &str, passkey_sign_in: bool) -> AppState {
        test_state(json!({
            "mfa": {"factors": factors, "policy": policy},
            "passkeySignIn": {"enabled": passkey_sign_in},
        }))
    }

    fn user(extra: Value) -> User {
        let mut u = json!({"id": "u1", "username": "ana"});
        u.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        serde_json::from_value(u).unwrap()
    }

    fn with_totp() -> User {
        user(json!({"mfaVerifications": [{"type": "Totp", "id": "t1", "key": "JBSWY3DPEHPK3PXP"}]}))
    }

    fn refusal(r: Result<(), ApiError>) -> Option<(u16, String, Option<Value>)> {
        r.err().map(|e| (e.status.as_u16(), e.body.code.clone(), e.body.data.clone()))
    }

    #[test]
    fn verification_gate_asks_for_a_bound_factor_at_sign_in_only() {
        let state = state(&["Totp", "EmailVerificationCode"], "UserControlled", false);
        let ana = user(json!({"primaryEmail": "ana.lopez@example.com"}));
        let mut exp = Experience::new(InteractionEvent::SignIn);
        let (status, code, data) = refusal(verification_gate(&state, &exp, &ana)).unwrap();
        assert_eq!((status, code.as_str()), (403, "session.mfa.require_mfa_verification"));
        assert_eq!(
            data.unwrap(),
            json!({"availableFactors": ["EmailVerificationCode"], "maskedIdentifiers": {"EmailVerificationCode": "ana.****@example.com"}})
        );
        // Verified in this interaction, or identified by a sign-in passkey: through.
        exp.mfa.verified = true;
        assert_eq!(refusal(verification_gate(&state, &exp, &ana)), None);
        let mut passkey = Experience::new(InteractionEvent::SignIn);
        passkey.mfa.identified_via = Some("SignInPasskey");
        assert_eq!(refusal(verification_gate(&state, &passkey, &ana)), None);
        // Register never verifies; an account without factors has nothing to verify.
        assert_eq!(refusal(verification_gate(&state, &Experience::new(InteractionEvent::Register), &ana)), None);
        assert_eq!(
            refusal(verification_gate(&state, &Experience::new(InteractionEvent::SignIn), &user(json!({})))),
            None
        );
    }

    #[test]
    fn account_factors_keep_only_enabled_ones_and_backup_codes_last() {
        let s = MfaSettings::of(&state(&["Totp", "BackupCode"], "UserControlled", false));
        let u = user(json!({"mfaVerifications": [
            {"type": "BackupCode", "id": "b1", "codes": [{"code": "0123456789"}]},
            {"type": "Totp", "id": "t1", "key": "JBSWY3DPEHPK3PXP"},
        ]}));
        assert_eq!(account_factors(&s, &u, None), vec![MfaFactor::Totp, MfaFactor::BackupCode]);
        let used_up = user(json!({"mfaVerifications": [
            {"type": "BackupCode", "id": "b1", "codes": [{"code": "0123456789", "usedAt": 1}]},
        ]}));
        assert!(account_factors(&s, &used_up, None).is_empty());
        let totp_off = MfaSettings::of(&state(&["BackupCode"], "UserControlled", false));
        assert!(account_factors(&totp_off, &with_totp(), None).is_empty());
    }

    #[test]
    fn binding_gate_answers_in_logtos_order() {
        let gate = |state: &AppState, exp: &mut Experience, u: &User| refusal(binding_gate(state, exp, u));
        // Passkey sign-in on and no passkey yet: the passkey prompt comes first.
        let passkeys = state(&[], "NoPrompt", true);
        let (status, c, _) = gate(&passkeys, &mut Experience::new(InteractionEvent::SignIn), &user(json!({}))).unwrap();
        assert_eq!((status, c.as_str()), (422, "user.passkey_preferred"));
        // No factors configured, or NoPrompt: nothing asked.
        let none = state(&[], "UserControlled", false);
        assert_eq!(gate(&none, &mut Experience::new(InteractionEvent::SignIn), &user(json!({}))), None);
        // Optional MFA, never answered, nothing bound: the suggestion.
        let optional = state(&["Totp"], "UserControlled", false);
        let mut exp = Experience::new(InteractionEvent::SignIn);
        assert_eq!(gate(&optional, &mut exp, &user(json!({}))).unwrap().1, "user.suggest_mfa");
        exp.mfa.skipped = Some(true);
        assert_eq!(gate(&optional, &mut exp, &user(json!({}))), None);
        // An older account with a factor counts as MFA on.
        let mut exp = Experience::new(InteractionEvent::SignIn);
        assert_eq!(gate(&optional, &mut exp, &with_totp()), None);
        assert_eq!(exp.mfa.enabled, Some(true));
        // Mandatory: binding is required and not skippable.
        let mandatory = state(&["Totp", "WebAuthn", "BackupCode"], "Mandatory", false);
        let mut exp = Experience::new(InteractionEvent::SignIn);
        exp.mfa.skipped = Some(true);
        let (status, c, data) = gate(&mandatory, &mut exp, &user(json!({}))).unwrap();
        assert_eq!((status, c.as_str()), (422, "user.missing_mfa"));
        assert_eq!(data.unwrap(), json!({"availableFactors": ["WebAuthn", "Totp"]}));
        // Bound TOTP but no backup codes while they are on: backup codes next.
        let mut exp = Experience::new(InteractionEvent::SignIn);
        assert_eq!(gate(&mandatory, &mut exp, &with_totp()).unwrap().1, "session.mfa.backup_code_required");
        exp.mfa.backup_codes = Some(vec!["0123456789".into()]);
        assert_eq!(gate(&mandatory, &mut exp, &with_totp()), None);
        // PromptOnlyAtSignIn asks nothing at registration.
        let at_sign_in = state(&["Totp"], "PromptOnlyAtSignInAndMandatory", false);
        assert_eq!(gate(&at_sign_in, &mut Experience::new(InteractionEvent::Register), &user(json!({}))), None);
    }

    #[test]
    fn masks_and_order() {
        assert_eq!(mask_email("maya53843@example.com"), "maya****@example.com");
        assert_eq!(mask_email("ab@example.com"), "****@example.com");
        assert_eq!(mask_phone("14155550123"), "****0123");
        assert_eq!(
            sort_factors(vec![
                MfaFactor::BackupCode,
                MfaFactor::Totp,
                MfaFactor::EmailVerificationCode,
                MfaFactor::WebAuthn
            ]),
            vec![MfaFactor::WebAuthn, MfaFactor::Totp, MfaFactor::EmailVerificationCode, MfaFactor::BackupCode]
        );
    }
}
