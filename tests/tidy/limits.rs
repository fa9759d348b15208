//! The Limits table of docs/ARCHITECTURE.md against the code: every row names a constant, a
//! field of a `Default` implementation or a schema member, which exists with the value the
//! row states; and every constant of the product crates named as a limit (`…_MAX`, `MAX_…`)
//! has its row.

use std::collections::BTreeSet;

use crate::{Source, code_lines, files, root};

/// A value as the table states it and as the code has it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    /// A count or a number of bytes.
    Number(u128),
    /// A time, in milliseconds.
    Millis(u128),
    /// A text, such as an instant.
    Text(String),
}

/// One row: what is limited, the value stated, and where the code has it.
#[derive(Debug)]
struct Row {
    limit: String,
    value: String,
    place: String,
}

/// The rows of the table under `## Limits`.
fn rows() -> Vec<Row> {
    let map = std::fs::read_to_string(root().join("docs/ARCHITECTURE.md")).unwrap();
    let section = map
        .split("\n## Limits\n")
        .nth(1)
        .expect("ARCHITECTURE.md has a Limits section");
    let section = section.split("\n## ").next().unwrap();
    section
        .lines()
        .filter(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
            assert_eq!(cells.len(), 3, "a row of three cells: {line}");
            Row {
                limit: cells[0].to_owned(),
                value: cells[1].to_owned(),
                place: cells[2].trim_matches('`').to_owned(),
            }
        })
        .collect()
}

/// A value cell: `65,536`, `1 MiB`, `64 KiB`, `30 s`, or a text in backticks.
fn stated(cell: &str) -> Value {
    if let Some(text) = cell
        .strip_prefix('`')
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return Value::Text(text.to_owned());
    }
    let (number, unit) = cell.split_once(' ').unwrap_or((cell, ""));
    let number: u128 = number
        .replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("{cell:?} is not a number with a unit"));
    match unit {
        "" => Value::Number(number),
        "KiB" => Value::Number(number << 10),
        "MiB" => Value::Number(number << 20),
        "GiB" => Value::Number(number << 30),
        "s" => Value::Millis(number * 1000),
        other => panic!("{cell:?}: unknown unit {other:?}"),
    }
}

/// The sources of the crate a Rust path starts with (`kaohe_store` is `crates/kaohe-store`).
fn crate_sources(krate: &str) -> Vec<Source> {
    let folder = format!("crates/{}/src", krate.replace('_', "-"));
    let sources = files(&folder, ".rs");
    assert!(!sources.is_empty(), "no crate {krate} ({folder})");
    sources
}

/// The value where a row says the code has it.
fn in_code(place: &str) -> Value {
    if let Some((file, pointer)) = place.split_once('#') {
        let text = std::fs::read_to_string(root().join(file))
            .unwrap_or_else(|error| panic!("{place}: {error}"));
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        let value = schema
            .pointer(pointer)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or_else(|| panic!("{place}: no integer there"));
        return Value::Number(u128::from(value));
    }
    let segments: Vec<&str> = place.split("::").collect();
    assert!(
        segments.len() >= 2,
        "{place}: a path such as kaohe_store::NAME"
    );
    let (krate, rest) = (segments[0], &segments[1..]);
    let name = *rest.last().unwrap();
    let sources = crate_sources(krate);
    if name.chars().next().unwrap().is_lowercase() {
        // `Type::field`: the field's value in `impl Default for Type`.
        let owner = rest[rest.len() - 2];
        return evaluate(&default_field(&sources, owner, name), place);
    }
    // `module::path::NAME`: a constant of that module, or of the crate when no module is named.
    let module = &rest[..rest.len() - 1];
    let searched: Vec<&Source> = if module.is_empty() {
        sources.iter().collect()
    } else {
        let file = module.join("/");
        let candidates = [format!("/src/{file}.rs"), format!("/src/{file}/mod.rs")];
        sources
            .iter()
            .filter(|source| candidates.iter().any(|end| source.path.ends_with(end)))
            .collect()
    };
    let definitions: Vec<String> = searched
        .iter()
        .filter_map(|source| constant(source, name))
        .collect();
    assert_eq!(
        definitions.len(),
        1,
        "{place}: {} definitions of {name}",
        definitions.len()
    );
    evaluate(&definitions[0], place)
}

