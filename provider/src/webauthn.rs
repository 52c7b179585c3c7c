//! WebAuthn (Level 2) registration and authentication checks for ES256 credentials, written against the
//! spec with RustCrypto `p256` and a small CBOR reader (no system OpenSSL). Attestation formats: `none`
//! and `packed` self-attestation (anything with a certificate chain is refused: the options ask for `none`).
//!
//! JSON shapes are `@simplewebauthn/browser` v10's (`RegistrationResponseJSON`, `AuthenticationResponseJSON`),
//! with every binary field base64url without padding.

use crate::users::WebAuthnCredential;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sign_in_core::mfa::MfaFactor;

pub const TIMEOUT_MS: u64 = 60_000;
const FLAG_UP: u8 = 0x01;
const FLAG_UV: u8 = 0x04;
const FLAG_AT: u8 = 0x40;

/// What a ceremony must match: the random challenge, the relying party id and the page origin(s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// base64url.
    pub challenge: String,
    pub rp_id: String,
    pub origins: Vec<String>,
}

impl Challenge {
    /// A fresh challenge for a request that reached us as `host` (the `Host` header; rpId = its hostname).
    pub fn new(host: &str, origin: &str) -> Self {
        let rp_id = hostname(host);
        let mut origins = vec![format!("http://{host}"), format!("https://{host}")];
        if !origins.iter().any(|o| o == origin) {
            origins.push(origin.to_owned());
        }
        Self { challenge: URL_SAFE_NO_PAD.encode(crate::random::bytes::<32>()), rp_id, origins }
    }
}

/// `host[:port]` or `[v6]:port` → the hostname.
pub fn hostname(host: &str) -> String {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default().to_owned();
    }
    host.rsplit_once(':').filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit())).map_or(host, |(h, _)| h).to_owned()
}

/// Why a ceremony was refused (for logs and tests; the API answers one error code for all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub &'static str);

type Check<T> = Result<T, Refused>;

fn b64(v: &Value, what: &'static str) -> Check<Vec<u8>> {
    v.as_str().and_then(|s| URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()).ok_or(Refused(what))
}

// --- CBOR (RFC 8949), the subset attestation objects and COSE keys use -------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub enum Cbor {
    Int(i128),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Cbor>),
    Map(Vec<(Cbor, Cbor)>),
    Bool(bool),
    Null,
}

