//! One pass over an event's bytes that checks its canonical form (RFC 8785, integers only)
//! and lays out its values on a tape, borrowed from the bytes: what the compiled schema checks
//! (`schema.rs`, written by `build.rs` from `schemas/`) and the envelope's reader work on,
//! without building a `serde_json::Value`.
//!
//! The scanner accepts exactly the bytes that `canonical::parse_canonical` accepts and in which
//! no number has a fraction or an exponent, and no others: no white space, members in
//! increasing UTF-16 order of their names (so no name twice), strings escaped only where
//! RFC 8785 escapes and only as it does, integers without leading zeros or `-0` within
//! ±(2^53 − 1), nesting no deeper than the JSON parser allows. It does not say why it refuses:
//! a refused event is rare, and the slow path (`parse_canonical` and the float check) then
//! gives the words.

use std::borrow::Cow;

use crate::canonical::INTEGER_ABS_MAX;

/// What kind of value a tape entry holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Boolean,
    Integer,
    String,
    Array,
    Object,
}

/// One value on the tape.
#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    /// Its bytes in the event: a string's without its quotes, a container's whole.
    start: u32,
    end: u32,
    /// The entry after this value and everything inside it.
    next: u32,
    /// A container's members or items; a string's characters.
    count: u32,
    /// Whether a string holds an escape.
    escaped: bool,
    /// An integer's value.
    int: i64,
}

/// The values of one event, in the order of its bytes; an object's entries are its members'
/// names and values in turn.
#[derive(Debug, Default)]
pub(crate) struct Tape<'a> {
    bytes: &'a [u8],
    tokens: Vec<Token>,
}

/// The deepest nesting of arrays and objects serde_json parses (its recursion limit): the
/// scanner refuses deeper nesting as the parser does.
const DEPTH_MAX: usize = 127;

impl<'a> Tape<'a> {
    /// Scan `bytes`; `None` if they are not canonical JSON with integers only.
    pub(crate) fn scan(bytes: &'a [u8]) -> Option<Tape<'a>> {
        std::str::from_utf8(bytes).ok()?;
        let mut scanner = Scanner {
            bytes,
            at: 0,
            tokens: Vec::with_capacity(64),
        };
        scanner.value(0)?;
        if scanner.at != bytes.len() {
            return None;
        }
        Some(Tape {
            bytes,
            tokens: scanner.tokens,
        })
    }

    /// The kind of the value at `at`.
    pub(crate) fn kind(&self, at: usize) -> Kind {
        self.tokens[at].kind
    }

    /// An integer's value.
    pub(crate) fn int(&self, at: usize) -> i64 {
        self.tokens[at].int
    }

    /// A container's number of members or items.
    pub(crate) fn len(&self, at: usize) -> u32 {
        self.tokens[at].count
    }

    /// A string's number of characters (Unicode scalar values).
    pub(crate) fn chars(&self, at: usize) -> u32 {
        self.tokens[at].count
    }

    /// A string's bytes between its quotes, as they stand in the event (escapes unread).
    pub(crate) fn raw(&self, at: usize) -> &'a [u8] {
        let token = &self.tokens[at];
        &self.bytes[token.start as usize..token.end as usize]
    }

