//! Triangulation: combine a chart's signal, the direction told in narratives (counted by
//! perspective) and the evidence strength into a [`Finding`], surfacing divergence instead of
//! averaging it away.
//!
//! # Decision rules
//!
//! Each *voice* may lean one way. The numbers lean better on a special cause improvement, worse
//! on a special cause deterioration, and not at all without a special cause or without a chart.
//! Each perspective's narratives (stories whose consent permits analysis, and outcome harvests
//! not disputed on substantiation, that link to the subject) lean better when more of them tell
//! "better" than "worse", worse in the opposite case, and are *split* when both counts are equal
//! and above 0; "mixed" and "unclear" narratives are counted but do not lean.
//!
//! | leaning voices | verdict | direction | confidence |
//! |---|---|---|---|
//! | none | insufficient | none | very low |
//! | a split perspective, or one voice better and another worse | diverge | none | very low |
//! | numbers and at least one perspective, all the same way | converge | that way | the evidence strength (low if not given), one step up when two or more perspectives lean and one of them is external (citizens, businesses, civil society); at most high |
//! | numbers only | one-sided | that way | the evidence strength (low if not given), at most moderate |
//! | narratives only, all the same way | one-sided | that way | low with two or more leaning perspectives or three or more leaning narratives, else very low |
//!
//! "Diverge" wins over every other verdict: a single perspective telling the opposite of the
//! numbers makes the finding diverge, however many agree. The confidence is the confidence in
//! the direction the finding reports, so a divergence has very low confidence by construction:
//! it is a call for dialogue, not a number to act on.
//!
//! The idea of comparing sources rather than pooling them is methodological triangulation
//! (N. Denzin, *The Research Act*, 1978; the convergent design of J. Creswell and V. Plano Clark,
//! *Designing and Conducting Mixed Methods Research*, 3rd ed., 2018).

use std::collections::BTreeMap;

use kompas_core::{GoalId, IndicatorId, NarrativeId, Perspective};
use serde::{Deserialize, Serialize};

use crate::{ChangeDirection, Confidence, Narrative, SubstantiationStatus, ToldDirection};

/// The quantitative signal on a goal's or indicator's chart: a special cause in the improvement
/// direction, one in the deterioration direction, or none.
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
pub enum QuantSignal {
    /// Special cause variation in the improvement direction.
    SpecialCauseImprovement,
    /// Special cause variation in the deterioration direction.
    SpecialCauseDeterioration,
    /// Common cause variation only.
    NoSignal,
}

/// What a finding is about.
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
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    /// A goal.
    Goal(GoalId),
    /// An indicator.
    Indicator(IndicatorId),
}

/// Whether the sources agree.
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
pub enum Verdict {
    /// The numbers and the narratives point the same way.
    Converge,
    /// Some source points the opposite way of another.
    Diverge,
    /// Only the numbers, or only the narratives, point a way.
    OneSided,
    /// No source points a way.
    Insufficient,
}

/// Which way a voice leans.
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
pub enum Lean {
    /// Better.
    Better,
    /// Worse.
    Worse,
    /// As many "better" as "worse" narratives.
    Split,
}

/// A source of a finding: the numbers, or the narratives of one perspective.
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
#[serde(tag = "kind", content = "perspective", rename_all = "snake_case")]
pub enum Voice {
    /// The chart.
    Numbers,
    /// The narratives told from one perspective.
    Narratives(Perspective),
}

/// One voice and the way it leans.
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
pub struct Leaning {
    /// The voice.
    pub voice: Voice,
    /// Which way it leans.
    pub lean: Lean,
}

/// The narratives of one perspective, counted by told direction.
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
pub struct Tally {
    /// Told "better".
    pub better: u32,
    /// Told "worse".
    pub worse: u32,
    /// Told "mixed".
    pub mixed: u32,
    /// Told "unclear".
    pub unclear: u32,
}

impl Tally {
    /// Which way the tally leans, if any (see the module's rules).
    pub const fn lean(&self) -> Option<Lean> {
        if self.better > self.worse {
            Some(Lean::Better)
        } else if self.worse > self.better {
            Some(Lean::Worse)
        } else if self.better > 0 {
            Some(Lean::Split)
        } else {
            None
        }
    }

