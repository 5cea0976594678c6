//! A fast reader for one observation in the compact form kompas writes, for the parallel read of
//! a large document's observations array.
//!
//! It accepts only that exact form: the fields in the struct's order (`id`, `indicator`,
//! `period` with `start` and `end`, `value`, then `denominator`, `group`, `provenance` and
//! `source` when present), no whitespace, hyphenated uuids, `YYYY-MM-DD` dates, strings without
//! escapes or control characters, and finite numbers in JSON's grammar. Anything else, valid or
//! not, gives `None`, and the caller reads that element with serde as before; so the result is
//! always serde's. Each field is converted as serde's derive converts it: uuids by the uuid
//! crate's parser, dates and periods by `kompas_core`'s own rules, numbers by Rust's correctly
//! rounded `f64` parser (serde_json's `float_roundtrip` gives the same nearest double).

use kompas_core::{IndicatorId, ObservationId, Period};
use kompas_evidence::{Observation, Provenance};

/// Reads one observation at the start of `s`; returns it and the number of bytes it took.
pub(crate) fn parse(s: &str) -> Option<(Observation, usize)> {
    let mut c = Cursor { s, at: 0 };
    c.lit(b"{\"id\":")?;
    let id = ObservationId::new(c.uuid()?);
    c.lit(b",\"indicator\":")?;
    let indicator = IndicatorId::new(c.uuid()?);
    c.lit(b",\"period\":{\"start\":")?;
    let start = c.date()?;
    c.lit(b",\"end\":")?;
    let end = c.date()?;
    c.lit(b"},\"value\":")?;
    let period = Period::new(start, end).ok()?;
    let mut o = Observation::new(id, indicator, period, c.number()?);
    if c.lit(b",\"denominator\":").is_some() {
        o.denominator = Some(c.number()?);
    }
    if c.lit(b",\"group\":").is_some() {
        o.group = Some(c.string()?.to_owned());
    }
    // Always written; absent means the default, which serde fills in the same way.
    if c.lit(b",\"provenance\":").is_some() {
        o.provenance = match c.string()? {
            "measured" => Provenance::Measured,
            "estimated" => Provenance::Estimated,
            "illustrative" => Provenance::Illustrative,
            _ => return None,
        };
    }
    if c.lit(b",\"source\":").is_some() {
        o.source = Some(c.string()?.to_owned());
    }
    c.lit(b"}")?;
    Some((o, c.at))
}

