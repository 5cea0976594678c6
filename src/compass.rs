//! [`Compass`]: one document holding a municipality's model, and its loading and validation.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

// Ids are hashed a million times while validating a large document: foldhash, not SipHash.
use foldhash::{HashSet, HashSetExt};

use kompas_cocreation::{Actor, Initiative, Participant, Population};
use kompas_core::{
    ActorId, DecisionId, DilemmaId, GoalId, IndicatorId, InitiativeId, LearningCycleId,
    NarrativeId, ObservationId, ParticipantId, UnitId, ValueStatementId,
};
use kompas_evidence::{Indicator, LearningCycle, LearningLog, Narrative, Observation};
use kompas_goals::GoalHierarchy;
use kompas_value::{Decision, Dilemma, ValueStatement};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::load::{self, Problem, token};
use crate::municipality::{Municipality, Unit};
use crate::parts::{EvidenceRating, StakeholderRankings};
use crate::provenance::ProvenanceNote;

/// The schema version this build of kompas writes and reads without migration.
pub const SCHEMA_VERSION: u32 = 1;

/// One municipality's model: its units, value statements, dilemmas and decisions, goal hierarchy,
/// indicators and observations, narratives and learning cycles, actors, initiatives and
/// participants, and population margins.
///
/// Load it with [`Compass::from_json`], which validates every part and every cross-reference and
/// reports all problems at once, each with its JSON path. Save it with [`Compass::to_json_pretty`];
/// saving and loading again gives an equal document.
///
/// ```
/// let compass = kompas::example::aarhus();
/// let json = compass.to_json_pretty()?;
/// let again = kompas::Compass::from_json(&json)?;
/// assert_eq!(again, compass);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Compass {
    /// The version of this document's schema ([`SCHEMA_VERSION`] when written by this build).
    pub schema_version: u32,
    /// The municipality.
    pub municipality: Municipality,
    /// Its organisational units: departments, institutions, teams.
    #[serde(default)]
    pub units: Vec<Unit>,
    /// What citizens, businesses, civil society, employees and politicians hold valuable.
    #[serde(default)]
    pub value_statements: Vec<ValueStatement>,
    /// Questions where values compete.
    #[serde(default)]
    pub dilemmas: Vec<Dilemma>,
    /// Decisions on dilemmas, with their basis.
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// The goal hierarchy, from the city goals down, with indicators attached.
    #[serde(default)]
    pub goals: GoalHierarchy,
    /// The indicators goals are followed up with.
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// Counted data: observations of the indicators.
    #[serde(default)]
    pub observations: Vec<Observation>,
    /// Qualitative evidence: stories, selection records, outcome harvests.
    #[serde(default)]
    pub narratives: Vec<Narrative>,
    /// Actors in co-creation.
    #[serde(default)]
    pub actors: Vec<Actor>,
    /// Co-creation initiatives and their charters.
    #[serde(default)]
    pub initiatives: Vec<Initiative>,
    /// Participants in initiatives, with the attributes used for representativeness.
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// Qualitative and quantitative evidence ratings of goals and indicators.
    #[serde(default)]
    pub evidence_ratings: Vec<EvidenceRating>,
    /// Learning (PDSA) cycles, which may be chained.
    #[serde(default)]
    pub learning_cycles: Vec<LearningCycle>,
    /// Stakeholder groups' rankings of decisions' options.
    #[serde(default)]
    pub rankings: Vec<StakeholderRankings>,
    /// Population counts by attribute and value (for example sex, age band): the margins that
    /// participants are compared with.
    #[serde(default)]
    pub population: Population,
    /// Where parts of the document come from, and which parts are illustrative.
    #[serde(default)]
    pub provenance: Vec<ProvenanceNote>,
}

/// Why a document could not be loaded: every problem found, each with its JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    problems: Vec<Problem>,
}

impl LoadError {
    /// The problems, in document order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The problems, by value.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} problem(s) in the document", self.problems.len())?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// The top-level keys of a document, in order.
const KEYS: [&str; 18] = [
    "schema_version",
    "municipality",
    "units",
    "value_statements",
    "dilemmas",
    "decisions",
    "goals",
    "indicators",
    "observations",
    "narratives",
    "actors",
    "initiatives",
    "participants",
    "evidence_ratings",
    "learning_cycles",
    "rankings",
    "population",
    "provenance",
];

/// A migration from one schema version to the next, applied to the raw JSON.
pub type Migration = fn(&mut Value) -> Result<(), String>;

/// The migrations, indexed by the version they migrate *from* (version 0 is the pre-release draft
/// without `schema_version`; it had the same shape as version 1).
///
/// To change the schema: raise [`SCHEMA_VERSION`], add a function here that rewrites a document of
/// the previous version into the new shape (rename keys, fill defaults, split fields), and add a
/// test that loads a stored document of the old version.
const MIGRATIONS: [(u32, Migration); 1] = [(0, migrate_0_to_1)];

fn migrate_0_to_1(doc: &mut Value) -> Result<(), String> {
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("schema_version".into(), Value::from(1));
    }
    Ok(())
}

