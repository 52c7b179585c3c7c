//! Command-line options (hand-parsed: a handful of flags does not need a parser crate).

use crate::csp::CspProfile;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Options {
    pub host: String,
    pub port: u16,
    pub dist: PathBuf,
    pub config: PathBuf,
    pub users: PathBuf,
    /// Third-party applications, API resources and organizations (a missing file means none).
    pub applications: PathBuf,
    pub phrases: PathBuf,
    pub csp: CspProfile,
    /// `--set PATH=VALUE` (repeatable): overrides one setting of the config file, so one file serves as the base
    /// of several tenants (the browser suite runs the same flows under each terms policy, sign-in mode, ...).
    pub overrides: Vec<ConfigOverride>,
    /// `--hash-password PW`: print an argon2 hash for the users file and exit.
    pub hash_password: Option<String>,
}

/// One `--set`: a dotted path into the sign-in experience (`passkeySignIn.showPasskeyButton`) and the JSON value
/// to put there (a bare word that is not JSON is taken as a string: `agreeToTermsPolicy=Manual`).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigOverride {
    pub path: Vec<String>,
    pub value: serde_json::Value,
}

impl std::str::FromStr for ConfigOverride {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (path, value) = text.split_once('=').ok_or_else(|| format!("--set: `{text}` is not PATH=VALUE"))?;
        let path: Vec<String> = path.split('.').map(str::to_owned).collect();
        if path.iter().any(String::is_empty) {
            return Err(format!("--set: `{text}` has an empty path segment"));
        }
        let value = serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.to_owned()));
        Ok(Self { path, value })
    }
}

impl ConfigOverride {
    /// Puts the value at the path, making the objects on the way as needed.
    pub fn apply(&self, config: &mut serde_json::Value) {
        let Some((last, parents)) = self.path.split_last() else { return };
        let mut node = config;
        for key in parents {
            if !node.get(key).is_some_and(serde_json::Value::is_object) {
                node[key.as_str()] = serde_json::json!({});
            }
            node = &mut node[key.as_str()];
        }
        node[last.as_str()] = self.value.clone();
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 3001,
            dist: "dist".into(),
            config: "provider/config/default.json".into(),
            users: "provider/config/users.json".into(),
            applications: "provider/config/applications.json".into(),
            phrases: "core/phrases".into(),
            csp: CspProfile::Strict,
            overrides: Vec::new(),
            hash_password: None,
        }
    }
}

pub const USAGE: &str = "usage: reference-provider [--host 127.0.0.1] [--port 3001] [--dist dist] \
[--config provider/config/default.json] [--users provider/config/users.json] \
[--applications provider/config/applications.json] [--phrases core/phrases] \
[--csp strict|logto|none] [--set PATH=VALUE ...] | --hash-password PASSWORD";

impl Options {
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut opts = Self::default();
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            if flag == "-h" || flag == "--help" {
                return Err(USAGE.into());
            }
            let value = args.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
            match flag.as_str() {
                "--host" => opts.host = value,
                "--port" => opts.port = value.parse().map_err(|_| format!("--port: `{value}` is not a port"))?,
                "--dist" => opts.dist = value.into(),
                "--config" => opts.config = value.into(),
                "--users" => opts.users = value.into(),
                "--applications" => opts.applications = value.into(),
                "--phrases" => opts.phrases = value.into(),
                "--csp" => opts.csp = value.parse()?,
                "--set" => opts.overrides.push(value.parse()?),
                "--hash-password" => opts.hash_password = Some(value),
                other => return Err(format!("unknown option {other}\n{USAGE}")),
            }
        }
        Ok(opts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_overrides_a_setting_by_path() {
        let opts = Options::parse(
            ["--set", "agreeToTermsPolicy=Manual", "--set", "passkeySignIn.showPasskeyButton=false"].map(String::from),
        )
        .unwrap();
        let mut config = json!({"agreeToTermsPolicy": "Automatic", "passkeySignIn": {"enabled": true}});
        for change in &opts.overrides {
            change.apply(&mut config);
        }
        assert_eq!(
            config,
            json!({"agreeToTermsPolicy": "Manual", "passkeySignIn": {"enabled": true, "showPasskeyButton": false}})
        );
        assert!(Options::parse(["--set", "nothing"].map(String::from)).is_err());
        assert!(Options::parse(["--set", "a..b=1"].map(String::from)).is_err());
    }
}