    fn add(&mut self, d: ToldDirection) {
        let slot = match d {
            ToldDirection::Better => &mut self.better,
            ToldDirection::Worse => &mut self.worse,
            ToldDirection::Mixed => &mut self.mixed,
            ToldDirection::Unclear => &mut self.unclear,
        };
        *slot = slot.saturating_add(1);
    }
}

/// The result of triangulating one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    /// The goal or indicator.
    pub subject: Subject,
    /// Converge, diverge, one-sided or insufficient.
    pub verdict: Verdict,
    /// The direction the sources point, for a convergent or one-sided finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<ChangeDirection>,
    /// The confidence in that direction.
    pub confidence: Confidence,
    /// The chart's signal, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<QuantSignal>,
    /// The evidence strength, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength: Option<Confidence>,
    /// The narratives counted, by perspective.
    pub tallies: BTreeMap<Perspective, Tally>,
    /// Every voice that leans, and which way, sorted (the numbers first): the divergence, if
    /// any, is visible here.
    pub leans: Vec<Leaning>,
    /// The narratives counted, sorted.
    pub sources: Vec<NarrativeId>,
    /// The narratives told opposite to the numbers (or, without a numeric lean, opposite to the
    /// finding's direction), sorted.
    pub dissent: Vec<NarrativeId>,
    /// Linked narratives left out: no consent, or disputed on substantiation; sorted.
    pub excluded: Vec<NarrativeId>,
}

impl Finding {
    /// Which way `voice` leans, if it does.
    pub fn lean(&self, voice: Voice) -> Option<Lean> {
        self.leans.iter().find(|l| l.voice == voice).map(|l| l.lean)
    }
}