/// Brings a raw document up to [`SCHEMA_VERSION`] with the registered migrations.
///
/// # Errors
/// A problem at `/schema_version` when the version is newer than this build, not a whole number,
/// or has no migration path.
pub fn migrate(doc: &mut Value) -> Result<(), Problem> {
    let version = match doc.get("schema_version") {
        None => 0,
        Some(v) => v
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| {
                Problem::new(
                    "/schema_version",
                    format!("expected a whole number, found {v}"),
                )
            })?,
    };
    if version > SCHEMA_VERSION {
        return Err(Problem::new(
            "/schema_version",
            format!(
                "version {version} is newer than this build of kompas reads (up to {SCHEMA_VERSION})"
            ),
        ));
    }
    let mut v = version;
    while v < SCHEMA_VERSION {
        let step = MIGRATIONS
            .iter()
            .find(|(from, _)| *from == v)
            .ok_or_else(|| {
                Problem::new("/schema_version", format!("no migration from version {v}"))
            })?;
        (step.1)(doc).map_err(|m| Problem::new("", format!("migrating from version {v}: {m}")))?;
        v += 1;
    }
    Ok(())
}

impl Compass {
    /// An empty document for a municipality.
    pub fn new(municipality: Municipality) -> Compass {
        Compass {
            schema_version: SCHEMA_VERSION,
            municipality,
            units: Vec::new(),
            value_statements: Vec::new(),
            dilemmas: Vec::new(),
            decisions: Vec::new(),
            goals: GoalHierarchy::default(),
            indicators: Vec::new(),
            observations: Vec::new(),
            narratives: Vec::new(),
            actors: Vec::new(),
            initiatives: Vec::new(),
            participants: Vec::new(),
            evidence_ratings: Vec::new(),
            learning_cycles: Vec::new(),
            rankings: Vec::new(),
            population: Population::default(),
            provenance: Vec::new(),
        }
    }

    /// Loads a document from JSON text: parses it, migrates older schema versions, reads every
    /// part, and checks every cross-reference.
    ///
    /// # Errors
    /// A [`LoadError`] listing every problem with its JSON path, for example
    /// `/narratives/3/links/goals/0: unknown goal 91ab...`. Truncated or malformed JSON gives one
    /// problem naming the line and column.
    pub fn from_json(text: &str) -> Result<Compass, LoadError> {
        let err = |problems| LoadError { problems };
        // Fast path: a current, well-formed document deserialises in one typed pass; only the
        // cross-references are left to check. Anything else takes the slow path below, which
        // reads the document part by part to report every problem with its path.
        if let Some(compass) = typed_parse(text) {
            if compass.schema_version == SCHEMA_VERSION {
                let problems = compass.validate();
                return if problems.is_empty() {
                    Ok(compass)
                } else {
                    Err(err(problems))
                };
            }
        }
        let mut doc = load::parse(text).map_err(|p| err(vec![p]))?;
        if !doc.is_object() {
            return Err(err(vec![Problem::new(
                "",
                format!("expected a JSON object, found {}", load::kind(&doc)),
            )]));
        }
        migrate(&mut doc).map_err(|p| err(vec![p]))?;
        let Some(obj) = doc.as_object() else {
            return Err(err(vec![Problem::new("", "expected a JSON object")]));
        };
        let mut problems = Vec::new();
        for key in obj.keys() {
            if !KEYS.contains(&key.as_str()) {
                problems.push(Problem::new(
                    format!("/{}", token(key)),
                    format!("unknown field `{key}`, expected one of {}", KEYS.join(", ")),
                ));
            }
        }
        let p = &mut problems;
        let municipality = load::required::<Municipality>(obj, "municipality", p);
        let goals = load::optional::<GoalHierarchy>(obj, "goals", p);
        // Without a municipality the document is already wrong; check the rest against a stand-in
        // so that every other problem is reported too.
        let stand_in = || {
            kompas_core::Text::en("(missing)")
                .ok()
                .map(|name| Municipality {
                    name,
                    code: None,
                    council_size: None,
                })
        };
        let Some(municipality) = municipality.or_else(stand_in) else {
            return Err(err(problems));
        };
        let compass = Compass {
            schema_version: SCHEMA_VERSION,
            municipality,
            units: load::array(obj, "units", p),
            value_statements: load::array(obj, "value_statements", p),
            dilemmas: load::array(obj, "dilemmas", p),
            decisions: load::array(obj, "decisions", p),
            goals: goals.unwrap_or_default(),
            indicators: load::array(obj, "indicators", p),
            observations: load::array(obj, "observations", p),
            narratives: load::array(obj, "narratives", p),
            actors: load::array(obj, "actors", p),
            initiatives: load::array(obj, "initiatives", p),
            participants: load::array(obj, "participants", p),
            evidence_ratings: load::array(obj, "evidence_ratings", p),
            learning_cycles: load::array(obj, "learning_cycles", p),
            rankings: load::array(obj, "rankings", p),
            population: load::optional(obj, "population", p).unwrap_or_default(),
            provenance: load::array(obj, "provenance", p),
        };
        // Items that failed to load are missing from `compass`; their ids (read from the raw JSON)
        // still count as known, so that one bad item does not also make every reference to it a
        // problem.
        let also_known = if problems.is_empty() {
            BTreeSet::new()
        } else {
            raw_ids(&doc)
        };
        problems.extend(compass.validate_with(&also_known));
        if problems.is_empty() {
            Ok(compass)
        } else {
            Err(err(problems))
        }
    }