/// The expression of `const NAME: … = …;` in a source, if it defines one.
fn constant(source: &Source, name: &str) -> Option<String> {
    let code: Vec<&str> = code_lines(&source.text)
        .into_iter()
        .map(|(_, line)| line)
        .collect();
    let start = code.iter().position(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        words
            .windows(2)
            .any(|pair| pair[0] == "const" && pair[1] == format!("{name}:"))
    })?;
    let statement = code[start..].join("\n");
    let statement = &statement[..statement.find(';').expect("a constant ends with ;")];
    Some(statement.split_once('=').unwrap().1.trim().to_owned())
}

/// The expression a field is given in `impl Default for owner`.
fn default_field(sources: &[Source], owner: &str, field: &str) -> String {
    let header = format!("impl Default for {owner} {{");
    for source in sources {
        let code: Vec<&str> = code_lines(&source.text)
            .into_iter()
            .map(|(_, line)| line)
            .collect();
        let Some(start) = code.iter().position(|line| line.trim() == header) else {
            continue;
        };
        let end = start + code[start..].iter().position(|line| *line == "}").unwrap();
        let body = code[start..end].join("\n");
        let assignment = body
            .split(&format!("\n            {field}: "))
            .nth(1)
            .unwrap_or_else(|| panic!("{owner}::{field}: no such field in its Default"));
        return assignment.split(",\n").next().unwrap().trim().to_owned();
    }
    panic!("{owner}: no `impl Default for {owner}`");
}

/// The value of a constant expression as the code writes limits: integers (with `_`), `*`,
/// `+`, `-`, `<<`, parentheses, other constants by name, `Duration::from_secs(…)` and
/// `Duration::from_millis(…)`, and string literals.
fn evaluate(expression: &str, place: &str) -> Value {
    let expression = expression.trim();
    if let Some(text) = expression
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        return Value::Text(text.to_owned());
    }
    let tokens = tokenize(expression);
    let mut parser = Parser {
        tokens,
        at: 0,
        place,
    };
    let value = parser.shift();
    assert_eq!(
        parser.at,
        parser.tokens.len(),
        "{place}: cannot read {expression:?}"
    );
    value
}

fn tokenize(expression: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = expression.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() || c == '_' || c == ':' {
            let mut word = String::from(c);
            while let Some(&next) = chars.peek() {
                if next.is_alphanumeric() || next == '_' || next == ':' {
                    word.push(next);
                    chars.next();
                } else {
                    break;
                }
            }
            tokens.push(word);
        } else if c == '<' && chars.peek() == Some(&'<') {
            chars.next();
            tokens.push("<<".into());
        } else {
            tokens.push(c.to_string());
        }
    }
    tokens
}

