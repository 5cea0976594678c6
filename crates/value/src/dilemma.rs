//! Dilemmas, decisions and the transparency of decisions.

use chrono::NaiveDate;
use kompas_core::{
    DecisionId, DilemmaId, NarrativeId, ObservationId, Perspective, Text, ValueStatementId,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Error;

/// The kind of a dilemma: whose values compete.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DilemmaKind {
    /// A citizen's view against a professional's (rehabilitation, for example).
    CitizenVsProfessional,
    /// A political view against a professional one.
    PoliticalVsProfessional,
    /// What the individual values against what the community values (densification).
    IndividualVsCommunity,
    /// Between political priorities (the associations' halls against self-organised outdoor sport).
    BetweenPoliticalPriorities,
    /// Between areas (departments, sectors, districts).
    BetweenAreas,
}

impl DilemmaKind {
    /// Whether the dilemma is political by kind: settling it defines value, which politicians do.
    pub const fn is_political(self) -> bool {
        matches!(
            self,
            DilemmaKind::PoliticalVsProfessional | DilemmaKind::BetweenPoliticalPriorities
        )
    }
}

/// A principle of the framework that bears on a dilemma. The framework's stances are data: a
/// dilemma records which principles apply, each with an optional note.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Principle {
    /// Politicians hold the final right to define value (definitionsret).
    PoliticiansDefineValue,
    /// Value is defined with citizens, businesses and partners, not at the desk.
    DefinedWithCitizens,
    /// Decisions are open about the basis they rest on.
    OpenBasis,
    /// The individual and the community are both weighed; neither wins by default.
    IndividualAndCommunity,
    /// The task decides who contributes best.
    TaskDecidesWhoContributes,
    /// Co-creation has limits: law, legal certainty, council decisions and cost.
    LimitsOfCoCreation,
}

impl Principle {
    /// The principle in English, as the framework states it.
    pub const fn statement_en(self) -> &'static str {
        match self {
            Principle::PoliticiansDefineValue => "politicians hold the final right to define value",
            Principle::DefinedWithCitizens => {
                "value is defined with citizens, businesses and partners, not at the desk"
            }
            Principle::OpenBasis => "decisions are open about the basis they rest on",
            Principle::IndividualAndCommunity => {
                "what one citizen values can clash with what the community values; both are weighed"
            }
            Principle::TaskDecidesWhoContributes => "the task decides who contributes best",
            Principle::LimitsOfCoCreation => {
                "co-creation has limits: law, legal certainty, council decisions and cost"
            }
        }
    }

    /// The principle in Danish.
    pub const fn statement_da(self) -> &'static str {
        match self {
            Principle::PoliticiansDefineValue => "politikerne har den endelige definitionsret",
            Principle::DefinedWithCitizens => {
                "værdi defineres sammen med borgere, virksomheder og partnere, ikke ved skrivebordet"
            }
            Principle::OpenBasis => "beslutninger er åbne om det grundlag, de hviler på",
            Principle::IndividualAndCommunity => {
                "det, den enkelte borger værdsætter, kan støde mod fællesskabets; begge vejes"
            }
            Principle::TaskDecidesWhoContributes => "opgaven afgør, hvem der bidrager bedst",
            Principle::LimitsOfCoCreation => {
                "samskabelse har grænser: lovgivning, retssikkerhed, byrådsbeslutninger og økonomi"
            }
        }
    }
}

/// The framework's stance on a dilemma: a principle that applies, with an optional note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Stance {
    /// The principle.
    pub principle: Principle,
    /// How it applies here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// One of the competing positions in a dilemma.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Position {
    /// A short code for the position (used as the option code in rankings and decisions).
    pub code: String,
    /// The position in words.
    pub label: Text,
    /// The value statements behind it.
    #[serde(default)]
    pub statements: Vec<ValueStatementId>,
    /// The perspectives that hold it.
    #[serde(default)]
    pub held_by: Vec<Perspective>,
}

/// A dilemma: a question on which values compete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Dilemma {
    /// The dilemma's id.
    pub id: DilemmaId,
    /// The question.
    pub question: Text,
    /// Whose values compete.
    pub kind: DilemmaKind,
    /// The competing positions.
    #[serde(default)]
    pub positions: Vec<Position>,
    /// The framework's stances that apply.
    #[serde(default)]
    pub stances: Vec<Stance>,
}

impl Dilemma {
    /// Whether settling the dilemma is political: by its kind, or because politicians hold one of
    /// the positions.
    pub fn is_political(&self) -> bool {
        self.kind.is_political()
            || self
                .positions
                .iter()
                .any(|p| p.held_by.contains(&Perspective::Political))
    }

