//! A command's struct from a request: the fields given outside the body (the path's
//! parameters, and any value the service chooses) merged into the fields of a JSON body or of
//! a form, and the whole deserialized as the struct. The struct's own types and
//! `deny_unknown_fields` are the checks, so the API and the pages read a command alike and no
//! request type repeats a command's fields.
//!
//! The given fields come first, and are checked on their own before the body is read: a
//! malformed path parameter is the path's fault (400) whatever the body holds. A given field
//! sent in the body too is a repeated field, the body's fault like any other. A JSON body is
//! deserialized as it is parsed, not through a `serde_json::Value`, so its errors are found
//! in the order the text has them, as a plain `Json<Struct>` would find them: a repeated
//! field, an unknown field before a syntax error, a value of the wrong kind.

use std::cell::Cell;
use std::fmt;

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use uuid::Uuid;

/// The field of a JSON body that is not the command's: the client's id of the request.
pub const REQUEST_ID: &str = "request_id";

/// A field given outside the body: its name and its text.
pub type Given<'a> = (&'a str, &'a str);

/// Why a request does not make the command; either way with the field's path.
#[derive(Debug)]
pub enum InputError<E> {
    /// A given field (a path parameter) does not fit the command's field of that name.
    Given(serde_path_to_error::Error<E>),
    /// The body does not fit the command.
    Body(serde_path_to_error::Error<E>),
}

/// A body's `request_id`, taken out of it: the UUIDv7 a client chose to make a retry safe.
#[derive(Debug, Default)]
pub struct RequestId {
    seen: bool,
    /// The id, if the body held one that was not null.
    pub id: Option<Uuid>,
}

impl RequestId {
    fn take_from<'de, A: MapAccess<'de>>(&mut self, body: &mut A) -> Result<(), A::Error> {
        if self.seen {
            return Err(de::Error::duplicate_field(REQUEST_ID));
        }
        self.seen = true;
        self.id = body.next_value()?;
        Ok(())
    }
}

/// `C` from `given` followed by the fields of `body`. With `request_id`, a body's
/// `request_id` is taken out into it; without, `request_id` is a field like any other (and
/// no command has one).
pub fn command<'de, C, D>(
    given: &[Given<'_>],
    body: D,
    request_id: Option<&mut RequestId>,
) -> Result<C, InputError<D::Error>>
where
    C: DeserializeOwned,
    D: Deserializer<'de>,
{
    check_given::<C, D::Error>(given)?;
    let misfit = Cell::new(false);
    let merged = Merged {
        given,
        body,
        request_id,
        misfit: &misfit,
    };
    serde_path_to_error::deserialize(merged).map_err(InputError::Body)
}

/// Check the given fields alone: `C` from them and an empty body. The struct reports a field
/// that does not fit as it meets it, and fields missing only at the end, so an error raised
/// while reading a given field is that field's.
pub fn check_given<C: DeserializeOwned, E: de::Error>(
    given: &[Given<'_>],
) -> Result<(), InputError<E>> {
    let misfit = Cell::new(false);
    let empty = MapDeserializer::<_, E>::new(std::iter::empty::<(&str, &str)>());
    let merged = Merged {
        given,
        body: empty,
        request_id: None,
        misfit: &misfit,
    };
    match serde_path_to_error::deserialize::<_, C>(merged) {
        Err(error) if misfit.get() => Err(InputError::Given(error)),
        _ => Ok(()),
    }
}

/// A struct from `given` and then the map `body`.
struct Merged<'a, D> {
    given: &'a [Given<'a>],
    body: D,
    request_id: Option<&'a mut RequestId>,
    /// Set when a given field's value did not fit.
    misfit: &'a Cell<bool>,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Merged<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let Merged {
            given,
            body,
            request_id,
            misfit,
        } = self;
        body.deserialize_map(MergedVisitor {
            visitor,
            given,
            request_id,
            misfit,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let Merged {
            given,
            body,
            request_id,
            misfit,
        } = self;
        body.deserialize_struct(
            name,
            fields,
            MergedVisitor {
                visitor,
                given,
                request_id,
                misfit,
            },
        )
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The struct's visitor, given the body's map with the given fields in front. Anything but a
/// map is refused as the struct would refuse it.
struct MergedVisitor<'a, V> {
    visitor: V,
    given: &'a [Given<'a>],
    request_id: Option<&'a mut RequestId>,
    misfit: &'a Cell<bool>,
}

impl<'de, 'a, V: Visitor<'de>> Visitor<'de> for MergedVisitor<'a, V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(formatter)
    }

    fn visit_map<A: MapAccess<'de>>(self, body: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_map(MergedMap {
            given: self.given.iter(),
            value: None,
            body,
            request_id: self.request_id,
            misfit: self.misfit,
        })
    }
}

