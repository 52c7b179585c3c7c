//! `application/x-www-form-urlencoded`, as URL queries carry it: what the `form_urlencoded` crate does, in the few
//! lines the page needs (its percent-encoding table and generic serializer weighed ~1 KB brotli in the first
//! screen). `tests/properties.rs` holds both to the crate's output.

/// The pairs of a query (without or with its `?`), decoded: `+` is a space, `%XX` a byte, invalid UTF-8 replaced.
pub fn parse(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.trim_start_matches('?').split('&').filter(|pair| !pair.is_empty()).map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(key), decode(value))
    })
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = match bytes[i] {
            b'+' => b' ',
            b'%' => match (bytes.get(i + 1).and_then(hex_value), bytes.get(i + 2).and_then(hex_value)) {
                (Some(high), Some(low)) => {
                    i += 2;
                    high << 4 | low
                }
                _ => b'%',
            },
            other => other,
        };
        out.push(byte);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(digit: &u8) -> Option<u8> {
    (*digit as char).to_digit(16).map(|d| d as u8)
}

/// `key=value&…`, each part encoded by [`push_encoded`].
pub fn encode<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        push_encoded(key.as_ref(), &mut out);
        out.push('=');
        push_encoded(value.as_ref(), &mut out);
    }
    out
}

/// One part of a query: letters, digits and `*-._` as they are, a space as `+`, every other byte as `%XX`.
pub fn push_encoded(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in text.as_bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(byte as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 15)] as char);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_encodes_the_usual_cases() {
        let pairs: Vec<_> = parse("?a=1&b=x+y%2B%zz&&c&=v&d=%E2%82%AC%FF").collect();
        let expected = [("a", "1"), ("b", "x y+%zz"), ("c", ""), ("", "v"), ("d", "€\u{FFFD}")];
        assert_eq!(pairs, expected.map(|(k, v)| (k.to_owned(), v.to_owned())));
        assert_eq!(encode([("app_id", "a b"), ("x", "é&=/?")]), "app_id=a+b&x=%C3%A9%26%3D%2F%3F");
    }
}
