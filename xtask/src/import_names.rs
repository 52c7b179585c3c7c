//! Step 5b: short names for the main module's imports from the glue, and for the glue module itself.
//!
//! wasm-bindgen names each import after its JS function plus a 16-hex-digit hash (`__wbg_value_df0a0e29a4d182fe`).
//! The name is spelled twice on the first screen, in the module's import section and in the glue's export list, and
//! the hashes do not compress: ~2.3 KB of brotli in the wasm engine's module and ~2 KB in the glue. Both files come
//! out of the same wasm-bindgen run, so the pipeline renames each import in both to a one- or two-letter name, and the
//! module they come from (`./sign_in_page_bg.js`, spelled once per import) to [`GLUE_MODULE`], which the loader
//! passes the glue under. The wasm2js translation is made from the renamed module, so the JS engine gets the same
//! names.

use crate::wasm::{read_leb_u32, read_name, write_leb, BINDGEN_GLUE_MODULE, GLUE_MODULE};
use anyhow::{bail, ensure, Context, Result};

/// Renames every function the module imports from the glue to a short name, in the module's import section and in
/// `glue` (`export function <name>(`, which must be the name's only occurrence there), and their module to
/// [`GLUE_MODULE`]. Returns the new module and glue, and how many imports were renamed.
pub fn shorten(wasm: &[u8], glue: &str) -> Result<(Vec<u8>, String, usize)> {
    let sections = crate::wasm::sections(wasm)?;
    let imports = sections.iter().enumerate().filter(|(_, s)| s.id == 2).collect::<Vec<_>>();
    let [(index, section)] = imports.as_slice() else { bail!("expected one import section, found {}", imports.len()) };
    // The section's header (id, size) starts where the one before it ends.
    let header = if *index == 0 { 8 } else { sections[index - 1].end };
    let payload = &wasm[section.start..section.end];

    let mut names = ShortNames::new(glue);
    let mut glue = glue.to_owned();
    let mut pos = 0;
    let count = read_leb_u32(payload, &mut pos)?;
    let mut out = Vec::with_capacity(payload.len());
    write_leb(count as usize, &mut out);
    let mut renamed = 0;
    for _ in 0..count {
        let module = read_name(payload, &mut pos)?;
        let field = read_name(payload, &mut pos)?;
        let desc_start = pos;
        skip_import_desc(payload, &mut pos)?;
        let desc = &payload[desc_start..pos];
        let (module, field) = if module == BINDGEN_GLUE_MODULE.as_bytes() {
            ensure!(desc[0] == 0, "{BINDGEN_GLUE_MODULE} provides something other than a function");
            let old = std::str::from_utf8(field).context("non-UTF-8 import name")?;
            let new = names.next();
            glue = rename_export(&glue, old, &new)?;
            renamed += 1;
            (GLUE_MODULE.as_bytes(), new.into_bytes())
        } else {
            ensure!(module != GLUE_MODULE.as_bytes(), "the module already imports from {GLUE_MODULE}");
            (module, field.to_vec())
        };
        write_name(module, &mut out);
        write_name(&field, &mut out);
        out.extend_from_slice(desc);
    }
    ensure!(pos == payload.len(), "trailing bytes in the import section");

    let mut module = wasm[..=header].to_vec();
    write_leb(out.len(), &mut module);
    module.extend(out);
    module.extend_from_slice(&wasm[section.end..]);
    Ok((module, glue, renamed))
}

/// `export function <old>(` → `export function <new>(`; `old` must appear nowhere else in the glue.
fn rename_export(glue: &str, old: &str, new: &str) -> Result<String> {
    let occurrences = words(glue).filter(|w| *w == old).count();
    ensure!(occurrences == 1, "the glue names the import {old} {occurrences} times; expected its definition only");
    let definition = format!("export function {old}(");
    ensure!(glue.contains(&definition), "the glue does not define the import {old} as `export function`");
    Ok(glue.replacen(&definition, &format!("export function {new}("), 1))
}

/// The identifiers of a JS text (approximately: runs of identifier characters).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$')).filter(|w| !w.is_empty())
}

/// `a`…`Z`, then two letters, skipping JS keywords and every identifier the glue already uses.
struct ShortNames {
    taken: std::collections::HashSet<String>,
    index: usize,
}

impl ShortNames {
    const LETTERS: &'static [u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    fn new(glue: &str) -> Self {
        let mut taken: std::collections::HashSet<String> = words(glue).map(str::to_owned).collect();
        taken.extend(["do", "if", "in"].map(str::to_owned));
        Self { taken, index: 0 }
    }

    fn next(&mut self) -> String {
        loop {
            let n = Self::LETTERS.len();
            let i = self.index;
            self.index += 1;
            let name = if i < n {
                (Self::LETTERS[i] as char).to_string()
            } else {
                let j = i - n;
                [Self::LETTERS[(j / n) % n] as char, Self::LETTERS[j % n] as char].iter().collect()
            };
            if self.taken.insert(name.clone()) {
                return name;
            }
        }
    }
}