struct MergedMap<'a, A> {
    given: std::slice::Iter<'a, Given<'a>>,
    /// The value of the given field whose key was just read.
    value: Option<&'a str>,
    body: A,
    request_id: Option<&'a mut RequestId>,
    misfit: &'a Cell<bool>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for MergedMap<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        if let Some((name, value)) = self.given.next() {
            self.value = Some(value);
            return seed.deserialize(name.into_deserializer()).map(Some);
        }
        loop {
            let Some(key) = self.body.next_key::<String>()? else {
                return Ok(None);
            };
            match self.request_id.as_deref_mut() {
                Some(request_id) if key == REQUEST_ID => request_id.take_from(&mut self.body)?,
                _ => return seed.deserialize(key.into_deserializer()).map(Some),
            }
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        match self.value.take() {
            Some(value) => seed
                .deserialize(value.into_deserializer())
                .inspect_err(|_| self.misfit.set(true)),
            None => self.body.next_value_seed(seed),
        }
    }
}

/// The fields of a submitted form as the body of a command's struct: each field of the struct
/// takes the form's values of its name (a field of a nested struct, `outer.name`). A field
/// the form leaves out reads as a browser leaves out an empty choice or unchecked boxes: empty
/// text, an empty list, or none. Fields of the form that the struct does not have, and those
/// named in `skip` (the ones given outside the form), are not read.
pub struct FormFields<'a> {
    /// The form's fields in order; a name may repeat.
    pub pairs: &'a [(String, String)],
    /// Fields not read from the form.
    pub skip: &'a [&'a str],
    /// Before each name: empty, or a nested struct's field name and a dot.
    prefix: String,
}

impl<'a> FormFields<'a> {
    /// The fields of the form `pairs`, but for those named in `skip`.
    pub fn new(pairs: &'a [(String, String)], skip: &'a [&'a str]) -> Self {
        FormFields {
            pairs,
            skip,
            prefix: String::new(),
        }
    }
}

impl<'de> Deserializer<'de> for FormFields<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("a form holds the fields of a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_map(FormMap {
            form: self,
            fields: fields.iter(),
            name: None,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

struct FormMap<'a> {
    form: FormFields<'a>,
    fields: std::slice::Iter<'static, &'static str>,
    /// The form's name of the field whose key was just read.
    name: Option<String>,
}

impl<'de> MapAccess<'de> for FormMap<'_> {
    type Error = de::value::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let skip = self.form.skip;
        let Some(field) = self.fields.find(|field| !skip.contains(field)) else {
            return Ok(None);
        };
        self.name = Some(format!("{}{field}", self.form.prefix));
        seed.deserialize(field.into_deserializer()).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, Self::Error> {
        let name = self.name.take().expect("a value follows its key");
        seed.deserialize(FormValue {
            pairs: self.form.pairs,
            name,
        })
    }
}

/// The values of one name in a form, read as the field's type asks.
struct FormValue<'a> {
    pairs: &'a [(String, String)],
    name: String,
}

impl<'a> FormValue<'a> {
    fn values(&self) -> impl Iterator<Item = &'a str> {
        self.pairs
            .iter()
            .filter(|(key, _)| *key == self.name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value; empty when there is none.
    fn text(&self) -> &'a str {
        self.values().next().unwrap_or_default()
    }

    fn parse<T: std::str::FromStr>(&self) -> Result<T, de::value::Error>
    where
        T::Err: fmt::Display,
    {
        let text = self.text();
        text.trim()
            .parse()
            .map_err(|error| de::Error::custom(format_args!("{text:?}: {error}")))
    }
}

/// Numbers and truth values are written in a form as text.
macro_rules! parsed {
    ($($method:ident => $visit:ident,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            visitor.$visit(self.parse()?)
        }
    )*};
}