/// Triangulates one subject from the chart's signal (`None` without a chart), the evidence
/// strength behind the numbers (`None` if not assessed) and the narratives (those not linked to
/// the subject are ignored). Applies the decision rules of the module documentation.
///
/// The result does not depend on the order of `narratives`.
/// `O(n log n)` time, `O(n)` space for `n` narratives.
///
/// ```
/// use kompas_core::{IndicatorId, NarrativeId, Perspective, Text};
/// use kompas_evidence::*;
///
/// let ind = IndicatorId::from_name("loneliness");
/// let story = |n: u128, p: Perspective, d: ToldDirection| -> Result<Narrative, kompas_core::Error> {
///     Ok(Narrative::Story(Story {
///         id: NarrativeId::from_u128(n),
///         title: Text::en("t")?, text: Text::en("x")?,
///         teller: Teller { role: Text::en("resident")?, perspective: p, pseudonym: None },
///         consent: Consent::AnalysisOnly, events: None, domain: Text::en("community")?,
///         why_significant: Text::en("w")?, direction: d,
///         links: Links::default().indicator(ind),
///     }))
/// };
/// let stories = vec![
///     story(1, Perspective::Citizen, ToldDirection::Worse)?,
///     story(2, Perspective::Citizen, ToldDirection::Worse)?,
///     story(3, Perspective::Employee, ToldDirection::Better)?,
/// ];
/// let f = triangulate(Subject::Indicator(ind), Some(QuantSignal::SpecialCauseImprovement), Some(Confidence::Moderate), &stories);
/// assert_eq!(f.verdict, Verdict::Diverge);
/// assert_eq!(f.lean(Voice::Narratives(Perspective::Citizen)), Some(Lean::Worse));
/// assert_eq!(f.dissent, vec![NarrativeId::from_u128(1), NarrativeId::from_u128(2)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn triangulate(
    subject: Subject,
    signal: Option<QuantSignal>,
    strength: Option<Confidence>,
    narratives: &[Narrative],
) -> Finding {
    let mut tallies: BTreeMap<Perspective, Tally> = BTreeMap::new();
    let mut sources = Vec::new();
    let mut excluded = Vec::new();
    // (id, told direction) of every counted narrative.
    let mut told: Vec<(NarrativeId, ToldDirection)> = Vec::new();
    for n in narratives {
        let links_subject = n.links().is_some_and(|l| match subject {
            Subject::Goal(g) => l.goals.contains(&g),
            Subject::Indicator(i) => l.indicators.contains(&i),
        });
        if !links_subject {
            continue;
        }
        let (id, perspective, direction, usable) = match n {
            Narrative::Story(s) => (
                s.id,
                s.teller.perspective,
                s.direction,
                s.consent.permits_analysis(),
            ),
            Narrative::Harvest(h) => (
                h.id,
                h.perspective,
                h.direction,
                h.substantiation.status != SubstantiationStatus::Disputed,
            ),
            Narrative::Selection(_) => continue,
        };
        if !usable {
            excluded.push(id);
            continue;
        }
        tallies.entry(perspective).or_default().add(direction);
        sources.push(id);
        told.push((id, direction));
    }
    sources.sort();
    sources.dedup();
    excluded.sort();
    excluded.dedup();

    let mut leans: BTreeMap<Voice, Lean> = BTreeMap::new();
    let numbers = match signal {
        Some(QuantSignal::SpecialCauseImprovement) => Some(Lean::Better),
        Some(QuantSignal::SpecialCauseDeterioration) => Some(Lean::Worse),
        Some(QuantSignal::NoSignal) | None => None,
    };
    if let Some(l) = numbers {
        leans.insert(Voice::Numbers, l);
    }
    for (&p, t) in &tallies {
        if let Some(l) = t.lean() {
            leans.insert(Voice::Narratives(p), l);
        }
    }
    let any_better = leans.values().any(|&l| l == Lean::Better);
    let any_worse = leans.values().any(|&l| l == Lean::Worse);
    let any_split = leans.values().any(|&l| l == Lean::Split);
    let leaning_perspectives: Vec<Perspective> = leans
        .keys()
        .filter_map(|v| match v {
            Voice::Narratives(p) => Some(*p),
            Voice::Numbers => None,
        })
        .collect();

    let (verdict, lean) = if leans.is_empty() {
        (Verdict::Insufficient, None)
    } else if any_split || (any_better && any_worse) {
        (Verdict::Diverge, None)
    } else {
        let way = if any_better {
            Lean::Better
        } else {
            Lean::Worse
        };
        if numbers.is_some() && !leaning_perspectives.is_empty() {
            (Verdict::Converge, Some(way))
        } else {
            (Verdict::OneSided, Some(way))
        }
    };
    let base = strength.unwrap_or(Confidence::Low);
    let confidence = match verdict {
        Verdict::Insufficient | Verdict::Diverge => Confidence::VeryLow,
        Verdict::Converge => {
            let broad = leaning_perspectives.len() >= 2
                && leaning_perspectives.iter().any(|p| p.is_external());
            base.shifted(i32::from(broad))
        }
        Verdict::OneSided if numbers.is_some() => base.min(Confidence::Moderate),
        Verdict::OneSided => {
            let leaning_narratives = told
                .iter()
                .filter(|(_, d)| matches!(d, ToldDirection::Better | ToldDirection::Worse))
                .count();
            if leaning_perspectives.len() >= 2 || leaning_narratives >= 3 {
                Confidence::Low
            } else {
                Confidence::VeryLow
            }
        }
    };
    let direction = lean.map(|l| match l {
        Lean::Worse => ChangeDirection::Deterioration,
        Lean::Better | Lean::Split => ChangeDirection::Improvement,
    });
    let reference = numbers.or(lean);
    let mut dissent: Vec<NarrativeId> = told
        .iter()
        .filter(|(_, d)| {
            matches!(
                (reference, d),
                (Some(Lean::Better), ToldDirection::Worse)
                    | (Some(Lean::Worse), ToldDirection::Better)
            )
        })
        .map(|(id, _)| *id)
        .collect();
    dissent.sort();
    dissent.dedup();
    Finding {
        subject,
        verdict,
        direction,
        confidence,
        signal,
        strength,
        tallies,
        leans: leans
            .into_iter()
            .map(|(voice, lean)| Leaning { voice, lean })
            .collect(),
        sources,
        dissent,
        excluded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Consent, Links, Story, Teller};
    use kompas_core::Text;

    fn story(n: u128, p: Perspective, d: ToldDirection, consent: Consent) -> Narrative {
        Narrative::Story(Story {
            id: NarrativeId::from_u128(n),
            title: Text::en("t").unwrap(),
            text: Text::en("x").unwrap(),
            teller: Teller {
                role: Text::en("r").unwrap(),
                perspective: p,
                pseudonym: None,
            },
            consent,
            events: None,
            domain: Text::en("d").unwrap(),
            why_significant: Text::en("w").unwrap(),
            direction: d,
            links: Links::default().goal(GoalId::from_u128(1)),
        })
    }

    const G: Subject = Subject::Goal(GoalId::from_u128(1));

    #[test]
    fn convergence_with_broad_voices_gains_a_step() {
        let ns = vec![
            story(
                1,
                Perspective::Citizen,
                ToldDirection::Better,
                Consent::Publish,
            ),
            story(
                2,
                Perspective::Employee,
                ToldDirection::Better,
                Consent::Publish,
            ),
            story(
                3,
                Perspective::Employee,
                ToldDirection::Unclear,
                Consent::Publish,
            ),
        ];
        let f = triangulate(
            G,
            Some(QuantSignal::SpecialCauseImprovement),
            Some(Confidence::Moderate),
            &ns,
        );
        assert_eq!(f.verdict, Verdict::Converge);
        assert_eq!(f.direction, Some(ChangeDirection::Improvement));
        assert_eq!(f.confidence, Confidence::High);
        assert_eq!(f.tallies[&Perspective::Employee].unclear, 1);
    }

    #[test]
    fn withdrawn_consent_is_excluded_not_counted() {
        let ns = vec![story(
            1,
            Perspective::Citizen,
            ToldDirection::Worse,
            Consent::Withdrawn,
        )];
        let f = triangulate(G, Some(QuantSignal::SpecialCauseImprovement), None, &ns);
        assert_eq!(f.verdict, Verdict::OneSided);
        assert_eq!(f.confidence, Confidence::Low);
        assert_eq!(f.excluded, vec![NarrativeId::from_u128(1)]);
        assert!(f.sources.is_empty());
    }

    #[test]
    fn numbers_alone_are_capped_at_moderate() {
        let f = triangulate(
            G,
            Some(QuantSignal::SpecialCauseDeterioration),
            Some(Confidence::High),
            &[],
        );
        assert_eq!(f.verdict, Verdict::OneSided);
        assert_eq!(f.direction, Some(ChangeDirection::Deterioration));
        assert_eq!(f.confidence, Confidence::Moderate);
    }

    #[test]
    fn no_signal_and_no_stories_is_insufficient() {
        let f = triangulate(G, Some(QuantSignal::NoSignal), Some(Confidence::High), &[]);
        assert_eq!(f.verdict, Verdict::Insufficient);
        assert_eq!(f.confidence, Confidence::VeryLow);
        assert_eq!(f.direction, None);
    }

    #[test]
    fn split_perspective_diverges_even_without_numbers() {
        let ns = vec![
            story(
                1,
                Perspective::Citizen,
                ToldDirection::Better,
                Consent::Publish,
            ),
            story(
                2,
                Perspective::Citizen,
                ToldDirection::Worse,
                Consent::Publish,
            ),
        ];
        let f = triangulate(G, None, None, &ns);
        assert_eq!(f.verdict, Verdict::Diverge);
        assert_eq!(
            f.lean(Voice::Narratives(Perspective::Citizen)),
            Some(Lean::Split)
        );
    }

    #[test]
    fn narratives_only_one_sided_needs_breadth_for_low() {
        let one = vec![story(
            1,
            Perspective::Citizen,
            ToldDirection::Worse,
            Consent::Publish,
        )];
        let f = triangulate(G, None, None, &one);
        assert_eq!(
            (f.verdict, f.confidence),
            (Verdict::OneSided, Confidence::VeryLow)
        );
        assert_eq!(f.direction, Some(ChangeDirection::Deterioration));
        let two = vec![
            story(
                1,
                Perspective::Citizen,
                ToldDirection::Worse,
                Consent::Publish,
            ),
            story(
                2,
                Perspective::Business,
                ToldDirection::Worse,
                Consent::Publish,
            ),
        ];
        assert_eq!(triangulate(G, None, None, &two).confidence, Confidence::Low);
    }
}
