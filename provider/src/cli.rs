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
    pub phrases: PathBuf,
    pub csp: CspProfile,
    /// `--hash-password PW`: print an argon2 hash for the users file and exit.
    pub hash_password: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 3001,
            dist: "dist".into(),
            config: "provider/config/default.json".into(),
            users: "provider/config/users.json".into(),
            phrases: "core/phrases".into(),
            csp: CspProfile::Strict,
            hash_password: None,
        }
    }
}

pub const USAGE: &str = "usage: reference-provider [--host 127.0.0.1] [--port 3001] [--dist dist] \
[--config provider/config/default.json] [--users provider/config/users.json] [--phrases core/phrases] \
[--csp strict|logto|none] | --hash-password PASSWORD";

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
                "--phrases" => opts.phrases = value.into(),
                "--csp" => opts.csp = value.parse()?,
                "--hash-password" => opts.hash_password = Some(value),
                other => return Err(format!("unknown option {other}\n{USAGE}")),
            }
        }
        Ok(opts)
    }
}