impl Cbor {
    pub fn get(&self, key: &Cbor) -> Option<&Cbor> {
        match self {
            Cbor::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub fn text_key(&self, key: &str) -> Option<&Cbor> {
        self.get(&Cbor::Text(key.to_owned()))
    }
    pub fn int_key(&self, key: i128) -> Option<&Cbor> {
        self.get(&Cbor::Int(key))
    }
    pub fn bytes(&self) -> Option<&[u8]> {
        if let Cbor::Bytes(b) = self {
            Some(b)
        } else {
            None
        }
    }
    pub fn int(&self) -> Option<i128> {
        if let Cbor::Int(i) = self {
            Some(*i)
        } else {
            None
        }
    }
}

/// Decodes one item from the front of `input`; returns it and the rest.
pub fn cbor_decode(input: &[u8]) -> Check<(Cbor, &[u8])> {
    cbor_item(input, 0)
}

fn cbor_item(input: &[u8], depth: u32) -> Check<(Cbor, &[u8])> {
    const BAD: Refused = Refused("malformed CBOR");
    if depth > 16 {
        return Err(BAD);
    }
    let (&first, rest) = input.split_first().ok_or(BAD)?;
    let (major, info) = (first >> 5, first & 0x1f);
    let (arg, mut rest) = match info {
        0..=23 => (u64::from(info), rest),
        24..=27 => {
            let n = 1usize << (info - 24);
            if rest.len() < n {
                return Err(BAD);
            }
            let v = rest[..n].iter().fold(0u64, |a, b| (a << 8) | u64::from(*b));
            (v, &rest[n..])
        }
        _ => return Err(BAD), // indefinite lengths and reserved values are not used here
    };
    let len = |n: u64, rest: &[u8]| -> Check<usize> { usize::try_from(n).ok().filter(|n| *n <= rest.len()).ok_or(BAD) };
    Ok(match major {
        0 => (Cbor::Int(i128::from(arg)), rest),
        1 => (Cbor::Int(-1 - i128::from(arg)), rest),
        2 => {
            let n = len(arg, rest)?;
            (Cbor::Bytes(rest[..n].to_vec()), &rest[n..])
        }
        3 => {
            let n = len(arg, rest)?;
            (Cbor::Text(String::from_utf8(rest[..n].to_vec()).map_err(|_| BAD)?), &rest[n..])
        }
        4 => {
            let mut items = Vec::new();
            for _ in 0..arg.min(1024) {
                let (item, r) = cbor_item(rest, depth + 1)?;
                items.push(item);
                rest = r;
            }
            (Cbor::Array(items), rest)
        }
        5 => {
            let mut items = Vec::new();
            for _ in 0..arg.min(1024) {
                let (k, r) = cbor_item(rest, depth + 1)?;
                let (v, r) = cbor_item(r, depth + 1)?;
                items.push((k, v));
                rest = r;
            }
            (Cbor::Map(items), rest)
        }
        7 => match info {
            20 => (Cbor::Bool(false), rest),
            21 => (Cbor::Bool(true), rest),
            22 | 23 => (Cbor::Null, rest),
            _ => return Err(BAD),
        },
        _ => return Err(BAD), // tags are not used in WebAuthn structures
    })
}

// --- Authenticator data --------------------------------------------------------------------------------

pub struct AuthData<'a> {
    pub rp_id_hash: &'a [u8],
    pub flags: u8,
    pub sign_count: u32,
    /// (credential id, COSE public key) when the AT flag is set.
    pub attested: Option<(Vec<u8>, Cbor)>,
}

pub fn parse_auth_data(data: &[u8]) -> Check<AuthData<'_>> {
    if data.len() < 37 {
        return Err(Refused("authenticator data too short"));
    }
    let flags = data[32];
    let sign_count = u32::from_be_bytes([data[33], data[34], data[35], data[36]]);
    let attested = if flags & FLAG_AT != 0 {
        let rest = &data[37..];
        if rest.len() < 18 {
            return Err(Refused("attested credential data too short"));
        }
        let id_len = usize::from(u16::from_be_bytes([rest[16], rest[17]]));
        let rest = &rest[18..];
        if rest.len() < id_len {
            return Err(Refused("credential id truncated"));
        }
        let (key, _) = cbor_decode(&rest[id_len..])?;
        Some((rest[..id_len].to_vec(), key))
    } else {
        None
    };
    Ok(AuthData { rp_id_hash: &data[..32], flags, sign_count, attested })
}

/// A COSE_Key (EC2, P-256, ES256) → SEC1 uncompressed point.
pub fn cose_to_sec1(key: &Cbor) -> Check<Vec<u8>> {
    let bad = Refused("unsupported public key (ES256 / P-256 only)");
    if key.int_key(1).and_then(Cbor::int) != Some(2)
        || key.int_key(3).and_then(Cbor::int) != Some(-7)
        || key.int_key(-1).and_then(Cbor::int) != Some(1)
    {
        return Err(bad);
    }
    let x = key.int_key(-2).and_then(Cbor::bytes).filter(|b| b.len() == 32).ok_or(bad.clone())?;
    let y = key.int_key(-3).and_then(Cbor::bytes).filter(|b| b.len() == 32).ok_or(bad.clone())?;
    let mut point = vec![4u8];
    point.extend_from_slice(x);
    point.extend_from_slice(y);
    VerifyingKey::from_sec1_bytes(&point).map_err(|_| bad)?;
    Ok(point)
}

fn check_client_data(raw: &[u8], kind: &str, expected: &Challenge) -> Check<()> {
    let cd: Value = serde_json::from_slice(raw).map_err(|_| Refused("clientDataJSON is not JSON"))?;
    if cd["type"] != kind {
        return Err(Refused("wrong ceremony type"));
    }
    if cd["challenge"].as_str() != Some(expected.challenge.as_str()) {
        return Err(Refused("challenge mismatch"));
    }
    let origin = cd["origin"].as_str().unwrap_or_default();
    if !expected.origins.iter().any(|o| o == origin) {
        return Err(Refused("origin mismatch"));
    }
    Ok(())
}