    /// The document as pretty-printed JSON.
    ///
    /// # Errors
    /// Serialisation errors from serde_json (none occur for documents made by this crate).
    pub fn to_json_pretty(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }

    /// The JSON Schema of the document (JSON Schema 2020-12, made by schemars).
    pub fn json_schema() -> schemars::Schema {
        schemars::schema_for!(Compass)
    }

    /// The latest year with an observation, if any.
    pub fn latest_year(&self) -> Option<i32> {
        use chrono::Datelike;
        self.observations
            .iter()
            .map(|o| o.period.end().year())
            .max()
    }

    /// Checks every cross-reference and id uniqueness; returns the problems with their paths.
    pub fn validate(&self) -> Vec<Problem> {
        self.validate_with(&BTreeSet::new())
    }

    /// [`Compass::validate`], counting `also_known` ids as present.
    fn validate_with(&self, also_known: &BTreeSet<uuid::Uuid>) -> Vec<Problem> {
        let mut v = Validator {
            problems: Vec::new(),
            also_known,
        };
        let units = v.ids("units", self.units.iter().map(|u| u.id));
        let statements = v.ids(
            "value_statements",
            self.value_statements.iter().map(|s| s.id),
        );
        let dilemmas = v.ids("dilemmas", self.dilemmas.iter().map(|d| d.id));
        let _decisions: HashSet<DecisionId> =
            v.ids("decisions", self.decisions.iter().map(|d| d.id));
        let indicators = v.ids("indicators", self.indicators.iter().map(|i| i.id));
        let observations = v.sorted_ids("observations", self.observations.iter().map(|o| o.id));
        let narratives = v.ids("narratives", self.narratives.iter().map(Narrative::id));
        let actors = v.ids("actors", self.actors.iter().map(|a| a.id));
        let initiatives = v.ids("initiatives", self.initiatives.iter().map(|i| i.id));
        let _participants: HashSet<ParticipantId> =
            v.ids("participants", self.participants.iter().map(|p| p.id));
        let goals: HashSet<GoalId> = self.goals.goals().map(|g| g.id).collect();

        for (i, u) in self.units.iter().enumerate() {
            if let Some(parent) = u.parent {
                v.check(&units, parent, || format!("/units/{i}/parent"), "unit");
            }
        }
        // The goals' places in the serialised form, for paths; computed only when needed.
        let goal_paths_cell: OnceCell<BTreeMap<GoalId, usize>> = OnceCell::new();
        let goal_paths = || goal_paths_cell.get_or_init(|| goal_record_index(&self.goals));
        for g in self.goals.goals() {
            let at = || goal_paths().get(&g.id).copied().unwrap_or(0);
            v.check(
                &units,
                g.owner,
                || format!("/goals/goals/{}/owner", at()),
                "unit",
            );
            for (k, s) in g.values.iter().enumerate() {
                v.check(
                    &statements,
                    *s,
                    || format!("/goals/goals/{}/values/{k}", at()),
                    "value statement",
                );
            }
        }
        for (indicator, attached_to) in &self.goals.indicator_goals() {
            if !indicators.contains(indicator) {
                let path = attached_to
                    .iter()
                    .next()
                    .and_then(|g| goal_paths().get(g))
                    .map_or_else(
                        || "/goals".to_owned(),
                        |i| format!("/goals/goals/{i}/indicators"),
                    );
                v.problem(path, format!("unknown indicator {indicator}"));
            }
        }
        for (i, s) in self.value_statements.iter().enumerate() {
            for (k, g) in s.goals.iter().enumerate() {
                v.check(
                    &goals,
                    *g,
                    || format!("/value_statements/{i}/goals/{k}"),
                    "goal",
                );
            }
        }
        for (i, d) in self.dilemmas.iter().enumerate() {
            for (k, pos) in d.positions.iter().enumerate() {
                for (m, s) in pos.statements.iter().enumerate() {
                    v.check(
                        &statements,
                        *s,
                        || format!("/dilemmas/{i}/positions/{k}/statements/{m}"),
                        "value statement",
                    );
                }
            }
        }
        for (i, d) in self.decisions.iter().enumerate() {
            v.check(
                &dilemmas,
                d.dilemma,
                || format!("/decisions/{i}/dilemma"),
                "dilemma",
            );
            for (k, e) in d.evidence.iter().enumerate() {
                match e {
                    kompas_value::EvidenceRef::Observation(o)
                        if observations.binary_search(o).is_err()
                            && !v.also_known.contains(o.as_uuid()) =>
                    {
                        v.problem(
                            format!("/decisions/{i}/evidence/{k}/ref"),
                            format!("unknown observation {o}"),
                        );
                    }
                    kompas_value::EvidenceRef::Narrative(n) => {
                        v.check(
                            &narratives,
                            *n,
                            || format!("/decisions/{i}/evidence/{k}/ref"),
                            "narrative",
                        );
                    }
                    _ => {}
                }
            }
        }
        for (i, x) in self.indicators.iter().enumerate() {
            if goals.contains(&GoalId::new(*x.id.as_uuid())) {
                v.problem(
                    format!("/indicators/{i}/id"),
                    format!("indicator id {} is also a goal's id: expected distinct ids for goals and indicators", x.id),
                );
            }
        }
        for (i, o) in self.observations.iter().enumerate() {
            v.check(
                &indicators,
                o.indicator,
                || format!("/observations/{i}/indicator"),
                "indicator",
            );
        }
        for (i, n) in self.narratives.iter().enumerate() {
            if let Some(links) = n.links() {
                for (k, g) in links.goals.iter().enumerate() {
                    v.check(
                        &goals,
                        *g,
                        || format!("/narratives/{i}/links/goals/{k}"),
                        "goal",
                    );
                }
                for (k, x) in links.indicators.iter().enumerate() {
                    v.check(
                        &indicators,
                        *x,
                        || format!("/narratives/{i}/links/indicators/{k}"),
                        "indicator",
                    );
                }
                for (k, x) in links.initiatives.iter().enumerate() {
                    v.check(
                        &initiatives,
                        *x,
                        || format!("/narratives/{i}/links/initiatives/{k}"),
                        "initiative",
                    );
                }
            }
        }
        for (i, a) in self.actors.iter().enumerate() {
            if let Some(u) = a.unit() {
                v.check(&units, u, || format!("/actors/{i}/kind/unit"), "unit");
            }
        }
        for (i, ini) in self.initiatives.iter().enumerate() {
            for (k, r) in ini.value_sought.iter().enumerate() {
                match r {
                    kompas_cocreation::ValueRef::Statement(s) => {
                        v.check(
                            &statements,
                            *s,
                            || format!("/initiatives/{i}/value_sought/{k}/statement"),
                            "value statement",
                        );
                    }
                    kompas_cocreation::ValueRef::Goal(g) => {
                        v.check(
                            &goals,
                            *g,
                            || format!("/initiatives/{i}/value_sought/{k}/goal"),
                            "goal",
                        );
                    }
                }
            }
            for (k, r) in ini.roles.iter().enumerate() {
                v.check(
                    &actors,
                    r.actor,
                    || format!("/initiatives/{i}/roles/{k}/actor"),
                    "actor",
                );
            }
            for (field, list) in [
                ("problem_owners", &ini.problem_owners),
                ("solution_owners", &ini.solution_owners),
                ("final_decision", &ini.final_decision),
            ] {
                for (k, a) in list.iter().enumerate() {
                    v.check(
                        &actors,
                        *a,
                        || format!("/initiatives/{i}/{field}/{k}"),
                        "actor",
                    );
                }
            }
        }
        for (i, p) in self.participants.iter().enumerate() {
            if let Some(ini) = p.initiative {
                v.check(
                    &initiatives,
                    ini,
                    || format!("/participants/{i}/initiative"),
                    "initiative",
                );
            }
        }
        for (i, r) in self.evidence_ratings.iter().enumerate() {
            match r.subject {
                kompas_evidence::Subject::Goal(g) => v.check(
                    &goals,
                    g,
                    || format!("/evidence_ratings/{i}/subject/id"),
                    "goal",
                ),
                kompas_evidence::Subject::Indicator(x) => {
                    v.check(
                        &indicators,
                        x,
                        || format!("/evidence_ratings/{i}/subject/id"),
                        "indicator",
                    );
                }
            }
        }
        let cycles = v.ids("learning_cycles", self.learning_cycles.iter().map(|c| c.id));
        for (i, c) in self.learning_cycles.iter().enumerate() {
            for (k, g) in c.goals.iter().enumerate() {
                v.check(
                    &goals,
                    *g,
                    || format!("/learning_cycles/{i}/goals/{k}"),
                    "goal",
                );
            }
            for (k, x) in c.initiatives.iter().enumerate() {
                v.check(
                    &initiatives,
                    *x,
                    || format!("/learning_cycles/{i}/initiatives/{k}"),
                    "initiative",
                );
            }
            for (k, m) in c.measures.iter().enumerate() {
                if let Some(x) = m.indicator {
                    v.check(
                        &indicators,
                        x,
                        || format!("/learning_cycles/{i}/measures/{k}/indicator"),
                        "indicator",
                    );
                }
            }
            if let Some(p) = c.predecessor {
                v.check(
                    &cycles,
                    p,
                    || format!("/learning_cycles/{i}/predecessor"),
                    "learning cycle",
                );
            }
        }
        if v.problems.is_empty() {
            if let Err(e) = LearningLog::new(self.learning_cycles.clone()) {
                v.problem("/learning_cycles".into(), e.to_string());
            }
        }
        let decisions_by_id: BTreeMap<DecisionId, &kompas_value::Decision> =
            self.decisions.iter().map(|d| (d.id, d)).collect();
        for (i, r) in self.rankings.iter().enumerate() {
            let Some(d) = decisions_by_id.get(&r.decision) else {
                v.problem(
                    format!("/rankings/{i}/decision"),
                    format!("unknown decision {}", r.decision),
                );
                continue;
            };
            if let Err(e) = crate::follow_up::profile(d, r) {
                v.problem(format!("/rankings/{i}/ballots/{}", e.0), e.1);
            }
        }
        let every_id: HashSet<uuid::Uuid> = if self.provenance.is_empty() {
            HashSet::new()
        } else {
            self.all_ids().collect()
        };
        for (i, note) in self.provenance.iter().enumerate() {
            for (k, id) in note.items.iter().enumerate() {
                if !every_id.contains(id) && !v.also_known.contains(id) {
                    v.problem(
                        format!("/provenance/{i}/items/{k}"),
                        format!("unknown item {id}: expected the id of something in the document"),
                    );
                }
            }
        }
        v.problems
    }

