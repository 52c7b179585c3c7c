//! MFA and passkeys: the captured MFA flows and the rich-config prompts replayed step by step (TOTP codes
//! computed from the returned secret, backup codes mapped onto ours), single-use backup codes, e-mail MFA through
//! the outbox, and WebAuthn with a software authenticator (P-256, attestation "none") proving that registration
//! and authentication verify and that a wrong origin, challenge or signature is refused.

mod common;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::replay::{run, ErrorData, Flow, Hooks, Replay, Step};
use common::{repo_root, scratch, Browser, Resp, Server, Setup};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use reference_provider::totp;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

// ---------------------------------------------------------------------------------------------------------------
// Setup

fn rich() -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo_root().join("provider/config/rich.json")).unwrap()).unwrap()
}

/// The capture's MFA_MANDATORY (`sign-in-exp.c-mfa-mandatory.json`): rich with `mfa.policy = Mandatory`.
fn mfa_mandatory() -> Value {
    let mut c = rich();
    c["mfa"] = json!({"factors": ["Totp", "WebAuthn", "BackupCode"], "policy": "Mandatory"});
    c
}

/// The captured users (same ids, names and passwords) plus the seed users.
fn users_file() -> PathBuf {
    let mut users: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join("provider/config/users.json")).unwrap())
            .unwrap();
    for (id, username, name, email, password) in [
        ("h7py298yulwy", "maya53843", "Maya 53843", "maya53843@example.com", "Maya-Passw0rd!x9"),
        ("uqyzx4fjnj3a", "rina53835", "Rina 53835", "rina53835@example.com", "Rina-Passw0rd!x9"),
        ("u0otto00test", "otto", "Otto", "otto@example.com", "Ott0-Passw0rd!x"),
    ] {
        users["users"].as_array_mut().unwrap().push(json!({
            "id": id, "username": username, "name": name, "primaryEmail": email,
            "passwordHash": reference_provider::users::hash_password(password),
        }));
    }
    let path = scratch("mfa-users").join("users.json");
    std::fs::write(&path, users.to_string()).unwrap();
    path
}

async fn start(config: Value) -> Server {
    let path = scratch("mfa-config").join("config.json");
    std::fs::write(&path, config.to_string()).unwrap();
    Server::start_with(Setup { config: path, users: Some(users_file()), ..Setup::default() }).await
}

async fn start_named(name: &str) -> Server {
    Server::start_with(Setup {
        config: repo_root().join("provider/config").join(name),
        users: Some(users_file()),
        ..Setup::default()
    })
    .await
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

fn assert_error(r: &Resp, status: u16, code: &str) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    let body = r.json();
    assert_eq!(body["code"], code, "{body}");
    body
}

