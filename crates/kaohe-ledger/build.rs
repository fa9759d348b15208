//! Compiles the JSON Schemas of `schemas/` into Rust: one function per schema and definition
//! that checks a scanned event (`scan::Tape`) against it, and one function per `pattern` that
//! runs the pattern as a deterministic automaton over the string's bytes. At run time there is
//! no regex engine and no generic schema interpreter: each event type's payload is checked by
//! straight-line code written here from its schema.
//!
//! Only the keywords the schemas use are compiled; a schema that uses another keyword, or a
//! pattern beyond the small regular-expression language below, fails the build with its place
//! named, rather than being checked loosely. The `jsonschema` crate remains the oracle: the
//! differential tests and the fuzz target `schema` check that the compiled checks accept and
//! refuse exactly what it does.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

fn main() {
    let schemas = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../../schemas");
    println!("cargo::rerun-if-changed={}", schemas.display());
    let mut compiler = Compiler::new(&schemas);
    let code = compiler.compile();
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("compiled_schema.rs");
    std::fs::write(out, code).unwrap();
}

/// The keywords that describe and need no check.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "title",
    "description",
    "examples",
    "$defs",
];

struct Compiler {
    root: PathBuf,
    /// Schema documents by path relative to `schemas/`.
    documents: BTreeMap<String, Value>,
    /// Functions to emit, by name, with the (document, pointer) they check.
    functions: BTreeMap<String, (String, String)>,
    /// Names still to emit.
    pending: Vec<String>,
    /// Patterns by source, each with its function's number.
    patterns: BTreeMap<String, usize>,
    out: String,
}

impl Compiler {
    fn new(root: &Path) -> Compiler {
        Compiler {
            root: root.to_path_buf(),
            documents: BTreeMap::new(),
            functions: BTreeMap::new(),
            pending: Vec::new(),
            patterns: BTreeMap::new(),
            out: String::new(),
        }
    }

