//! Locating the repo and the npm-installed tools, and running commands with useful errors.

use anyhow::{bail, Context, Result};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root (the parent of `xtask/`), independent of the caller's working directory. `cargo run` says
/// where xtask's manifest is; the path compiled in is only a fallback, since two checkouts sharing a
/// `CARGO_TARGET_DIR` share one xtask binary.
pub fn repo_root() -> PathBuf {
    let manifest_dir =
        std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from);
    manifest_dir.parent().expect("xtask lives one level below the workspace root").to_path_buf()
}

/// A tool installed by `npm ci` into `node_modules/.bin`.
pub fn npm_bin(root: &Path, name: &str) -> Result<PathBuf> {
    let p = root.join("node_modules/.bin").join(name);
    if !p.exists() {
        bail!(
            "{} not found; run `npm ci` at the repo root (binaryen and esbuild are devDependencies in package.json)",
            p.display()
        );
    }
    Ok(p)
}

/// The cargo that runs us (so `cargo +toolchain xtask` stays on that toolchain).
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        let a = a.to_string_lossy();
        if a.contains(' ') {
            s.push_str(&format!(" '{a}'"));
        } else {
            s.push(' ');
            s.push_str(&a);
        }
    }
    s
}

/// Runs a command with inherited stdio; fails with the command line if it cannot start or exits non-zero.
pub fn run(cmd: &mut Command) -> Result<()> {
    let line = describe(cmd);
    let status = cmd.status().with_context(|| format!("could not start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Runs a command and returns its stdout; on failure the error carries stderr.
pub fn output(cmd: &mut Command) -> Result<String> {
    let line = describe(cmd);
    let out = cmd.stdin(Stdio::null()).output().with_context(|| format!("could not start `{line}`"))?;
    if !out.status.success() {
        bail!("`{line}` failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr).trim_end());
    }
    String::from_utf8(out.stdout).context("command printed non-UTF-8 output")
}

/// Shorthand: a command for an npm tool with arguments.
pub fn npm_cmd<I, S>(root: &Path, name: &str, args: I) -> Result<Command>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut c = Command::new(npm_bin(root, name)?);
    c.args(args).current_dir(root);
    Ok(c)
}

/// Ensures the wasm32 target and the npm toolchain are installed (idempotent).
pub fn ensure_prerequisites(root: &Path) -> Result<()> {
    const TARGET: &str = "wasm32-unknown-unknown";
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]))
        .context("rustup is needed to check for the wasm32 target")?;
    if !installed.lines().any(|l| l.trim() == TARGET) {
        eprintln!("xtask: installing the {TARGET} target");
        run(Command::new("rustup").args(["target", "add", TARGET]))?;
    }
    let needed = ["node_modules/binaryen/package.json", "node_modules/.bin/esbuild"];
    if needed.iter().any(|p| !root.join(p).exists()) {
        eprintln!("xtask: node_modules incomplete, running `npm ci`");
        run(Command::new("npm").arg("ci").current_dir(root))?;
    }
    // The pipeline's workarounds were validated against binaryen 132 exactly; a different one must be re-checked.
    let v = output(&mut npm_cmd(root, "wasm-opt", ["--version"])?)?;
    if !v.contains("version 132") {
        bail!("expected binaryen 132 from node_modules (package.json pins it), got: {}", v.trim());
    }
    Ok(())
}

/// Reads a file with the path in the error.
pub fn read(p: &Path) -> Result<Vec<u8>> {
    std::fs::read(p).with_context(|| format!("reading {}", p.display()))
}

pub fn read_string(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
}

/// Writes a file, creating parent directories.
pub fn write(p: &Path, data: impl AsRef<[u8]>) -> Result<()> {
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(p, data).with_context(|| format!("writing {}", p.display()))
}
