//! Small validated numbers: [`Weight`] and [`Share`].

use crate::Error;

/// A weight: a finite number, at least 0. Weights are relative; a parent renormalises its
/// children's weights.
///
/// ```
/// use kompas_core::Weight;
/// assert!(Weight::new(-0.1).is_err());
/// assert!(Weight::new(f64::NAN).is_err());
/// assert_eq!(Weight::new(2.5)?.get(), 2.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Weight(f64);

impl Weight {
    /// The weight 1.
    pub const ONE: Weight = Weight(1.0);
    /// The weight 0.
    pub const ZERO: Weight = Weight(0.0);

    /// Checks and wraps a weight.
    ///
    /// # Errors
    /// [`Error::InvalidWeight`] when `value` is negative, NaN or infinite.
    pub fn new(value: f64) -> Result<Self, Error> {
        if value.is_finite() && value >= 0.0 {
            // Normalise -0.0 to 0.0 so that equal weights serialise equally.
            Ok(Weight(value + 0.0))
        } else {
            Err(Error::InvalidWeight { value })
        }
    }

    /// The number inside.
    pub const fn get(self) -> f64 {
        self.0
    }
}

impl Default for Weight {
    fn default() -> Self {
        Weight::ONE
    }
}

impl TryFrom<f64> for Weight {
    type Error = Error;
    fn try_from(v: f64) -> Result<Self, Error> {
        Weight::new(v)
    }
}

impl From<Weight> for f64 {
    fn from(w: Weight) -> f64 {
        w.0
    }
}

impl std::fmt::Display for Weight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl schemars::JsonSchema for Weight {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Weight".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "number", "minimum": 0.0 })
    }
}

/// A share (a proportion): a finite number from 0 to 1.
///
/// ```
/// use kompas_core::Share;
/// assert!(Share::new(1.2).is_err());
/// assert_eq!(Share::new(0.5)?.get(), 0.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Share(f64);

impl Share {
    /// The share 0.
    pub const ZERO: Share = Share(0.0);
    /// The share 1.
    pub const ONE: Share = Share(1.0);

    /// Checks and wraps a share.
    ///
    /// # Errors
    /// [`Error::InvalidShare`] when `value` is outside 0..=1 or not finite.
    pub fn new(value: f64) -> Result<Self, Error> {
        if (0.0..=1.0).contains(&value) {
            Ok(Share(value + 0.0))
        } else {
            Err(Error::InvalidShare { value })
        }
    }

    /// The number inside.
    pub const fn get(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Share {
    type Error = Error;
    fn try_from(v: f64) -> Result<Self, Error> {
        Share::new(v)
    }
}

impl From<Share> for f64 {
    fn from(s: Share) -> f64 {
        s.0
    }
}

impl std::fmt::Display for Share {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, f)
    }
}

impl schemars::JsonSchema for Share {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Share".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "number", "minimum": 0.0, "maximum": 1.0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn weight_accepts_exactly_finite_nonnegative(v in proptest::num::f64::ANY) {
            prop_assert_eq!(Weight::new(v).is_ok(), v.is_finite() && v >= 0.0);
        }

        #[test]
        fn share_accepts_exactly_unit_interval(v in proptest::num::f64::ANY) {
            prop_assert_eq!(Share::new(v).is_ok(), (0.0..=1.0).contains(&v));
        }

        #[test]
        fn weight_serde_round_trip(v in 0.0f64..1e12) {
            let w = Weight::new(v).unwrap();
            let back: Weight = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
            prop_assert_eq!(back, w);
        }
    }

    #[test]
    fn serde_rejects_invalid() {
        let err = serde_json::from_str::<Weight>("-1.0").unwrap_err();
        assert!(err.to_string().contains("weight -1 is invalid"), "{err}");
        assert!(serde_json::from_str::<Share>("1.5").is_err());
    }
}