    /// Every id of every item in the document.
    fn all_ids(&self) -> impl Iterator<Item = uuid::Uuid> + '_ {
        let u = |x: &uuid::Uuid| *x;
        self.units
            .iter()
            .map(move |x| u(x.id.as_uuid()))
            .chain(self.value_statements.iter().map(move |x| u(x.id.as_uuid())))
            .chain(self.dilemmas.iter().map(move |x| u(x.id.as_uuid())))
            .chain(self.decisions.iter().map(move |x| u(x.id.as_uuid())))
            .chain(self.goals.goals().map(move |x| u(x.id.as_uuid())))
            .chain(self.indicators.iter().map(move |x| u(x.id.as_uuid())))
            .chain(self.observations.iter().map(move |x| u(x.id.as_uuid())))
            .chain(self.narratives.iter().map(move |x| *x.id().as_uuid()))
            .chain(self.actors.iter().map(move |x| u(x.id.as_uuid())))
            .chain(self.initiatives.iter().map(move |x| u(x.id.as_uuid())))
            .chain(self.participants.iter().map(move |x| u(x.id.as_uuid())))
            .chain(self.learning_cycles.iter().map(move |x| u(x.id.as_uuid())))
    }
}

/// The index of each goal in the serialised `goals.goals` array, for JSON paths.
fn goal_record_index(h: &GoalHierarchy) -> BTreeMap<GoalId, usize> {
    h.to_data()
        .goals
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id, i))
        .collect()
}

