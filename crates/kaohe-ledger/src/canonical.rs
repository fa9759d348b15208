//! RFC 8785 canonical JSON: the one byte form in which events are stored, hashed and exported.
//!
//! The JSON Canonicalization Scheme (JCS) fixes every choice that plain JSON leaves open:
//! object members are sorted by the UTF-16 code units of their names, there is no whitespace,
//! strings are escaped exactly as ECMAScript's `JSON.stringify` escapes them, and numbers are
//! written as ECMAScript's `Number.prototype.toString` writes them. Two parties holding the same
//! data therefore produce the same bytes, which is what makes hashes over events comparable.
//!
//! On top of RFC 8785 this module refuses integers whose magnitude exceeds 2^53 − 1
//! ([`INTEGER_ABS_MAX`]), because beyond that bound an ECMAScript reader (and any other
//! IEEE-754 double reader) can no longer tell neighbouring integers apart, so the hashed bytes
//! and the value a verifier sees would silently disagree.
//!
//! serde_json must be built with its `float_roundtrip` feature. Its default number parser is
//! off by one unit in the last place for many doubles, so without the feature
//! [`parse_canonical`] would refuse canonical bytes written by other implementations and values
//! read from non-canonical input would change; the tests fail loudly if the feature is missing.
//! Member order does not depend on serde_json's map type: the order is checked and, where
//! needed, re-established, so enabling `preserve_order` somewhere else in a build stays harmless.

use std::cmp::Ordering;

use serde_json::{Map, Number, Value};

/// The largest integer magnitude accepted, 2^53 − 1: every integer up to it is exactly
/// representable as an IEEE-754 double, so every JSON reader agrees on its value.
pub const INTEGER_ABS_MAX: u64 = (1 << 53) - 1;

/// Why a value could not be canonicalised or why bytes are not in canonical form.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum CanonicalError {
    /// The bytes do not parse as a single JSON value; this includes invalid UTF-8,
    /// trailing garbage and empty input.
    #[error("not JSON: {reason}")]
    NotJson {
        /// What is wrong, and where.
        reason: NotJsonReason,
    },
    /// An integer lies outside ±(2^53 − 1), where IEEE-754 doubles lose integer precision.
    #[error("integer {value} is outside ±{max}", max = INTEGER_ABS_MAX)]
    IntegerOutOfRange {
        /// The offending integer in decimal.
        value: String,
    },
    /// The bytes parse as JSON, but they are not the canonical form of what they parse to.
    #[error("not in RFC 8785 canonical form (first difference at byte {offset})")]
    NotCanonical {
        /// Position of the first byte that differs from the canonical form; when the input is a
        /// strict prefix of the canonical form, or the reverse, this is the shorter length.
        offset: usize,
    },
}

/// Why bytes are not JSON at all, in words that do not depend on the parser.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone, Copy)]
pub enum NotJsonReason {
    /// Nothing but white space, or nothing.
    #[error("there is no value")]
    Empty,
    /// A byte sequence that is not UTF-8.
    #[error("the bytes at offset {0} are not UTF-8")]
    NotUtf8(usize),
    /// The text ends inside the value.
    #[error("the text ends before the value does")]
    CutShort,
    /// Anything else: a token that is not JSON, or more after the value.
    #[error("it stops being JSON at byte {0}")]
    Invalid(usize),
}

