//! Exact decimal amounts as written in `.pb` files (budgets, costs, points).

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use num_bigint::BigInt;
use num_rational::BigRational;

use crate::Error;

/// An exact decimal number such as `2458488.22`, kept with the scale it was written with, so that
/// writing it back gives the same text (`100.50` stays `100.50`).
///
/// Compare values with [`Decimal::cmp_value`] (`1.0` and `1.00` are equal in value but not
/// structurally equal).
///
/// ```
/// use kompas_budget::Decimal;
/// let d: Decimal = "2458488.22".parse()?;
/// assert_eq!(d.to_string(), "2458488.22");
/// assert_eq!(d.scale(), 2);
/// assert!(d.cmp_value(&"2458488.2200".parse()?).is_eq());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Decimal {
    units: i128,
    scale: u32,
}

/// The largest number of digits after the decimal point that is accepted.
const MAX_SCALE: u32 = 12;

impl Decimal {
    /// A decimal `units / 10^scale`; `None` if `scale` is above 12.
    pub fn new(units: i128, scale: u32) -> Option<Self> {
        (scale <= MAX_SCALE).then_some(Decimal { units, scale })
    }

    /// A whole number.
    pub fn from_int(value: i64) -> Self {
        Decimal {
            units: i128::from(value),
            scale: 0,
        }
    }

    /// The integer `units` such that the value is `units / 10^scale`.
    pub fn units(&self) -> i128 {
        self.units
    }

    /// The number of digits after the decimal point.
    pub fn scale(&self) -> u32 {
        self.scale
    }

    /// True when the value is below zero.
    pub fn is_negative(&self) -> bool {
        self.units < 0
    }

    /// True when the value is zero.
    pub fn is_zero(&self) -> bool {
        self.units == 0
    }

    /// The value scaled to `scale` digits, as an integer; `None` if `scale` is below this
    /// decimal's own scale or the result overflows.
    pub fn to_scaled(&self, scale: u32) -> Option<i128> {
        let shift = scale.checked_sub(self.scale)?;
        10i128.checked_pow(shift)?.checked_mul(self.units)
    }

    /// The exact value as a rational number.
    pub fn to_rational(&self) -> BigRational {
        BigRational::new(BigInt::from(self.units), BigInt::from(10u8).pow(self.scale))
    }

    /// The value as the nearest `f64` (for display and statistics, never for selection).
    pub fn to_f64(&self) -> f64 {
        self.units as f64 / 10f64.powi(self.scale as i32)
    }

    /// Compares by value (`1.0` equals `1.00`).
    pub fn cmp_value(&self, other: &Decimal) -> std::cmp::Ordering {
        let s = self.scale.max(other.scale);
        match (self.to_scaled(s), other.to_scaled(s)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.to_rational().cmp(&other.to_rational()),
        }
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.scale == 0 {
            return write!(f, "{}", self.units);
        }
        let sign = if self.units < 0 { "-" } else { "" };
        let abs = self.units.unsigned_abs();
        let pow = 10u128.pow(self.scale);
        write!(
            f,
            "{sign}{}.{:0width$}",
            abs / pow,
            abs % pow,
            width = self.scale as usize
        )
    }
}

impl FromStr for Decimal {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = || Error::Decimal { text: s.to_owned() };
        let t = s.trim();
        let (neg, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if (int.is_empty() && frac.is_empty())
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > MAX_SCALE as usize
            || (body.contains('.') && frac.is_empty())
        {
            return Err(bad());
        }
        let digits = format!("{int}{frac}");
        let mut units: i128 = 0;
        for b in digits.bytes() {
            units = units
                .checked_mul(10)
                .and_then(|u| u.checked_add(i128::from(b - b'0')))
                .ok_or_else(bad)?;
        }
        if neg {
            units = -units;
        }
        Ok(Decimal {
            units,
            scale: frac.len() as u32,
        })
    }
}

impl TryFrom<String> for Decimal {
    type Error = Error;
    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

impl From<Decimal> for String {
    fn from(d: Decimal) -> String {
        d.to_string()
    }
}

impl schemars::JsonSchema for Decimal {
    fn schema_name() -> Cow<'static, str> {
        "Decimal".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[+-]?[0-9]*(\\.[0-9]+)?$",
            "description": "an exact decimal number, written as in the .pb file"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_exactly() {
        for s in ["0", "7200", "2458488.22", "-3.5", "100.50", "0.001"] {
            let d: Decimal = s.parse().unwrap();
            assert_eq!(d.to_string(), s);
        }
        assert_eq!("+5".parse::<Decimal>().unwrap().to_string(), "5");
        assert_eq!(".5".parse::<Decimal>().unwrap().to_string(), "0.5");
    }

    #[test]
    fn rejects_non_decimals() {
        for s in [
            "",
            "-",
            "1e5",
            "1.",
            "1,5",
            "abc",
            "1.2.3",
            "99999999999999999999999999999999999999999",
        ] {
            assert!(s.parse::<Decimal>().is_err(), "{s}");
        }
    }
}
