//! Goal-clutter (*målmylder*) diagnostics: findings about a [`GoalHierarchy`] as data.

use std::collections::{BTreeMap, BTreeSet};

use kompas_core::{GoalId, IndicatorId, Lang, UnitId};

use crate::{Goal, GoalHierarchy};

/// The stable code of a diagnostic. Codes never change meaning; new checks get new codes.
///
/// | code | severity | finding |
/// |---|---|---|
/// | `G001` | error | a goal reaches no city goal ([`Level::City`](crate::Level::City)): it bridges to nothing the council set |
/// | `G002` | warning | a leaf goal (no child goals) has no indicator: nothing can show its progress |
/// | `G003` | warning | a unit owns more goals than [`DiagnosticOptions::max_goals_per_unit`] (default 7) |
/// | `G004` | warning | an indicator has no observations (only when the caller passes the observed set) |
/// | `G005` | warning | two goals under one parent have near-duplicate titles (see below) |
/// | `G006` | warning | a goal sits deeper than [`DiagnosticOptions::max_depth`] goals (default 5) |
/// | `G007` | error | a goal has children or indicators whose weights are all zero: it aggregates nothing |
/// | `G008` | info | a goal has exactly one child goal and no indicator: a redundant layer |
///
/// **Near-duplicate titles** (`G005`): titles are lowercased, every run of characters that are not
/// letters or digits becomes one space, and the similarity of two titles is the Sørensen-Dice
/// coefficient of their multisets of character bigrams, `2 |A ∩ B| / (|A| + |B|)` (Dice 1945;
/// Kondrak 2005, "N-gram similarity and distance"). Two goals are near duplicates when, in a
/// language both titles have (Danish or English; otherwise their first wording), the similarity is
/// at least [`DiagnosticOptions::similarity_threshold`] (default 0.9). Identical titles score 1.
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
#[non_exhaustive]
pub enum Code {
    /// `G001`: a goal reaches no city goal.
    G001,
    /// `G002`: a leaf goal without an indicator.
    G002,
    /// `G003`: a unit owning too many goals.
    G003,
    /// `G004`: an indicator without observations.
    G004,
    /// `G005`: near-duplicate titles under one parent.
    G005,
    /// `G006`: a chain deeper than the limit.
    G006,
    /// `G007`: children whose weights are all zero.
    G007,
    /// `G008`: a parent with a single child goal (a redundant layer).
    G008,
}

impl Code {
    /// The code as written, e.g. `"G001"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::G001 => "G001",
            Code::G002 => "G002",
            Code::G003 => "G003",
            Code::G004 => "G004",
            Code::G005 => "G005",
            Code::G006 => "G006",
            Code::G007 => "G007",
            Code::G008 => "G008",
        }
    }

    /// The severity of findings with this code.
    pub const fn severity(self) -> Severity {
        match self {
            Code::G001 | Code::G007 => Severity::Error,
            Code::G008 => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a finding is. Ordered from `Info` to `Error`.
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
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; often intended.
    Info,
    /// Likely goal clutter; the hierarchy still works.
    Warning,
    /// The hierarchy does not do its job here (a goal bridges to no city goal, or aggregates
    /// nothing).
    Error,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A thing a diagnostic is about.
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
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A goal.
    Goal(GoalId),
    /// An indicator.
    Indicator(IndicatorId),
    /// An organisational unit.
    Unit(UnitId),
}

/// One finding: a stable code, its severity, what it is about, and a message in English.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// The severity (that of the code).
    pub severity: Severity,
    /// What the finding is about: the first subject is the main one.
    pub subjects: Vec<Subject>,
    /// A lowercase message naming the subjects.
    pub message: String,
}

impl Diagnostic {
    fn new(code: Code, subjects: Vec<Subject>, message: String) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            subjects,
            message,
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.severity, self.code, self.message)
    }
}

