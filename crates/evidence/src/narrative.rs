//! Qualitative evidence: Most Significant Change [`Story`]s, the panels' [`SelectionRecord`]s, and
//! [`OutcomeHarvest`] records, joined in the [`Narrative`] enum.
//!
//! The fields follow the Most Significant Change technique (R. Davies and J. Dart, *The 'Most
//! Significant Change' (MSC) Technique: A Guide to Its Use*, 2005) and Outcome Harvesting
//! (R. Wilson-Grau and H. Britt, *Outcome Harvesting*, Ford Foundation, 2012).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use kompas_core::{GoalId, IndicatorId, InitiativeId, NarrativeId, Period, Perspective, Text};
use serde::{Deserialize, Serialize};

use crate::Error;

/// The direction of change as the teller tells it.
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
pub enum ToldDirection {
    /// Things got better.
    Better,
    /// Things got worse.
    Worse,
    /// Better in some ways, worse in others.
    Mixed,
    /// No clear direction.
    Unclear,
}

/// What the teller consented to.
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
pub enum Consent {
    /// The story may be used in analysis and published (under the pseudonym).
    Publish,
    /// The story may be used in analysis inside the municipality, not published.
    AnalysisOnly,
    /// Consent was not (yet) recorded: the story may not be used.
    NotRecorded,
    /// Consent was withdrawn: the story may not be used.
    Withdrawn,
}

impl Consent {
    /// Whether the story may be counted in analyses such as triangulation.
    pub const fn permits_analysis(self) -> bool {
        matches!(self, Consent::Publish | Consent::AnalysisOnly)
    }

    /// Whether the story may be published.
    pub const fn permits_publication(self) -> bool {
        matches!(self, Consent::Publish)
    }
}

/// Who told a story: a role and a perspective, and at most a pseudonym. Never a required name:
/// personal data stays minimal.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Teller {
    /// The teller's role ("parent of a pupil", "home carer").
    pub role: Text,
    /// Whose voice the story carries.
    pub perspective: Perspective,
    /// A pseudonym, if the teller wants one; never the real name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pseudonym: Option<String>,
}

/// The goals, indicators and initiatives a narrative speaks to.
#[derive(
    Debug,
    Clone,
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
pub struct Links {
    /// Linked goals.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub goals: BTreeSet<GoalId>,
    /// Linked indicators.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub indicators: BTreeSet<IndicatorId>,
    /// Linked initiatives.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub initiatives: BTreeSet<InitiativeId>,
}

impl Links {
    /// The same links plus a goal.
    #[must_use]
    pub fn goal(mut self, goal: GoalId) -> Self {
        self.goals.insert(goal);
        self
    }

    /// The same links plus an indicator.
    #[must_use]
    pub fn indicator(mut self, indicator: IndicatorId) -> Self {
        self.indicators.insert(indicator);
        self
    }

    /// The same links plus an initiative.
    #[must_use]
    pub fn initiative(mut self, initiative: InitiativeId) -> Self {
        self.initiatives.insert(initiative);
        self
    }
}

/// A story of change, with the fields of the Most Significant Change technique.
///
/// ```
/// use kompas_core::{GoalId, NarrativeId, Perspective, Text};
/// use kompas_evidence::{Consent, Links, Story, Teller, ToldDirection};
///
/// let story = Story {
///     id: NarrativeId::from_name("story/1"),
///     title: Text::en("The bus stopped coming")?,
///     text: Text::en("Since the route changed I can no longer get to the day centre.")?,
///     teller: Teller { role: Text::en("retired resident")?, perspective: Perspective::Citizen, pseudonym: Some("Ellen".into()) },
///     consent: Consent::AnalysisOnly,
///     events: None,
///     domain: Text::en("mobility")?,
///     why_significant: Text::en("I see my friends less")?,
///     direction: ToldDirection::Worse,
///     links: Links::default().goal(GoalId::from_name("goal/2")),
/// };
/// assert!(story.consent.permits_analysis());
/// assert!(!story.consent.permits_publication());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Story {
    /// The id.
    pub id: NarrativeId,
    /// The title the teller or the collector gave it.
    pub title: Text,
    /// The story as told.
    pub text: Text,
    /// Who told it.
    pub teller: Teller,
    /// What the teller consented to.
    pub consent: Consent,
    /// When the events took place, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Period>,
    /// The domain of change ("mobility", "loneliness").
    pub domain: Text,
    /// Why the change matters to the teller.
    pub why_significant: Text,
    /// Better, worse, mixed or unclear, as told.
    pub direction: ToldDirection,
    /// The goals, indicators and initiatives the story speaks to.
    #[serde(default)]
    pub links: Links,
}

/// The level of the panel that selects stories; MSC passes stories up a hierarchy of panels.
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
pub enum PanelLevel {
    /// A local unit: an institution, a neighbourhood, a team.
    Local,
    /// A department (magistratsafdeling).
    Department,
    /// The municipality as a whole: top management or a cross-cutting panel.
    Municipality,
    /// The city council or one of its committees.
    Council,
    /// A citizens' panel.
    Citizens,
}

