//! Evidence strength: the Nesta standards of evidence, the Maryland scientific methods scale,
//! GRADE certainty and GRADE-CERQual confidence, and one [`Confidence`] scale they all map onto.
//!
//! # Rules
//!
//! | scale | input | rule | source |
//! |---|---|---|---|
//! | Nesta | level 1-5 | as recorded | Puttick and Ludlow, *Standards of Evidence*, Nesta, 2013 |
//! | Maryland | level 1-5 | as recorded | Sherman et al., *Preventing Crime*, 1997; Farrington et al. 2002; What Works Centre for Local Economic Growth |
//! | GRADE | design, 5 downgrading and 3 upgrading factors | randomised trials start at high (4), observational studies at low (2); each serious concern -1, very serious -2; large effect +1, very large +2, dose-response +1, plausible confounding +1; clamped to very low (1)..high (4) | Balshem et al., *J Clin Epidemiol* 64:401, 2011 (GRADE guidelines 3); Guyatt et al., *J Clin Epidemiol* 64:1311, 2011 (guidelines 9, rating up); GRADE Handbook 2013, ch. 5 |
//! | GRADE-CERQual | 4 components, each no/very minor, minor, moderate, serious concerns | start at high; each moderate concern -1, each serious -2, every two minor concerns -1; clamped to very low | Lewin et al., *Implementation Science* 13(Suppl 1):2, 2018 |
//!
//! GRADE-CERQual is a judgement, not a formula; the rule above is kompas's documented
//! operationalisation of it, so that the same assessment always gives the same confidence.
//! Mapping onto [`Confidence`]: Nesta 1 very low, 2 low, 3 moderate, 4-5 high; Maryland 1 very
//! low, 2 low, 3-4 moderate, 5 high (level 3, before-and-after with a comparison group, is the
//! What Works Centre's threshold for credible evidence; level 5 is a randomised trial, which
//! GRADE starts at high).

use serde::{Deserialize, Serialize};

use crate::Error;

/// A four-step confidence scale: GRADE's certainty, GRADE-CERQual's confidence, and the
/// confidence of a triangulation finding.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Very low: the true effect or phenomenon is probably markedly different.
    VeryLow,
    /// Low: may be markedly different.
    Low,
    /// Moderate: probably close, but may be substantially different.
    Moderate,
    /// High: very confident.
    High,
}

impl Confidence {
    /// All steps, from very low to high.
    pub const ALL: [Confidence; 4] = [
        Confidence::VeryLow,
        Confidence::Low,
        Confidence::Moderate,
        Confidence::High,
    ];

    /// The step as a rating 1 (very low) to 4 (high).
    pub const fn rating(self) -> i32 {
        match self {
            Confidence::VeryLow => 1,
            Confidence::Low => 2,
            Confidence::Moderate => 3,
            Confidence::High => 4,
        }
    }

    /// The step for a rating, clamped to 1..=4.
    pub const fn from_rating(rating: i32) -> Self {
        match rating {
            i32::MIN..=1 => Confidence::VeryLow,
            2 => Confidence::Low,
            3 => Confidence::Moderate,
            _ => Confidence::High,
        }
    }

    /// One step up or down (`steps` may be negative), clamped.
    #[must_use]
    pub const fn shifted(self, steps: i32) -> Self {
        Confidence::from_rating(self.rating().saturating_add(steps))
    }
}