async fn sign_in_password(b: &mut Browser, username: &str, password: &str) {
    b.authorize(&[]).await;
    assert_eq!(b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await.status, 204);
    let r = b
        .api(
            "POST",
            "/api/experience/verification/password",
            Some(json!({"identifier": {"type": "username", "value": username}, "password": password})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
    let r = b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await;
    assert_eq!(r.status, 204, "{}", r.text());
}

/// Submits and follows `redirectTo` to the client's callback.
async fn finish(server: &Server, b: &mut Browser) {
    let r = b.api("POST", "/api/experience/submit", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let to = r.json()["redirectTo"].as_str().unwrap().to_owned();
    let r = b.get(&to).await;
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with(&server.redirect_uri()), "{}", r.location());
}

// ---------------------------------------------------------------------------------------------------------------
// Replaying the captures

/// What a replay learnt along the way, shared between the flows of one server.
#[derive(Default)]
struct Memory {
    /// our TOTP secret per (our) verificationId, and the account's bound secret
    secrets: HashMap<String, String>,
    bound_secret: Option<String>,
    /// captured backup code → ours
    backup: HashMap<String, String>,
}

impl Hooks for Memory {
    /// TOTP codes computed from our secrets, backup codes mapped onto ours; notes the secret a flow binds.
    async fn before(&mut self, r: &mut Replay<'_>, step: &mut Step) -> Flow {
        let ok = step.status() == 200;
        let path = step.path.clone();
        let Some(obj) = step.body.as_mut().and_then(Value::as_object_mut) else { return Flow::Send };
        let our_vid = obj.get("verificationId").and_then(Value::as_str).and_then(|v| r.vids.get(v)).cloned();
        let typed = obj.get("code").and_then(Value::as_str).map(str::to_owned);
        match (path.as_str(), typed) {
            ("/api/experience/verification/totp/verify", Some(_)) if ok => {
                let secret = match &our_vid {
                    Some(v) => self.secrets[v].clone(),
                    None => self.bound_secret.clone().expect("a bound secret"),
                };
                obj.insert("code".into(), json!(totp::code_at(&secret, now_secs()).unwrap()));
            }
            ("/api/experience/verification/backup-code/verify", Some(code)) if ok => {
                obj.insert("code".into(), json!(self.backup[&code]));
            }
            ("/api/experience/profile/mfa", _) if obj["type"] == "Totp" => {
                self.bound_secret = Some(self.secrets[our_vid.as_deref().expect("a TOTP verification")].clone());
            }
            _ => {}
        }
        Flow::Send
    }

    /// Checks the shape of new TOTP secrets and backup codes, and remembers them.
    async fn after(&mut self, _: &mut Replay<'_>, step: &Step, resp: &Resp) {
        let ctx = &step.ctx;
        let theirs = &step.expected["body"];
        if !theirs.is_object() || theirs.get("code").is_some() {
            return;
        }
        let ours = resp.json();
        if let (Some(secret), Some(vid)) = (ours["secret"].as_str(), ours["verificationId"].as_str()) {
            assert_eq!(secret.len(), theirs["secret"].as_str().unwrap().len(), "{ctx}: base32 of 160 bits");
            assert!(totp::base32_decode(secret).is_some_and(|k| k.len() == 20));
            let qr = ours["secretQrCode"].as_str().unwrap();
            let svg =
                STANDARD.decode(qr.strip_prefix("data:image/svg+xml;base64,").expect("an image data URL")).unwrap();
            assert!(String::from_utf8(svg).unwrap().starts_with("<?xml"), "{ctx}: an SVG document");
            self.secrets.insert(vid.to_owned(), secret.to_owned());
        }
        if let (Some(t), Some(o)) = (theirs["codes"].as_array(), ours["codes"].as_array()) {
            assert_eq!(o.len(), t.len(), "{ctx}");
            for (t, o) in t.iter().zip(o) {
                let o = o.as_str().unwrap();
                assert!(
                    o.len() == 10 && o.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
                    "{ctx}: {o}"
                );
                self.backup.insert(t.as_str().unwrap().to_owned(), o.to_owned());
            }
        }
    }
}

/// Replays a capture through the common engine (see `common::replay`), with error data compared whole.
async fn replay(server: &Server, file: &str, mem: &mut Memory) {
    let r = run(server, file, ErrorData::Whole, mem).await;
    assert!(r.claims.is_some(), "{file}: someone signed in");
}

#[tokio::test]
async fn mandatory_totp_binding_then_totp_and_backup_code_verification() {
    let server = start(mfa_mandatory()).await;
    let mut mem = Memory::default();
    replay(&server, "flow.mfa.totp-binding.mandatory.json", &mut mem).await;
    replay(&server, "flow.mfa.totp-verification.json", &mut mem).await;
    replay(&server, "flow.mfa.backup-code-verification.json", &mut mem).await;

    // The backup code of the last flow is spent: a second use is refused.
    let used = mem.backup["f1879e0c38"].clone();
    let mut b = server.browser();
    sign_in_password(&mut b, "maya53843", "Maya-Passw0rd!x9").await;
    let r = b.api("POST", "/api/experience/verification/backup-code/verify", Some(json!({"code": used}))).await;
    assert_error(&r, 400, "session.mfa.invalid_backup_code");
    // Another one still works once.
    let other = mem.backup["0d42e1047c"].clone();
    let r = b.api("POST", "/api/experience/verification/backup-code/verify", Some(json!({"code": other}))).await;
    assert_eq!(r.status, 200, "{}", r.text());
    finish(&server, &mut b).await;
    // Mandatory policy: skipping is refused.
    let mut b = server.browser();
    sign_in_password(&mut b, "otto", "Ott0-Passw0rd!x").await;
    assert_error(
        &b.api("POST", "/api/experience/profile/mfa/mfa-skipped", None).await,
        422,
        "session.mfa.mfa_policy_not_user_controlled",
    );
}

#[tokio::test]
async fn rich_config_prompts_are_skipped_once_and_remembered() {
    let server = start_named("rich.json").await;
    let mut mem = Memory::default();
    replay(&server, "flow.password-sign-in.rich-config-prompts.json", &mut mem).await;
    // Both skips were stored on the account: the next sign-in goes straight through.
    let mut b = server.browser();
    b.authorize(&[]).await;
    b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await;
    let r = b.api("POST", "/api/experience/verification/password", Some(json!({"identifier": {"type": "email", "value": "rina53835@example.com"}, "password": "Rina-Passw0rd!x9"}))).await;
    let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
    b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await;
    finish(&server, &mut b).await;
}

#[tokio::test]
async fn rich_config_registration_binds_totp_and_backup_codes() {
    let server = start_named("rich.json").await;
    let mut mem = Memory::default();
    replay(&server, "flow.register.email-code.rich-config.json", &mut mem).await;
    // The new account now has to verify at sign-in.
    let mut b = server.browser();
    sign_in_password(&mut b, "rich53837", "R1ch-Passw0rd!x").await;
    let r = b.api("POST", "/api/experience/submit", None).await;
    let body = assert_error(&r, 403, "session.mfa.require_mfa_verification");
    assert_eq!(body["data"], json!({"availableFactors": ["Totp", "BackupCode"], "maskedIdentifiers": {}}));
    let code = totp::code_at(mem.bound_secret.as_ref().unwrap(), now_secs()).unwrap();
    assert_eq!(
        b.api("POST", "/api/experience/verification/totp/verify", Some(json!({"code": code}))).await.status,
        200
    );
    finish(&server, &mut b).await;
}

#[tokio::test]
async fn totp_secret_needs_an_identified_user_and_backup_codes_cannot_be_alone() {
    let server = start(mfa_mandatory()).await;
    let mut b = server.browser();
    b.authorize(&[]).await;
    b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await;
    assert_error(
        &b.api("POST", "/api/experience/verification/totp/secret", None).await,
        404,
        "session.identifier_not_found",
    );
    sign_in_password(&mut b, "alice", "Al1ce-Passw0rd!x").await;
    let r = b.api("POST", "/api/experience/verification/backup-code/generate", None).await;
    let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
    let r =
        b.api("POST", "/api/experience/profile/mfa", Some(json!({"type": "BackupCode", "verificationId": vid}))).await;
    assert_error(&r, 422, "session.mfa.backup_code_can_not_be_alone");
    // An unverified TOTP secret cannot be bound.
    let r = b.api("POST", "/api/experience/verification/totp/secret", None).await;
    let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
    let r = b.api("POST", "/api/experience/profile/mfa", Some(json!({"type": "Totp", "verificationId": vid}))).await;
    assert_error(&r, 400, "session.verification_failed");
}

#[tokio::test]
async fn email_mfa_code_through_the_outbox() {
    let server = start_named("mfa-email.json").await;
    let mut b = server.browser();
    sign_in_password(&mut b, "maya53843", "Maya-Passw0rd!x9").await;
    let r = b.api("POST", "/api/experience/submit", None).await;
    let body = assert_error(&r, 403, "session.mfa.require_mfa_verification");
    assert_eq!(
        body["data"],
        json!({"availableFactors": ["EmailVerificationCode"], "maskedIdentifiers": {"EmailVerificationCode": "maya****@example.com"}})
    );
    let r = b
        .api("POST", "/api/experience/verification/mfa-verification-code", Some(json!({"identifierType": "email"})))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
    let msg = b.get("/outbox/latest?to=maya53843%40example.com").await.json();
    assert_eq!(msg["template"], "MfaVerification");
    let wrong = if msg["code"] == "000000" { "111111" } else { "000000" };
    let r = b
        .api(
            "POST",
            "/api/experience/verification/mfa-verification-code/verify",
            Some(json!({"verificationId": vid, "code": wrong, "identifierType": "email"})),
        )
        .await;
    assert_error(&r, 400, "verification_code.code_mismatch");
    let r = b
        .api(
            "POST",
            "/api/experience/verification/mfa-verification-code/verify",
            Some(json!({"verificationId": vid, "code": msg["code"], "identifierType": "email"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    // Then the passkey prompt (skipped) and the backup codes the Mandatory policy wants.
    assert_error(&b.api("POST", "/api/experience/submit", None).await, 422, "user.passkey_preferred");
    assert_eq!(b.api("POST", "/api/experience/profile/mfa/passkey-skipped", None).await.status, 204);
    assert_error(&b.api("POST", "/api/experience/submit", None).await, 422, "session.mfa.backup_code_required");
    let r = b.api("POST", "/api/experience/verification/backup-code/generate", None).await;
    let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
    assert_eq!(
        b.api("POST", "/api/experience/profile/mfa", Some(json!({"type": "BackupCode", "verificationId": vid})))
            .await
            .status,
        204
    );
    finish(&server, &mut b).await;
}

#[tokio::test]
async fn mandatory_binding_lists_factors_for_an_account_without_any() {
    let server = start(mfa_mandatory()).await;
    let mut b = server.browser();
    sign_in_password(&mut b, "otto", "Ott0-Passw0rd!x").await;
    assert_eq!(b.api("POST", "/api/experience/profile/mfa/passkey-skipped", None).await.status, 204);
    let body = assert_error(&b.api("POST", "/api/experience/submit", None).await, 422, "user.missing_mfa");
    assert_eq!(body["data"], json!({"availableFactors": ["WebAuthn", "Totp"]}));
    // With e-mail codes as a factor (mfa-email.json), an address on the account already counts as one.
    let server = start_named("mfa-email.json").await;
    let mut b = server.browser();
    sign_in_password(&mut b, "otto", "Ott0-Passw0rd!x").await;
    let body =
        assert_error(&b.api("POST", "/api/experience/submit", None).await, 403, "session.mfa.require_mfa_verification");
    assert_eq!(body["data"]["maskedIdentifiers"], json!({"EmailVerificationCode": "****@example.com"}));
}

#[tokio::test]
async fn optional_policy_suggests_then_lets_the_binding_be_skipped() {
    let server = start_named("rich.json").await;
    let mut b = server.browser();
    sign_in_password(&mut b, "otto", "Ott0-Passw0rd!x").await;
    b.api("POST", "/api/experience/profile/mfa/passkey-skipped", None).await;
    assert_error(&b.api("POST", "/api/experience/submit", None).await, 422, "user.suggest_mfa");
    assert_eq!(b.api("POST", "/api/experience/profile/mfa/mfa-enabled", None).await.status, 204);
    let body = assert_error(&b.api("POST", "/api/experience/submit", None).await, 422, "user.missing_mfa");
    assert_eq!(body["data"], json!({"availableFactors": ["WebAuthn", "Totp"], "skippable": true}));
    assert_eq!(b.api("POST", "/api/experience/profile/mfa/mfa-skipped", None).await.status, 204);
    finish(&server, &mut b).await;
}

// ---------------------------------------------------------------------------------------------------------------
// WebAuthn with a software authenticator

/// Minimal CBOR encoder for the authenticator's structures.
fn cbor_head(major: u8, n: u64, out: &mut Vec<u8>) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if n < 256 {
        out.extend([m | 24, n as u8]);
    } else {
        out.push(m | 25);
        out.extend((n as u16).to_be_bytes());
    }
}
fn cbor_int(i: i64, out: &mut Vec<u8>) {
    if i >= 0 {
        cbor_head(0, i as u64, out)
    } else {
        cbor_head(1, (-1 - i) as u64, out)
    }
}
fn cbor_bytes(b: &[u8], out: &mut Vec<u8>) {
    cbor_head(2, b.len() as u64, out);
    out.extend(b);
}
fn cbor_text(s: &str, out: &mut Vec<u8>) {
    cbor_head(3, s.len() as u64, out);
    out.extend(s.as_bytes());
}

struct Authenticator {
    key: SigningKey,
    credential_id: Vec<u8>,
    counter: u32,
}

impl Authenticator {
    fn new() -> Self {
        Self {
            key: SigningKey::random(&mut rand_core::OsRng),
            credential_id: reference_provider::random::bytes::<16>().to_vec(),
            counter: 0,
        }
    }

    fn cose_key(&self) -> Vec<u8> {
        let point = self.key.verifying_key().to_encoded_point(false);
        let mut out = Vec::new();
        cbor_head(5, 5, &mut out);
        cbor_int(1, &mut out);
        cbor_int(2, &mut out);
        cbor_int(3, &mut out);
        cbor_int(-7, &mut out);
        cbor_int(-1, &mut out);
        cbor_int(1, &mut out);
        cbor_int(-2, &mut out);
        cbor_bytes(point.x().unwrap(), &mut out);
        cbor_int(-3, &mut out);
        cbor_bytes(point.y().unwrap(), &mut out);
        out
    }

    fn client_data(kind: &str, challenge: &str, origin: &str) -> Vec<u8> {
        json!({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": false}).to_string().into_bytes()
    }

    /// `navigator.credentials.create` → the `RegistrationResponseJSON` + `type:"WebAuthn"` the page sends.
    fn create(&self, options: &Value, origin: &str) -> Value {
        let rp_id = options["rp"]["id"].as_str().unwrap();
        let client_data = Self::client_data("webauthn.create", options["challenge"].as_str().unwrap(), origin);
        let mut auth = Sha256::digest(rp_id.as_bytes()).to_vec();
        auth.push(0x45); // UP | UV | AT
        auth.extend(self.counter.to_be_bytes());
        auth.extend([0u8; 16]);
        auth.extend((self.credential_id.len() as u16).to_be_bytes());
        auth.extend(&self.credential_id);
        auth.extend(self.cose_key());
        let mut att = Vec::new();
        cbor_head(5, 3, &mut att);
        cbor_text("fmt", &mut att);
        cbor_text("none", &mut att);
        cbor_text("attStmt", &mut att);
        cbor_head(5, 0, &mut att);
        cbor_text("authData", &mut att);
        cbor_bytes(&auth, &mut att);
        let id = URL_SAFE_NO_PAD.encode(&self.credential_id);
        json!({
            "id": id, "rawId": id, "type": "WebAuthn", "clientExtensionResults": {}, "authenticatorAttachment": "platform",
            "response": {
                "clientDataJSON": URL_SAFE_NO_PAD.encode(&client_data),
                "attestationObject": URL_SAFE_NO_PAD.encode(&att),
                "transports": ["internal"],
            },
        })
    }

    /// `navigator.credentials.get` → the `AuthenticationResponseJSON` + `type:"WebAuthn"`.
    fn get(&mut self, options: &Value, origin: &str, user_id: &str) -> Value {
        self.counter += 1;
        let rp_id = options["rpId"].as_str().unwrap();
        let client_data = Self::client_data("webauthn.get", options["challenge"].as_str().unwrap(), origin);
        let mut auth = Sha256::digest(rp_id.as_bytes()).to_vec();
        auth.push(0x05); // UP | UV
        auth.extend(self.counter.to_be_bytes());
        let mut signed = auth.clone();
        signed.extend(Sha256::digest(&client_data));
        let sig: Signature = self.key.sign(&signed);
        let id = URL_SAFE_NO_PAD.encode(&self.credential_id);
        json!({
            "id": id, "rawId": id, "type": "WebAuthn", "clientExtensionResults": {},
            "response": {
                "clientDataJSON": URL_SAFE_NO_PAD.encode(&client_data),
                "authenticatorData": URL_SAFE_NO_PAD.encode(&auth),
                "signature": URL_SAFE_NO_PAD.encode(sig.to_der().as_bytes()),
                "userHandle": URL_SAFE_NO_PAD.encode(user_id.as_bytes()),
            },
        })
    }
}

#[tokio::test]
async fn webauthn_registration_authentication_and_passkey_sign_in() {
    let server = start(mfa_mandatory()).await;
    let origin = server.origin.clone();
    let mut authn = Authenticator::new();

    // 1. otto: passkey prompt → register a passkey (after refused forgeries) → backup codes → signed in.
    let mut b = server.browser();
    sign_in_password(&mut b, "otto", "Ott0-Passw0rd!x").await;
    assert_error(&b.api("POST", "/api/experience/submit", None).await, 422, "user.passkey_preferred");
    let r = b.api("POST", "/api/experience/verification/web-authn/registration", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    let vid = body["verificationId"].as_str().unwrap().to_owned();
    let opts = &body["registrationOptions"];
    assert_eq!(opts["rp"]["id"], "127.0.0.1");
    assert_eq!(opts["pubKeyCredParams"], json!([{"type": "public-key", "alg": -7}]));
    assert_eq!(opts["user"]["id"], URL_SAFE_NO_PAD.encode("u0otto00test"));
    assert_eq!(URL_SAFE_NO_PAD.decode(opts["challenge"].as_str().unwrap()).unwrap().len(), 32);
    let verify = |payload: Value| json!({"verificationId": vid, "payload": payload});
    let url = "/api/experience/verification/web-authn/registration/verify";
    let wrong_origin = authn.create(opts, "http://evil.example");
    assert_error(
        &b.api("POST", url, Some(verify(wrong_origin))).await,
        400,
        "session.mfa.webauthn_verification_failed",
    );
    let mut other = opts.clone();
    other["challenge"] = json!(URL_SAFE_NO_PAD.encode([7u8; 32]));
    assert_error(
        &b.api("POST", url, Some(verify(authn.create(&other, &origin)))).await,
        400,
        "session.mfa.webauthn_verification_failed",
    );
    let mut other = opts.clone();
    other["rp"]["id"] = json!("example.com");
    assert_error(
        &b.api("POST", url, Some(verify(authn.create(&other, &origin)))).await,
        400,
        "session.mfa.webauthn_verification_failed",
    );
    let r = b.api("POST", url, Some(verify(authn.create(opts, &origin)))).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        b.api("POST", "/api/experience/profile/mfa/passkey", Some(json!({"verificationId": vid}))).await.status,
        204
    );
    assert_error(&b.api("POST", "/api/experience/submit", None).await, 422, "session.mfa.backup_code_required");
    let r = b.api("POST", "/api/experience/verification/backup-code/generate", None).await;
    let bvid = r.json()["verificationId"].as_str().unwrap().to_owned();
    assert_eq!(
        b.api("POST", "/api/experience/profile/mfa", Some(json!({"type": "BackupCode", "verificationId": bvid})))
            .await
            .status,
        204
    );
    finish(&server, &mut b).await;

    // 2. MFA verification with the passkey; a bad signature is refused.
    let mut b = server.browser();
    sign_in_password(&mut b, "otto", "Ott0-Passw0rd!x").await;
    let body =
        assert_error(&b.api("POST", "/api/experience/submit", None).await, 403, "session.mfa.require_mfa_verification");
    assert_eq!(body["data"]["availableFactors"], json!(["WebAuthn", "BackupCode"]));
    let r = b.api("POST", "/api/experience/verification/web-authn/authentication", None).await;
    let body = r.json();
    let vid = body["verificationId"].as_str().unwrap().to_owned();
    let opts = body["authenticationOptions"].clone();
    assert_eq!(opts["allowCredentials"][0]["id"], URL_SAFE_NO_PAD.encode(&authn.credential_id));
    let url = "/api/experience/verification/web-authn/authentication/verify";
    let mut forged = authn.get(&opts, &origin, "u0otto00test");
    let mut sig = URL_SAFE_NO_PAD.decode(forged["response"]["signature"].as_str().unwrap()).unwrap();
    let last = sig.len() - 1;
    sig[last] ^= 1;
    forged["response"]["signature"] = json!(URL_SAFE_NO_PAD.encode(&sig));
    assert_error(
        &b.api("POST", url, Some(json!({"verificationId": vid, "payload": forged}))).await,
        400,
        "session.mfa.webauthn_verification_failed",
    );
    let wrong_origin = authn.get(&opts, "http://evil.example", "u0otto00test");
    assert_error(
        &b.api("POST", url, Some(json!({"verificationId": vid, "payload": wrong_origin}))).await,
        400,
        "session.mfa.webauthn_verification_failed",
    );
    let good = authn.get(&opts, &origin, "u0otto00test");
    let r = b.api("POST", url, Some(json!({"verificationId": vid, "payload": good.clone()}))).await;
    assert_eq!(r.status, 200, "{}", r.text());
    // Replaying the same assertion (same sign count) is refused.
    assert_error(
        &b.api("POST", url, Some(json!({"verificationId": vid, "payload": good}))).await,
        400,
        "session.mfa.webauthn_verification_failed",
    );
    finish(&server, &mut b).await;

    // 3. Discoverable passkey sign-in: preflight before the PUT, no MFA afterwards.
    let mut b = server.browser();
    b.authorize(&[]).await;
    let r = b.api("POST", "/api/experience/preflight/sign-in-passkey/authentication", None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let opts = r.json()["authenticationOptions"].clone();
    assert_eq!(opts["allowCredentials"], json!([]));
    b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await;
    let r = b
        .api(
            "POST",
            "/api/experience/verification/sign-in-passkey/authentication/verify",
            Some(json!({"payload": authn.get(&opts, &origin, "u0otto00test")})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
    assert_eq!(b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await.status, 204);
    finish(&server, &mut b).await;

    // 4. Identifier-first passkey sign-in; accounts without passkeys get webauthn_verification_not_found.
    let mut b = server.browser();
    b.authorize(&[]).await;
    b.api("PUT", "/api/experience", Some(json!({"interactionEvent": "SignIn"}))).await;
    let url = "/api/experience/verification/sign-in-passkey/authentication";
    let r = b.api("POST", url, Some(json!({"identifier": {"type": "username", "value": "erin"}}))).await;
    assert_error(&r, 400, "session.mfa.webauthn_verification_not_found");
    let r = b.api("POST", url, Some(json!({"identifier": {"type": "username", "value": "otto"}}))).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    let vid = body["verificationId"].as_str().unwrap().to_owned();
    let payload = authn.get(&body["authenticationOptions"], &origin, "u0otto00test");
    let r = b
        .api(
            "POST",
            "/api/experience/verification/sign-in-passkey/authentication/verify",
            Some(json!({"verificationId": vid, "payload": payload})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(b.api("POST", "/api/experience/identification", Some(json!({"verificationId": vid}))).await.status, 204);
    finish(&server, &mut b).await;
}

// ---------------------------------------------------------------------------------------------------------------
// Attempt limits

/// A well-known example secret, bound as tess's authenticator app.
const TESS_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const TESS_BACKUP: [&str; 3] = ["aaaa000001", "aaaa000002", "aaaa000003"];

/// A server on `config` whose users include tess, with an authenticator app and backup codes already bound.
async fn start_with_tess(config: Value) -> Server {
    let path = users_file();
    let mut users: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    users["users"].as_array_mut().unwrap().push(json!({
        "id": "u0tess00mfa1", "username": "tess", "primaryEmail": "tess@example.com",
        "passwordHash": reference_provider::users::hash_password("Te55-Passw0rd!x"),
        "mfaEnabled": true,
        "mfaVerifications": [
            {"type": "Totp", "id": "tessTotp0001", "key": TESS_SECRET},
            {"type": "BackupCode", "id": "tessBackup01", "codes": TESS_BACKUP.iter().map(|c| json!({"code": c})).collect::<Vec<_>>()},
        ],
    }));
    std::fs::write(&path, users.to_string()).unwrap();
    let config_path = scratch("mfa-limit-config").join("config.json");
    std::fs::write(&config_path, config.to_string()).unwrap();
    Server::start_with(Setup { config: config_path, users: Some(path), ..Setup::default() }).await
}

/// A six-digit code that is not valid for `secret` anywhere near `at`.
fn wrong_totp(secret: &str, at: u64) -> String {
    let near: Vec<String> = (0..=8).map(|i| totp::code_at(secret, at - 120 + i * 30).unwrap()).collect();
    (0..).map(|n| format!("{n:06}")).find(|c| !near.contains(c)).unwrap()
}

async fn totp_verify(b: &mut Browser, body: Value) -> Resp {
    b.api("POST", "/api/experience/verification/totp/verify", Some(body)).await
}

async fn backup_verify(b: &mut Browser, code: &str) -> Resp {
    b.api("POST", "/api/experience/verification/backup-code/verify", Some(json!({"code": code}))).await
}

#[tokio::test]
async fn totp_and_backup_code_attempts_are_limited_per_account() {
    const BLOCKED: &str = "session.verification_blocked_too_many_attempts";
    let mut config = mfa_mandatory();
    config["sentinelPolicy"] = json!({"maxAttempts": 3, "lockoutDuration": 1});
    let server = start_with_tess(config).await;
    let mut b = server.browser();
    sign_in_password(&mut b, "tess", "Te55-Passw0rd!x").await;
    assert_error(&b.api("POST", "/api/experience/submit", None).await, 403, "session.mfa.require_mfa_verification");

    // TOTP: three wrong codes, then even the right one is refused.
    for _ in 0..3 {
        let r = totp_verify(&mut b, json!({"code": wrong_totp(TESS_SECRET, now_secs())})).await;
        assert_error(&r, 400, "session.mfa.invalid_totp_code");
    }
    let right = totp::code_at(TESS_SECRET, now_secs()).unwrap();
    assert_error(&totp_verify(&mut b, json!({"code": right})).await, 400, BLOCKED);
    // The lock is the account's, not the interaction's: a new sign-in (the password pool is apart) is refused too,
    // and so is the binding of a new secret.
    let mut other = server.browser();
    sign_in_password(&mut other, "tess", "Te55-Passw0rd!x").await;
    let right = totp::code_at(TESS_SECRET, now_secs()).unwrap();
    assert_error(&totp_verify(&mut other, json!({"code": right})).await, 400, BLOCKED);
    let r = other.api("POST", "/api/experience/verification/totp/secret", None).await;
    let (vid, secret) = (r.json()["verificationId"].clone(), r.json()["secret"].as_str().unwrap().to_owned());
    let code = totp::code_at(&secret, now_secs()).unwrap();
    assert_error(&totp_verify(&mut other, json!({"code": code, "verificationId": vid})).await, 400, BLOCKED);
    assert_error(&other.api("POST", "/api/experience/submit", None).await, 403, "session.mfa.require_mfa_verification");

    // Backup codes have their own count.
    for wrong in ["ffff000001", "ffff000002", "ffff000003"] {
        assert_error(&backup_verify(&mut b, wrong).await, 400, "session.mfa.invalid_backup_code");
    }
    assert_error(&backup_verify(&mut b, TESS_BACKUP[0]).await, 400, BLOCKED);

    // The lockout ends (lockoutDuration is in minutes); the right codes work again.
    server.state.advance_clock(std::time::Duration::from_secs(120));
    let right = totp::code_at(TESS_SECRET, now_secs() + 120).unwrap();
    assert_eq!(totp_verify(&mut b, json!({"code": right})).await.status, 200);
    assert_eq!(backup_verify(&mut b, TESS_BACKUP[0]).await.status, 200);
}

#[tokio::test]
async fn a_right_totp_code_clears_the_count() {
    let mut config = mfa_mandatory();
    config["sentinelPolicy"] = json!({"maxAttempts": 3});
    let server = start_with_tess(config).await;
    let mut b = server.browser();
    sign_in_password(&mut b, "tess", "Te55-Passw0rd!x").await;
    for round in 0..3 {
        for _ in 0..2 {
            let r = totp_verify(&mut b, json!({"code": wrong_totp(TESS_SECRET, now_secs())})).await;
            assert_error(&r, 400, "session.mfa.invalid_totp_code");
        }
        let right = totp::code_at(TESS_SECRET, now_secs()).unwrap();
        assert_eq!(totp_verify(&mut b, json!({"code": right})).await.status, 200, "round {round}");
    }
}

#[tokio::test]
async fn email_mfa_codes_have_their_own_try_limit() {
    let mut config: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join("provider/config/mfa-email.json")).unwrap())
            .unwrap();
    config["verificationCodePolicy"] = json!({"maxRetryAttempts": 2});
    let server = start(config).await;
    let mut b = server.browser();
    sign_in_password(&mut b, "maya53843", "Maya-Passw0rd!x9").await;
    let r = b
        .api("POST", "/api/experience/verification/mfa-verification-code", Some(json!({"identifierType": "email"})))
        .await;
    let vid = r.json()["verificationId"].as_str().unwrap().to_owned();
    let code = b.get("/outbox/latest?to=maya53843%40example.com").await.json()["code"].as_str().unwrap().to_owned();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let verify = |code: &str| json!({"verificationId": vid, "code": code, "identifierType": "email"});
    let path = "/api/experience/verification/mfa-verification-code/verify";
    for _ in 0..2 {
        assert_error(&b.api("POST", path, Some(verify(wrong))).await, 400, "verification_code.code_mismatch");
    }
    assert_error(&b.api("POST", path, Some(verify(&code))).await, 400, "verification_code.exceed_max_try");
}

/// `POST /admin/users` with `totpSecret` and `backupCodes`: the account signs in with either factor (a browser test's
/// ready-made MFA account).
#[tokio::test]
async fn admin_users_binds_totp_and_backup_codes() {
    const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let server = start(mfa_mandatory()).await;
    let mut b = server.browser();
    let add = json!({"username": "ready_mfa", "primaryEmail": "ready_mfa@example.com", "password": "R3ady-Passw0rd!x", "totpSecret": SECRET,
        "backupCodes": ["aaaa000001", "aaaa000002"]});
    assert_eq!(b.api("POST", "/admin/users", Some(add)).await.status, 201);
    let bad = json!({"username": "bad_mfa", "backupCodes": [1]});
    assert_error(&b.api("POST", "/admin/users", Some(bad)).await, 400, "guard.invalid_input");

    sign_in_password(&mut b, "ready_mfa", "R3ady-Passw0rd!x").await;
    let body =
        assert_error(&b.api("POST", "/api/experience/submit", None).await, 403, "session.mfa.require_mfa_verification");
    assert_eq!(body["data"]["availableFactors"], json!(["Totp", "BackupCode"]), "{body}");
    assert_eq!(backup_verify(&mut b, "aaaa000002").await.status, 200);
    // The rich config then offers a passkey: declined (and remembered for the next sign-in).
    assert_error(&b.api("POST", "/api/experience/submit", None).await, 422, "user.passkey_preferred");
    assert_eq!(b.api("POST", "/api/experience/profile/mfa/passkey-skipped", None).await.status, 204);
    finish(&server, &mut b).await;

    let mut again = server.browser();
    sign_in_password(&mut again, "ready_mfa", "R3ady-Passw0rd!x").await;
    let code = totp::code_at(SECRET, now_secs()).unwrap();
    assert_eq!(totp_verify(&mut again, json!({"code": code})).await.status, 200);
    finish(&server, &mut again).await;
}