impl NotJsonReason {
    /// Classify the parser's refusal of `bytes`, using only its kind and position.
    fn of(bytes: &[u8], error: &serde_json::Error) -> NotJsonReason {
        if let Err(invalid) = std::str::from_utf8(bytes) {
            return NotJsonReason::NotUtf8(invalid.valid_up_to());
        }
        if bytes
            .iter()
            .all(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\r'))
        {
            return NotJsonReason::Empty;
        }
        if error.is_eof() {
            return NotJsonReason::CutShort;
        }
        // The parser counts lines from 1 and columns as bytes from 1 within a line.
        let line_start: usize = bytes
            .split(|byte| *byte == b'\n')
            .take(error.line().saturating_sub(1))
            .map(|line| line.len() + 1)
            .sum();
        NotJsonReason::Invalid((line_start + error.column().saturating_sub(1)).min(bytes.len()))
    }
}

/// Canonical bytes of a JSON value (RFC 8785): object members sorted by the UTF-16 code units of
/// their names, no whitespace, strings escaped as ECMAScript `JSON.stringify` does, numbers as
/// ECMAScript `Number::toString` (ryu-js for `f64`).
///
/// Integers held as `u64`/`i64` must lie within ±[`INTEGER_ABS_MAX`]; numbers held as `f64` are
/// written exactly as RFC 8785 prescribes, whatever their magnitude.
pub fn to_canonical(value: &Value) -> Result<Vec<u8>, CanonicalError> {
    let mut out = Vec::new();
    write_value(value, &mut out)?;
    Ok(out)
}

/// Like [`to_canonical`] but appends to a buffer (to avoid allocation in hot loops).
///
/// On error the buffer is truncated back to its original length, so a caller reusing one buffer
/// for many values never sees a half-written value.
pub fn write_canonical(value: &Value, out: &mut Vec<u8>) -> Result<(), CanonicalError> {
    let start = out.len();
    let result = write_value(value, out);
    if result.is_err() {
        out.truncate(start);
    }
    result
}

/// Canonical bytes of the object `map` less the members named in `without`, exactly as
/// [`to_canonical`] writes the object with those members removed, without copying it.
pub fn object_to_canonical_without(
    map: &Map<String, Value>,
    without: &[&str],
) -> Result<Vec<u8>, CanonicalError> {
    let mut members: Vec<(&String, &Value)> = map
        .iter()
        .filter(|(name, _)| !without.contains(&name.as_str()))
        .collect();
    members.sort_unstable_by(|a, b| cmp_utf16(a.0, b.0));
    let mut out = Vec::new();
    out.put(b"{")?;
    for (i, (name, item)) in members.into_iter().enumerate() {
        write_member(i, name, item, &mut out)?;
    }
    out.put(b"}")?;
    Ok(out)
}

/// Parse bytes and check they are exactly the canonical form of what they parse to; returns the
/// parsed value.
///
/// Duplicate member names are refused as a consequence of this check: the parser keeps one of
/// the values, so the re-serialised form is shorter than the input. When the bytes contain both
/// an out-of-range integer and a non-canonical spelling, the error reports whichever comes first.
pub fn parse_canonical(bytes: &[u8]) -> Result<Value, CanonicalError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|error| CanonicalError::NotJson {
        reason: NotJsonReason::of(bytes, &error),
    })?;
    // The canonical form is compared against the input while it is being produced rather than
    // materialised, so verification stops at the first differing byte and allocates nothing
    // beyond the parsed value (and, for the rare objects that need re-sorting, a member list).
    let mut cmp = Compare {
        expected: bytes,
        pos: 0,
    };
    write_value(&value, &mut cmp)?;
    if cmp.pos != bytes.len() {
        return Err(CanonicalError::NotCanonical { offset: cmp.pos });
    }
    Ok(value)
}

/// Destination of canonical bytes: either a buffer, or a comparison against expected bytes.
trait Sink {
    /// Appends `bytes`, or fails as soon as the output can no longer match what is expected.
    fn put(&mut self, bytes: &[u8]) -> Result<(), CanonicalError>;
}

impl Sink for Vec<u8> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<(), CanonicalError> {
        self.extend_from_slice(bytes);
        Ok(())
    }
}

/// Compares the canonical form, piece by piece, with bytes that claim to be canonical.
struct Compare<'a> {
    expected: &'a [u8],
    pos: usize,
}

impl Sink for Compare<'_> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<(), CanonicalError> {
        let rest = self.expected.get(self.pos..).unwrap_or_default();
        let n = bytes.len().min(rest.len());
        if bytes[..n] != rest[..n] {
            let i = bytes
                .iter()
                .zip(rest)
                .position(|(a, b)| a != b)
                .unwrap_or(n);
            return Err(CanonicalError::NotCanonical {
                offset: self.pos + i,
            });
        }
        self.pos += n;
        if n < bytes.len() {
            // The input ended while the canonical form goes on.
            return Err(CanonicalError::NotCanonical { offset: self.pos });
        }
        Ok(())
    }
}

fn write_value<S: Sink>(value: &Value, out: &mut S) -> Result<(), CanonicalError> {
    match value {
        Value::Null => out.put(b"null"),
        Value::Bool(true) => out.put(b"true"),
        Value::Bool(false) => out.put(b"false"),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.put(b"[")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.put(b",")?;
                }
                write_value(item, out)?;
            }
            out.put(b"]")
        }
        Value::Object(map) => write_object(map, out),
    }
}