fn check_rp(auth: &AuthData, expected: &Challenge, require_uv: bool) -> Check<()> {
    if auth.rp_id_hash != Sha256::digest(expected.rp_id.as_bytes()).as_slice() {
        return Err(Refused("rpIdHash mismatch"));
    }
    if auth.flags & FLAG_UP == 0 {
        return Err(Refused("user not present"));
    }
    if require_uv && auth.flags & FLAG_UV == 0 {
        return Err(Refused("user not verified"));
    }
    Ok(())
}

fn verify_sig(sec1: &[u8], auth_data: &[u8], client_data: &[u8], der: &[u8]) -> Check<()> {
    let key = VerifyingKey::from_sec1_bytes(sec1).map_err(|_| Refused("bad stored key"))?;
    let sig = Signature::from_der(der).map_err(|_| Refused("signature is not DER ECDSA"))?;
    let mut signed = auth_data.to_vec();
    signed.extend_from_slice(&Sha256::digest(client_data));
    key.verify(&signed, &sig).map_err(|_| Refused("bad signature"))
}

/// The part of the payload both ceremonies share: `id` = `rawId` (base64url) and `response`.
fn credential_id(payload: &Value) -> Check<Vec<u8>> {
    let id = b64(&payload["id"], "id is not base64url")?;
    if payload.get("rawId").is_some() && b64(&payload["rawId"], "rawId is not base64url")? != id {
        return Err(Refused("id and rawId differ"));
    }
    let kind = payload["type"].as_str();
    if !(kind == Some(MfaFactor::WebAuthn.segment()) || kind == Some("public-key")) {
        return Err(Refused("type must be WebAuthn"));
    }
    Ok(id)
}