/// Every string that parses as a UUID under an `id` key anywhere in a raw document.
fn raw_ids(doc: &Value) -> BTreeSet<uuid::Uuid> {
    let mut out = BTreeSet::new();
    let mut stack = vec![doc];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                if let Some(id) = m
                    .get("id")
                    .and_then(Value::as_str)
                    .and_then(|s| uuid::Uuid::parse_str(s).ok())
                {
                    out.insert(id);
                }
                stack.extend(m.values());
            }
            Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    out
}

/// The typed pass over a well-formed document, `None` when it does not deserialise.
///
/// With the `parallel` feature, a large document's observations (nine tenths of a big
/// municipality's bytes) are read on all cores: see [`parallel_parse`].
fn typed_parse(text: &str) -> Option<Compass> {
    #[cfg(feature = "parallel")]
    if text.len() >= PARALLEL_PARSE_MIN_BYTES {
        if let Some(c) = parallel_parse(text) {
            return Some(c);
        }
    }
    serde_json::from_str(text).ok()
}

/// Documents at least this large are read in parallel.
#[cfg(feature = "parallel")]
const PARALLEL_PARSE_MIN_BYTES: usize = 4 << 20;

/// Reads the observations array in chunks on all cores while the rest of the document is read.
///
/// [`locate_observations`] finds the array without reading the document (serde_json skipping it
/// as raw text is the fallback); the array is cut between elements, where a `}` and a `{` meet
/// around a comma, and each chunk is read element by element. A cut in the wrong place (inside a
/// string or inside an element) always leaves a chunk with an unclosed string, object or array,
/// so it fails to parse and the caller falls back to the sequential pass; and an array end in the
/// wrong place leaves either the array or the rest of the document unparseable. The result is
/// therefore always the sequential pass's result.
#[cfg(feature = "parallel")]
fn parallel_parse(text: &str) -> Option<Compass> {
    if let Some(range) = locate_observations(text) {
        if let Some(compass) = parse_split(text, range) {
            return Some(compass);
        }
    }
    parse_split(text, raw_observations(text)?)
}