/// Options of [`diagnose`]; `Default` gives the documented limits.
///
/// ```
/// use kompas_goals::DiagnosticOptions;
/// let opts = DiagnosticOptions::default().max_goals_per_unit(10).max_depth(4);
/// assert_eq!(opts.similarity_threshold, 0.9);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DiagnosticOptions {
    /// A unit owning more goals than this is flagged (`G003`). Default 7.
    pub max_goals_per_unit: usize,
    /// A goal on a chain longer than this many goals is flagged (`G006`). Default 5 (city,
    /// department, unit, team and one more).
    pub max_depth: usize,
    /// Titles at least this similar are near duplicates (`G005`). Default 0.9.
    pub similarity_threshold: f64,
    /// The indicators that have observations; `None` skips the check (`G004`).
    pub observed: Option<BTreeSet<IndicatorId>>,
}

impl Default for DiagnosticOptions {
    fn default() -> Self {
        DiagnosticOptions {
            max_goals_per_unit: 7,
            max_depth: 5,
            similarity_threshold: 0.9,
            observed: None,
        }
    }
}

impl DiagnosticOptions {
    /// Sets the limit of goals per unit.
    #[must_use]
    pub fn max_goals_per_unit(mut self, n: usize) -> Self {
        self.max_goals_per_unit = n;
        self
    }

    /// Sets the depth limit.
    #[must_use]
    pub fn max_depth(mut self, n: usize) -> Self {
        self.max_depth = n;
        self
    }

    /// Sets the title-similarity threshold.
    #[must_use]
    pub fn similarity_threshold(mut self, t: f64) -> Self {
        self.similarity_threshold = t;
        self
    }

    /// Sets the indicators that have observations, turning on `G004`.
    #[must_use]
    pub fn observed(mut self, ids: impl IntoIterator<Item = IndicatorId>) -> Self {
        self.observed = Some(ids.into_iter().collect());
        self
    }
}

/// The similarity of two titles used by `G005`: the Sørensen-Dice coefficient of their character
/// bigram multisets after normalisation (see [`Code`]). 1 for equal normalised titles, 0 when they
/// share no bigram. O(n log n) in the title length.
///
/// ```
/// use kompas_goals::title_similarity;
/// assert_eq!(title_similarity("Fewer falls", "fewer  FALLS!"), 1.0);
/// assert!(title_similarity("Fewer falls at home", "Fewer falls at homes") > 0.9);
/// assert!(title_similarity("Fewer falls", "More bicycles") < 0.3);
/// ```
pub fn title_similarity(a: &str, b: &str) -> f64 {
    Profile::new(a).similarity(&Profile::new(b))
}

/// A normalised title and its sorted character bigrams, computed once per title. A bigram is
/// packed into one integer (first character in the high half), so that sorting and comparing
/// them orders them as pairs of characters.
struct Profile {
    text: String,
    bigrams: Vec<u64>,
}

impl Profile {
    fn new(s: &str) -> Self {
        let text = normalise(s);
        let pack = |a: u32, b: u32| (u64::from(a) << 32) | u64::from(b);
        let mut bigrams: Vec<u64> = if text.is_ascii() {
            text.as_bytes()
                .windows(2)
                .map(|w| pack(u32::from(w[0]), u32::from(w[1])))
                .collect()
        } else {
            let mut chars = text.chars().map(u32::from);
            let mut prev = chars.next();
            chars
                .map(|c| {
                    let p = prev.replace(c).unwrap_or_default();
                    pack(p, c)
                })
                .collect()
        };
        bigrams.sort_unstable();
        Profile { text, bigrams }
    }

    /// Sørensen-Dice over the bigram multisets, by a merge of the sorted lists: O(n).
    fn similarity(&self, other: &Profile) -> f64 {
        if self.text == other.text {
            return 1.0;
        }
        let total = self.bigrams.len() + other.bigrams.len();
        if total == 0 {
            return 0.0;
        }
        let (a, b) = (&self.bigrams, &other.bigrams);
        let (mut i, mut j, mut common) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        2.0 * common as f64 / total as f64
    }
}