    /// Checks that the positions have distinct, non-empty codes.
    ///
    /// # Errors
    /// [`Error::InvalidDilemma`] naming the dilemma and the code.
    pub fn validate(&self) -> Result<(), Error> {
        let mut seen = std::collections::BTreeSet::new();
        for p in &self.positions {
            if p.code.trim().is_empty() || !seen.insert(p.code.as_str()) {
                return Err(Error::InvalidDilemma {
                    dilemma: self.id,
                    problem: format!(
                        "position code {:?} is blank or repeated: expected distinct codes",
                        p.code
                    ),
                });
            }
        }
        Ok(())
    }

    /// The ids of all value statements behind its positions, sorted and without repeats.
    pub fn statement_ids(&self) -> Vec<ValueStatementId> {
        let mut ids: Vec<_> = self
            .positions
            .iter()
            .flat_map(|p| p.statements.iter().copied())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// Who decided.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    /// The city council (byrådet).
    CityCouncil,
    /// A committee of the council (udvalg).
    Committee,
    /// Department management (magistratsafdelingens ledelse).
    DepartmentManagement,
    /// Management of a unit (institution, centre).
    UnitManagement,
    /// A co-creation forum.
    CoCreationForum,
}

impl Authority {
    /// Every authority, in the order declared.
    pub const ALL: [Authority; 5] = [
        Authority::CityCouncil,
        Authority::Committee,
        Authority::DepartmentManagement,
        Authority::UnitManagement,
        Authority::CoCreationForum,
    ];

    /// The authority whose code ([`Authority::as_str`]) is `code`.
    ///
    /// ```
    /// use kompas_value::Authority;
    ///
    /// assert_eq!(Authority::from_code("city_council"), Some(Authority::CityCouncil));
    /// assert_eq!(Authority::from_code("byrådet"), None);
    /// ```
    pub fn from_code(code: &str) -> Option<Authority> {
        Authority::ALL.into_iter().find(|a| a.as_str() == code)
    }

    /// The name in Danish, as a report's sentence uses it (`byrådet`).
    pub const fn label_da(self) -> &'static str {
        match self {
            Authority::CityCouncil => "byrådet",
            Authority::Committee => "et udvalg",
            Authority::DepartmentManagement => "magistratsafdelingens ledelse",
            Authority::UnitManagement => "enhedens ledelse",
            Authority::CoCreationForum => "et samskabelsesforum",
        }
    }

    /// The name in English, as a report's sentence uses it (`the city council`).
    pub const fn label_en(self) -> &'static str {
        match self {
            Authority::CityCouncil => "the city council",
            Authority::Committee => "a committee",
            Authority::DepartmentManagement => "department management",
            Authority::UnitManagement => "unit management",
            Authority::CoCreationForum => "a co-creation forum",
        }
    }

    /// Whether this is the political level (the council or one of its committees).
    pub const fn is_political(self) -> bool {
        matches!(self, Authority::CityCouncil | Authority::Committee)
    }

    /// The snake_case code.
    pub const fn as_str(self) -> &'static str {
        match self {
            Authority::CityCouncil => "city_council",
            Authority::Committee => "committee",
            Authority::DepartmentManagement => "department_management",
            Authority::UnitManagement => "unit_management",
            Authority::CoCreationForum => "co_creation_forum",
        }
    }
}

/// A perspective heard before a decision, with how many took part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Hearing {
    /// The perspective heard.
    pub perspective: Perspective,
    /// How many took part.
    pub participants: u32,
    /// How they were heard (a meeting, a survey ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// A piece of evidence a decision relied on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", content = "ref", rename_all = "snake_case")]
pub enum EvidenceRef {
    /// An observation of an indicator.
    Observation(ObservationId),
    /// A narrative.
    Narrative(NarrativeId),
    /// A finding (an analysis result, a report), by id or in words.
    Finding(String),
}

/// Whether a decision is published.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Publication {
    /// Published.
    Published,
    /// Not (yet) published.
    Internal,
}

/// A decision on a dilemma: who decided, on what basis, and what was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Decision {
    /// The decision's id.
    pub id: DecisionId,
    /// The dilemma decided.
    pub dilemma: DilemmaId,
    /// Who decided.
    pub authority: Authority,
    /// The options considered (codes, such as the dilemma's position codes).
    pub options: Vec<String>,
    /// The option chosen; one of `options`.
    pub chosen: String,
    /// The perspectives heard, with participant counts.
    #[serde(default)]
    pub heard: Vec<Hearing>,
    /// The evidence relied on.
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
    /// The rationale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Text>,
    /// The date of the decision.
    pub date: NaiveDate,
    /// Whether the decision is published.
    pub publication: Publication,
}

/// What a decision does not list, making it less than open.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TransparencyGap {
    /// No perspective heard is listed.
    PerspectivesHeard,
    /// No evidence is listed.
    Evidence,
    /// No rationale is given.
    Rationale,
}