/// [`parallel_parse`] with the observations array at `start..end`.
#[cfg(feature = "parallel")]
fn parse_split(text: &str, (start, end): (usize, usize)) -> Option<Compass> {
    use rayon::prelude::*;
    let raw = text.get(start..end)?;
    let mut rest = String::with_capacity(text.len() - raw.len() + 2);
    rest.push_str(text.get(..start)?);
    rest.push_str("[]");
    rest.push_str(text.get(end..)?);
    let inner = raw.trim().strip_prefix('[')?.strip_suffix(']')?;
    // The first half of the array is one chunk, read into a vector with room for the whole
    // array; the second half, in smaller chunks for balance, is appended to it. Only that half
    // is copied (room that is reserved but never written costs address space, not memory).
    let halves = split_elements(inner, 2);
    let (first, second) = match halves.as_slice() {
        [] => (None, Vec::new()),
        [a, b] => (
            Some(*a),
            split_elements(b, 4 * rayon::current_num_threads()),
        ),
        _ => (Some(inner), Vec::new()),
    };
    let whole = inner.len() / OBSERVATION_BYTES_AT_LEAST + 1;
    let (compass, (head, tail)) = rayon::join(
        || serde_json::from_str::<Compass>(&rest).ok(),
        || {
            rayon::join(
                || first.map_or(Some(Vec::new()), |f| read_elements(f, whole)),
                || {
                    second
                        .par_iter()
                        .map(|c| read_elements(c, c.len() / OBSERVATION_BYTES_AT_LEAST + 1))
                        .collect::<Option<Vec<_>>>()
                },
            )
        },
    );
    let mut compass = compass?;
    let mut all = head?;
    let tail = tail?;
    all.reserve(tail.iter().map(Vec::len).sum());
    for part in tail {
        all.extend(part);
    }
    compass.observations = all;
    Some(compass)
}

/// The byte range of the top-level `observations` array, as serde_json skipping the whole
/// document finds it (the slow, sure way).
#[cfg(feature = "parallel")]
fn raw_observations(text: &str) -> Option<(usize, usize)> {
    #[derive(Deserialize)]
    struct Parts<'a> {
        #[serde(borrow, default)]
        observations: Option<&'a serde_json::value::RawValue>,
    }
    let parts: Parts<'_> = serde_json::from_str(text).ok()?;
    let raw = parts.observations?.get();
    // `raw` borrows from `text`: its offset names the same bytes.
    let start = (raw.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let end = start.checked_add(raw.len())?;
    text.get(start..end)?;
    Some((start, end))
}

/// JSON whitespace.
#[cfg(feature = "parallel")]
fn is_json_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

/// The byte range of the top-level `observations` array, found quickly: the key is searched for
/// as text and confirmed at depth 1 outside strings by scanning only the bytes before it; the
/// array is taken to end at the first `]` followed by `,` and a key, or by the closing `}`.
/// Observations hold no arrays, so that is their array's end; when a string holds such a `]`,
/// the range is wrong and the parse of the array fails (see [`parallel_parse`]).
#[cfg(feature = "parallel")]
fn locate_observations(text: &str) -> Option<(usize, usize)> {
    const KEY: &str = "\"observations\"";
    let b = text.as_bytes();
    let (mut depth, mut in_string, mut escaped, mut at) = (0usize, false, false, 0usize);
    let mut from = 0;
    let key_at = loop {
        let hit = from + text.get(from..)?.find(KEY)?;
        for &c in b.get(at..hit)? {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == b'\\' {
                    escaped = true;
                } else if c == b'"' {
                    in_string = false;
                }
            } else {
                match c {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => depth = depth.checked_sub(1)?,
                    _ => {}
                }
            }
        }
        at = hit;
        if depth == 1 && !in_string {
            break hit;
        }
        from = hit + 1;
    };
    let skip = |i: &mut usize| {
        while b.get(*i).copied().is_some_and(is_json_space) {
            *i += 1;
        }
    };
    let mut i = key_at + KEY.len();
    skip(&mut i);
    (b.get(i) == Some(&b':')).then_some(())?;
    i += 1;
    skip(&mut i);
    (b.get(i) == Some(&b'[')).then_some(())?;
    let start = i;
    let mut from = start + 1;
    loop {
        let close = from + text.get(from..)?.find(']')?;
        let mut j = close + 1;
        skip(&mut j);
        match b.get(j) {
            Some(b'}') => return Some((start, close + 1)),
            Some(b',') => {
                j += 1;
                skip(&mut j);
                if b.get(j) == Some(&b'"') {
                    return Some((start, close + 1));
                }
            }
            _ => {}
        }
        from = close + 1;
    }
}