/// A dissent recorded with a selection: who disagreed and why.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Dissent {
    /// Whose perspective the dissent carries.
    pub perspective: Perspective,
    /// The story the dissenter would have chosen, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred: Option<NarrativeId>,
    /// The reason given.
    pub reason: Text,
}

/// A panel's choice of the most significant story among candidates, with its reasons and any
/// dissent (MSC asks panels to document why they chose).
///
/// ```
/// use chrono::NaiveDate;
/// use kompas_core::{NarrativeId, Perspective, Text};
/// use kompas_evidence::{Dissent, Narrative, PanelLevel, SelectionRecord};
///
/// let (a, b) = (NarrativeId::from_u128(1), NarrativeId::from_u128(2));
/// let date = NaiveDate::from_ymd_opt(2024, 5, 1).ok_or("date")?;
/// let record = SelectionRecord::new(
///     NarrativeId::from_u128(9), PanelLevel::Department, Text::en("Health and care panel")?,
///     date, [a, b].into(), b, Text::en("It shows what loneliness costs")?,
/// )?
/// .with_dissent(Dissent { perspective: Perspective::Employee, preferred: Some(a), reason: Text::en("a is more typical")? });
/// assert_eq!(record.chosen(), b);
/// assert_eq!(Narrative::Selection(record).referenced_narratives(), vec![a, b]);
///
/// // The chosen story must be a candidate.
/// let c = NarrativeId::from_u128(3);
/// assert!(SelectionRecord::new(NarrativeId::from_u128(10), PanelLevel::Local, Text::en("p")?, date, [a].into(), c, Text::en("r")?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "RawSelection")]
pub struct SelectionRecord {
    id: NarrativeId,
    level: PanelLevel,
    panel: Text,
    date: NaiveDate,
    candidates: BTreeSet<NarrativeId>,
    chosen: NarrativeId,
    reasons: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    dissent: Vec<Dissent>,
}

#[derive(Deserialize, schemars::JsonSchema)]
struct RawSelection {
    id: NarrativeId,
    level: PanelLevel,
    panel: Text,
    date: NaiveDate,
    candidates: BTreeSet<NarrativeId>,
    chosen: NarrativeId,
    reasons: Text,
    #[serde(default)]
    dissent: Vec<Dissent>,
}

impl TryFrom<RawSelection> for SelectionRecord {
    type Error = Error;
    fn try_from(r: RawSelection) -> Result<Self, Error> {
        let mut s = SelectionRecord::new(
            r.id,
            r.level,
            r.panel,
            r.date,
            r.candidates,
            r.chosen,
            r.reasons,
        )?;
        s.dissent = r.dissent;
        s.dissent.sort();
        Ok(s)
    }
}

impl SelectionRecord {
    /// Records a selection.
    ///
    /// # Errors
    /// [`Error::ChosenNotCandidate`] when `chosen` is not among `candidates`.
    pub fn new(
        id: NarrativeId,
        level: PanelLevel,
        panel: Text,
        date: NaiveDate,
        candidates: BTreeSet<NarrativeId>,
        chosen: NarrativeId,
        reasons: Text,
    ) -> Result<Self, Error> {
        if !candidates.contains(&chosen) {
            return Err(Error::ChosenNotCandidate { record: id, chosen });
        }
        Ok(SelectionRecord {
            id,
            level,
            panel,
            date,
            candidates,
            chosen,
            reasons,
            dissent: Vec::new(),
        })
    }

    /// The same record with one more dissent (kept sorted).
    #[must_use]
    pub fn with_dissent(mut self, dissent: Dissent) -> Self {
        self.dissent.push(dissent);
        self.dissent.sort();
        self
    }

    /// The id.
    pub const fn id(&self) -> NarrativeId {
        self.id
    }
    /// The panel's level.
    pub const fn level(&self) -> PanelLevel {
        self.level
    }
    /// The panel, in words.
    pub fn panel(&self) -> &Text {
        &self.panel
    }
    /// When the panel chose.
    pub const fn date(&self) -> NaiveDate {
        self.date
    }
    /// The stories the panel considered.
    pub fn candidates(&self) -> &BTreeSet<NarrativeId> {
        &self.candidates
    }
    /// The story chosen.
    pub const fn chosen(&self) -> NarrativeId {
        self.chosen
    }
    /// Why the panel chose it.
    pub fn reasons(&self) -> &Text {
        &self.reasons
    }
    /// Recorded dissent, sorted.
    pub fn dissent(&self) -> &[Dissent] {
        &self.dissent
    }
}

/// How far an outcome's description was confirmed by independent sources (Outcome Harvesting's
/// substantiation step).
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
pub enum SubstantiationStatus {
    /// Not (yet) checked with anyone.
    NotChecked,
    /// Independent sources disagreed with the description.
    Disputed,
    /// Independent sources confirmed it in part.
    Partly,
    /// Independent sources confirmed it fully.
    Confirmed,
}