/// A recursive descent over the tokens, with Rust's precedence: `<<` binds looser than `+`
/// and `-`, which bind looser than `*`.
struct Parser<'a> {
    tokens: Vec<String>,
    at: usize,
    place: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn next(&mut self) -> String {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token.unwrap_or_else(|| panic!("{}: the expression ends early", self.place))
    }

    fn number(&self, value: Value) -> u128 {
        match value {
            Value::Number(number) => number,
            other => panic!("{}: {other:?} in arithmetic", self.place),
        }
    }

    fn shift(&mut self) -> Value {
        let mut value = self.sum();
        while self.peek() == Some("<<") {
            self.next();
            let left = self.number(value);
            let right = {
                let value = self.sum();
                self.number(value)
            };
            value = Value::Number(left << right);
        }
        value
    }

    fn sum(&mut self) -> Value {
        let mut value = self.product();
        while let Some(operator @ ("+" | "-")) = self.peek() {
            let add = operator == "+";
            self.next();
            let left = self.number(value);
            let right = {
                let value = self.product();
                self.number(value)
            };
            value = Value::Number(if add { left + right } else { left - right });
        }
        value
    }

    fn product(&mut self) -> Value {
        let mut value = self.atom();
        while self.peek() == Some("*") {
            self.next();
            let left = self.number(value);
            let right = {
                let value = self.atom();
                self.number(value)
            };
            value = Value::Number(left * right);
        }
        value
    }

    fn atom(&mut self) -> Value {
        let token = self.next();
        if token == "(" {
            let value = self.shift();
            assert_eq!(self.next(), ")", "{}: unbalanced parentheses", self.place);
            return value;
        }
        if let Some(unit) = ["Duration::from_secs", "Duration::from_millis"]
            .iter()
            .find(|call| token == **call)
        {
            assert_eq!(self.next(), "(", "{}", self.place);
            let amount = {
                let value = self.shift();
                self.number(value)
            };
            assert_eq!(self.next(), ")", "{}", self.place);
            return Value::Millis(if unit.ends_with("secs") {
                amount * 1000
            } else {
                amount
            });
        }
        if token.starts_with(|c: char| c.is_ascii_digit()) {
            return Value::Number(
                token
                    .replace('_', "")
                    .parse()
                    .unwrap_or_else(|_| panic!("{}: {token} is not an integer", self.place)),
            );
        }
        // Another constant, by name: defined once in the product crates.
        let name = token.rsplit("::").next().unwrap();
        let definitions: Vec<String> = files("crates", ".rs")
            .iter()
            .filter(|source| source.path.contains("/src/"))
            .filter_map(|source| constant(source, name))
            .collect();
        assert_eq!(
            definitions.len(),
            1,
            "{}: {name} is not one constant",
            self.place
        );
        evaluate(&definitions[0], self.place)
    }
}

/// The names of the product crates' constants that say they are limits.
fn limit_constants() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for source in files("crates", ".rs") {
        // The bench's own settings are not limits of the product.
        if !source.path.contains("/src/") || source.path.starts_with("crates/kaohe-bench/") {
            continue;
        }
        for (_, line) in code_lines(&source.text) {
            let words: Vec<&str> = line.split_whitespace().collect();
            for pair in words.windows(2) {
                if pair[0] == "const"
                    && let Some(name) = pair[1].strip_suffix(':')
                    && (name.ends_with("_MAX") || name.starts_with("MAX_"))
                {
                    found.insert(name.to_owned());
                }
            }
        }
    }
    found
}

#[test]
fn every_limit_of_the_table_is_in_the_code_with_its_value() {
    let rows = rows();
    assert!(rows.len() > 10, "the table was not found");
    let mut places = BTreeSet::new();
    for row in &rows {
        assert!(places.insert(&row.place), "{} is named twice", row.place);
        assert_eq!(
            in_code(&row.place),
            stated(&row.value),
            "{}: the table says {}",
            row.limit,
            row.value
        );
    }
}

#[test]
fn every_limit_constant_has_its_row() {
    let named: BTreeSet<String> = rows()
        .iter()
        .map(|row| row.place.rsplit("::").next().unwrap().to_owned())
        .collect();
    let missing: Vec<String> = limit_constants().difference(&named).cloned().collect();
    assert!(
        missing.is_empty(),
        "limits without a row in the Limits table of docs/ARCHITECTURE.md: {missing:?}"
    );
}

#[test]
fn the_reader_evaluates_limits_as_the_code_writes_them() {
    let place = "test";
    assert_eq!(evaluate("64 * 1024", place), Value::Number(65_536));
    assert_eq!(
        evaluate("(1 << 53) - 1", place),
        Value::Number((1 << 53) - 1)
    );
    assert_eq!(evaluate("1 << 20", place), Value::Number(1_048_576));
    assert_eq!(evaluate("10_000", place), Value::Number(10_000));
    assert_eq!(
        evaluate("Duration::from_secs(30)", place),
        Value::Millis(30_000)
    );
    assert_eq!(
        evaluate("\"9999-12-30T22:00:00Z\"", place),
        Value::Text("9999-12-30T22:00:00Z".into())
    );
    assert_eq!(stated("65,536"), Value::Number(65_536));
    assert_eq!(stated("1 MiB"), Value::Number(1 << 20));
    assert_eq!(stated("30 s"), Value::Millis(30_000));
    assert_eq!(stated("`x`"), Value::Text("x".into()));
}