/// Fewer bytes than an observation's JSON takes in practice (about 200: two uuids, a period
/// and a value), so that reserving by a chunk's length spares the doubling copies of a growing
/// vector.
#[cfg(feature = "parallel")]
const OBSERVATION_BYTES_AT_LEAST: usize = 128;

/// Reads a run of comma-separated observations (the inside of an array, or a piece of it)
/// straight from the text, element by element.
#[cfg(feature = "parallel")]
fn read_elements(chunk: &str, capacity: usize) -> Option<Vec<Observation>> {
    let trim = |s: &str| -> usize { s.bytes().take_while(|&c| is_json_space(c)).count() };
    let mut out = Vec::with_capacity(capacity);
    let mut rest = chunk.get(trim(chunk)..)?;
    loop {
        let used = match crate::observation_text::parse(rest) {
            Some((o, used)) => {
                out.push(o);
                used
            }
            None => {
                let mut stream =
                    serde_json::Deserializer::from_str(rest).into_iter::<Observation>();
                out.push(stream.next()?.ok()?);
                stream.byte_offset()
            }
        };
        let after = rest.get(used..)?;
        let after = after.get(trim(after)..)?;
        if after.is_empty() {
            return Some(out);
        }
        let next = after.strip_prefix(',')?;
        rest = next.get(trim(next)..)?;
    }
}

/// Cuts the inside of a JSON array of objects into about `parts` runs of whole elements, at
/// commas between a `}` and a `{` (whitespace allowed around the comma).
#[cfg(feature = "parallel")]
fn split_elements(inner: &str, parts: usize) -> Vec<&str> {
    let b = inner.as_bytes();
    let mut out = Vec::with_capacity(parts);
    let mut from = 0;
    for k in 1..parts {
        let mut at = (b.len() * k / parts).max(from);
        let cut = loop {
            let Some(comma) = b.get(at..).and_then(|t| t.iter().position(|&c| c == b',')) else {
                break None;
            };
            let c = at + comma;
            let before = b[..c].iter().rev().find(|x| !x.is_ascii_whitespace());
            let after = b[c + 1..].iter().find(|x| !x.is_ascii_whitespace());
            if before == Some(&b'}') && after == Some(&b'{') {
                break Some(c);
            }
            at = c + 1;
        };
        let Some(c) = cut else { break };
        if let Some(piece) = inner.get(from..c) {
            if !piece.trim().is_empty() {
                out.push(piece);
            }
        }
        from = c + 1;
    }
    if let Some(piece) = inner.get(from..) {
        if !piece.trim().is_empty() {
            out.push(piece);
        }
    }
    out
}

/// Collects problems while checking ids.
struct Validator<'k> {
    problems: Vec<Problem>,
    /// Ids of items that failed to load: references to them are not reported again.
    also_known: &'k BTreeSet<uuid::Uuid>,
}

impl Validator<'_> {
    fn problem(&mut self, path: String, message: String) {
        self.problems.push(Problem::new(path, message));
    }

    /// The ids of a section; a repeated id is a problem at the repeating item.
    fn ids<I: Ord + Copy + std::hash::Hash + std::fmt::Display + HasKind>(
        &mut self,
        section: &str,
        ids: impl Iterator<Item = I>,
    ) -> HashSet<I> {
        let mut seen = HashSet::with_capacity(ids.size_hint().0);
        for (i, id) in ids.enumerate() {
            if !seen.insert(id) {
                self.problem(
                    format!("/{section}/{i}/id"),
                    format!("duplicate {} id {id}", I::KIND),
                );
            }
        }
        seen
    }

    /// [`Validator::ids`] for a large section whose ids are rarely looked up (observations): a
    /// sorted vector finds repeats by one sort instead of a million hash insertions; only when
    /// there is a repeat is the section walked again to name the repeating items.
    fn sorted_ids<I: Ord + Copy + std::hash::Hash + std::fmt::Display + HasKind + Send>(
        &mut self,
        section: &str,
        ids: impl Iterator<Item = I> + Clone,
    ) -> Vec<I> {
        let mut sorted: Vec<I> = ids.clone().collect();
        #[cfg(feature = "parallel")]
        rayon::slice::ParallelSliceMut::par_sort_unstable(&mut sorted[..]);
        #[cfg(not(feature = "parallel"))]
        sorted.sort_unstable();
        if sorted.windows(2).any(|w| w[0] == w[1]) {
            self.ids(section, ids);
            sorted.dedup();
        }
        sorted
    }

    fn check<I: Ord + std::hash::Hash + std::fmt::Display + HasKind>(
        &mut self,
        known: &HashSet<I>,
        id: I,
        path: impl FnOnce() -> String,
        kind: &str,
    ) {
        if !known.contains(&id) && !self.also_known.contains(&id.uuid()) {
            let p = path();
            self.problem(p, format!("unknown {kind} {id}"));
        }
    }
}