    /// A string's raw bytes as text: for the fields whose schema forbids escapes.
    pub(crate) fn raw_str(&self, at: usize) -> &'a str {
        std::str::from_utf8(self.raw(at)).expect("the scanner checked UTF-8")
    }

    /// A string's value: its bytes with every escape read.
    pub(crate) fn text(&self, at: usize) -> Cow<'a, [u8]> {
        let raw = self.raw(at);
        if !self.tokens[at].escaped {
            return Cow::Borrowed(raw);
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut index = 0;
        while index < raw.len() {
            if raw[index] != b'\\' {
                out.push(raw[index]);
                index += 1;
                continue;
            }
            out.push(match raw[index + 1] {
                b'b' => 0x08,
                b't' => b'\t',
                b'n' => b'\n',
                b'f' => 0x0C,
                b'r' => b'\r',
                b'u' => hex(raw[index + 4]) << 4 | hex(raw[index + 5]),
                other => other,
            });
            index += if raw[index + 1] == b'u' { 6 } else { 2 };
        }
        Cow::Owned(out)
    }

    /// A value's JSON text, exactly as it stands in the event (its canonical form).
    pub(crate) fn json(&self, at: usize) -> &'a [u8] {
        let token = &self.tokens[at];
        match token.kind {
            Kind::String => &self.bytes[token.start as usize - 1..token.end as usize + 1],
            _ => &self.bytes[token.start as usize..token.end as usize],
        }
    }

    /// Where a value's JSON text starts and ends in the event (a string's with its quotes).
    pub(crate) fn json_span(&self, at: usize) -> (u32, u32) {
        let token = &self.tokens[at];
        match token.kind {
            Kind::String => (token.start - 1, token.end + 1),
            _ => (token.start, token.end),
        }
    }

    /// A value's JSON text as `str`.
    pub(crate) fn json_str(&self, at: usize) -> &'a str {
        std::str::from_utf8(self.json(at)).expect("the scanner checked UTF-8")
    }

    /// An object's members: (name, value) entries.
    pub(crate) fn members(&self, at: usize) -> Members<'_, 'a> {
        Members {
            tape: self,
            at: at + 1,
            end: self.tokens[at].next as usize,
        }
    }

    /// An array's items.
    pub(crate) fn items(&self, at: usize) -> Items<'_, 'a> {
        Items {
            tape: self,
            at: at + 1,
            end: self.tokens[at].next as usize,
        }
    }

    /// The member `name` of the object at `at`.
    pub(crate) fn member(&self, at: usize, name: &[u8]) -> Option<usize> {
        self.members(at)
            .find(|(key, _)| self.raw(*key) == name)
            .map(|(_, value)| value)
    }

    /// Whether no two items of the array at `at` are equal. Canonical JSON has one spelling of
    /// each value, so equal values have equal bytes.
    pub(crate) fn items_unique(&self, at: usize) -> bool {
        let items: Vec<&[u8]> = self.items(at).map(|item| self.json(item)).collect();
        let mut sorted = items.clone();
        sorted.sort_unstable();
        sorted.windows(2).all(|pair| pair[0] != pair[1])
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;
const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// Whether any byte of `word` is zero (nonzero exactly then).
fn has_zero(word: u64) -> bool {
    word.wrapping_sub(ONES) & !word & HIGHS != 0
}

/// Whether any byte of `word` is a quote, a backslash or below 0x20.
fn is_special(word: u64) -> bool {
    has_zero(word ^ (ONES * u64::from(b'"')))
        || has_zero(word ^ (ONES * u64::from(b'\\')))
        || word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0
}

/// How many bytes of `word` continue a UTF-8 character (`10xxxxxx`).
fn continuation_bytes(word: u64) -> u32 {
    let marks = (word & (ONES * 0xC0)) ^ HIGHS;
    // 0x80 in each byte of `marks` that is zero, exactly.
    let zero = !(((marks & LOWS).wrapping_add(LOWS)) | marks | LOWS);
    zero.count_ones()
}

fn hex(byte: u8) -> u8 {
    match byte {
        b'0'..=b'9' => byte - b'0',
        _ => byte - b'a' + 10,
    }
}

/// An object's members, each as (name entry, value entry).
pub(crate) struct Members<'t, 'a> {
    tape: &'t Tape<'a>,
    at: usize,
    end: usize,
}

impl Iterator for Members<'_, '_> {
    type Item = (usize, usize);
    fn next(&mut self) -> Option<(usize, usize)> {
        if self.at >= self.end {
            return None;
        }
        let key = self.at;
        self.at = self.tape.tokens[key + 1].next as usize;
        Some((key, key + 1))
    }
}

/// An array's items, each an entry.
pub(crate) struct Items<'t, 'a> {
    tape: &'t Tape<'a>,
    at: usize,
    end: usize,
}

impl Iterator for Items<'_, '_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.at >= self.end {
            return None;
        }
        let item = self.at;
        self.at = self.tape.tokens[item].next as usize;
        Some(item)
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    tokens: Vec<Token>,
}