impl<'de> Deserializer<'de> for FormValue<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_str(self.text())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if self.text().trim().is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        SeqDeserializer::new(self.values()).deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let nested = FormFields {
            pairs: self.pairs,
            skip: &[],
            prefix: format!("{}.", self.name),
        };
        nested.deserialize_struct(name, fields, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.text()
            .into_deserializer()
            .deserialize_enum(name, variants, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    parsed! {
        deserialize_bool => visit_bool,
        deserialize_i8 => visit_i8,
        deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64,
        deserialize_u8 => visit_u8,
        deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32,
        deserialize_u64 => visit_u64,
    }

    forward_to_deserialize_any! {
        i128 u128 f32 f64 char str string bytes byte_buf unit unit_struct tuple tuple_struct
        map identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use kaohe_assess::commands::{AmendEntry, GiveScores, ProposeDecision, WriteEntry};

    use super::*;

    fn json<C: DeserializeOwned>(
        given: &[Given<'_>],
        body: &str,
        request_id: Option<&mut RequestId>,
    ) -> Result<C, InputError<serde_json::Error>> {
        let mut body = serde_json::Deserializer::from_str(body);
        let command = command(given, &mut body, request_id)?;
        body.end().expect("nothing after the body");
        Ok(command)
    }

    const ENTRY: &str = "01936d4a-7b2c-7d3e-8f40-123456789abc";

    #[test]
    fn given_fields_are_merged_in_and_checked_before_the_body() {
        let amend: AmendEntry = json(
            &[("entry_id", ENTRY)],
            r#"{"did":"走访","reason":"笔误"}"#,
            None,
        )
        .unwrap();
        assert_eq!(amend.entry_id.to_string(), ENTRY);
        assert_eq!(amend.learned, "");
        // A malformed path parameter is the path's fault, even before a malformed body.
        for body in [r#"{"did":"走访","reason":"笔误"}"#, "{", "[1]"] {
            let error = json::<AmendEntry>(&[("entry_id", "x")], body, None).unwrap_err();
            let InputError::Given(error) = error else {
                panic!("{body}: {error:?}");
            };
            assert_eq!(error.path().to_string(), "entry_id");
        }
        // Sent in the body too, it is a repeated field.
        let body = format!(r#"{{"did":"x","reason":"y","entry_id":"{ENTRY}"}}"#);
        let error = json::<AmendEntry>(&[("entry_id", ENTRY)], &body, None).unwrap_err();
        assert!(matches!(error, InputError::Body(_)), "{error:?}");
        assert!(
            format!("{error:?}").contains("duplicate field"),
            "{error:?}"
        );
    }

    #[test]
    fn the_request_id_is_taken_out_of_the_body_only_when_it_may_be_there() {
        let body = r#"{"date":"2026-04-01","did":"x","request_id":"0193a000-0000-7000-8000-000000000000"}"#;
        let mut request_id = RequestId::default();
        let entry: WriteEntry = json(&[], body, Some(&mut request_id)).unwrap();
        assert_eq!(entry.did, "x");
        assert_eq!(
            request_id.id.map(|id| id.to_string()).as_deref(),
            Some("0193a000-0000-7000-8000-000000000000")
        );
        // Without a place for it, it is an unknown field.
        assert!(json::<WriteEntry>(&[], body, None).is_err());
        // Twice, or of the wrong type, it is refused.
        let twice = r#"{"request_id":null,"date":"2026-04-01","did":"x","request_id":null}"#;
        assert!(json::<WriteEntry>(&[], twice, Some(&mut RequestId::default())).is_err());
        let number = r#"{"date":"2026-04-01","did":"x","request_id":5}"#;
        assert!(json::<WriteEntry>(&[], number, Some(&mut RequestId::default())).is_err());
    }

    #[test]
    fn errors_are_found_in_the_order_of_the_text() {
        // An unknown field before the text ends: the struct's error, not the syntax's.
        let error = json::<WriteEntry>(&[], r#"{"colour":"#, None).unwrap_err();
        let InputError::Body(error) = error else {
            panic!("{error:?}");
        };
        assert_eq!(error.inner().classify(), serde_json::error::Category::Data);
        let error = json::<WriteEntry>(&[], r#"{"date":"2026-04-01","#, None).unwrap_err();
        let InputError::Body(error) = error else {
            panic!("{error:?}");
        };
        assert_eq!(error.inner().classify(), serde_json::error::Category::Eof);
    }

    fn form<C: DeserializeOwned>(
        given: &[Given<'_>],
        pairs: &[(&str, &str)],
    ) -> Result<C, InputError<de::value::Error>> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect();
        let skip: Vec<&str> = given.iter().map(|(name, _)| *name).collect();
        command(given, FormFields::new(&pairs, &skip), None)
    }

    #[test]
    fn a_form_fills_lists_nested_structs_and_leaves_out_what_a_browser_leaves_out() {
        let proposal: ProposeDecision = form(
            &[("quarter", "2026-Q1")],
            &[("best", "p001"), ("best", "p003"), ("quarter", "2026-Q4")],
        )
        .unwrap();
        assert_eq!(proposal.quarter.to_string(), "2026-Q1");
        assert_eq!(proposal.best, ["p001", "p003"]);
        assert!(proposal.worst.is_empty());
        let scores: GiveScores = form(
            &[("month", "2026-07")],
            &[
                ("cadre_id", "p001"),
                ("scores.ideology", "85"),
                ("scores.ability", "80"),
                ("scores.discipline", "90"),
                ("scores.liaison", "70"),
                ("scores.line_work", "75"),
                ("next", "/"),
            ],
        )
        .unwrap();
        assert_eq!(scores.scores.ideology, 85);
        assert_eq!(scores.scores.line_work, 75);
        let entry: WriteEntry = form(&[], &[("date", "2026-04-01"), ("did", "x")]).unwrap();
        assert_eq!(entry.learned, "");
        assert!(form::<WriteEntry>(&[], &[("date", "2026-02-30"), ("did", "x")]).is_err());
        assert!(matches!(
            form::<ProposeDecision>(&[("quarter", "2026-Q5")], &[]),
            Err(InputError::Given(_))
        ));
    }
}