fn write_object<S: Sink>(map: &Map<String, Value>, out: &mut S) -> Result<(), CanonicalError> {
    out.put(b"{")?;
    if is_utf16_sorted(map) {
        // Without `preserve_order` the map iterates in UTF-8 byte order, which equals UTF-16
        // order unless names mix U+E000..U+FFFF with characters above U+FFFF; checking instead
        // of assuming keeps this correct even if feature unification turns the map into an
        // insertion-ordered one.
        for (i, (name, item)) in map.iter().enumerate() {
            write_member(i, name, item, out)?;
        }
    } else {
        let mut members: Vec<(&String, &Value)> = map.iter().collect();
        // Names in a map are unique, so an unstable sort yields the one correct order.
        members.sort_unstable_by(|a, b| cmp_utf16(a.0, b.0));
        for (i, (name, item)) in members.into_iter().enumerate() {
            write_member(i, name, item, out)?;
        }
    }
    out.put(b"}")
}

#[inline]
fn write_member<S: Sink>(
    index: usize,
    name: &str,
    item: &Value,
    out: &mut S,
) -> Result<(), CanonicalError> {
    if index > 0 {
        out.put(b",")?;
    }
    write_string(name, out)?;
    out.put(b":")?;
    write_value(item, out)
}

fn is_utf16_sorted(map: &Map<String, Value>) -> bool {
    let mut names = map.keys();
    let Some(mut prev) = names.next() else {
        return true;
    };
    for name in names {
        if cmp_utf16(prev, name) != Ordering::Less {
            return false;
        }
        prev = name;
    }
    true
}

/// Orders strings by their UTF-16 code units, as RFC 8785 §3.2.3 requires, without transcoding.
///
/// UTF-8 byte order equals code point order, and code point order equals UTF-16 order except
/// that U+E000..U+FFFF (one code unit, 0xE000..0xFFFF) sort after every character above U+FFFF
/// (whose leading surrogate is 0xD800..0xDBFF). Only the first differing character decides, so
/// it alone is mapped onto a key that restores UTF-16 order.
pub(crate) fn cmp_utf16(a: &str, b: &str) -> Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let Some(i) = ab.iter().zip(bb).position(|(x, y)| x != y) else {
        return ab.len().cmp(&bb.len());
    };
    // The shared prefix is valid UTF-8, so both strings have a character boundary at the same
    // place before the first differing byte; continuation bytes look like 0b10xx_xxxx.
    let mut start = i;
    while start > 0 && ab[start] & 0xC0 == 0x80 {
        start -= 1;
    }
    let first = |s: &str| s.get(start..).and_then(|t| t.chars().next());
    match (first(a), first(b)) {
        (Some(x), Some(y)) => utf16_rank(x).cmp(&utf16_rank(y)),
        // Unreachable for valid `str`; a byte comparison still gives a total order.
        _ => ab.cmp(bb),
    }
}

#[inline]
fn utf16_rank(c: char) -> u32 {
    let c = u32::from(c);
    if (0xE000..=0xFFFF).contains(&c) {
        // Lift above U+10FFFF so these sort after all surrogate pairs.
        c + 0x11_0000
    } else {
        c
    }
}

fn write_number<S: Sink>(n: &Number, out: &mut S) -> Result<(), CanonicalError> {
    if let Some(u) = n.as_u64() {
        if u > INTEGER_ABS_MAX {
            return Err(out_of_range(n));
        }
        write_decimal(u, false, out)
    } else if let Some(i) = n.as_i64() {
        let magnitude = i.unsigned_abs();
        if magnitude > INTEGER_ABS_MAX {
            return Err(out_of_range(n));
        }
        write_decimal(magnitude, i < 0, out)
    } else if let Some(f) = n.as_f64() {
        if f == 0.0 {
            // ECMAScript writes negative zero as "0".
            return out.put(b"0");
        }
        // serde_json refuses to hold NaN or infinities, so `f` is finite here, which is what
        // `format_finite` needs; RFC 8785 §3.2.2.3 would reject those values anyway.
        let mut buf = ryu_js::Buffer::new();
        out.put(buf.format_finite(f).as_bytes())
    } else {
        // A `Number` is always one of the three representations above without the
        // `arbitrary_precision` feature; refusing is safer than guessing if that ever changes.
        Err(out_of_range(n))
    }
}

fn out_of_range(n: &Number) -> CanonicalError {
    CanonicalError::IntegerOutOfRange {
        value: n.to_string(),
    }
}