/// Lower case, letters and digits only, each run of anything else one space, no space at either
/// end. ASCII text (most titles) skips the Unicode tables.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    if s.is_ascii() {
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() {
                out.push(char::from(b.to_ascii_lowercase()));
                space = false;
            } else if !space {
                out.push(' ');
                space = true;
            }
        }
    } else {
        for c in s.chars().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() {
                out.push(c);
                space = false;
            } else if !space {
                out.push(' ');
                space = true;
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The profiles of a goal's title in Danish and English. When two goals share no language, their
/// titles are compared in the wording [`Text::get`](kompas_core::Text::get) gives for English:
/// the English one, else the Danish one.
struct TitleProfiles {
    da: Option<Profile>,
    en: Option<Profile>,
}

impl TitleProfiles {
    fn new(title: &kompas_core::Text) -> TitleProfiles {
        TitleProfiles {
            da: title.as_da().map(Profile::new),
            en: title.as_en().map(Profile::new),
        }
    }

    /// The profile of the English wording, else the Danish one (`None` for an empty title).
    fn fallback(&self) -> Option<&Profile> {
        self.en.as_ref().or(self.da.as_ref())
    }
}

fn titles_similar(a: &TitleProfiles, b: &TitleProfiles, threshold: f64) -> Option<f64> {
    let mut best: Option<f64> = None;
    for (x, y) in [(&a.da, &b.da), (&a.en, &b.en)] {
        if let (Some(x), Some(y)) = (x, y) {
            best = Some(best.unwrap_or(0.0).max(x.similarity(y)));
        }
    }
    let s = best.unwrap_or_else(|| {
        let empty = Profile {
            text: String::new(),
            bigrams: Vec::new(),
        };
        let (x, y) = (a.fallback(), b.fallback());
        x.unwrap_or(&empty).similarity(y.unwrap_or(&empty))
    });
    (s >= threshold).then_some(s)
}

fn label_of(g: &Goal) -> String {
    format!("goal {} ({:?})", g.id, g.title.get(Lang::En))
}

/// Runs every goal-clutter check on `h` and returns the findings, sorted by code, then by
/// subjects, so that the same hierarchy gives the same list.
///
/// Complexity: O((V + E) log V + I) for the structural checks over V goals, E links and I
/// attachments, plus O(k² t) per parent with k children whose titles have t characters (`G005`).
///
/// ```
/// use kompas_core::{GoalId, IndicatorId, Text, UnitId, Weight};
/// use kompas_goals::{diagnose, Code, DiagnosticOptions, Goal, GoalHierarchy, Level};
///
/// let unit = UnitId::from_name("aarhus");
/// let mut h = GoalHierarchy::default();
/// let lost = GoalId::from_name("lost");
/// h.add_goal(Goal::new(lost, Text::en("A goal of its own")?, Level::Unit, unit))?;
/// h.attach_indicator(lost, IndicatorId::from_name("i"), Weight::ONE)?;
/// let found = diagnose(&h, &DiagnosticOptions::default());
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].code, Code::G001); // reaches no city goal
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn diagnose(h: &GoalHierarchy, opts: &DiagnosticOptions) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let d = h.dense();
    let label = |k: usize| label_of(d.goals[k]);

    // G001: reaches no city goal. A goal reaches one if it is one, or a parent reaches one.
    for (k, &r) in d.reaches_city.iter().enumerate() {
        if !r {
            out.push(Diagnostic::new(
                Code::G001,
                vec![Subject::Goal(d.goals[k].id)],
                format!("{} reaches no city goal", label(k)),
            ));
        }
    }

    // The title profiles of every goal that has a sibling (the children of goals with two or
    // more children), made up front, on all cores when the `parallel` feature is on.
    let mut has_sibling = vec![false; d.goals.len()];
    for children in d.children.iter().filter(|c| c.len() >= 2) {
        for &(c, _) in children {
            has_sibling[c as usize] = true;
        }
    }
    let profile = |(g, &sib): (&&Goal, &bool)| sib.then(|| TitleProfiles::new(&g.title));
    #[cfg(feature = "parallel")]
    let cache: Vec<Option<TitleProfiles>> = {
        use rayon::prelude::*;
        d.goals.par_iter().zip(&has_sibling).map(profile).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let cache: Vec<Option<TitleProfiles>> = d.goals.iter().zip(&has_sibling).map(profile).collect();
    for (k, g) in d.goals.iter().enumerate() {
        let id = g.id;
        let children = &d.children[k];
        let indicators = d.indicators[k].len();
        // G002: leaf goal without indicator.
        if children.is_empty() && indicators == 0 {
            out.push(Diagnostic::new(
                Code::G002,
                vec![Subject::Goal(id)],
                format!("{} has no child goal and no indicator", label(k)),
            ));
        }
        // G007: all contributions weigh zero.
        let mut weights = children
            .iter()
            .map(|&(_, w)| w)
            .chain(d.indicators[k].values().map(|w| w.get()))
            .peekable();
        if weights.peek().is_some() && weights.all(|w| w == 0.0) {
            out.push(Diagnostic::new(
                Code::G007,
                vec![Subject::Goal(id)],
                format!(
                    "{} has children and indicators whose weights are all zero",
                    label(k)
                ),
            ));
        }
        // G008: a single child goal and nothing else.
        if children.len() == 1 && indicators == 0 {
            let child = d.goals[children[0].0 as usize].id;
            out.push(Diagnostic::new(
                Code::G008,
                vec![Subject::Goal(id), Subject::Goal(child)],
                format!(
                    "{} has a single child goal {child} and no indicator: a redundant layer",
                    label(k)
                ),
            ));
        }
        // G005: near-duplicate titles among the children.
        if children.len() < 2 {
            continue;
        }
        for (i, &(a, _)) in children.iter().enumerate() {
            for &(b, _) in &children[i + 1..] {
                let (Some(pa), Some(pb)) = (&cache[a as usize], &cache[b as usize]) else {
                    continue;
                };
                if let Some(s) = titles_similar(pa, pb, opts.similarity_threshold) {
                    out.push(Diagnostic::new(
                        Code::G005,
                        vec![
                            Subject::Goal(id),
                            Subject::Goal(d.goals[a as usize].id),
                            Subject::Goal(d.goals[b as usize].id),
                        ],
                        format!(
                            "{} and {} under goal {id} have near-duplicate titles (similarity {s:.3})",
                            label(a as usize),
                            label(b as usize)
                        ),
                    ));
                }
            }
        }
    }

    // G003: units owning too many goals.
    let mut owned: BTreeMap<UnitId, Vec<GoalId>> = BTreeMap::new();
    for g in &d.goals {
        owned.entry(g.owner).or_default().push(g.id);
    }
    for (unit, goals) in owned {
        if goals.len() > opts.max_goals_per_unit {
            let n = goals.len();
            let mut subjects = vec![Subject::Unit(unit)];
            subjects.extend(goals.into_iter().map(Subject::Goal));
            out.push(Diagnostic::new(
                Code::G003,
                subjects,
                format!(
                    "unit {unit} owns {n} goals: expected at most {}",
                    opts.max_goals_per_unit
                ),
            ));
        }
    }

    // G004: indicators without observations, each with the goals it is attached to.
    if let Some(observed) = &opts.observed {
        let mut unobserved: Vec<(IndicatorId, GoalId)> = d
            .goals
            .iter()
            .zip(&d.indicators)
            .flat_map(|(g, m)| {
                m.keys()
                    .filter(|i| !observed.contains(i))
                    .map(move |i| (*i, g.id))
            })
            .collect();
        unobserved.sort_unstable();
        for group in unobserved.chunk_by(|a, b| a.0 == b.0) {
            let ind = group[0].0;
            let mut subjects = vec![Subject::Indicator(ind)];
            subjects.extend(group.iter().map(|&(_, g)| Subject::Goal(g)));
            let names: Vec<String> = group.iter().map(|(_, g)| g.to_string()).collect();
            out.push(Diagnostic::new(
                Code::G004,
                subjects,
                format!(
                    "indicator {ind} (attached to goal {}) has no observations",
                    names.join(", ")
                ),
            ));
        }
    }

    // G006: chains deeper than the limit.
    for (k, &depth) in d.depth.iter().enumerate() {
        if depth > opts.max_depth {
            out.push(Diagnostic::new(
                Code::G006,
                vec![Subject::Goal(d.goals[k].id)],
                format!(
                    "{} sits {depth} goals deep: expected at most {}",
                    label(k),
                    opts.max_depth
                ),
            ));
        }
    }

    out.sort_by(|a, b| (a.code, &a.subjects).cmp(&(b.code, &b.subjects)));
    out
}