impl TransparencyGap {
    /// The gap in words ("the perspectives heard").
    pub const fn as_str(self) -> &'static str {
        match self {
            TransparencyGap::PerspectivesHeard => "the perspectives heard",
            TransparencyGap::Evidence => "the evidence relied on",
            TransparencyGap::Rationale => "the rationale",
        }
    }
}

/// The result of a decision's transparency check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Transparency {
    /// What the decision does not list; empty when it is open.
    pub missing: Vec<TransparencyGap>,
    /// The perspectives heard, each once, sorted.
    pub perspectives: Vec<Perspective>,
    /// Everyone heard, summed over perspectives.
    pub participants: u64,
    /// Whether any heard perspective is external (citizen, business, civil society).
    pub external_voice: bool,
}

impl Transparency {
    /// Whether the decision is open: it lists the perspectives heard, the evidence and the rationale.
    pub fn is_open(&self) -> bool {
        self.missing.is_empty()
    }
}

impl Decision {
    /// Checks that the options are distinct and non-empty and that the chosen option is one of them.
    ///
    /// # Errors
    /// [`Error::InvalidDecision`] naming the decision and the problem.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |problem: String| Error::InvalidDecision {
            decision: self.id,
            problem,
        };
        let mut seen = std::collections::BTreeSet::new();
        for o in &self.options {
            if o.trim().is_empty() {
                return Err(bad("an option is blank: expected a code".to_owned()));
            }
            if !seen.insert(o.as_str()) {
                return Err(bad(format!(
                    "option {o:?} is repeated: expected distinct options"
                )));
            }
        }
        if !seen.contains(self.chosen.as_str()) {
            return Err(bad(format!(
                "chosen option {:?} is not among the options considered: expected one of {}",
                self.chosen,
                self.options.join(", ")
            )));
        }
        Ok(())
    }

    /// The transparency check: a decision is *open* only when it lists the perspectives heard, the
    /// evidence and the rationale (a blank rationale counts as none).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use kompas_core::{DecisionId, DilemmaId, Perspective, Text};
    /// use kompas_value::{Authority, Decision, EvidenceRef, Hearing, Publication, TransparencyGap};
    ///
    /// let mut d = Decision {
    ///     id: DecisionId::from_name("x"),
    ///     dilemma: DilemmaId::from_name("d"),
    ///     authority: Authority::CityCouncil,
    ///     options: vec!["a".into(), "b".into()],
    ///     chosen: "a".into(),
    ///     heard: vec![Hearing { perspective: Perspective::Citizen, participants: 40, note: None }],
    ///     evidence: vec![EvidenceRef::Finding("survey 2021".into())],
    ///     rationale: None,
    ///     date: NaiveDate::from_ymd_opt(2022, 1, 1).ok_or("date")?,
    ///     publication: Publication::Published,
    /// };
    /// assert_eq!(d.transparency().missing, [TransparencyGap::Rationale]);
    /// d.rationale = Some(Text::en("both matter; outdoor first this term")?);
    /// assert!(d.transparency().is_open());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn transparency(&self) -> Transparency {
        let mut missing = Vec::new();
        if self.heard.is_empty() {
            missing.push(TransparencyGap::PerspectivesHeard);
        }
        if self.evidence.is_empty() {
            missing.push(TransparencyGap::Evidence);
        }
        let has_rationale = self.rationale.as_ref().is_some_and(|t| {
            t.as_da().is_some_and(|s| !s.trim().is_empty())
                || t.as_en().is_some_and(|s| !s.trim().is_empty())
        });
        if !has_rationale {
            missing.push(TransparencyGap::Rationale);
        }
        let mut perspectives: Vec<Perspective> = self.heard.iter().map(|h| h.perspective).collect();
        perspectives.sort();
        perspectives.dedup();
        Transparency {
            missing,
            external_voice: perspectives.iter().any(|p| p.is_external()),
            perspectives,
            participants: self.heard.iter().map(|h| u64::from(h.participants)).sum(),
        }
    }

    /// Whose voice the decision follows and overrules, given the ranked ballots of the groups heard:
    /// [`whose_voice`](crate::whose_voice) for the chosen option.
    ///
    /// # Errors
    /// [`Error::UnknownChosen`] when the ballots do not rank the chosen option.
    pub fn whose_voice(&self, ballots: &crate::Profile) -> Result<crate::VoiceSummary, Error> {
        crate::whose_voice(ballots, &self.chosen)
    }

    /// The observation ids this decision relied on.
    pub fn observation_ids(&self) -> Vec<ObservationId> {
        self.evidence
            .iter()
            .filter_map(|e| match e {
                EvidenceRef::Observation(id) => Some(*id),
                _ => None,
            })
            .collect()
    }

    /// The narrative ids this decision relied on.
    pub fn narrative_ids(&self) -> Vec<NarrativeId> {
        self.evidence
            .iter()
            .filter_map(|e| match e {
                EvidenceRef::Narrative(id) => Some(*id),
                _ => None,
            })
            .collect()
    }
}
