//! The election data model: projects, ballots and META, as read from a Pabulib `.pb` file.

use std::collections::BTreeMap;
use std::fmt;

use crate::{Decimal, Error};

/// The id of a project as written in the `project_id` column (Pabulib ids are free text, often
/// numbers, so this is a string newtype rather than a uuid).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(transparent)]
pub struct ProjectId(pub String);

impl ProjectId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ProjectId {
    fn from(s: &str) -> Self {
        ProjectId(s.to_owned())
    }
}

/// The kind of ballot (META `vote_type`).
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
#[serde(rename_all = "kebab-case")]
pub enum VoteType {
    /// A set of approved projects.
    Approval,
    /// A ranking, best first.
    Ordinal,
    /// Points distributed over projects (with a maximal sum).
    Cumulative,
    /// A score per project.
    Scoring,
    /// Exactly one project.
    #[serde(rename = "choose-1")]
    ChooseOne,
}

impl VoteType {
    /// The META spelling (`approval`, `ordinal`, `cumulative`, `scoring`, `choose-1`).
    pub fn as_str(&self) -> &'static str {
        match self {
            VoteType::Approval => "approval",
            VoteType::Ordinal => "ordinal",
            VoteType::Cumulative => "cumulative",
            VoteType::Scoring => "scoring",
            VoteType::ChooseOne => "choose-1",
        }
    }

    /// Reads the META spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim() {
            "approval" => VoteType::Approval,
            "ordinal" => VoteType::Ordinal,
            "cumulative" => VoteType::Cumulative,
            "scoring" => VoteType::Scoring,
            "choose-1" => VoteType::ChooseOne,
            _ => return None,
        })
    }

    /// True for ballots that carry a `points` column.
    pub fn has_points(&self) -> bool {
        matches!(self, VoteType::Cumulative | VoteType::Scoring)
    }
}

/// The line ending a `.pb` text uses (kept so that writing gives back the same bytes).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum LineEnding {
    /// `\n`.
    #[default]
    Lf,
    /// `\r\n`.
    CrLf,
}

/// One META entry, in file order.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct MetaEntry {
    /// The key, e.g. `budget`.
    pub key: String,
    /// The value as written.
    pub value: String,
}

/// A project of the PROJECTS section.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Project {
    /// `project_id`.
    pub id: ProjectId,
    /// `cost`, exact.
    pub cost: Decimal,
    /// `selected` (1 = funded, 0 = not), when the file says.
    pub selected: Option<bool>,
    /// Every other column (`votes`, `score`, `name`, `category`, ...), by column name, as written.
    pub fields: BTreeMap<String, String>,
}

/// A ballot of the VOTES section.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Ballot {
    /// `voter_id`.
    pub voter_id: String,
    /// `vote`: the projects named, in the order written (best first for ordinal ballots).
    pub vote: Vec<ProjectId>,
    /// `points`, one per project of `vote`, for cumulative and scoring ballots.
    pub points: Option<Vec<Decimal>>,
    /// Every other column (`age`, `sex`, `voting_method`, ...), by column name, as written.
    pub fields: BTreeMap<String, String>,
}

/// A participatory-budgeting election: the contents of one Pabulib `.pb` file.
///
/// Read one with [`Election::parse`], write it with [`Election::to_pb`]; the two are inverse.
///
/// ```
/// use kompas_budget::{Election, VoteType};
/// let text = "META\nkey;value\nnum_projects;2\nnum_votes;2\nbudget;10\nvote_type;approval\n\
///             PROJECTS\nproject_id;cost;name\na;6;Swings\nb;5;Benches\n\
///             VOTES\nvoter_id;vote\nv1;a,b\nv2;b\n";
/// let election = Election::parse(text)?;
/// assert_eq!(election.vote_type()?, VoteType::Approval);
/// assert_eq!(election.budget()?.to_string(), "10");
/// assert_eq!(election.to_pb(), text);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Election {
    /// META entries in file order (unknown keys kept).
    pub meta: Vec<MetaEntry>,
    /// The PROJECTS header, in file order.
    pub project_columns: Vec<String>,
    /// The projects, in file order.
    pub projects: Vec<Project>,
    /// The VOTES header, in file order.
    pub vote_columns: Vec<String>,
    /// The ballots, in file order.
    pub ballots: Vec<Ballot>,
    /// The line ending of the text the election was read from.
    #[serde(default)]
    pub line_ending: LineEnding,
}

impl Election {
    /// The value of a META key, if present.
    pub fn meta_value(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.value.as_str())
    }

    /// Sets a META value (replacing an existing key or appending a new one).
    pub fn set_meta(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.meta.iter_mut().find(|e| e.key == key) {
            Some(e) => e.value = value,
            None => self.meta.push(MetaEntry {
                key: key.to_owned(),
                value,
            }),
        }
    }

    /// META `budget`, exact.
    ///
    /// # Errors
    /// [`Error::Format`] when it is missing or not a non-negative decimal.
    pub fn budget(&self) -> Result<Decimal, Error> {
        let v = self
            .meta_value("budget")
            .ok_or_else(|| Error::at(1, Some("budget"), "missing `budget` in META"))?;
        let d: Decimal = v.parse().map_err(|_| {
            Error::at(
                1,
                Some("budget"),
                format!("budget `{v}` is not a decimal number"),
            )
        })?;
        if d.is_negative() {
            return Err(Error::at(
                1,
                Some("budget"),
                format!("budget `{v}` is negative"),
            ));
        }
        Ok(d)
    }

    /// META `vote_type` (approval when absent).
    ///
    /// # Errors
    /// [`Error::Format`] when the value is not one of the five Pabulib vote types.
    pub fn vote_type(&self) -> Result<VoteType, Error> {
        match self.meta_value("vote_type") {
            None => Ok(VoteType::Approval),
            Some(v) => VoteType::parse(v).ok_or_else(|| {
                Error::at(
                    1,
                    Some("vote_type"),
                    format!(
                        "unknown vote_type `{v}`: expected approval, ordinal, cumulative, scoring or choose-1"
                    ),
                )
            }),
        }
    }

    /// The index of a project by id.
    pub fn project_index(&self, id: &ProjectId) -> Option<usize> {
        self.projects.iter().position(|p| &p.id == id)
    }

    /// A copy of the election with the `selected` column set from a set of funded projects
    /// (1 for funded, 0 for the others); adds the column when the file had none.
    pub fn with_selected(&self, funded: &[ProjectId]) -> Election {
        let mut e = self.clone();
        let set: std::collections::BTreeSet<&ProjectId> = funded.iter().collect();
        for p in &mut e.projects {
            p.selected = Some(set.contains(&p.id));
        }
        if !e.project_columns.iter().any(|c| c == "selected") {
            e.project_columns.push("selected".to_owned());
        }
        e
    }
}