/// A position in the text.
struct Cursor<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    /// Skips `lit` if the text continues with it.
    fn lit(&mut self, lit: &[u8]) -> Option<()> {
        let rest = self.s.as_bytes().get(self.at..)?;
        rest.starts_with(lit).then(|| self.at += lit.len())
    }

    /// A string without escapes or control characters; its contents.
    fn string(&mut self) -> Option<&'a str> {
        let rest = self.s.as_bytes().get(self.at..)?;
        let inner = rest.strip_prefix(b"\"")?;
        let end = inner
            .iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
        if inner[end] != b'"' {
            return None;
        }
        // Quotes are never inside a multi-byte character: both ends are character boundaries.
        let s = self.s.get(self.at + 1..self.at + 1 + end)?;
        self.at += end + 2;
        Some(s)
    }

    /// A hyphenated uuid in quotes.
    fn uuid(&mut self) -> Option<uuid::Uuid> {
        let s = self.string()?;
        if s.len() != 36 {
            return None;
        }
        uuid::Uuid::try_parse_ascii(s.as_bytes()).ok()
    }

    /// A `YYYY-MM-DD` date in quotes that names a real day (other forms chrono reads are left
    /// to serde).
    fn date(&mut self) -> Option<chrono::NaiveDate> {
        let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *self.string()?.as_bytes() else {
            return None;
        };
        let n = |digits: &[u8]| {
            digits.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        let year = i32::try_from(n(&[y0, y1, y2, y3])?).ok()?;
        chrono::NaiveDate::from_ymd_opt(year, n(&[m0, m1])?, n(&[d0, d1])?)
    }

    /// A finite number in JSON's grammar: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Option<f64> {
        let b = self.s.as_bytes();
        let start = self.at;
        let mut i = start;
        let digits = |i: &mut usize| {
            let from = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i - from
        };
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                digits(&mut i);
            }
            _ => return None,
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                return None;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                return None;
            }
        }
        let text = self.s.get(start..i)?;
        let v: f64 = text.parse().ok()?;
        // serde_json refuses numbers out of `f64`'s range; leave those to it.
        if !v.is_finite() {
            return None;
        }
        self.at = i;
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn serde(s: &str) -> Option<Observation> {
        serde_json::from_str(s).ok()
    }

    #[test]
    fn reads_the_compact_form_and_leaves_the_rest_to_serde() {
        let text = r#"{"id":"00000000-0000-0000-0000-000000000001","indicator":"00000000-0000-0001-0000-000000000000","period":{"start":"2015-01-01","end":"2015-01-31"},"value":37.03353976264686,"provenance":"illustrative"},{"#;
        let (o, used) = parse(text).unwrap();
        assert_eq!(&text[used..], ",{");
        assert_eq!(Some(o), serde(&text[..used]));
        // Whitespace, another key order, escapes, null, an end before the start: not ours.
        for other in [
            r#"{ "id":"00000000-0000-0000-0000-000000000001","indicator":"00000000-0000-0001-0000-000000000000","period":{"start":"2015-01-01","end":"2015-01-31"},"value":1}"#,
            r#"{"indicator":"00000000-0000-0001-0000-000000000000","id":"00000000-0000-0000-0000-000000000001","period":{"start":"2015-01-01","end":"2015-01-31"},"value":1}"#,
            r#"{"id":"00000000-0000-0000-0000-000000000001","indicator":"00000000-0000-0001-0000-000000000000","period":{"start":"2015-01-01","end":"2015-01-31"},"value":1,"group":"a\"b"}"#,
            r#"{"id":"00000000-0000-0000-0000-000000000001","indicator":"00000000-0000-0001-0000-000000000000","period":{"start":"2015-01-01","end":"2015-01-31"},"value":1,"denominator":null}"#,
            r#"{"id":"00000000-0000-0000-0000-000000000001","indicator":"00000000-0000-0001-0000-000000000000","period":{"start":"2015-02-01","end":"2015-01-31"},"value":1}"#,
            r#"{"id":"00000000-0000-0000-0000-000000000001","indicator":"00000000-0000-0001-0000-000000000000","period":{"start":"2015-01-01","end":"2015-01-31"},"value":1e999}"#,
            r#"{"id":"00000000-0000-0000-0000-000000000001","indicator":"00000000-0000-0001-0000-000000000000","period":{"start":"2015-01-01","end":"2015-01-31"},"value":01}"#,
            r#"{"id":"00000000000000000000000000000001","indicator":"00000000-0000-0001-0000-000000000000","period":{"start":"2015-01-01","end":"2015-01-31"},"value":1}"#,
        ] {
            assert!(parse(other).is_none(), "{other}");
        }
    }

    fn number_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<f64>()
                .prop_filter("finite", |v| v.is_finite())
                .prop_map(|v| serde_json::to_string(&v).unwrap()),
            "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?",
        ]
    }

    fn observation() -> impl Strategy<Value = Observation> {
        (
            any::<u128>(),
            any::<u128>(),
            (1i32..=9000, 1u32..=366, 0u32..=400),
            any::<f64>().prop_filter("finite", |v| v.is_finite()),
            proptest::option::of(any::<f64>().prop_filter("finite", |v| v.is_finite())),
            proptest::option::of("[a-zæøå \"\\\\\\n/]{0,12}"),
            0u8..3,
            proptest::option::of("[a-z é\"\\\\]{0,12}"),
        )
            .prop_map(
                |(id, ind, (y, doy, len), value, den, group, prov, source)| {
                    let start = chrono::NaiveDate::from_yo_opt(y, doy.min(365)).unwrap();
                    let end = start + chrono::Days::new(u64::from(len));
                    let mut o = Observation::new(
                        ObservationId::from_u128(id),
                        IndicatorId::from_u128(ind),
                        Period::new(start, end).unwrap(),
                        value,
                    );
                    o.denominator = den;
                    o.group = group;
                    o.provenance = [
                        Provenance::Measured,
                        Provenance::Estimated,
                        Provenance::Illustrative,
                    ][usize::from(prov)];
                    o.source = source;
                    o
                },
            )
    }

    proptest! {
        /// What kompas writes is read back exactly as serde reads it, or left to serde.
        #[test]
        fn agrees_with_serde_on_written_observations(o in observation()) {
            let text = serde_json::to_string(&o).unwrap();
            let expected = serde(&text);
            prop_assert_eq!(expected.as_ref(), Some(&o));
            if let Some((ours, used)) = parse(&text) {
                prop_assert_eq!(used, text.len());
                prop_assert_eq!(Some(ours), expected);
            } else {
                // Only escapes in the free texts send a written observation to serde.
                prop_assert!(text.contains('\\'));
            }
        }

        /// Numbers in JSON's grammar give serde_json's double, bit for bit.
        #[test]
        fn numbers_are_read_as_serde_reads_them(n in number_text()) {
            let text = format!(
                r#"{{"id":"00000000-0000-0000-0000-000000000001","indicator":"00000000-0000-0001-0000-000000000000","period":{{"start":"2015-01-01","end":"2015-01-31"}},"value":{n}}}"#
            );
            let expected = serde(&text);
            match parse(&text) {
                Some((ours, _)) => {
                    let e = expected.unwrap();
                    prop_assert_eq!(ours.value.to_bits(), e.value.to_bits());
                }
                None => prop_assert!(expected.is_none()),
            }
        }

        /// Any text: no panic, and whatever is read is serde's reading of the same bytes.
        #[test]
        fn never_disagrees_with_serde(s in "\\PC{0,200}") {
            if let Some((ours, used)) = parse(&s) {
                prop_assert_eq!(Some(ours), serde(&s[..used]));
            }
        }
    }
}
