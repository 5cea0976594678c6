//! [`Period`]: an inclusive range of dates.

use chrono::{Datelike, NaiveDate};

use crate::Error;

/// An inclusive range of dates, `start..=end`, with `start <= end`.
///
/// ```
/// use chrono::NaiveDate;
/// use kompas_core::Period;
/// let p = Period::new(NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2021, 3, 31).unwrap())?;
/// assert!(p.overlaps(&Period::year(2021)?));
/// assert!(!p.overlaps(&Period::year(2020)?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(try_from = "RawPeriod")]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct RawPeriod {
    #[serde(deserialize_with = "date")]
    #[schemars(with = "NaiveDate")]
    start: NaiveDate,
    #[serde(deserialize_with = "date")]
    #[schemars(with = "NaiveDate")]
    end: NaiveDate,
}

/// Reads a date as chrono does, with a fast path for the common `YYYY-MM-DD` form (large
/// documents hold millions of them; chrono's general parser is several times slower).
fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = NaiveDate;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a date YYYY-MM-DD")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<NaiveDate, E> {
            match ymd(s.as_bytes()) {
                Some(d) => Ok(d),
                None => s.parse().map_err(E::custom),
            }
        }
    }
    d.deserialize_str(Visitor)
}

/// `YYYY-MM-DD` with four, two and two ASCII digits, when it names a real day.
fn ymd(b: &[u8]) -> Option<NaiveDate> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *b else {
        return None;
    };
    let digit = |c: u8| c.is_ascii_digit().then(|| u32::from(c - b'0'));
    let y = digit(y0)? * 1000 + digit(y1)? * 100 + digit(y2)? * 10 + digit(y3)?;
    let m = digit(m0)? * 10 + digit(m1)?;
    let d = digit(d0)? * 10 + digit(d1)?;
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

impl TryFrom<RawPeriod> for Period {
    type Error = Error;
    fn try_from(r: RawPeriod) -> Result<Self, Error> {
        Period::new(r.start, r.end)
    }
}

impl Period {
    /// Makes a period from its first and last day.
    ///
    /// # Errors
    /// [`Error::InvalidPeriod`] when `end` is before `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, Error> {
        if start <= end {
            Ok(Period { start, end })
        } else {
            Err(Error::InvalidPeriod { start, end })
        }
    }

    /// The calendar year `year`.
    ///
    /// # Errors
    /// [`Error::InvalidYear`] when chrono cannot represent the year.
    pub fn year(year: i32) -> Result<Self, Error> {
        let start = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(Error::InvalidYear { year })?;
        let end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(Error::InvalidYear { year })?;
        Ok(Period { start, end })
    }

    /// The first day.
    pub const fn start(&self) -> NaiveDate {
        self.start
    }

    /// The last day.
    pub const fn end(&self) -> NaiveDate {
        self.end
    }

    /// Whether `date` lies in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// The year of the first day, if the period is exactly one calendar year.
    pub fn as_year(&self) -> Option<i32> {
        let y = self.start.year();
        (Period::year(y).ok()? == *self).then_some(y)
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.as_year() {
            Some(y) => write!(f, "{y}"),
            None => write!(f, "{}..={}", self.start, self.end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_reversed_and_names_dates() {
        let a = NaiveDate::from_ymd_opt(2021, 2, 1).unwrap();
        let b = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
        let err = Period::new(a, b).unwrap_err();
        assert_eq!(
            err.to_string(),
            "period 2021-02-01..=2021-01-01 is invalid: expected the start on or before the end"
        );
        let json = r#"{"start":"2021-02-01","end":"2021-01-01"}"#;
        assert!(serde_json::from_str::<Period>(json).is_err());
    }

    #[test]
    fn year_displays_as_year() {
        assert_eq!(Period::year(2020).unwrap().to_string(), "2020");
        let p: Period =
            serde_json::from_str(r#"{"start":"2020-01-01","end":"2020-12-31"}"#).unwrap();
        assert_eq!(p.as_year(), Some(2020));
    }

    proptest::proptest! {
        /// The fast `YYYY-MM-DD` path reads exactly what chrono reads: the same date, or an
        /// error where chrono gives one.
        #[test]
        fn fast_dates_agree_with_chrono(s in "[0-9+-]{0,3}[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}|[0-9a-z -]{0,12}") {
            let json = serde_json::to_string(&s).unwrap();
            let ours = date(&mut serde_json::Deserializer::from_str(&json)).ok();
            proptest::prop_assert_eq!(ours, s.parse::<NaiveDate>().ok());
        }
    }

    #[test]
    fn fast_dates_cover_the_calendar() {
        for s in [
            "2020-02-29",
            "2021-02-29",
            "0000-01-01",
            "9999-12-31",
            "2020-13-01",
            "2020-00-10",
        ] {
            assert_eq!(ymd(s.as_bytes()), s.parse::<NaiveDate>().ok(), "{s}");
        }
    }
}