/// Checks a `RegistrationResponseJSON` (+ `type:"WebAuthn"`) against the challenge; returns the new credential.
pub fn verify_registration(payload: &Value, expected: &Challenge) -> Check<WebAuthnCredential> {
    let id = credential_id(payload)?;
    let client_data = b64(&payload["response"]["clientDataJSON"], "clientDataJSON missing")?;
    check_client_data(&client_data, "webauthn.create", expected)?;
    let att_raw = b64(&payload["response"]["attestationObject"], "attestationObject missing")?;
    let (att, _) = cbor_decode(&att_raw)?;
    let auth_raw = att.text_key("authData").and_then(Cbor::bytes).ok_or(Refused("authData missing"))?;
    let auth = parse_auth_data(auth_raw)?;
    check_rp(&auth, expected, false)?;
    let (cred_id, cose) = auth.attested.as_ref().ok_or(Refused("no attested credential"))?;
    if *cred_id != id {
        return Err(Refused("credential id differs from the attested one"));
    }
    let sec1 = cose_to_sec1(cose)?;
    let stmt = att.text_key("attStmt").ok_or(Refused("attStmt missing"))?;
    match att.text_key("fmt") {
        Some(Cbor::Text(f)) if f == "none" => {
            if !matches!(stmt, Cbor::Map(m) if m.is_empty()) {
                return Err(Refused("attestation none with a statement"));
            }
        }
        Some(Cbor::Text(f)) if f == "packed" => {
            if stmt.text_key("x5c").is_some() {
                return Err(Refused("attestation certificates are not accepted"));
            }
            if stmt.text_key("alg").and_then(Cbor::int) != Some(-7) {
                return Err(Refused("packed self-attestation must be ES256"));
            }
            let sig = stmt.text_key("sig").and_then(Cbor::bytes).ok_or(Refused("packed sig missing"))?;
            verify_sig(&sec1, auth_raw, &client_data, sig)?;
        }
        _ => return Err(Refused("unsupported attestation format")),
    }
    let transports = payload["response"]["transports"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    Ok(WebAuthnCredential {
        id: crate::random::verification_id(),
        credential_id: URL_SAFE_NO_PAD.encode(&id),
        public_key: URL_SAFE_NO_PAD.encode(&sec1),
        counter: auth.sign_count,
        transports,
        rp_id: expected.rp_id.clone(),
        last_used_at: None,
    })
}

/// The base64url credential id an `AuthenticationResponseJSON` names.
pub fn assertion_credential_id(payload: &Value) -> Check<String> {
    credential_id(payload).map(|id| URL_SAFE_NO_PAD.encode(id))
}

/// Checks an `AuthenticationResponseJSON` (+ `type:"WebAuthn"`) made with `cred`; returns the new sign count.
pub fn verify_authentication(payload: &Value, expected: &Challenge, cred: &WebAuthnCredential) -> Check<u32> {
    let id = assertion_credential_id(payload)?;
    if id != cred.credential_id {
        return Err(Refused("unknown credential"));
    }
    let client_data = b64(&payload["response"]["clientDataJSON"], "clientDataJSON missing")?;
    check_client_data(&client_data, "webauthn.get", expected)?;
    let auth_raw = b64(&payload["response"]["authenticatorData"], "authenticatorData missing")?;
    let auth = parse_auth_data(&auth_raw)?;
    check_rp(&auth, expected, false)?;
    let sig = b64(&payload["response"]["signature"], "signature missing")?;
    let key = URL_SAFE_NO_PAD.decode(&cred.public_key).map_err(|_| Refused("bad stored key"))?;
    verify_sig(&key, &auth_raw, &client_data, &sig)?;
    if (auth.sign_count != 0 || cred.counter != 0) && auth.sign_count <= cred.counter {
        return Err(Refused("sign count did not increase (cloned authenticator?)"));
    }
    Ok(auth.sign_count)
}

fn descriptor(c: &WebAuthnCredential) -> Value {
    let mut d = json!({ "type": "public-key", "id": c.credential_id });
    if !c.transports.is_empty() {
        d["transports"] = json!(c.transports);
    }
    d
}

/// `PublicKeyCredentialCreationOptionsJSON`.
pub fn creation_options(
    ch: &Challenge,
    user_id: &str,
    name: &str,
    display_name: &str,
    exclude: &[WebAuthnCredential],
) -> Value {
    json!({
        "challenge": ch.challenge,
        "rp": { "id": ch.rp_id, "name": ch.rp_id },
        "user": { "id": URL_SAFE_NO_PAD.encode(user_id.as_bytes()), "name": name, "displayName": display_name },
        "pubKeyCredParams": [{ "type": "public-key", "alg": -7 }],
        "timeout": TIMEOUT_MS,
        "attestation": "none",
        "excludeCredentials": exclude.iter().map(descriptor).collect::<Vec<_>>(),
        "authenticatorSelection": { "residentKey": "required", "requireResidentKey": true, "userVerification": "preferred" },
        "extensions": { "credProps": true },
    })
}

/// `PublicKeyCredentialRequestOptionsJSON` (`allow` empty: discoverable credentials).
pub fn request_options(ch: &Challenge, allow: &[WebAuthnCredential]) -> Value {
    json!({
        "challenge": ch.challenge,
        "timeout": TIMEOUT_MS,
        "rpId": ch.rp_id,
        "allowCredentials": allow.iter().map(descriptor).collect::<Vec<_>>(),
        "userVerification": "preferred",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames_and_cbor() {
        assert_eq!(hostname("127.0.0.1:3001"), "127.0.0.1");
        assert_eq!(hostname("localhost"), "localhost");
        assert_eq!(hostname("[::1]:80"), "::1");
        // {"fmt": "none", 1: -7, "b": h'0102'}
        let bytes = [0xa3, 0x63, b'f', b'm', b't', 0x64, b'n', b'o', b'n', b'e', 0x01, 0x26, 0x61, b'b', 0x42, 1, 2];
        let (v, rest) = cbor_decode(&bytes).unwrap();
        assert!(rest.is_empty());
        assert_eq!(v.text_key("fmt"), Some(&Cbor::Text("none".into())));
        assert_eq!(v.int_key(1).and_then(Cbor::int), Some(-7));
        assert_eq!(v.text_key("b").and_then(Cbor::bytes), Some(&[1u8, 2][..]));
        assert!(cbor_decode(&[0x5f]).is_err());
    }
}