impl Scanner<'_> {
    fn push(&mut self, kind: Kind, start: usize) -> usize {
        self.tokens.push(Token {
            kind,
            start: start as u32,
            end: start as u32,
            next: 0,
            count: 0,
            escaped: false,
            int: 0,
        });
        self.tokens.len() - 1
    }

    fn literal(&mut self, text: &[u8], kind: Kind) -> Option<()> {
        if !self.bytes[self.at..].starts_with(text) {
            return None;
        }
        let index = self.push(kind, self.at);
        self.at += text.len();
        self.close(index);
        Some(())
    }

    fn close(&mut self, index: usize) {
        let next = self.tokens.len() as u32;
        let token = &mut self.tokens[index];
        token.end = if token.kind == Kind::String {
            token.end
        } else {
            self.at as u32
        };
        token.next = next;
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        match *self.bytes.get(self.at)? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => self.string().map(drop),
            b't' => self.literal(b"true", Kind::Boolean),
            b'f' => self.literal(b"false", Kind::Boolean),
            b'n' => self.literal(b"null", Kind::Null),
            b'-' | b'0'..=b'9' => self.integer(),
            _ => None,
        }
    }

    fn integer(&mut self) -> Option<()> {
        let start = self.at;
        let negative = self.bytes[self.at] == b'-';
        if negative {
            self.at += 1;
        }
        let digits = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let count = self.at - digits;
        // A fraction or an exponent is a float; leading zeros and -0 are not canonical.
        if count == 0
            || count > 16
            || (count > 1 && self.bytes[digits] == b'0')
            || matches!(self.bytes.get(self.at), Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        let magnitude = self.bytes[digits..self.at]
            .iter()
            .fold(0u64, |value, digit| value * 10 + u64::from(digit - b'0'));
        if magnitude > INTEGER_ABS_MAX || (negative && magnitude == 0) {
            return None;
        }
        let index = self.push(Kind::Integer, start);
        self.tokens[index].int = if negative {
            -(magnitude as i64)
        } else {
            magnitude as i64
        };
        self.close(index);
        Some(())
    }

    /// A string at the cursor (its opening quote); returns its entry.
    fn string(&mut self) -> Option<usize> {
        self.at += 1;
        let start = self.at;
        let index = self.push(Kind::String, start);
        let mut chars = 0u32;
        let mut escaped = false;
        loop {
            // Eight bytes at a time while none of them ends the string, starts an escape or is
            // a control character: most of an event's bytes are plain text.
            while let Some(word) = self.bytes.get(self.at..self.at + 8) {
                let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
                if is_special(word) {
                    break;
                }
                chars += 8 - continuation_bytes(word);
                self.at += 8;
            }
            let byte = *self.bytes.get(self.at)?;
            match byte {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    match *self.bytes.get(self.at + 1)? {
                        b'"' | b'\\' | b'b' | b't' | b'n' | b'f' | b'r' => self.at += 2,
                        b'u' => {
                            // Only a control character without a short escape is written as
                            // \u00xx, in lower-case hexadecimal.
                            let code = self.bytes.get(self.at + 2..self.at + 6)?;
                            let valid = code[0] == b'0'
                                && code[1] == b'0'
                                && matches!(code[2], b'0' | b'1')
                                && matches!(code[3], b'0'..=b'9' | b'a'..=b'f');
                            if !valid
                                || matches!(
                                    hex(code[2]) << 4 | hex(code[3]),
                                    0x08 | 0x09 | 0x0A | 0x0C | 0x0D
                                )
                            {
                                return None;
                            }
                            self.at += 6;
                        }
                        _ => return None,
                    }
                    chars += 1;
                }
                0x00..=0x1F => return None,
                _ => {
                    // The bytes are UTF-8 (checked once for the whole event): count the
                    // bytes that begin a character.
                    chars += u32::from(byte & 0xC0 != 0x80);
                    self.at += 1;
                }
            }
        }
        let token = &mut self.tokens[index];
        token.end = self.at as u32;
        token.count = chars;
        token.escaped = escaped;
        self.at += 1;
        self.close(index);
        Some(index)
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth > DEPTH_MAX {
            return None;
        }
        let index = self.push(Kind::Array, self.at);
        self.at += 1;
        let mut count = 0;
        if self.bytes.get(self.at) != Some(&b']') {
            loop {
                self.value(depth)?;
                count += 1;
                match *self.bytes.get(self.at)? {
                    b',' => self.at += 1,
                    b']' => break,
                    _ => return None,
                }
            }
        }
        self.at += 1;
        self.tokens[index].count = count;
        self.close(index);
        Some(())
    }

    fn object(&mut self, depth: usize) -> Option<()> {
        if depth > DEPTH_MAX {
            return None;
        }
        let index = self.push(Kind::Object, self.at);
        self.at += 1;
        let mut count = 0;
        let mut previous: Option<usize> = None;
        if self.bytes.get(self.at) != Some(&b'}') {
            loop {
                if self.bytes.get(self.at) != Some(&b'"') {
                    return None;
                }
                let key = self.string()?;
                if let Some(previous) = previous
                    && !self.names_in_order(previous, key)
                {
                    return None;
                }
                previous = Some(key);
                if self.bytes.get(self.at) != Some(&b':') {
                    return None;
                }
                self.at += 1;
                self.value(depth)?;
                count += 1;
                match *self.bytes.get(self.at)? {
                    b',' => self.at += 1,
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        self.at += 1;
        self.tokens[index].count = count;
        self.close(index);
        Some(())
    }

    /// Whether the member name at `first` sorts strictly before the one at `second`, by UTF-16
    /// code units (RFC 8785 §3.2.3).
    fn names_in_order(&self, first: usize, second: usize) -> bool {
        let raw = |index: usize| {
            let token = &self.tokens[index];
            &self.bytes[token.start as usize..token.end as usize]
        };
        let (a, b) = (raw(first), raw(second));
        let plain = |index: usize, bytes: &[u8]| !self.tokens[index].escaped && bytes.is_ascii();
        if plain(first, a) && plain(second, b) {
            return a < b;
        }
        let tape = Tape {
            bytes: self.bytes,
            tokens: self.tokens.clone(),
        };
        let (a, b) = (tape.text(first), tape.text(second));
        match (std::str::from_utf8(&a), std::str::from_utf8(&b)) {
            (Ok(a), Ok(b)) => crate::canonical::cmp_utf16(a, b) == std::cmp::Ordering::Less,
            _ => false,
        }
    }
}

/// Where a value stands in the event, for a refusal's JSON pointer: built on the stack as the
/// checks descend, and written out only when something is refused.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Place<'p> {
    /// The event itself.
    Root,
    /// A member of an object.
    Member(&'p Place<'p>, &'static str),
    /// An item of an array.
    Item(&'p Place<'p>, usize),
}

impl Place<'_> {
    /// The JSON pointer (RFC 6901) to the place.
    pub(crate) fn pointer(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        let escaped = |name: &str| name.replace('~', "~0").replace('/', "~1");
        match self {
            Place::Root => {}
            Place::Member(parent, name) => {
                parent.write(out);
                out.push('/');
                out.push_str(&escaped(name));
            }
            Place::Item(parent, index) => {
                parent.write(out);
                out.push('/');
                out.push_str(&index.to_string());
            }
        }
    }
}

/// A value the schema refuses: where, what, and the rule it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// The JSON pointer to the value.
    pub(crate) place: String,
    /// The value in JSON when it is not an object or an array.
    pub(crate) subject: Option<String>,
    /// The rule, in kaohe's words (FORMAT.md 8).
    pub(crate) rule: String,
}