macro_rules! five_levels {
    ($(#[$meta:meta])* $name:ident, $scale:literal, [$($(#[$vmeta:meta])* $variant:ident = $n:literal),*]) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "u8", into = "u8")]
        pub enum $name {
            $($(#[$vmeta])* $variant = $n),*
        }

        impl $name {
            /// Checks a level number.
            ///
            /// # Errors
            /// [`Error::InvalidLevel`] unless `level` is 1 to 5.
            pub const fn new(level: u8) -> Result<Self, Error> {
                match level {
                    $($n => Ok($name::$variant),)*
                    _ => Err(Error::InvalidLevel { scale: $scale, value: level }),
                }
            }

            /// The level number, 1 to 5.
            pub const fn get(self) -> u8 {
                self as u8
            }
        }

        impl TryFrom<u8> for $name {
            type Error = Error;
            fn try_from(v: u8) -> Result<Self, Error> {
                $name::new(v)
            }
        }

        impl From<$name> for u8 {
            fn from(l: $name) -> u8 {
                l.get()
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "integer", "minimum": 1, "maximum": 5 })
            }
        }
    };
}

five_levels!(
    /// Nesta's standards of evidence for social innovations (Puttick and Ludlow 2013).
    ///
    /// ```
    /// use kompas_evidence::{Confidence, NestaLevel};
    /// let l = NestaLevel::new(3)?;
    /// assert_eq!(l, NestaLevel::Causality);
    /// assert_eq!(l.confidence(), Confidence::Moderate);
    /// assert!(NestaLevel::new(6).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    NestaLevel, "nesta", [
        /// 1: you can describe what you do and why it matters, logically and convincingly.
        Describe = 1,
        /// 2: you capture data that shows positive change, but cannot confirm you caused it.
        Correlation = 2,
        /// 3: you can demonstrate causality using a control or comparison group.
        Causality = 3,
        /// 4: one or more independent replication evaluations confirm the conclusions.
        IndependentReplication = 4,
        /// 5: manuals, systems and procedures ensure consistent replication and impact.
        Scaled = 5
    ]
);

five_levels!(
    /// The Maryland scientific methods scale (Sherman et al. 1997; Farrington et al. 2002).
    ///
    /// ```
    /// use kompas_evidence::{Confidence, MarylandLevel};
    /// assert_eq!(MarylandLevel::new(5)?.confidence(), Confidence::High);
    /// assert_eq!(MarylandLevel::BeforeAfter.get(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    MarylandLevel, "maryland", [
        /// 1: a correlation at one point in time, no comparison group.
        CrossSection = 1,
        /// 2: before and after, without a comparison group (or a comparison without a before).
        BeforeAfter = 2,
        /// 3: before and after with a comparison group (difference in differences).
        ComparisonGroup = 3,
        /// 4: comparison controlling for other factors (matching, natural experiments).
        ControlledComparison = 4,
        /// 5: random assignment.
        Randomised = 5
    ]
);

impl NestaLevel {
    /// The level on the common [`Confidence`] scale (see the module's rules).
    pub const fn confidence(self) -> Confidence {
        match self {
            NestaLevel::Describe => Confidence::VeryLow,
            NestaLevel::Correlation => Confidence::Low,
            NestaLevel::Causality => Confidence::Moderate,
            NestaLevel::IndependentReplication | NestaLevel::Scaled => Confidence::High,
        }
    }
}

impl MarylandLevel {
    /// The level on the common [`Confidence`] scale (see the module's rules).
    pub const fn confidence(self) -> Confidence {
        match self {
            MarylandLevel::CrossSection => Confidence::VeryLow,
            MarylandLevel::BeforeAfter => Confidence::Low,
            MarylandLevel::ComparisonGroup | MarylandLevel::ControlledComparison => {
                Confidence::Moderate
            }
            MarylandLevel::Randomised => Confidence::High,
        }
    }
}

/// The design of the body of studies behind a GRADE rating.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StudyDesign {
    /// Randomised trials: start at high certainty.
    RandomisedTrial,
    /// Observational studies: start at low certainty.
    Observational,
}

/// A GRADE downgrading judgement for one domain.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    /// Not serious: no downgrading.
    #[default]
    NotSerious,
    /// Serious: down one level.
    Serious,
    /// Very serious: down two levels.
    VerySerious,
}

impl Concern {
    const fn steps(self) -> i32 {
        match self {
            Concern::NotSerious => 0,
            Concern::Serious => 1,
            Concern::VerySerious => 2,
        }
    }
}

/// The size of an effect, for GRADE's first upgrading factor.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EffectSize {
    /// Not large: no upgrading.
    #[default]
    NotLarge,
    /// Large (for example a relative risk above 2 or below 0.5): up one level.
    Large,
    /// Very large (a relative risk above 5 or below 0.2): up two levels.
    VeryLarge,
}

/// Whether a GRADE upgrading factor (dose-response, plausible confounding) is present.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    /// Absent: no upgrading.
    #[default]
    Absent,
    /// Present: up one level.
    Present,
}