fn write_decimal<S: Sink>(mut v: u64, negative: bool, out: &mut S) -> Result<(), CanonicalError> {
    // 20 digits hold u64::MAX and one more byte holds the sign.
    let mut buf = [0u8; 21];
    let mut pos = buf.len();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if negative {
        pos -= 1;
        buf[pos] = b'-';
    }
    out.put(&buf[pos..])
}

/// What a byte turns into inside a string: 0 for itself, `u` for `\u00xx`, otherwise the letter
/// after the backslash. Only bytes below 0x20, `"` and `\` are escaped (RFC 8785 §3.2.2.2); all
/// other characters, including U+007F and U+2028, are written as their UTF-8 bytes.
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0A] = b'n';
    table[0x0C] = b'f';
    table[0x0D] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

fn write_string<S: Sink>(s: &str, out: &mut S) -> Result<(), CanonicalError> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.put(b"\"")?;
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc = ESCAPE[usize::from(b)];
        if esc == 0 {
            continue;
        }
        // Copy the run of bytes that need no escaping in one piece.
        out.put(&bytes[run_start..i])?;
        if esc == b'u' {
            out.put(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xF)],
            ])?;
        } else {
            out.put(&[b'\\', esc])?;
        }
        run_start = i + 1;
    }
    out.put(&bytes[run_start..])?;
    out.put(b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// One input/output pair from the RFC 8785 reference repository
    /// (github.com/cyberphone/json-canonicalization, `testdata/input` and `testdata/output`).
    struct Vector {
        name: &'static str,
        input: &'static [u8],
        output: &'static [u8],
    }

    macro_rules! vector {
        ($name:literal) => {
            Vector {
                name: $name,
                input: include_bytes!(concat!("../testdata/jcs/input/", $name, ".json")),
                output: include_bytes!(concat!("../testdata/jcs/output/", $name, ".json")),
            }
        };
    }

    const VECTORS: [Vector; 6] = [
        vector!("arrays"),
        vector!("french"),
        vector!("structures"),
        vector!("unicode"),
        vector!("values"),
        vector!("weird"),
    ];

    fn canon_str(value: &Value) -> String {
        String::from_utf8(to_canonical(value).expect("canonicalisable")).expect("UTF-8")
    }

    fn number_from_bits(bits: u64) -> Value {
        Value::Number(Number::from_f64(f64::from_bits(bits)).expect("finite"))
    }

    #[test]
    fn rfc8785_reference_vectors() {
        for v in &VECTORS {
            // The upstream output files carry no trailing newline, so they are compared verbatim.
            assert_ne!(v.output.last(), Some(&b'\n'), "{}", v.name);
            let parsed: Value = serde_json::from_slice(v.input).expect(v.name);
            assert_eq!(
                to_canonical(&parsed).expect(v.name),
                v.output,
                "vector {}",
                v.name
            );
            // Compared through the canonical form, because `56.0` in an input parses as a double
            // while its canonical spelling `56` parses as an integer.
            let reparsed = parse_canonical(v.output).expect(v.name);
            assert_eq!(
                to_canonical(&reparsed).expect(v.name),
                v.output,
                "{}",
                v.name
            );
            // Every input is pretty-printed, so none of them is canonical itself.
            assert!(
                matches!(
                    parse_canonical(v.input),
                    Err(CanonicalError::NotCanonical { .. })
                ),
                "{}",
                v.name
            );
        }
    }

    #[test]
    fn rfc8785_appendix_b_numbers() {
        // IEEE-754 bit patterns and their expected text from RFC 8785 Appendix B, plus the sample
        // lines published next to the reference test data.
        let cases: [(u64, &str); 26] = [
            (0x0000000000000000, "0"),
            (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"),
            (0x8000000000000001, "-5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0xffefffffffffffff, "-1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"),
            (0xc340000000000000, "-9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"),
            (0x44b52d02c7e14af6, "1e+23"),
            (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
            (0x444b1ae4d6e2ef4e, "999999999999999700000"),
            (0x444b1ae4d6e2ef4f, "999999999999999900000"),
            (0x444b1ae4d6e2ef50, "1e+21"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
            (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x41b3de4355555553, "333333333.3333332"),
            (0x41b3de4355555554, "333333333.33333325"),
            (0x41b3de4355555555, "333333333.3333333"),
            (0x41b3de4355555556, "333333333.3333334"),
            (0x41b3de4355555557, "333333333.33333343"),
            (0xbecbf647612f3696, "-0.0000033333333333333333"),
            (0x43143ff3c1cb0959, "1424953923781206.2"),
            (0x4340000000000001, "9007199254740994"),
            (0x4340000000000002, "9007199254740996"),
        ];
        for (bits, expected) in cases {
            assert_eq!(canon_str(&number_from_bits(bits)), expected, "{bits:016x}");
        }
        // Appendix B also lists NaN and Infinity as errors; serde_json cannot even hold them.
        assert!(Number::from_f64(f64::NAN).is_none());
        assert!(Number::from_f64(f64::INFINITY).is_none());
    }

    #[test]
    fn numbers_from_text() {
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("-0.0", "0"),
            ("1e21", "1e+21"),
            ("5e-324", "5e-324"),
            ("0.000001", "0.000001"),
            ("1e-7", "1e-7"),
            ("333333333.33333329", "333333333.3333333"),
            ("9007199254740991", "9007199254740991"),
            ("-9007199254740991", "-9007199254740991"),
            ("56.0", "56"),
            ("4.50", "4.5"),
            ("1E30", "1e+30"),
            ("2e-3", "0.002"),
            ("-1", "-1"),
            ("100", "100"),
        ];
        for (text, expected) in cases {
            let value: Value = serde_json::from_str(text).expect(text);
            assert_eq!(canon_str(&value), expected, "{text}");
        }
    }

    #[test]
    fn doubles_are_parsed_exactly() {
        // Without serde_json's `float_roundtrip` feature its parser is off by one unit in the
        // last place for roughly a third of all doubles' shortest texts, which would make
        // parse_canonical refuse canonical bytes from other implementations and would change
        // values read from non-canonical input (this one is the RFC 8785 §3.2.2 example).
        let value: Value = serde_json::from_str("333333333.33333329").expect("number");
        assert_eq!(value.as_f64().map(f64::to_bits), Some(0x41b3de4355555555));
        let value: Value = serde_json::from_str("1.0715660391465826e-75").expect("number");
        assert_eq!(canon_str(&value), "1.0715660391465826e-75");
    }

    #[test]
    fn integer_range() {
        for ok in [
            json!(9007199254740991u64),
            json!(-9007199254740991i64),
            json!(0),
        ] {
            assert_eq!(canon_str(&ok), ok.to_string());
        }
        for (bad, text) in [
            (json!(9007199254740992u64), "9007199254740992"),
            (json!(-9007199254740992i64), "-9007199254740992"),
            (json!(u64::MAX), "18446744073709551615"),
            (json!(i64::MIN), "-9223372036854775808"),
        ] {
            let expected = CanonicalError::IntegerOutOfRange {
                value: text.to_owned(),
            };
            assert_eq!(to_canonical(&bad), Err(expected.clone()));
            assert_eq!(to_canonical(&json!({ "a": [bad] })), Err(expected.clone()));
            assert_eq!(parse_canonical(text.as_bytes()), Err(expected));
        }
    }

    #[test]
    fn integral_doubles_beyond_range_are_written_but_not_reparsed() {
        // A double is written the RFC 8785 way whatever its magnitude (Appendix B has 2^53),
        // but text that serde_json reads back as a u64 or i64 is an integer, and beyond
        // ±(2^53 − 1) the range check refuses it. Events refuse every double on their own
        // (`event::EventError::FloatNotAllowed`), so nothing beyond the range reaches the ledger.
        let big = number_from_bits(0x4340000000000000);
        assert_eq!(canon_str(&big), "9007199254740992");
        for text in [
            "9007199254740992",
            "-9007199254740992",
            "18446744073709551615",
        ] {
            assert!(
                matches!(
                    parse_canonical(text.as_bytes()),
                    Err(CanonicalError::IntegerOutOfRange { .. })
                ),
                "{text}"
            );
        }
        // Beyond the u64 and i64 ranges serde_json reads doubles, and those round-trip.
        for text in ["295147905179352830000", "-9223372036854776000"] {
            assert!(
                parse_canonical(text.as_bytes())
                    .expect("canonical double")
                    .is_f64()
            );
        }
    }

    #[test]
    fn string_escaping() {
        let mut all_controls = String::new();
        let mut expected = String::from("\"");
        for c in 0u8..0x20 {
            all_controls.push(char::from(c));
            expected.push_str(&match c {
                0x08 => "\\b".to_owned(),
                0x09 => "\\t".to_owned(),
                0x0A => "\\n".to_owned(),
                0x0C => "\\f".to_owned(),
                0x0D => "\\r".to_owned(),
                _ => format!("\\u{c:04x}"),
            });
        }
        expected.push('"');
        assert_eq!(canon_str(&json!(all_controls)), expected);
        assert_eq!(canon_str(&json!("\u{1b}\u{1f}")), r#""\u001b\u001f""#);
        assert_eq!(canon_str(&json!("a\"b\\c")), r#""a\"b\\c""#);
        // Slash, DEL, the line/paragraph separators and non-ASCII text stay literal.
        assert_eq!(
            canon_str(&json!("/\u{7f}\u{2028}\u{2029}é€😀")),
            "\"/\u{7f}\u{2028}\u{2029}é€😀\""
        );
        assert_eq!(canon_str(&json!("")), "\"\"");
        assert_eq!(canon_str(&json!("plain")), "\"plain\"");
        assert_eq!(canon_str(&json!("\n")), r#""\n""#);
        assert_eq!(canon_str(&json!("x\u{0}")), r#""x\u0000""#);
    }

    #[test]
    fn member_names_sort_by_utf16_code_units() {
        // RFC 8785 §3.2.3: U+1F600 is the pair D83D DE00 and so precedes U+FB33, although its
        // UTF-8 bytes (F0 ...) follow those of U+FB33 (EF ...).
        let value = json!({
            "\u{20ac}": "Euro Sign",
            "\r": "Carriage Return",
            "\u{fb33}": "Hebrew Letter Dalet With Dagesh",
            "1": "One",
            "\u{1f600}": "Emoji: Grinning Face",
            "\u{80}": "Control",
            "\u{f6}": "Latin Small Letter O With Diaeresis"
        });
        assert_eq!(
            canon_str(&value),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\
             \"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\
             \"\u{1f600}\":\"Emoji: Grinning Face\",\
             \"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        );
        assert_eq!(
            canon_str(&json!({"b": 1, "": 2, "ab": 3, "a": 4, "aa": 5, "B": 6})),
            r#"{"":2,"B":6,"a":4,"aa":5,"ab":3,"b":1}"#
        );
        assert_eq!(cmp_utf16("\u{1f600}", "\u{fb33}"), Ordering::Less);
        assert_eq!(cmp_utf16("x\u{ffff}", "x\u{10000}"), Ordering::Greater);
        assert_eq!(cmp_utf16("\u{d7ff}", "\u{10000}"), Ordering::Less);
        assert_eq!(cmp_utf16("a", "ab"), Ordering::Less);
        assert_eq!(cmp_utf16("same", "same"), Ordering::Equal);
        // Same leading byte, first difference in a continuation byte.
        assert_eq!(cmp_utf16("\u{e001}", "\u{e002}"), Ordering::Less);
        assert_eq!(cmp_utf16("\u{1f601}", "\u{1f600}"), Ordering::Greater);
    }

    #[test]
    fn structure_and_literals() {
        assert_eq!(canon_str(&json!(null)), "null");
        assert_eq!(canon_str(&json!(true)), "true");
        assert_eq!(canon_str(&json!(false)), "false");
        assert_eq!(canon_str(&json!([])), "[]");
        assert_eq!(canon_str(&json!({})), "{}");
        assert_eq!(
            canon_str(&json!({"z": {"b": 1, "a": [3, 1, 2]}, "y": [{"m": 1, "k": 2}]})),
            r#"{"y":[{"k":2,"m":1}],"z":{"a":[3,1,2],"b":1}}"#
        );
    }

    #[test]
    fn write_canonical_appends_and_rolls_back() {
        let mut buf = b"prefix:".to_vec();
        write_canonical(&json!({"b": 1, "a": 2}), &mut buf).expect("ok");
        assert_eq!(buf, br#"prefix:{"a":2,"b":1}"#);
        let bad = json!({"a": "long enough to be written first", "b": u64::MAX});
        assert!(matches!(
            write_canonical(&bad, &mut buf),
            Err(CanonicalError::IntegerOutOfRange { .. })
        ));
        assert_eq!(buf, br#"prefix:{"a":2,"b":1}"#);
    }

    #[test]
    fn parse_canonical_refuses_non_canonical_bytes() {
        let not_canonical: [(&[u8], usize); 15] = [
            (b"{\"a\": 1}", 5),
            (b" {}", 0),
            (b"{}\n", 2),
            (b"[1, 2]", 3),
            (b"{\"b\":1,\"a\":2}", 2),
            (b"{\"a\":1,\"a\":2}", 5),
            (b"1.0", 1),
            (b"1e2", 1),
            (b"-0", 0),
            (b"\"\\u00E9\"", 1),
            (b"\"\\u00e9\"", 1),
            (b"\"\\u001F\"", 6),
            (b"\"\\/\"", 1),
            (b"\"\\u0041\"", 1),
            ("{\"\u{fb33}\":1,\"\u{1f600}\":2}".as_bytes(), 2),
        ];
        for (bytes, offset) in not_canonical {
            assert_eq!(
                parse_canonical(bytes),
                Err(CanonicalError::NotCanonical { offset }),
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
        let not_json: [&[u8]; 9] = [
            b"",
            b"   ",
            b"{}x",
            b"{}{}",
            b"\"\xff\"",
            b"\"\xed\xa0\x80\"",
            b"\xef\xbb\xbf{}",
            b"{\"a\":1,}",
            b"\"\\ud800\"",
        ];
        for bytes in not_json {
            assert!(
                matches!(parse_canonical(bytes), Err(CanonicalError::NotJson { .. })),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn not_json_is_said_in_kaohes_words_with_the_place() {
        let reason = |bytes: &[u8]| match parse_canonical(bytes) {
            Err(CanonicalError::NotJson { reason }) => reason,
            other => panic!("{bytes:?} gave {other:?}"),
        };
        assert_eq!(reason(b""), NotJsonReason::Empty);
        assert_eq!(reason(b" \n"), NotJsonReason::Empty);
        assert_eq!(reason(b"{\"a\":\"\xff\"}"), NotJsonReason::NotUtf8(6));
        assert_eq!(reason(b"{\"a\":"), NotJsonReason::CutShort);
        assert_eq!(reason(b"{\"a\":1}x"), NotJsonReason::Invalid(7));
        assert_eq!(reason(b"{\"a\":\n  x}"), NotJsonReason::Invalid(8));
        assert_eq!(reason(b"\xef\xbb\xbf{}"), NotJsonReason::Invalid(0));
        assert_eq!(
            CanonicalError::NotJson {
                reason: NotJsonReason::Invalid(7)
            }
            .to_string(),
            "not JSON: it stops being JSON at byte 7"
        );
    }

    #[test]
    fn parse_canonical_accepts_canonical_bytes() {
        let canonical: [&[u8]; 12] = [
            b"null",
            b"0",
            b"-1",
            b"1.5",
            b"1e+21",
            b"\"\"",
            b"\"\\u001f\\n\"",
            b"[]",
            b"{}",
            br#"{"":0,"a":[true,false,null],"b":{"c":"d"}}"#,
            "{\"\u{1f600}\":1,\"\u{fb33}\":2}".as_bytes(),
            b"\"\x7f\"",
        ];
        for bytes in canonical {
            let value = parse_canonical(bytes).expect("canonical");
            assert_eq!(to_canonical(&value).expect("canonicalisable"), bytes);
        }
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            CanonicalError::NotCanonical { offset: 3 }.to_string(),
            "not in RFC 8785 canonical form (first difference at byte 3)"
        );
        assert_eq!(
            CanonicalError::IntegerOutOfRange {
                value: "9007199254740992".to_owned()
            }
            .to_string(),
            "integer 9007199254740992 is outside ±9007199254740991"
        );
    }

    /// Characters weighted towards the cases that matter: controls and escapes, the
    /// U+E000..U+FFFF block, characters above U+FFFF, and a tiny alphabet that makes names
    /// share prefixes.
    fn arb_char() -> impl Strategy<Value = char> {
        prop_oneof![
            3 => prop::char::range('a', 'c'),
            1 => prop::char::range('\u{0}', '\u{1f}'),
            1 => prop::sample::select(vec!['"', '\\', '/', '\u{7f}', '\u{2028}']),
            1 => prop::char::range('\u{e000}', '\u{ffff}'),
            1 => prop::char::range('\u{10000}', '\u{10ffff}'),
            1 => any::<char>(),
        ]
    }

    fn arb_string(max: usize) -> impl Strategy<Value = String> {
        prop::collection::vec(arb_char(), 0..max).prop_map(|cs| cs.into_iter().collect())
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let max = INTEGER_ABS_MAX as i64;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-max..=max).prop_map(Value::from),
            prop::sample::select(vec![-max, -1, 0, 1, max]).prop_map(Value::from),
            arb_string(12).prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((arb_string(4), inner), 0..6)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn canonical_form_is_a_fixed_point(v in arb_json()) {
            let bytes = to_canonical(&v).expect("in range");
            let reparsed: Value = serde_json::from_slice(&bytes).expect("valid JSON");
            prop_assert_eq!(to_canonical(&reparsed).expect("in range"), bytes.clone());
            prop_assert_eq!(parse_canonical(&bytes), Ok(v.clone()));
            let mut buf = b"x".to_vec();
            write_canonical(&v, &mut buf).expect("in range");
            prop_assert_eq!(&buf[1..], &bytes[..]);
        }

        #[test]
        fn members_are_in_utf16_order(names in prop::collection::vec(arb_string(4), 0..8)) {
            let map: Map<String, Value> =
                names.iter().map(|n| (n.clone(), Value::Null)).collect();
            let mut sorted: Vec<&String> = map.keys().collect();
            sorted.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            let mut expected = b"{".to_vec();
            for (i, name) in sorted.into_iter().enumerate() {
                if i > 0 {
                    expected.push(b',');
                }
                expected.extend(to_canonical(&Value::String(name.clone())).expect("string"));
                expected.extend(b":null");
            }
            expected.push(b'}');
            prop_assert_eq!(to_canonical(&Value::Object(map)).expect("names"), expected);
        }

        #[test]
        fn utf16_comparison_matches_reference(a in arb_string(6), b in arb_string(6)) {
            prop_assert_eq!(cmp_utf16(&a, &b), a.encode_utf16().cmp(b.encode_utf16()));
            let prefixed = format!("{a}{b}");
            prop_assert_eq!(
                cmp_utf16(&a, &prefixed),
                a.encode_utf16().cmp(prefixed.encode_utf16())
            );
        }

        #[test]
        fn doubles_round_trip_through_their_text(bits in any::<u64>()) {
            let f = f64::from_bits(bits);
            prop_assume!(f.is_finite());
            let text = canon_str(&Value::Number(Number::from_f64(f).expect("finite")));
            let back: f64 = text.parse().expect("number text");
            prop_assert_eq!(back, f);
            // The verifier must accept that text as canonical and read back the same double.
            let parsed = parse_canonical(text.as_bytes());
            // Plain digits that serde_json reads as a u64 or i64 are integers, refused beyond
            // the safe range; everything else reads back as the same double.
            let read_as_integer = f.fract() == 0.0
                && ((f > 0.0 && f < 18446744073709551616.0)
                    || (-9223372036854775808.0..0.0).contains(&f));
            if read_as_integer && f.abs() > 9007199254740991.0 {
                let refused = matches!(parsed, Err(CanonicalError::IntegerOutOfRange { .. }));
                prop_assert!(refused, "{}", text);
            } else {
                let parsed = parsed.expect("canonical");
                prop_assert_eq!(parsed.as_f64(), Some(f));
            }
        }

        #[test]
        fn parse_canonical_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let _ = parse_canonical(&bytes);
        }

        #[test]
        fn parse_canonical_survives_mutations(
            v in arb_json(),
            at in any::<prop::sample::Index>(),
            byte in any::<u8>(),
        ) {
            let mut bytes = to_canonical(&v).expect("in range");
            let i = at.index(bytes.len());
            bytes[i] = byte;
            if let Ok(parsed) = parse_canonical(&bytes) {
                // Whatever is accepted must be exactly the canonical form of its value.
                prop_assert_eq!(to_canonical(&parsed).expect("accepted"), bytes);
            }
        }
    }

    #[test]
    fn an_object_written_without_members_is_the_object_with_them_removed() {
        let value = json!({
            "position": 7, "id": "x", "payload": {"b": [1, "二"], "a": null},
            "\u{e000}": 1, "\u{1f600}": 2, "type": "entry_written", "z": {"id": "kept"}
        });
        let map = value.as_object().unwrap();
        for without in [&[][..], &["id"][..], &["position", "id", "nothing"][..]] {
            let mut removed = value.clone();
            for name in without {
                removed.as_object_mut().unwrap().remove(*name);
            }
            assert_eq!(
                object_to_canonical_without(map, without).unwrap(),
                to_canonical(&removed).unwrap()
            );
        }
    }
}
