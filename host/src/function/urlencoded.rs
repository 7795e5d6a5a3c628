//! Strict decoding of `application/x-www-form-urlencoded` text (query strings and
//! form bodies): a malformed escape or bytes that are not UTF-8 are errors, not
//! silently replaced characters.

/// Decodes `key=value` pairs separated by `&`, with `+` for a space and `%XX`
/// escapes. Returns a message naming the bad part when the text is malformed.
pub fn decode_pairs(raw: &[u8]) -> Result<Vec<(String, String)>, String> {
    raw.split(|byte| *byte == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = match pair.iter().position(|byte| *byte == b'=') {
                Some(equals) => (&pair[..equals], &pair[equals + 1..]),
                None => (pair, &pair[pair.len()..]),
            };
            Ok((decode(key)?, decode(value)?))
        })
        .collect()
}

fn decode(encoded: &[u8]) -> Result<String, String> {
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut index = 0;
    while index < encoded.len() {
        match encoded[index] {
            b'+' => bytes.push(b' '),
            b'%' => {
                let escape = encoded.get(index + 1..index + 3);
                let value = escape.and_then(|hex| std::str::from_utf8(hex).ok()).and_then(|hex| u8::from_str_radix(hex, 16).ok());
                let Some(value) = value else {
                    let shown = String::from_utf8_lossy(&encoded[index..encoded.len().min(index + 3)]);
                    return Err(format!("malformed percent-encoding `{shown}`: write `%` itself as `%25`"));
                };
                bytes.push(value);
                index += 2;
            }
            other => bytes.push(other),
        }
        index += 1;
    }
    String::from_utf8(bytes).map_err(|error| {
        let shown = String::from_utf8_lossy(error.as_bytes());
        format!("`{shown}` is not valid UTF-8 once percent-decoded: encode text as UTF-8")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs() {
        let pairs = decode_pairs(b"a=1&b=x+y%21&c&&d=").unwrap();
        let expected = [("a", "1"), ("b", "x y!"), ("c", ""), ("d", "")];
        assert_eq!(pairs, expected.map(|(key, value)| (key.to_owned(), value.to_owned())));
    }

    #[test]
    fn rejects_malformed_escape() {
        assert_eq!(decode_pairs(b"x=%zz").unwrap_err(), "malformed percent-encoding `%zz`: write `%` itself as `%25`");
        assert!(decode_pairs(b"x=%4").is_err());
    }

    #[test]
    fn rejects_invalid_utf8() {
        let error = decode_pairs(b"name=%ff").unwrap_err();
        assert_eq!(error, "`\u{fffd}` is not valid UTF-8 once percent-decoded: encode text as UTF-8");
    }
}