/// A GRADE assessment of a body of evidence; [`GradeAssessment::certainty`] computes the rating.
///
/// ```
/// use kompas_evidence::{Concern, Confidence, EffectSize, GradeAssessment, StudyDesign};
///
/// let mut a = GradeAssessment::new(StudyDesign::RandomisedTrial);
/// a.risk_of_bias = Concern::Serious;
/// a.imprecision = Concern::VerySerious;
/// assert_eq!(a.certainty(), Confidence::VeryLow); // 4 - 1 - 2 = 1
///
/// let mut b = GradeAssessment::new(StudyDesign::Observational);
/// b.large_effect = EffectSize::VeryLarge;
/// b.dose_response = kompas_evidence::Factor::Present;
/// assert_eq!(b.certainty(), Confidence::High); // 2 + 2 + 1 = 5, clamped to 4
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GradeAssessment {
    /// The design: sets the starting level.
    pub design: StudyDesign,
    /// Risk of bias (study limitations).
    #[serde(default)]
    pub risk_of_bias: Concern,
    /// Inconsistency of results.
    #[serde(default)]
    pub inconsistency: Concern,
    /// Indirectness of evidence.
    #[serde(default)]
    pub indirectness: Concern,
    /// Imprecision.
    #[serde(default)]
    pub imprecision: Concern,
    /// Publication bias.
    #[serde(default)]
    pub publication_bias: Concern,
    /// A large or very large effect.
    #[serde(default)]
    pub large_effect: EffectSize,
    /// A dose-response gradient.
    #[serde(default)]
    pub dose_response: Factor,
    /// All plausible confounding would reduce a demonstrated effect (or suggest a spurious one
    /// where none was found).
    #[serde(default)]
    pub plausible_confounding: Factor,
}

impl GradeAssessment {
    /// An assessment of `design` with no concerns and no upgrading factors.
    pub const fn new(design: StudyDesign) -> Self {
        GradeAssessment {
            design,
            risk_of_bias: Concern::NotSerious,
            inconsistency: Concern::NotSerious,
            indirectness: Concern::NotSerious,
            imprecision: Concern::NotSerious,
            publication_bias: Concern::NotSerious,
            large_effect: EffectSize::NotLarge,
            dose_response: Factor::Absent,
            plausible_confounding: Factor::Absent,
        }
    }

    /// The unclamped rating: start (4 or 2) minus downgrades plus upgrades; from -8 to 8.
    pub const fn raw_rating(&self) -> i32 {
        let start = match self.design {
            StudyDesign::RandomisedTrial => 4,
            StudyDesign::Observational => 2,
        };
        let down = self.risk_of_bias.steps()
            + self.inconsistency.steps()
            + self.indirectness.steps()
            + self.imprecision.steps()
            + self.publication_bias.steps();
        let up = match self.large_effect {
            EffectSize::NotLarge => 0,
            EffectSize::Large => 1,
            EffectSize::VeryLarge => 2,
        } + matches!(self.dose_response, Factor::Present) as i32
            + matches!(self.plausible_confounding, Factor::Present) as i32;
        start - down + up
    }

    /// The certainty: [`GradeAssessment::raw_rating`] clamped to very low..high. `O(1)`.
    pub const fn certainty(&self) -> Confidence {
        Confidence::from_rating(self.raw_rating())
    }
}

/// A GRADE-CERQual concern about one component of a qualitative finding.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CerqualConcern {
    /// No or very minor concerns.
    #[default]
    NoOrVeryMinor,
    /// Minor concerns.
    Minor,
    /// Moderate concerns.
    Moderate,
    /// Serious concerns.
    Serious,
}

/// A GRADE-CERQual assessment of a qualitative review finding (Lewin et al. 2018).
///
/// ```
/// use kompas_evidence::{CerqualAssessment, CerqualConcern, Confidence};
/// let a = CerqualAssessment {
///     methodological_limitations: CerqualConcern::Minor,
///     coherence: CerqualConcern::NoOrVeryMinor,
///     adequacy: CerqualConcern::Minor,
///     relevance: CerqualConcern::Moderate,
/// };
/// assert_eq!(a.confidence(), Confidence::Low); // two minor: -1, one moderate: -1
/// ```
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct CerqualAssessment {
    /// Methodological limitations of the contributing studies.
    pub methodological_limitations: CerqualConcern,
    /// Coherence: how well the data supports the finding and explains exceptions.
    pub coherence: CerqualConcern,
    /// Adequacy: richness and quantity of data.
    pub adequacy: CerqualConcern,
    /// Relevance to the context of the review question.
    pub relevance: CerqualConcern,
}