    fn document(&mut self, path: &str) -> Value {
        if let Some(document) = self.documents.get(path) {
            return document.clone();
        }
        let file = self.root.join(path);
        println!("cargo::rerun-if-changed={}", file.display());
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|error| panic!("cannot read schema {}: {error}", file.display()));
        let document: Value = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("schema {path} is not JSON: {error}"));
        self.documents.insert(path.to_owned(), document.clone());
        document
    }

    /// The function that checks the schema at `pointer` in `document`, queued for emission.
    fn function_for(&mut self, document: &str, pointer: &str) -> String {
        let mut name = format!("check_{document}{pointer}");
        name = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        while name.contains("__") {
            name = name.replace("__", "_");
        }
        if !self.functions.contains_key(&name) {
            self.functions
                .insert(name.clone(), (document.to_owned(), pointer.to_owned()));
            self.pending.push(name.clone());
        }
        name
    }

    /// Resolve `reference` as written in `document` to (document, pointer).
    fn resolve(&self, document: &str, reference: &str) -> (String, String) {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if file.is_empty() {
            document.to_owned()
        } else {
            let base = Path::new(document).parent().unwrap_or(Path::new(""));
            let mut parts: Vec<String> = base
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect();
            for part in file.split('/') {
                match part {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    other => parts.push(other.to_owned()),
                }
            }
            parts.join("/")
        };
        (target, pointer.to_owned())
    }

    fn compile(&mut self) -> String {
        let top = self.document("event.schema.json");
        let envelope = self.function_for("envelope.schema.json", "");
        let mut branches = Vec::new();
        for branch in top["anyOf"]
            .as_array()
            .expect("event.schema.json has anyOf")
        {
            let properties = &branch["properties"];
            let event_type = properties["type"]["const"].as_str().expect("a type const");
            let version = properties["payload_version"]["const"]
                .as_u64()
                .expect("a version const");
            let reference = properties["payload"]["$ref"]
                .as_str()
                .expect("a payload ref");
            let (document, pointer) = self.resolve("event.schema.json", reference);
            let function = self.function_for(&document, &pointer);
            branches.push((event_type.to_owned(), version, function));
        }
        while let Some(name) = self.pending.pop() {
            let (document, pointer) = self.functions[&name].clone();
            let schema = self
                .document(&document)
                .pointer(&pointer)
                .unwrap_or_else(|| panic!("no {pointer} in {document}"))
                .clone();
            let mut body = String::new();
            self.checks(&document, &pointer, &schema, "at", "place", &mut body, 1);
            writeln!(
                self.out,
                "/// Checks a value against `{document}#{pointer}`.\n#[allow(clippy::all, unused_variables)]\npub(crate) fn {name}(tape: &Tape<'_>, at: usize, place: &Place<'_>) -> Result<(), Refusal> {{\n{body}    Ok(())\n}}\n"
            )
            .unwrap();
        }
        let mut dispatch = String::new();
        for (event_type, version, function) in &branches {
            writeln!(
                dispatch,
                "        (b\"{event_type}\", {version}) => Some({function}),"
            )
            .unwrap();
        }
        writeln!(
            self.out,
            "/// Checks an event's envelope.\npub(crate) const CHECK_ENVELOPE: Checker = {envelope};\n\n/// The check of the payload of `event_type` at `version`, if this build knows that type.\npub(crate) fn payload_checker(event_type: &[u8], version: i64) -> Option<Checker> {{\n    match (event_type, version) {{\n{dispatch}        _ => None,\n    }}\n}}\n"
        )
        .unwrap();
        let patterns: Vec<(String, usize)> = self
            .patterns
            .iter()
            .map(|(source, number)| (source.clone(), *number))
            .collect();
        for (source, number) in patterns {
            let automaton = Automaton::compile(&source);
            self.out.push_str(&automaton.emit(number, &source));
        }
        std::mem::take(&mut self.out)
    }

    fn pattern(&mut self, source: &str) -> usize {
        let next = self.patterns.len();
        *self.patterns.entry(source.to_owned()).or_insert(next)
    }

    /// Emit the checks of `schema` (found at `document#pointer`) on the value at `node`.
    #[allow(clippy::too_many_arguments)]
    fn checks(
        &mut self,
        document: &str,
        pointer: &str,
        schema: &Value,
        node: &str,
        place: &str,
        out: &mut String,
        depth: usize,
    ) {
        let pad = "    ".repeat(depth);
        let object = match schema {
            Value::Object(object) => object,
            Value::Bool(true) => return,
            other => panic!("{document}#{pointer}: unsupported schema {other}"),
        };
        let known: BTreeSet<&str> = [
            "type",
            "const",
            "enum",
            "minLength",
            "maxLength",
            "pattern",
            "not",
            "format",
            "minimum",
            "maximum",
            "minItems",
            "maxItems",
            "uniqueItems",
            "items",
            "additionalProperties",
            "required",
            "properties",
            "$ref",
            "oneOf",
        ]
        .into_iter()
        .chain(ANNOTATIONS.iter().copied())
        .collect();
        for keyword in object.keys() {
            assert!(
                known.contains(keyword.as_str()),
                "{document}#{pointer}: the schema compiler does not know the keyword {keyword}"
            );
        }
        if let Some(kind) = object.get("type") {
            let kind = kind
                .as_str()
                .unwrap_or_else(|| panic!("{document}#{pointer}: a list of types is not compiled"));
            let (test, rule) = match kind {
                "object" => ("Kind::Object", "must be an object"),
                "array" => ("Kind::Array", "must be an array"),
                "string" => ("Kind::String", "must be a string"),
                "integer" => ("Kind::Integer", "must be an integer"),
                "null" => ("Kind::Null", "must be null"),
                "boolean" => ("Kind::Boolean", "must be true or false"),
                other => panic!("{document}#{pointer}: type {other} is not compiled"),
            };
            writeln!(
                out,
                "{pad}if tape.kind({node}) != {test} {{ return Err(refuse(tape, {node}, {place}, \"{rule}\".into())); }}"
            )
            .unwrap();
        }
        if let Some(value) = object.get("const") {
            let text = value.to_string();
            writeln!(
                out,
                "{pad}if tape.json({node}) != {text:?}.as_bytes() {{ return Err(refuse(tape, {node}, {place}, {:?}.into())); }}",
                format!("must be {text}")
            )
            .unwrap();
        }
        if let Some(values) = object.get("enum") {
            let values = values.as_array().expect("enum is an array");
            let texts: Vec<String> = values.iter().map(Value::to_string).collect();
            let arms: Vec<String> = texts.iter().map(|text| format!("{text:?}")).collect();
            writeln!(
                out,
                "{pad}if !matches!(tape.json_str({node}), {}) {{ return Err(refuse(tape, {node}, {place}, {:?}.into())); }}",
                arms.join(" | "),
                format!("must be one of {}", texts.join(", "))
            )
            .unwrap();
        }
        let string_checks = ["minLength", "maxLength", "pattern", "format", "not"]
            .iter()
            .any(|keyword| object.contains_key(*keyword));
        if string_checks {
            writeln!(out, "{pad}if tape.kind({node}) == Kind::String {{").unwrap();
            let inner = "    ".repeat(depth + 1);
            if let Some(limit) = object.get("minLength") {
                writeln!(out, "{inner}if tape.chars({node}) < {limit} {{ return Err(refuse(tape, {node}, {place}, \"must have at least {limit} characters\".into())); }}").unwrap();
            }
            if let Some(limit) = object.get("maxLength") {
                writeln!(out, "{inner}if tape.chars({node}) > {limit} {{ return Err(refuse(tape, {node}, {place}, \"must have at most {limit} characters\".into())); }}").unwrap();
            }
            if let Some(source) = object.get("pattern") {
                let source = source.as_str().expect("a pattern is a string");
                let number = self.pattern(source);
                writeln!(out, "{inner}if !pattern_{number}(&tape.text({node})) {{ return Err(refuse(tape, {node}, {place}, {:?}.into())); }}", format!("does not have the form {source}")).unwrap();
            }
            if let Some(not) = object.get("not") {
                let source = not["pattern"].as_str().unwrap_or_else(|| {
                    panic!("{document}#{pointer}: only a not of a pattern is compiled")
                });
                assert_eq!(
                    not.as_object().unwrap().len(),
                    1,
                    "{document}#{pointer}: only a not of a pattern is compiled"
                );
                let number = self.pattern(source);
                let rule = if source == "\\n" {
                    "must not hold a line feed".to_owned()
                } else {
                    "breaks the schema's not rule".to_owned()
                };
                writeln!(out, "{inner}if pattern_{number}(&tape.text({node})) {{ return Err(refuse(tape, {node}, {place}, {rule:?}.into())); }}").unwrap();
            }
            if let Some(format) = object.get("format") {
                let (function, rule) = match format.as_str() {
                    Some("date") => (
                        "is_valid_date",
                        "is not a day of the calendar (RFC 3339 full-date)",
                    ),
                    Some("date-time") => ("is_valid_date_time", "is not an RFC 3339 date-time"),
                    other => panic!("{document}#{pointer}: format {other:?} is not compiled"),
                };
                writeln!(out, "{inner}if !{function}(&tape.text({node})) {{ return Err(refuse(tape, {node}, {place}, {rule:?}.into())); }}").unwrap();
            }
            writeln!(out, "{pad}}}").unwrap();
        }
        if object.contains_key("minimum") || object.contains_key("maximum") {
            writeln!(out, "{pad}if tape.kind({node}) == Kind::Integer {{").unwrap();
            let inner = "    ".repeat(depth + 1);
            if let Some(limit) = object.get("minimum") {
                writeln!(out, "{inner}if tape.int({node}) < {limit} {{ return Err(refuse(tape, {node}, {place}, \"must be at least {limit}\".into())); }}").unwrap();
            }
            if let Some(limit) = object.get("maximum") {
                writeln!(out, "{inner}if tape.int({node}) > {limit} {{ return Err(refuse(tape, {node}, {place}, \"must be at most {limit}\".into())); }}").unwrap();
            }
            writeln!(out, "{pad}}}").unwrap();
        }
        let array_checks = ["minItems", "maxItems", "uniqueItems", "items"]
            .iter()
            .any(|keyword| object.contains_key(*keyword));
        if array_checks {
            writeln!(out, "{pad}if tape.kind({node}) == Kind::Array {{").unwrap();
            let inner = "    ".repeat(depth + 1);
            if let Some(limit) = object.get("minItems") {
                writeln!(out, "{inner}if tape.len({node}) < {limit} {{ return Err(refuse(tape, {node}, {place}, \"must have at least {limit} items\".into())); }}").unwrap();
            }
            if let Some(limit) = object.get("maxItems") {
                writeln!(out, "{inner}if tape.len({node}) > {limit} {{ return Err(refuse(tape, {node}, {place}, \"must have at most {limit} items\".into())); }}").unwrap();
            }
            if object.get("uniqueItems") == Some(&Value::Bool(true)) {
                writeln!(out, "{inner}if !tape.items_unique({node}) {{ return Err(refuse(tape, {node}, {place}, \"holds the same item twice\".into())); }}").unwrap();
            }
            if let Some(items) = object.get("items") {
                let item_pointer = format!("{pointer}/items");
                let mut body = String::new();
                let item = format!("item_{depth}");
                let item_place = format!("item_place_{depth}");
                self.checks(
                    document,
                    &item_pointer,
                    items,
                    &item,
                    &format!("&{item_place}"),
                    &mut body,
                    depth + 2,
                );
                writeln!(out, "{inner}for (index, {item}) in tape.items({node}).enumerate() {{\n{inner}    let {item_place} = Place::Item({place}, index);\n{body}{inner}}}").unwrap();
            }
            writeln!(out, "{pad}}}").unwrap();
        }
        let object_checks = ["additionalProperties", "required", "properties"]
            .iter()
            .any(|keyword| object.contains_key(*keyword));
        if object_checks {
            self.object_checks(document, pointer, object, node, place, out, depth);
        }
        if let Some(reference) = object.get("$ref") {
            let reference = reference.as_str().expect("$ref is a string");
            let (target, target_pointer) = self.resolve(document, reference);
            let function = self.function_for(&target, &target_pointer);
            writeln!(out, "{pad}{function}(tape, {node}, {place})?;").unwrap();
        }
        if let Some(branches) = object.get("oneOf") {
            let branches = branches.as_array().expect("oneOf is an array");
            let mut names = Vec::new();
            for index in 0..branches.len() {
                names.push(self.function_for(document, &format!("{pointer}/oneOf/{index}")));
            }
            let calls: Vec<String> = names
                .iter()
                .map(|name| format!("usize::from({name}(tape, {node}, {place}).is_ok())"))
                .collect();
            writeln!(out, "{pad}match {} {{ 1 => {{}} 0 => return Err(refuse(tape, {node}, {place}, \"has none of the forms allowed here\".into())), _ => return Err(refuse(tape, {node}, {place}, \"has more than one of the forms allowed here\".into())) }}", calls.join(" + ")).unwrap();
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn object_checks(
        &mut self,
        document: &str,
        pointer: &str,
        object: &Map<String, Value>,
        node: &str,
        place: &str,
        out: &mut String,
        depth: usize,
    ) {
        let pad = "    ".repeat(depth);
        let inner = "    ".repeat(depth + 1);
        let empty = Map::new();
        let properties = object
            .get("properties")
            .map(|properties| properties.as_object().expect("properties is an object"))
            .unwrap_or(&empty);
        let required: Vec<&str> = object
            .get("required")
            .map(|required| {
                required
                    .as_array()
                    .expect("required is an array")
                    .iter()
                    .map(|name| name.as_str().expect("a required name"))
                    .collect()
            })
            .unwrap_or_default();
        let closed = match object.get("additionalProperties") {
            None => false,
            Some(Value::Bool(false)) => true,
            Some(other) => panic!("{document}#{pointer}: additionalProperties {other}"),
        };
        let names: Vec<&String> = properties.keys().collect();
        assert!(
            names.len() <= 64,
            "{document}#{pointer}: too many properties"
        );
        writeln!(out, "{pad}if tape.kind({node}) == Kind::Object {{").unwrap();
        writeln!(out, "{inner}let mut seen = 0u64;").unwrap();
        let key = format!("key_{depth}");
        let value = format!("value_{depth}");
        let member_place = format!("member_place_{depth}");
        // A known name holds no character that needs an escape, so the raw bytes of a member's
        // name equal a known name exactly when its value does.
        writeln!(
            out,
            "{inner}for ({key}, {value}) in tape.members({node}) {{"
        )
        .unwrap();
        writeln!(out, "{inner}    match tape.raw({key}) {{").unwrap();
        for (index, name) in names.iter().enumerate() {
            let mut body = String::new();
            let member_pointer = format!("{pointer}/properties/{name}");
            self.checks(
                document,
                &member_pointer,
                &properties[*name],
                &value,
                &format!("&{member_place}"),
                &mut body,
                depth + 4,
            );
            writeln!(
                out,
                "{inner}        b{name:?} => {{\n{inner}            seen |= 1 << {index};\n{inner}            let {member_place} = Place::Member({place}, {name:?});\n{body}{inner}        }}"
            )
            .unwrap();
        }
        // The first member the schema does not allow is named, as the schema crate names it.
        if closed {
            writeln!(out, "{inner}        _ => return Err(refuse(tape, {node}, {place}, format!(\"has members it may not have: {{}}\", String::from_utf8_lossy(&tape.text({key}))))),").unwrap();
        } else {
            writeln!(out, "{inner}        _ => {{}}").unwrap();
        }
        writeln!(out, "{inner}    }}\n{inner}}}").unwrap();
        for name in &required {
            let index = names
                .iter()
                .position(|known| known == name)
                .unwrap_or_else(|| panic!("{document}#{pointer}: required {name} has no schema"));
            writeln!(out, "{inner}if seen & (1 << {index}) == 0 {{ return Err(refuse(tape, {node}, {place}, {:?}.into())); }}", format!("has no member \"{name}\"")).unwrap();
        }
        writeln!(out, "{pad}}}").unwrap();
    }
}

/// A small regular-expression language, as the schemas use it: `^` and `$` only at the ends,
/// literals and the escapes `\.` `\+` `\n` (and any other punctuation escaped), classes with
/// ranges, groups with alternation, and the quantifiers `?`, `*`, `+`, `{n}`, `{m,n}`, `{m,}`.
/// A pattern without `^` and `$` matches anywhere in the string, as JSON Schema's does. Every
/// character of a pattern is ASCII, so a non-ASCII character of the string (its UTF-8 bytes,
/// each 0x80 or more) never matches a class or a literal, exactly as it would as one character.
#[derive(Clone, Debug)]
enum Regex {
    Bytes(Vec<bool>),
    Concat(Vec<Regex>),
    Alternate(Vec<Regex>),
    Repeat(Box<Regex>, usize, Option<usize>),
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn alternation(&mut self) -> Regex {
        let mut branches = vec![self.concatenation()];
        while self.peek() == Some(b'|') {
            self.at += 1;
            branches.push(self.concatenation());
        }
        if branches.len() == 1 {
            branches.pop().unwrap()
        } else {
            Regex::Alternate(branches)
        }
    }

    fn concatenation(&mut self) -> Regex {
        let mut parts = Vec::new();
        while let Some(byte) = self.peek() {
            if byte == b'|' || byte == b')' {
                break;
            }
            let atom = self.atom();
            parts.push(self.quantified(atom));
        }
        Regex::Concat(parts)
    }

    fn single(byte: u8) -> Vec<bool> {
        let mut set = vec![false; 256];
        set[usize::from(byte)] = true;
        set
    }

    fn escaped(&mut self) -> u8 {
        let byte = self.peek().expect("an escape ends the pattern");
        self.at += 1;
        match byte {
            b'n' => b'\n',
            b't' => b'\t',
            byte if byte.is_ascii_punctuation() => byte,
            other => panic!("the escape \\{} is not compiled", other as char),
        }
    }

    fn atom(&mut self) -> Regex {
        let byte = self.peek().unwrap();
        self.at += 1;
        match byte {
            b'(' => {
                let inner = self.alternation();
                assert_eq!(self.peek(), Some(b')'), "an unclosed group");
                self.at += 1;
                inner
            }
            b'[' => Regex::Bytes(self.class()),
            b'\\' => Regex::Bytes(Self::single(self.escaped())),
            b'.' | b'^' | b'$' => panic!("{} is only compiled at the ends", byte as char),
            byte => {
                assert!(byte.is_ascii(), "a pattern is ASCII");
                Regex::Bytes(Self::single(byte))
            }
        }
    }

    fn class(&mut self) -> Vec<bool> {
        let mut set = vec![false; 256];
        let negated = self.peek() == Some(b'^');
        if negated {
            self.at += 1;
        }
        let mut first = true;
        loop {
            let byte = self.peek().expect("an unclosed class");
            self.at += 1;
            if byte == b']' && !first {
                break;
            }
            first = false;
            let low = if byte == b'\\' { self.escaped() } else { byte };
            let high = if self.peek() == Some(b'-') && self.text.get(self.at + 1) != Some(&b']') {
                self.at += 1;
                let byte = self.peek().unwrap();
                self.at += 1;
                if byte == b'\\' { self.escaped() } else { byte }
            } else {
                low
            };
            assert!(
                low.is_ascii() && high.is_ascii() && low <= high,
                "a class range"
            );
            for byte in low..=high {
                set[usize::from(byte)] = true;
            }
        }
        if negated {
            // A negated class matches any character outside it, non-ASCII ones included.
            for entry in set.iter_mut() {
                *entry = !*entry;
            }
        }
        set
    }

    fn number(&mut self) -> usize {
        let start = self.at;
        while self.peek().is_some_and(|byte| byte.is_ascii_digit()) {
            self.at += 1;
        }
        std::str::from_utf8(&self.text[start..self.at])
            .unwrap()
            .parse()
            .expect("a count")
    }

    fn quantified(&mut self, atom: Regex) -> Regex {
        match self.peek() {
            Some(b'?') => {
                self.at += 1;
                Regex::Repeat(Box::new(atom), 0, Some(1))
            }
            Some(b'*') => {
                self.at += 1;
                Regex::Repeat(Box::new(atom), 0, None)
            }
            Some(b'+') => {
                self.at += 1;
                Regex::Repeat(Box::new(atom), 1, None)
            }
            Some(b'{') => {
                self.at += 1;
                let low = self.number();
                let high = if self.peek() == Some(b',') {
                    self.at += 1;
                    if self.peek() == Some(b'}') {
                        None
                    } else {
                        Some(self.number())
                    }
                } else {
                    Some(low)
                };
                assert_eq!(self.peek(), Some(b'}'), "an unclosed count");
                self.at += 1;
                Regex::Repeat(Box::new(atom), low, high)
            }
            _ => atom,
        }
    }
}

/// A nondeterministic automaton: each state's byte transitions and empty moves.
#[derive(Default)]
struct Nfa {
    bytes: Vec<Vec<(Vec<bool>, usize)>>,
    empty: Vec<Vec<usize>>,
}

impl Nfa {
    fn state(&mut self) -> usize {
        self.bytes.push(Vec::new());
        self.empty.push(Vec::new());
        self.bytes.len() - 1
    }

    /// Add `regex` from `start`; returns the state it ends in.
    fn add(&mut self, regex: &Regex, start: usize) -> usize {
        match regex {
            Regex::Bytes(set) => {
                let end = self.state();
                self.bytes[start].push((set.clone(), end));
                end
            }
            Regex::Concat(parts) => parts.iter().fold(start, |at, part| self.add(part, at)),
            Regex::Alternate(branches) => {
                let end = self.state();
                for branch in branches {
                    let begin = self.state();
                    self.empty[start].push(begin);
                    let finish = self.add(branch, begin);
                    self.empty[finish].push(end);
                }
                end
            }
            Regex::Repeat(inner, low, high) => {
                let mut at = start;
                for _ in 0..*low {
                    at = self.add(inner, at);
                }
                match high {
                    Some(high) => {
                        let end = self.state();
                        self.empty[at].push(end);
                        for _ in *low..*high {
                            at = self.add(inner, at);
                            self.empty[at].push(end);
                        }
                        end
                    }
                    None => {
                        let loop_start = self.state();
                        self.empty[at].push(loop_start);
                        let back = self.add(inner, loop_start);
                        self.empty[back].push(loop_start);
                        loop_start
                    }
                }
            }
        }
    }

    fn closure(&self, states: &mut BTreeSet<usize>) {
        let mut stack: Vec<usize> = states.iter().copied().collect();
        while let Some(state) = stack.pop() {
            for next in &self.empty[state] {
                if states.insert(*next) {
                    stack.push(*next);
                }
            }
        }
    }
}

/// A deterministic automaton over bytes: state 0 is the start; a missing transition refuses.
struct Automaton {
    transitions: Vec<Vec<Option<usize>>>,
    accepting: Vec<bool>,
}

impl Automaton {
    fn compile(source: &str) -> Automaton {
        let anchored_start = source.starts_with('^');
        let anchored_end = source.ends_with('$') && !source.ends_with("\\$");
        assert_eq!(
            anchored_start, anchored_end,
            "{source}: a pattern is anchored at both ends or at neither"
        );
        let body = if anchored_start {
            &source[1..source.len() - 1]
        } else {
            source
        };
        let mut parser = Parser {
            text: body.as_bytes(),
            at: 0,
        };
        let mut regex = parser.alternation();
        assert_eq!(
            parser.at,
            body.len(),
            "{source}: unexpected {}",
            &body[parser.at..]
        );
        if !anchored_start {
            // Matches anywhere: any bytes before and after.
            let any = Regex::Repeat(Box::new(Regex::Bytes(vec![true; 256])), 0, None);
            regex = Regex::Concat(vec![any.clone(), regex, any]);
        }
        let mut nfa = Nfa::default();
        let start = nfa.state();
        let end = nfa.add(&regex, start);
        let mut first = BTreeSet::from([start]);
        nfa.closure(&mut first);
        let mut states = vec![first.clone()];
        let mut index = BTreeMap::from([(first, 0usize)]);
        let mut transitions = Vec::new();
        let mut at = 0;
        while at < states.len() {
            let current = states[at].clone();
            let mut row = Vec::with_capacity(256);
            for byte in 0..256usize {
                let mut next = BTreeSet::new();
                for state in &current {
                    for (set, target) in &nfa.bytes[*state] {
                        if set[byte] {
                            next.insert(*target);
                        }
                    }
                }
                if next.is_empty() {
                    row.push(None);
                    continue;
                }
                nfa.closure(&mut next);
                let number = match index.get(&next) {
                    Some(number) => *number,
                    None => {
                        states.push(next.clone());
                        index.insert(next, states.len() - 1);
                        states.len() - 1
                    }
                };
                row.push(Some(number));
            }
            transitions.push(row);
            at += 1;
        }
        let accepting = states.iter().map(|set| set.contains(&end)).collect();
        Automaton {
            transitions,
            accepting,
        }
    }

    fn emit(&self, number: usize, source: &str) -> String {
        // Bytes that every state treats alike share a class: the table is states x classes.
        let mut classes = [0u8; 256];
        let mut columns: Vec<Vec<Option<usize>>> = Vec::new();
        for byte in 0..256usize {
            let column: Vec<Option<usize>> = self.transitions.iter().map(|row| row[byte]).collect();
            let class = match columns.iter().position(|known| *known == column) {
                Some(class) => class,
                None => {
                    columns.push(column);
                    columns.len() - 1
                }
            };
            classes[byte] = u8::try_from(class).expect("at most 256 classes");
        }
        let states = self.transitions.len();
        // State `states` is the dead state: no way back to acceptance.
        let dead = states;
        let width = if states < 255 { "u8" } else { "u16" };
        let mut table = Vec::with_capacity((states + 1) * columns.len());
        for state in 0..=states {
            for column in &columns {
                let target = if state == dead { None } else { column[state] };
                table.push(target.unwrap_or(dead).to_string());
            }
        }
        let accepting: Vec<String> = (0..=states)
            .map(|state| (state < states && self.accepting[state]).to_string())
            .collect();
        format!(
            "/// Whether a string's bytes match `{}`: a deterministic automaton, one table step per byte.\n#[allow(clippy::all)]\nfn pattern_{number}(text: &[u8]) -> bool {{\n    static CLASSES: [u8; 256] = {classes:?};\n    static TABLE: [{width}; {}] = [{}];\n    static ACCEPTING: [bool; {}] = [{}];\n    const CLASS_COUNT: usize = {};\n    let mut state = 0usize;\n    for byte in text {{\n        state = usize::from(TABLE[state * CLASS_COUNT + usize::from(CLASSES[usize::from(*byte)])]);\n        if state == {dead} {{\n            return false;\n        }}\n    }}\n    ACCEPTING[state]\n}}\n",
            source.replace('`', "'"),
            table.len(),
            table.join(", "),
            accepting.len(),
            accepting.join(", "),
            columns.len(),
        )
    }
}