fn skip_import_desc(b: &[u8], pos: &mut usize) -> Result<()> {
    let kind = *b.get(*pos).context("truncated import")?;
    *pos += 1;
    match kind {
        0 => drop(read_leb_u32(b, pos)?),
        1 => {
            *pos += 1; // reference type
            skip_limits(b, pos)?;
        }
        2 => skip_limits(b, pos)?,
        3 => *pos += 2, // value type, mutability
        other => bail!("import kind {other} is not handled"),
    }
    ensure!(*pos <= b.len(), "truncated import");
    Ok(())
}

fn skip_limits(b: &[u8], pos: &mut usize) -> Result<()> {
    let flags = *b.get(*pos).context("truncated limits")?;
    *pos += 1;
    ensure!(flags <= 1, "limits flags {flags:#x} (shared or 64-bit) are not handled");
    read_leb_u32(b, pos)?;
    if flags == 1 {
        read_leb_u32(b, pos)?;
    }
    Ok(())
}

fn write_name(name: &[u8], out: &mut Vec<u8>) {
    write_leb(name.len(), out);
    out.extend_from_slice(name);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Type `(i32) -> ()`, imports: two functions from the glue, one from elsewhere, a memory; a function calling
    /// the first import and an export of it, so that the module validates only if indices stay put.
    fn module(glue_names: [&str; 2]) -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.extend_from_slice(&[1, 5, 1, 0x60, 1, 0x7f, 0]);
        let mut imports = Vec::new();
        write_leb(4, &mut imports);
        for (module, field, desc) in [
            (BINDGEN_GLUE_MODULE, glue_names[0], vec![0, 0]),
            ("other", "keep_me_1234567890abcdef", vec![0, 0]),
            (BINDGEN_GLUE_MODULE, glue_names[1], vec![0, 0]),
            ("other", "memory", vec![2, 1, 1, 2]),
        ] {
            write_name(module.as_bytes(), &mut imports);
            write_name(field.as_bytes(), &mut imports);
            imports.extend(desc);
        }
        m.push(2);
        write_leb(imports.len(), &mut m);
        m.extend(imports);
        m.extend_from_slice(&[3, 2, 1, 0]); // one function of type 0
        m.extend_from_slice(&[7, 5, 1, 1, b'f', 0, 3]); // export "f" = function 3
        m.extend_from_slice(&[10, 8, 1, 6, 0, 0x20, 0, 0x10, 0, 0x0b]); // local.get 0; call 0
        m
    }

    fn import_names(wasm: &[u8]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for payload in wasmparser::Parser::new(0).parse_all(wasm) {
            if let wasmparser::Payload::ImportSection(r) = payload.unwrap() {
                for imp in r.into_imports() {
                    let imp = imp.unwrap();
                    out.push((imp.module.to_owned(), imp.name.to_owned()));
                }
            }
        }
        out
    }

    #[test]
    fn renames_the_glue_imports_in_module_and_glue_alike() {
        let names = ["__wbg_value_df0a0e29a4d182fe", "__wbg_focus_0123456789abcdef"];
        let glue = format!(
            "let a = 1;\nexport function {}(arg0) {{ a(arg0); }}\nexport function {}(arg0) {{}}\nexport function __wbg_set_wasm(v) {{}}\n",
            names[0], names[1]
        );
        let (wasm, glue, renamed) = shorten(&module(names), &glue).unwrap();
        assert_eq!(renamed, 2);
        wasmparser::Validator::new().validate_all(&wasm).unwrap();
        assert_eq!(
            import_names(&wasm),
            [(GLUE_MODULE, "b"), ("other", "keep_me_1234567890abcdef"), (GLUE_MODULE, "c"), ("other", "memory")]
                .map(|(m, n)| (m.to_owned(), n.to_owned()))
        );
        // `a` was taken by the glue; the names the glue uses otherwise are untouched.
        assert!(glue.contains("export function b(arg0) { a(arg0); }"));
        assert!(glue.contains("export function c(arg0) {}"));
        assert!(glue.contains("export function __wbg_set_wasm(v)"));
        assert!(!glue.contains("__wbg_value"));
    }

    #[test]
    fn refuses_a_glue_that_uses_an_import_name_elsewhere() {
        let names = ["__wbg_value_df0a0e29a4d182fe", "__wbg_focus_0123456789abcdef"];
        let glue =
            format!("export function {0}(arg0) {{}}\nexport function {1}(arg0) {{ {0}(arg0); }}\n", names[0], names[1]);
        assert!(shorten(&module(names), &glue).is_err());
        let missing = format!("export function {}(arg0) {{}}\n", names[0]);
        assert!(shorten(&module(names), &missing).is_err());
    }

    #[test]
    fn short_names_skip_keywords_and_go_to_two_letters() {
        let mut names = ShortNames::new("");
        let all: Vec<String> = (0..200).map(|_| names.next()).collect();
        assert_eq!(&all[..3], ["a", "b", "c"]);
        assert_eq!(all[52], "aa");
        assert!(!all.iter().any(|n| ["do", "if", "in"].contains(&n.as_str())));
        assert_eq!(all.iter().collect::<std::collections::HashSet<_>>().len(), 200);
    }
}