impl CerqualAssessment {
    /// The confidence: high, minus one step per moderate concern, two per serious concern and one
    /// per two minor concerns, clamped to very low. `O(1)`.
    pub const fn confidence(&self) -> Confidence {
        let cs = [
            self.methodological_limitations,
            self.coherence,
            self.adequacy,
            self.relevance,
        ];
        let mut minor = 0;
        let mut steps = 0;
        let mut i = 0;
        while i < cs.len() {
            match cs[i] {
                CerqualConcern::NoOrVeryMinor => {}
                CerqualConcern::Minor => minor += 1,
                CerqualConcern::Moderate => steps += 1,
                CerqualConcern::Serious => steps += 2,
            }
            i += 1;
        }
        Confidence::High.shifted(-(steps + minor / 2))
    }
}

/// The strength of the evidence behind a claim, on one of the four scales.
///
/// ```
/// use kompas_evidence::{Confidence, EvidenceStrength, GradeAssessment, MarylandLevel, StudyDesign};
/// let quasi = EvidenceStrength::Maryland { level: MarylandLevel::new(3)? };
/// let trial = EvidenceStrength::Grade(GradeAssessment::new(StudyDesign::RandomisedTrial));
/// assert_eq!(quasi.confidence(), Confidence::Moderate);
/// assert!(trial.confidence() > quasi.confidence());
/// assert_eq!(serde_json::to_string(&quasi)?, r#"{"scale":"maryland","level":3}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "scale", rename_all = "snake_case")]
pub enum EvidenceStrength {
    /// A Nesta level.
    Nesta {
        /// The level.
        level: NestaLevel,
    },
    /// A Maryland level.
    Maryland {
        /// The level.
        level: MarylandLevel,
    },
    /// A GRADE assessment.
    Grade(GradeAssessment),
    /// A GRADE-CERQual assessment.
    Cerqual(CerqualAssessment),
}

impl EvidenceStrength {
    /// The strength on the common [`Confidence`] scale.
    pub const fn confidence(&self) -> Confidence {
        match self {
            EvidenceStrength::Nesta { level } => level.confidence(),
            EvidenceStrength::Maryland { level } => level.confidence(),
            EvidenceStrength::Grade(a) => a.certainty(),
            EvidenceStrength::Cerqual(a) => a.confidence(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_starting_levels() {
        assert_eq!(
            GradeAssessment::new(StudyDesign::RandomisedTrial).certainty(),
            Confidence::High
        );
        assert_eq!(
            GradeAssessment::new(StudyDesign::Observational).certainty(),
            Confidence::Low
        );
        let mut a = GradeAssessment::new(StudyDesign::Observational);
        a.publication_bias = Concern::Serious;
        assert_eq!(a.certainty(), Confidence::VeryLow);
        a.plausible_confounding = Factor::Present;
        assert_eq!(a.certainty(), Confidence::Low);
    }

    #[test]
    fn levels_serialise_as_numbers_and_reject_out_of_range() {
        assert_eq!(serde_json::to_string(&NestaLevel::Scaled).unwrap(), "5");
        let err = serde_json::from_str::<MarylandLevel>("0").unwrap_err();
        assert!(
            err.to_string()
                .contains("maryland level 0 is invalid: expected 1 to 5")
        );
        let s = EvidenceStrength::Maryland {
            level: MarylandLevel::ComparisonGroup,
        };
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"scale":"maryland","level":3}"#);
    }

    #[test]
    fn cerqual_serious_everywhere_is_very_low() {
        let a = CerqualAssessment {
            methodological_limitations: CerqualConcern::Serious,
            coherence: CerqualConcern::Serious,
            adequacy: CerqualConcern::Serious,
            relevance: CerqualConcern::Serious,
        };
        assert_eq!(a.confidence(), Confidence::VeryLow);
        assert_eq!(CerqualAssessment::default().confidence(), Confidence::High);
    }
}
