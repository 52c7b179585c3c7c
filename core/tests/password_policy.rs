//! The page and the reference provider check passwords with the same `PasswordPolicy`: the page's fast check
//! must never refuse what the provider would accept, nor pre-empt the provider's restricted rules. Policies
//! come from the provider's configs, so a config change that splits them fails here.

use serde_json::{json, Value};
use sign_in_core::i18n::english;
use sign_in_core::password_policy::{self, PasswordPolicy, Rejection, UserInfo};
use std::path::{Path, PathBuf};

fn config_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../provider/config")
}

fn read(name: &str) -> Value {
    let path = config_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `(file, passwordPolicy)` of every sign-in experience config the provider ships.
fn shipped_policies() -> Vec<(String, Value)> {
    let mut names: Vec<String> = std::fs::read_dir(config_dir())
        .expect("provider/config exists")
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".json") && n != "users.json")
        .collect();
    names.sort();
    let policies: Vec<_> = names
        .into_iter()
        .filter_map(|name| {
            let policy = read(&name).get("passwordPolicy")?.clone();
            Some((name, policy))
        })
        .collect();
    assert!(policies.len() >= 3, "configs with a passwordPolicy: {policies:?}");
    policies
}

fn codes(list: &[Rejection]) -> Vec<&str> {
    list.iter().map(|r| r.code.as_str()).collect()
}

fn maya() -> UserInfo {
    UserInfo {
        name: Some("Maya Kim".into()),
        username: Some("maya0".into()),
        email: Some("maya.k@example.com".into()),
        phone: Some("14155550199".into()),
    }
}

/// The page's verdict is the start of the provider's, and whatever the provider adds is for rules only it
/// can judge (restricted rules, breaches).
fn assert_agree(label: &str, policy: &PasswordPolicy, password: &str, info: &UserInfo) -> Vec<Rejection> {
    let page = policy.fast_check(password);
    let server = policy.check(password, info);
    let server_only = |r: &Rejection| r.is_restricted() || r.code == "password_rejected.pwned";
    assert!(!page.iter().any(server_only), "{label} {password:?}: the page judged {:?}", codes(&page));
    assert!(server.starts_with(&page), "{label} {password:?}: page {:?}, provider {:?}", codes(&page), codes(&server));
    for extra in &server[page.len()..] {
        assert!(server_only(extra), "{label} {password:?}: only the provider refuses it, for {}", extra.code);
    }
    server
}

#[test]
fn page_and_provider_agree_on_every_policy() {
    let mut policies = shipped_policies();
    policies.push(("{}".into(), json!({})));
    policies.push((
        "strict".into(),
        json!({"length": {"min": 10, "max": 20}, "characterTypes": {"min": 3},
               "rejects": {"pwned": false, "repetitionAndSequence": true, "userInfo": true, "words": ["acme"]}}),
    ));
    policies.push(("lenient".into(), json!({"rejects": {"repetitionAndSequence": false, "userInfo": false}})));
    let passwords = [
        "123456aA",
        "Abc-Passw0rd",
        "12345678xQ!z",
        "Aaaa-Passw0rd",
        "Al1ce-Passw0rd!x",
        "Um4-Passw0rd!x",
        "short",
        "Pässw0rd-Zz!",
        "aaaaaaaa",
        "qwertyuiop",
        "AcmeAcme1!Acme",
        "Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!",
        "maya0maya0!",
        "MayaKim2024",
        "14155550199x",
        "Maya0Maya0!x",
        "",
    ];
    let people = [("nobody", UserInfo::default()), ("maya", maya())];
    for (name, raw) in &policies {
        let policy = PasswordPolicy::from_config(raw);
        for password in passwords {
            for (who, info) in &people {
                assert_agree(&format!("{name}/{who}"), &policy, password, info);
            }
        }
    }
}

#[test]
fn the_cases_the_team_saw() {
    let defaults = PasswordPolicy::from_config(&json!({}));
    let none = UserInfo::default();
    // Accepted on the page, refused by the provider (six of eight characters are a sequence).
    assert!(defaults.fast_check("123456aA").is_empty());
    assert_eq!(codes(&assert_agree("{}", &defaults, "123456aA", &none)), ["password_rejected.restricted.sequence"]);
    // Short runs in a longer password are fine on both sides.
    for password in ["Abc-Passw0rd", "Aaaa-Passw0rd", "12345678xQ!z"] {
        assert!(assert_agree("{}", &defaults, password, &none).is_empty(), "{password}");
    }
    assert_eq!(codes(&defaults.fast_check("short")), ["password_rejected.too_short"]);
    assert_eq!(codes(&defaults.fast_check("Pässw0rd-Zz!")), ["password_rejected.unsupported_characters"]);
    // Personal information only the provider knows.
    assert!(defaults.fast_check("maya0maya0!").is_empty());
    assert_eq!(
        codes(&assert_agree("{}", &defaults, "maya0maya0!", &maya())),
        ["password_rejected.restricted.user_info"]
    );
    assert!(assert_agree("{}", &defaults, "maya0maya0!", &none).is_empty());
}

#[test]
fn the_page_words_the_provider_answer_in_one_sentence() {
    let defaults = PasswordPolicy::from_config(&json!({}));
    let en = english();
    let refused = defaults.check("aaaa1234", &UserInfo::default());
    assert_eq!(codes(&refused), ["password_rejected.restricted.repetition", "password_rejected.restricted.sequence"]);
    // Through the wire and back, as the page receives it.
    let data = Value::Array(Rejection::to_data(&refused));
    let received = Rejection::list_from(Some(&data));
    assert_eq!(received, refused);
    let text = password_policy::message(&received, &en).unwrap();
    let repetition = en.t("error.password_rejected.restricted.repetition");
    let sequence = en.t("error.password_rejected.restricted.sequence");
    assert!(text.contains(&repetition) && text.contains(&sequence), "{text}");
    assert!(!text.contains("{{"), "{text}");
}

#[test]
fn demo_passwords_pass_every_shipped_policy() {
    let users = read("users.json");
    let users = users["users"].as_array().expect("users.json has users");
    let mut checked = 0;
    for user in users {
        let Some(password) = user.get("demoPassword").and_then(Value::as_str) else { continue };
        let text = |k: &str| user.get(k).and_then(Value::as_str).map(str::to_owned);
        let info = UserInfo {
            name: text("name"),
            username: text("username"),
            email: text("primaryEmail"),
            phone: text("primaryPhone"),
        };
        for (name, raw) in shipped_policies() {
            let policy = PasswordPolicy::from_config(&raw);
            let refused = policy.check(password, &info);
            assert!(refused.is_empty(), "{} ({password}) under {name}: {:?}", user["username"], codes(&refused));
        }
        checked += 1;
    }
    assert!(checked >= 3, "only {checked} demo passwords");
}