/// The longest explanation returned; a longer one is cut.
const EXPLANATION_CHARS_MAX: usize = 300;
/// The most characters of a refused value an explanation quotes; the rest is cut, so that the
/// rule broken always shows.
const QUOTED_CHARS_MAX: usize = 60;

impl Refusal {
    /// The refusal in kaohe's words: `POINTER: VALUE RULE`, cut to 300 characters.
    pub(crate) fn message(&self, prefix: &str) -> String {
        let place = format!("{prefix}{}", self.place);
        let place = if place.is_empty() { "/".into() } else { place };
        let subject = match &self.subject {
            None => String::new(),
            Some(value) => {
                let mut text = value.clone();
                if let Some((cut, _)) = text.char_indices().nth(QUOTED_CHARS_MAX) {
                    text.truncate(cut);
                    text.push('…');
                }
                text + " "
            }
        };
        let mut text = format!("{place}: {subject}{}", self.rule);
        if let Some((cut, _)) = text.char_indices().nth(EXPLANATION_CHARS_MAX) {
            text.truncate(cut);
            text.push('…');
        }
        text
    }
}

/// The refusal of the value at `at`, at `place`, for breaking `rule`.
pub(crate) fn refuse(tape: &Tape<'_>, at: usize, place: &Place<'_>, rule: String) -> Refusal {
    let subject = match tape.kind(at) {
        Kind::Object | Kind::Array => None,
        _ => Some(tape.json_str(at).to_owned()),
    };
    Refusal {
        place: place.pointer(),
        subject,
        rule,
    }
}

