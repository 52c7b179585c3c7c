//! The static site: content hashing, minification (esbuild), the CSS bundle, the loader, `index.html` and
//! `public/`. Every hashed asset lives under `dist/assets/` (where Logto 404s instead of falling back to the SPA)
//! and is referenced by an absolute `/assets/…` URL, because the page is served at nested paths.

use crate::tools::{self, npm_cmd};
use anyhow::{bail, ensure, Context, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

pub const ASSETS: &str = "assets";

/// Short content hash: the first 10 hex digits of SHA-256.
pub fn short_hash(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    d.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// `stem-<hash>.ext` for the given content.
pub fn hashed_name(stem: &str, ext: &str, data: &[u8]) -> String {
    format!("{stem}-{}.{ext}", short_hash(data))
}

/// Writes one asset that comes in several forms (a chunk, as wasm and as its JS translation) as
/// `dist/assets/<stem>-<hash>.<ext>`, one file per `(ext, data)`, under one hash of every form: a page that knows the
/// name can fetch any form, so the loader carries one list of chunk names for both engines. Returns `<stem>-<hash>`.
pub fn emit_forms(dist: &Path, stem: &str, forms: &[(&str, &[u8])]) -> Result<String> {
    // Each form's length first: two different sets of forms never hash the same bytes.
    let mut all = Vec::new();
    for (ext, data) in forms {
        all.extend_from_slice(format!("{ext}:{}:", data.len()).as_bytes());
        all.extend_from_slice(data);
    }
    let name = format!("{stem}-{}", short_hash(&all));
    for (ext, data) in forms {
        tools::write(&dist.join(ASSETS).join(format!("{name}.{ext}")), data)?;
    }
    Ok(name)
}

/// Writes `dist/assets/<stem>-<hash>.<ext>` and returns its absolute URL (`/assets/…`).
pub fn emit_asset(dist: &Path, stem: &str, ext: &str, data: &[u8]) -> Result<String> {
    let name = hashed_name(stem, ext, data);
    tools::write(&dist.join(ASSETS).join(&name), data)?;
    Ok(format!("/{ASSETS}/{name}"))
}

/// Minifies JS (ES module) or CSS with esbuild. `kind` is `js` or `css`.
pub fn minify(root: &Path, work: &Path, name: &str, kind: &str, source: &str) -> Result<String> {
    let input = work.join(format!("{name}.in.{kind}"));
    let output = work.join(format!("{name}.min.{kind}"));
    tools::write(&input, source)?;
    let mut c = npm_cmd(root, "esbuild", ["--minify", "--log-level=warning"])?;
    if kind == "js" {
        // UTF-8 output: the JS engine's data strings stay one character per byte (`js_engine::latin1_data`); module
        // scripts are always decoded as UTF-8.
        c.args(["--format=esm", "--charset=utf8"]);
    }
    c.arg(&input).arg(format!("--outfile={}", output.display()));
    tools::output(&mut c)?;
    tools::read_string(&output)
}

/// Bundles and minifies the loader (`src/js/loader.js` and what it imports) with esbuild. Each `(NAME, value)`
/// replaces the bare identifier NAME by the string literal `value` (`--define`); the hashed assets it imports
/// dynamically stay external.
pub fn bundle_loader(root: &Path, entry: &Path, out: &Path, defines: &[(&str, serde_json::Value)]) -> Result<String> {
    let mut c = npm_cmd(root, "esbuild", ["--bundle", "--minify", "--format=esm", "--log-level=warning"])?;
    c.arg(format!("--external:/{ASSETS}/*"));
    for (name, value) in defines {
        c.arg(format!("--define:{name}={value}"));
    }
    c.arg(entry).arg(format!("--outfile={}", out.display()));
    tools::output(&mut c)?;
    let js = tools::read_string(out)?;
    for (name, _) in defines {
        ensure!(!js.contains(name), "{name} survived in the bundled loader");
    }
    Ok(js)
}

/// The file in `dist/` that holds the CSP source (`'sha256-…'`) of the page's inline script.
pub const INLINE_SCRIPT_HASHES: &str = "inline-script-hashes.csp";

/// Bundles the direct sign-in fast path (`src/js/direct-inline.js`) as a classic script for inlining.
pub fn bundle_inline(root: &Path, entry: &Path, out: &Path) -> Result<String> {
    let mut c = npm_cmd(root, "esbuild", ["--bundle", "--minify", "--format=iife", "--log-level=warning"])?;
    c.arg(entry).arg(format!("--outfile={}", out.display()));
    tools::output(&mut c)?;
    let js = tools::read_string(out)?;
    Ok(js.trim_end().to_owned())
}

/// The CSP source that allows one inline script: `'sha256-<base64 of its SHA-256>'`.
pub fn script_hash_source(script: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(script.as_bytes())))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            out.push(if i <= chunk.len() { ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

/// What the page template needs: asset URLs and the inline direct sign-in script.
pub struct PageAssets<'a> {
    pub css: &'a str,
    pub glue: &'a str,
    pub loader: &'a str,
    pub direct: &'a str,
}

/// Fills the `{{…}}` placeholders of the template and checks the page's invariants.
pub fn render_html(template: &str, a: &PageAssets) -> Result<String> {
    let mut html = template.to_owned();
    ensure!(!a.direct.to_ascii_lowercase().contains("</script"), "the inline direct sign-in script contains </script");
    let keys =
        [("{{app.css}}", a.css), ("{{glue.js}}", a.glue), ("{{loader.js}}", a.loader), ("{{direct.js}}", a.direct)];
    for (key, url) in keys {
        let n = html.matches(key).count();
        ensure!(n == 1, "index.html must contain {key} exactly once (found {n})");
        html = html.replacen(key, url, 1);
    }
    ensure!(!html.contains("{{"), "index.html has an unknown {{…}} placeholder");
    ensure!(
        html.matches("\"__LOGTO_SSR__\"").count() == 1,
        "index.html must contain the quoted \"__LOGTO_SSR__\" placeholder exactly once (Logto's SSR replaces it)"
    );
    // Executable scripts: the external loader and the inline direct sign-in path (the one a CSP hash allows), which
    // comes after the SSR data it reads.
    let lower = html.to_ascii_lowercase();
    let (mut external, mut inline) = (0, Vec::new());
    for (i, _) in lower.match_indices("<script") {
        let tag_end = lower[i..].find('>').map(|e| i + e).context("unclosed <script tag")?;
        let tag = &lower[i..tag_end];
        if tag.contains(" src=") {
            external += 1;
        } else if !tag.contains("type=\"application/json\"") {
            let body = &html[tag_end + 1..];
            inline.push((i, body[..body.find("</script>").context("unclosed inline <script>")?].to_owned()));
        }
    }
    ensure!(external == 1, "index.html must load exactly one external script (the loader), found {external}");
    ensure!(
        inline.len() == 1 && inline[0].1 == a.direct,
        "index.html may have one inline script, the direct sign-in path ({{{{direct.js}}}} in <script>), and nothing else"
    );
    ensure!(
        lower.find("id=\"logto-ssr\"").is_some_and(|ssr| ssr < inline[0].0),
        "the SSR data must come before {{{{direct.js}}}}"
    );
    Ok(html)
}

// ---------------------------------------------------------------------------------------------------------------
// CSS bundling

/// Inlines `@import` rules (recursively, relative to the importing file): `@import url("x.css") layer(name) mq;`
/// becomes `@media mq { @layer name { …contents… } }`. Other statements, including the leading `@layer a, b;`
/// order statement, are kept. Relative `url(…)` references (fonts, images) are handed to `asset`, which returns
/// the URL to write instead.
pub fn bundle_css(entry: &Path, asset: &mut dyn FnMut(&Path) -> Result<String>) -> Result<String> {
    let mut stack = Vec::new();
    process_css(entry, asset, &mut stack)
}

fn process_css(
    file: &Path,
    asset: &mut dyn FnMut(&Path) -> Result<String>,
    stack: &mut Vec<PathBuf>,
) -> Result<String> {
    let canonical = file.canonicalize().with_context(|| format!("CSS file {} not found", file.display()))?;
    ensure!(!stack.contains(&canonical), "CSS @import cycle through {}", file.display());
    stack.push(canonical);
    let text = tools::read_string(file)?;
    let dir = file.parent().unwrap_or(Path::new("."));
    let out = transform_css(&text, dir, asset, stack).with_context(|| format!("in {}", file.display()))?;
    stack.pop();
    Ok(out)
}

fn skip_string(b: &[u8], start: usize) -> Result<usize> {
    let q = b[start];
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            c if c == q => return Ok(i + 1),
            b'\n' => bail!("unterminated string"),
            _ => i += 1,
        }
    }
    bail!("unterminated string")
}