/// The substantiation of an outcome.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Substantiation {
    /// The result of the check.
    pub status: SubstantiationStatus,
    /// Who was asked, by role and perspective (no names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<Perspective>,
    /// What they said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// An outcome-harvesting record: an observed change in a social actor, and how the work
/// contributed to it.
///
/// ```
/// use kompas_core::{GoalId, NarrativeId, Perspective, Text};
/// use kompas_evidence::{Links, Narrative, OutcomeHarvest, Substantiation, SubstantiationStatus, ToldDirection};
///
/// let h = OutcomeHarvest {
///     id: NarrativeId::from_u128(5),
///     change: Text::en("The residents' association now runs the Friday café itself")?,
///     social_actor: Text::en("residents' association, Gellerup")?,
///     perspective: Perspective::CivilSociety,
///     when: None,
///     contribution: Text::en("The municipality lent the room and trained two volunteers")?,
///     significance: Text::en("A meeting place that no longer depends on staff")?,
///     direction: ToldDirection::Better,
///     substantiation: Substantiation { status: SubstantiationStatus::Confirmed, by: vec![Perspective::Citizen], note: None },
///     links: Links::default().goal(GoalId::from_name("aarhus/goal/2")),
/// };
/// let n = Narrative::Harvest(h);
/// assert_eq!(n.id(), NarrativeId::from_u128(5));
/// assert!(n.links().is_some_and(|l| l.goals.contains(&GoalId::from_name("aarhus/goal/2"))));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OutcomeHarvest {
    /// The id.
    pub id: NarrativeId,
    /// What changed: a behaviour, relationship, action, policy or practice.
    pub change: Text,
    /// Who changed (a social actor: a group, an organisation; no personal names).
    pub social_actor: Text,
    /// The social actor's perspective.
    pub perspective: Perspective,
    /// When the change happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Period>,
    /// How the municipality or the initiative contributed.
    pub contribution: Text,
    /// Why the change matters.
    pub significance: Text,
    /// Better, worse, mixed or unclear, as harvested.
    pub direction: ToldDirection,
    /// The substantiation.
    pub substantiation: Substantiation,
    /// The goals, indicators and initiatives the outcome speaks to.
    #[serde(default)]
    pub links: Links,
}

/// Any narrative: a story, a selection record or an outcome-harvesting record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Narrative {
    /// A Most Significant Change story.
    Story(Story),
    /// A panel's selection.
    Selection(SelectionRecord),
    /// An outcome-harvesting record.
    Harvest(OutcomeHarvest),
}

impl Narrative {
    /// The id.
    pub fn id(&self) -> NarrativeId {
        match self {
            Narrative::Story(s) => s.id,
            Narrative::Selection(s) => s.id,
            Narrative::Harvest(h) => h.id,
        }
    }

    /// The links (a selection record has none of its own: it links to narratives).
    pub fn links(&self) -> Option<&Links> {
        match self {
            Narrative::Story(s) => Some(&s.links),
            Narrative::Selection(_) => None,
            Narrative::Harvest(h) => Some(&h.links),
        }
    }

    /// The narratives this one references (a selection's candidates and the stories its
    /// dissenters preferred), sorted and without repeats.
    pub fn referenced_narratives(&self) -> Vec<NarrativeId> {
        match self {
            Narrative::Selection(s) => {
                let all: BTreeSet<NarrativeId> = s
                    .candidates
                    .iter()
                    .copied()
                    .chain(s.dissent.iter().filter_map(|d| d.preferred))
                    .collect();
                all.into_iter().collect()
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosen_must_be_a_candidate() {
        let err = SelectionRecord::new(
            NarrativeId::from_u128(10),
            PanelLevel::Department,
            Text::en("panel").unwrap(),
            NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
            [NarrativeId::from_u128(1)].into(),
            NarrativeId::from_u128(2),
            Text::en("why").unwrap(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "selection record 00000000-0000-0000-0000-00000000000a chose narrative 00000000-0000-0000-0000-000000000002: expected one of its candidates"
        );
        let json = r#"{"kind":"selection","id":"00000000-0000-0000-0000-00000000000a","level":"local","panel":{"en":"p"},"date":"2024-05-01","candidates":["00000000-0000-0000-0000-000000000001"],"chosen":"00000000-0000-0000-0000-000000000002","reasons":{"en":"r"}}"#;
        assert!(serde_json::from_str::<Narrative>(json).is_err());
        let ok = json.replace("000000000002\",\"reasons", "000000000001\",\"reasons");
        let n: Narrative = serde_json::from_str(&ok).unwrap();
        assert_eq!(n.referenced_narratives(), vec![NarrativeId::from_u128(1)]);
    }

    #[test]
    fn consent_gates_use() {
        assert!(!Consent::Withdrawn.permits_analysis());
        assert!(!Consent::NotRecorded.permits_analysis());
        assert!(Consent::AnalysisOnly.permits_analysis());
        assert!(!Consent::AnalysisOnly.permits_publication());
    }
}