/// A compiled check of one schema.
pub(crate) type Checker = fn(&Tape<'_>, usize, &Place<'_>) -> Result<(), Refusal>;

/// JSON Schema's `date` format as the `jsonschema` crate checks it: `YYYY-MM-DD`, a month of
/// the year and a day of that month (29 February in leap years).
pub(crate) fn is_valid_date(text: &[u8]) -> bool {
    if text.len() != 10 || text[4] != b'-' || text[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (
        digits(&text[0..4]),
        digits(&text[5..7]),
        digits(&text[8..10]),
    ) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// JSON Schema's `date-time` format as the `jsonschema` crate checks it: a date, `T` or `t`,
/// `HH:MM:SS` (a leap second only at 23:59:60 UTC), an optional fraction, and `Z`, `z` or an
/// offset `±HH:MM`.
pub(crate) fn is_valid_date_time(text: &[u8]) -> bool {
    let Some(separator) = text.iter().position(|byte| matches!(byte, b'T' | b't')) else {
        return false;
    };
    is_valid_date(&text[..separator]) && is_valid_time(&text[separator + 1..])
}

fn is_valid_time(text: &[u8]) -> bool {
    if text.len() < 9 || text[2] != b':' || text[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (
        digits(&text[0..2]),
        digits(&text[3..5]),
        digits(&text[6..8]),
    ) else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut at = 8;
    if text.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while text.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        if at == start {
            return false;
        }
    }
    match text.get(at) {
        Some(b'Z' | b'z') => at == text.len() - 1 && (second != 60 || (hour == 23 && minute == 59)),
        Some(sign @ (b'+' | b'-')) => {
            let offset = &text[at + 1..];
            if offset.len() != 5 || offset[2] != b':' {
                return false;
            }
            let (Some(offset_hour), Some(offset_minute)) =
                (digits(&offset[0..2]), digits(&offset[3..5]))
            else {
                return false;
            };
            if offset_hour > 23 || offset_minute > 59 {
                return false;
            }
            if second != 60 {
                return true;
            }
            // A leap second is valid only at 23:59:60 UTC.
            let direction = if *sign == b'+' { -1 } else { 1 };
            let mut utc_hour = i32::from(hour as u8) + direction * offset_hour as i32;
            let mut utc_minute = minute as i32 + direction * offset_minute as i32;
            utc_hour += utc_minute / 60;
            utc_minute %= 60;
            if utc_minute < 0 {
                utc_minute += 60;
                utc_hour -= 1;
            }
            utc_hour = (utc_hour + 24) % 24;
            utc_hour == 23 && utc_minute == 59
        }
        _ => false,
    }
}

/// ASCII digits as a number; `None` if any byte is not a digit.
fn digits(text: &[u8]) -> Option<u32> {
    text.iter().try_fold(0u32, |value, byte| {
        byte.is_ascii_digit()
            .then(|| value * 10 + u32::from(byte - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canonical::parse_canonical;

    /// The scanner accepts what `parse_canonical` accepts without floats, and nothing else.
    fn agrees(bytes: &[u8]) {
        let slow = parse_canonical(bytes)
            .ok()
            .filter(|value| !has_float(value))
            .is_some();
        assert_eq!(
            Tape::scan(bytes).is_some(),
            slow,
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }

    fn has_float(value: &serde_json::Value) -> bool {
        match value {
            serde_json::Value::Number(number) => !number.is_i64() && !number.is_u64(),
            serde_json::Value::Array(items) => items.iter().any(has_float),
            serde_json::Value::Object(members) => members.values().any(has_float),
            _ => false,
        }
    }

    #[test]
    fn the_scanner_agrees_with_the_canonical_check() {
        for text in [
            r#"{"a":1,"b":[true,false,null],"c":"x"}"#,
            r#"{"b":1,"a":2}"#,
            r#"{"a":1,"a":1}"#,
            r#"{"a":1 }"#,
            r#" {"a":1}"#,
            r#"{"a":01}"#,
            r#"{"a":-0}"#,
            r#"{"a":-1}"#,
            r#"{"a":1.5}"#,
            r#"{"a":1e3}"#,
            r#"{"a":9007199254740991}"#,
            r#"{"a":9007199254740992}"#,
            r#"{"a":-9007199254740991}"#,
            r#"{"a":"\u001f"}"#,
            r#"{"a":"\u001F"}"#,
            r#"{"a":"\u000a"}"#,
            r#"{"a":"\n\t\"\\\b\f\r"}"#,
            r#"{"a":"\/"}"#,
            r#"{"a":"\u0041"}"#,
            "{\"a\":\"\u{2028}\u{7f}é\"}",
            "{\"\u{e000}\":1,\"\u{10000}\":2}",
            "{\"\u{10000}\":1,\"\u{e000}\":2}",
            r#"{"\n":1,"a":2}"#,
            r#"[]"#,
            r#"{}"#,
            r#"[1,]"#,
            r#"{"a":1,}"#,
            r#""x""#,
            r#"tru"#,
            r#"{"a":1}x"#,
            "",
        ] {
            agrees(text.as_bytes());
        }
        agrees(b"{\"a\":\"\xff\"}");
        let deep = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        for depth in [126, 127, 128, 129] {
            agrees(deep(depth).as_bytes());
        }
    }

    #[test]
    fn strings_are_read_with_their_escapes_and_counted_in_characters() {
        let bytes = r#"{"a":"长\n\u0001x"}"#.as_bytes();
        let tape = Tape::scan(bytes).unwrap();
        let (_, value) = tape.members(0).next().unwrap();
        assert_eq!(tape.chars(value), 4);
        assert_eq!(&*tape.text(value), "长\n\u{1}x".as_bytes());
        assert_eq!(tape.json_str(value), r#""长\n\u0001x""#);
    }

    fn format_oracle(format: &str, text: &str) -> bool {
        jsonschema::options()
            .should_validate_formats(true)
            .build(&serde_json::json!({ "format": format }))
            .unwrap()
            .is_valid(&serde_json::json!(text))
    }

    #[test]
    fn date_formats_are_checked_as_the_schema_crate_checks_them() {
        for (text, date) in [
            ("2024-02-29", true),
            ("2023-02-29", false),
            ("2000-02-29", true),
            ("1900-02-29", false),
            ("0000-02-29", true),
            ("2026-13-01", false),
            ("2026-04-31", false),
            ("2026-04-00", false),
        ] {
            assert_eq!(is_valid_date(text.as_bytes()), date, "{text}");
            assert_eq!(format_oracle("date", text), date, "{text}");
        }
        for (text, valid) in [
            ("2026-03-02T09:00:00+08:00", true),
            ("2026-03-02t09:00:00z", true),
            ("2026-03-02T23:59:60Z", true),
            ("2026-03-02T23:59:60+01:00", false),
            ("2026-03-02T00:59:60+01:00", true),
            ("2026-03-02T09:00:00.+08:00", false),
            ("2026-03-02T24:00:00Z", false),
            ("2026-03-02T09:00:00+24:00", false),
        ] {
            assert_eq!(is_valid_date_time(text.as_bytes()), valid, "{text}");
            assert_eq!(format_oracle("date-time", text), valid, "{text}");
        }
    }
}