fn skip_comment(text: &str, start: usize) -> Result<usize> {
    text[start + 2..].find("*/").map(|e| start + 2 + e + 2).context("unterminated comment")
}

/// Parses `url(…)` at `start` (pointing at `u`); returns the URL and the index after `)`.
fn parse_url_token(text: &str, start: usize) -> Result<(String, usize)> {
    let b = text.as_bytes();
    let mut i = start + 4;
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    let value;
    if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
        let end = skip_string(b, i)?;
        value = text[i + 1..end - 1].to_owned();
        i = end;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
    } else {
        let end = text[i..].find(')').map(|e| i + e).context("unterminated url(")?;
        value = text[i..end].trim().to_owned();
        i = end;
    }
    ensure!(b.get(i) == Some(&b')'), "malformed url(");
    Ok((value, i + 1))
}

fn is_relative_url(u: &str) -> bool {
    let scheme = u.find(':').is_some_and(|c| !u[..c].contains('/'));
    !(u.is_empty() || u.starts_with('/') || u.starts_with('#') || scheme)
}

fn transform_css(
    text: &str,
    dir: &Path,
    asset: &mut dyn FnMut(&Path) -> Result<String>,
    stack: &mut Vec<PathBuf>,
) -> Result<String> {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut i, mut last, mut depth) = (0usize, 0usize, 0i32);
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'*') => i = skip_comment(text, i)?,
            b'"' | b'\'' => i = skip_string(b, i)?,
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth -= 1;
                ensure!(depth >= 0, "unbalanced }}");
                i += 1;
            }
            b'@' if b.len() >= i + 7 && b[i..i + 7].eq_ignore_ascii_case(b"@import") => {
                ensure!(depth == 0, "@import inside a block");
                // The statement ends at the first `;` outside strings and parentheses.
                let mut j = i + 7;
                let mut paren = 0;
                while j < b.len() && !(b[j] == b';' && paren == 0) {
                    match b[j] {
                        b'"' | b'\'' => {
                            j = skip_string(b, j)?;
                            continue;
                        }
                        b'(' => paren += 1,
                        b')' => paren -= 1,
                        _ => {}
                    }
                    j += 1;
                }
                ensure!(j < b.len(), "@import without a terminating ;");
                out.push_str(&text[last..i]);
                out.push_str(&inline_import(&text[i + 7..j], dir, asset, stack)?);
                i = j + 1;
                last = i;
            }
            b'u' | b'U'
                if b.len() >= i + 4
                    && b[i..i + 4].eq_ignore_ascii_case(b"url(")
                    && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'-' || b[i - 1] == b'_')) =>
            {
                let (url, end) = parse_url_token(text, i)?;
                if is_relative_url(&url) {
                    let cut = url.find(['?', '#']).unwrap_or(url.len());
                    let new = asset(&dir.join(&url[..cut]))?;
                    out.push_str(&text[last..i]);
                    out.push_str(&format!("url(\"{new}{}\")", &url[cut..]));
                    last = end;
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    ensure!(depth == 0, "unbalanced {{");
    out.push_str(&text[last..]);
    Ok(out)
}

/// `prelude` is what follows `@import` up to (not including) `;`.
fn inline_import(
    prelude: &str,
    dir: &Path,
    asset: &mut dyn FnMut(&Path) -> Result<String>,
    stack: &mut Vec<PathBuf>,
) -> Result<String> {
    let p = prelude.trim();
    let (url, rest) = if p.len() >= 4 && p[..4].eq_ignore_ascii_case("url(") {
        let (u, end) = parse_url_token(p, 0)?;
        (u, &p[end..])
    } else if p.starts_with('"') || p.starts_with('\'') {
        let end = skip_string(p.as_bytes(), 0)?;
        (p[1..end - 1].to_owned(), &p[end..])
    } else {
        bail!("cannot parse @import {p}")
    };
    ensure!(is_relative_url(&url), "@import of {url}: only relative imports can be bundled");
    let mut rest = rest.trim();
    let mut layer: Option<String> = None;
    if let Some(r) = rest.strip_prefix("layer(") {
        let close = r.find(')').context("unterminated layer(")?;
        let name = r[..close].trim();
        ensure!(!name.is_empty(), "empty layer() name");
        layer = Some(name.to_owned());
        rest = r[close + 1..].trim();
    } else if rest == "layer" || rest.starts_with("layer ") {
        layer = Some(String::new());
        rest = rest[5..].trim();
    }
    ensure!(!rest.starts_with("supports("), "@import … supports() is not supported by the bundler");
    let mut css = process_css(&dir.join(&url), asset, stack)?;
    let body = css.trim_matches('\n');
    if let Some(name) = layer {
        let sep = if name.is_empty() { "" } else { " " };
        css = format!("@layer{sep}{name} {{\n{body}\n}}");
    } else {
        css = body.to_owned();
    }
    if !rest.is_empty() {
        css = format!("@media {rest} {{\n{css}\n}}");
    }
    Ok(css)
}

/// Copies `public/` verbatim into `dist/` (refusing to overwrite what the build wrote).
pub fn copy_public(src: &Path, dist: &Path) -> Result<Vec<PathBuf>> {
    let mut copied = Vec::new();
    if !src.exists() {
        return Ok(copied);
    }
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let entry = entry?;
            let path = entry.path();
            let rel = path.strip_prefix(src)?;
            if entry.file_type()?.is_dir() {
                stack.push(path);
                continue;
            }
            if rel == Path::new(".gitkeep") {
                continue;
            }
            let to = dist.join(rel);
            ensure!(!to.exists(), "public/{} collides with a file the build writes", rel.display());
            ensure!(
                !rel.starts_with(ASSETS),
                "public/{} is under assets/, which is reserved for hashed build output",
                rel.display()
            );
            tools::write(&to, tools::read(&path)?)?;
            copied.push(to);
        }
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmpdir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("xtask-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn an_asset_s_forms_share_one_name_that_follows_each_form() {
        let d = tmpdir("forms");
        let name = emit_forms(&d, "chunk-1", &[("wasm", b"module"), ("wasm.js", b"translation")]).unwrap();
        assert!(name.starts_with("chunk-1-"));
        assert_eq!(std::fs::read(d.join(ASSETS).join(format!("{name}.wasm"))).unwrap(), b"module");
        assert_eq!(std::fs::read(d.join(ASSETS).join(format!("{name}.wasm.js"))).unwrap(), b"translation");
        let js_changed = emit_forms(&d, "chunk-1", &[("wasm", b"module"), ("wasm.js", b"translation 2")]).unwrap();
        let split_elsewhere = emit_forms(&d, "chunk-1", &[("wasm", b"modulet"), ("wasm.js", b"ranslation")]).unwrap();
        assert_ne!(name, js_changed, "a new translation of the same module gets a new name (immutable caching)");
        assert_ne!(name, split_elsewhere);
    }

    #[test]
    fn hashes_are_short_and_stable() {
        assert_eq!(short_hash(b""), "e3b0c44298");
        assert_eq!(hashed_name("app", "css", b""), "app-e3b0c44298.css");
    }

    #[test]
    fn css_imports_become_layers() {
        let d = tmpdir("css");
        std::fs::write(
            d.join("main.css"),
            "@layer reset, tokens, base;\n@import url(\"reset.css\") layer(reset);\n\
             @import url('tokens.css') layer(tokens);\n@import \"base.css\" layer(base) (min-width: 40em);\n\
             /* @import url(\"ignored.css\"); */\nbody { color: red; }\n",
        )
        .unwrap();
        std::fs::write(d.join("reset.css"), "* { margin: 0; }\n").unwrap();
        std::fs::write(d.join("tokens.css"), ":root { --a: 1; }\n@import url(\"sub/more.css\");\n").unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(
            d.join("sub/more.css"),
            "@font-face { src: url(font.woff2?v=2) format('woff2'), url(data:font/woff2;base64,AA) }\n\
             .x { background: url(\"/abs.png\") }\n",
        )
        .unwrap();
        std::fs::write(d.join("base.css"), "a { content: \"@import url(x.css);\" }\n").unwrap();
        let mut seen = Vec::new();
        let out = bundle_css(&d.join("main.css"), &mut |p| {
            seen.push(p.to_path_buf());
            Ok("/assets/font-abc.woff2".into())
        })
        .unwrap();
        assert!(out.starts_with("@layer reset, tokens, base;\n@layer reset {\n* { margin: 0; }\n}\n"), "{out}");
        assert!(out.contains(
            "@layer tokens {\n:root { --a: 1; }\n@font-face { src: url(\"/assets/font-abc.woff2?v=2\") format('woff2'), url(data:font/woff2;base64,AA) }\n.x { background: url(\"/abs.png\") }\n}"
        ), "{out}");
        assert!(
            out.contains("@media (min-width: 40em) {\n@layer base {\na { content: \"@import url(x.css);\" }\n}\n}"),
            "{out}"
        );
        assert!(out.contains("/* @import url(\"ignored.css\"); */\nbody { color: red; }"));
        assert_eq!(seen, [d.join("sub/font.woff2")]);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn css_errors_are_loud() {
        let d = tmpdir("css-err");
        std::fs::write(d.join("a.css"), "@import url(\"b.css\") layer(b);").unwrap();
        std::fs::write(d.join("b.css"), "@import url(\"a.css\");").unwrap();
        let err = bundle_css(&d.join("a.css"), &mut |_| Ok(String::new())).unwrap_err();
        assert!(format!("{err:#}").contains("cycle"), "{err:#}");
        std::fs::write(d.join("c.css"), "@import url(\"missing.css\");").unwrap();
        assert!(bundle_css(&d.join("c.css"), &mut |_| Ok(String::new())).is_err());
        std::fs::write(d.join("e.css"), "@import url(\"https://cdn/x.css\");").unwrap();
        assert!(bundle_css(&d.join("e.css"), &mut |_| Ok(String::new())).is_err());
        let _ = std::fs::remove_dir_all(&d);
    }

    const TEMPLATE: &str = "<!doctype html><html lang=\"en\"><head>\
        <script type=\"application/json\" id=\"logto-ssr\">\"__LOGTO_SSR__\"</script><script>{{direct.js}}</script>\
        <link rel=\"stylesheet\" href=\"{{app.css}}\"><link rel=\"modulepreload\" href=\"{{glue.js}}\">\
        <script type=\"module\" src=\"{{loader.js}}\"></script></head><body></body></html>";

    #[test]
    fn html_placeholders_and_guards() {
        let a = PageAssets {
            css: "/assets/app-1.css",
            glue: "/assets/glue-2.js",
            loader: "/assets/loader-3.js",
            direct: "(()=>{})();",
        };
        let html = render_html(TEMPLATE, &a).unwrap();
        assert!(html.contains("href=\"/assets/app-1.css\""));
        assert!(html.contains("src=\"/assets/loader-3.js\""));
        assert!(html.contains("<script>(()=>{})();</script>"));
        assert!(render_html(&TEMPLATE.replace("{{app.css}}", "x"), &a).is_err());
        assert!(render_html(&TEMPLATE.replace("</body>", "<script>alert(1)</script></body>"), &a).is_err());
        assert!(render_html(&TEMPLATE.replace("\"__LOGTO_SSR__\"", "{}"), &a).is_err());
        let late_ssr = TEMPLATE
            .replace("<script type=\"application/json\" id=\"logto-ssr\">\"__LOGTO_SSR__\"</script>", "")
            .replace("<body>", "<body><script type=\"application/json\" id=\"logto-ssr\">\"__LOGTO_SSR__\"</script>");
        assert!(render_html(&late_ssr, &a).is_err(), "the inline script must come after the SSR data");
        assert!(render_html(TEMPLATE, &PageAssets { direct: "x('</script>')", ..a }).is_err());
    }

    #[test]
    fn script_hash_is_the_csp_form_of_sha256() {
        // SHA-256 of the empty string, base64.
        assert_eq!(script_hash_source(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b"a"), "YQ==");
    }
}