/// Ties an id type to its kind name, for messages, and to its uuid.
trait HasKind {
    const KIND: &'static str;
    fn uuid(&self) -> uuid::Uuid;
}

macro_rules! has_kind {
    ($($t:ty),*) => { $(impl HasKind for $t {
        const KIND: &'static str = <$t>::KIND;
        fn uuid(&self) -> uuid::Uuid { *self.as_uuid() }
    })* };
}
has_kind!(
    GoalId,
    UnitId,
    ValueStatementId,
    DilemmaId,
    DecisionId,
    IndicatorId,
    ObservationId,
    NarrativeId,
    ActorId,
    InitiativeId,
    ParticipantId,
    LearningCycleId
);

#[cfg(all(test, feature = "parallel"))]
mod parallel_tests {
    use super::*;

    /// A generated document large enough for the parallel read.
    fn big() -> Compass {
        crate::generate::generate(
            &crate::generate::Generate::default()
                .goals(500)
                .observations(30_000)
                .narratives(50),
        )
    }

    #[test]
    fn parallel_read_equals_the_sequential_read() {
        let c = big();
        for text in [
            serde_json::to_string(&c).unwrap(),
            serde_json::to_string_pretty(&c).unwrap(),
        ] {
            assert!(text.len() >= PARALLEL_PARSE_MIN_BYTES, "{}", text.len());
            let parallel = parallel_parse(&text).expect("a well-formed document splits");
            assert_eq!(parallel, c);
            assert_eq!(Compass::from_json(&text).unwrap(), c);
        }
    }

    #[test]
    fn cuts_inside_strings_fall_back_to_the_sequential_read() {
        let mut c = big();
        // Texts that look like the cut between two observations, in every observation, so that
        // every cut candidate near a chunk boundary is inside a string.
        for (k, o) in c.observations.iter_mut().enumerate() {
            o.source = Some(if k % 2 == 0 {
                "a},{".into()
            } else {
                "}, {\"id\":".into()
            });
        }
        let text = serde_json::to_string(&c).unwrap();
        if let Some(parallel) = parallel_parse(&text) {
            assert_eq!(parallel, c);
        }
        assert_eq!(Compass::from_json(&text).unwrap(), c);
    }

    #[test]
    fn nested_observations_and_brackets_in_strings_keep_the_sequential_result() {
        let mut c = big();
        // Learning cycles carry `observations` of their own; through a `Value` the keys are
        // sorted, so `learning_cycles` comes first and holds the first `"observations"`.
        c.learning_cycles = crate::example::aarhus().learning_cycles;
        assert!(
            c.learning_cycles
                .iter()
                .any(|l| !l.carried_out.observations.is_empty())
        );
        let text = serde_json::to_value(&c).unwrap().to_string();
        assert!(text.find("\"observations\"") < text.find("\"observations\":[{\"id\""));
        assert_eq!(parallel_parse(&text).expect("splits"), c);
        // A `]` in a string that looks like the end of the array: the quick range is wrong,
        // the array fails to parse, and the sure way takes over.
        c.observations[7].source = Some("a] }".into());
        c.observations[9].source = Some("b] ,\"x".into());
        let text = serde_json::to_string(&c).unwrap();
        let (start, end) = locate_observations(&text).expect("a range");
        assert!(serde_json::from_str::<Vec<Observation>>(&text[start..end]).is_err());
        assert_eq!(
            parallel_parse(&text).expect("falls back to the sure range"),
            c
        );
        // (The borrowed learning cycles name goals of the example, so only the plain read.)
        assert_eq!(serde_json::from_str::<Compass>(&text).unwrap(), c);
    }

    #[test]
    fn splits_are_whole_elements() {
        let inner = r#"{"a":1},{"b":"},{"},{"c":[{"d":2},{"e":3}]} , {"f":4}"#;
        for parts in 1..12 {
            let pieces = split_elements(inner, parts);
            // Joined back with commas, the pieces are the input.
            assert_eq!(pieces.join(","), inner, "{parts}");
        }
    }
}
