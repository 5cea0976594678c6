//! A parser for the UN Sustainable Development Goals framework (goals, targets, indicators) as
//! published by the Open SDG project: a real goal DAG with multi-parent indicators.

use std::collections::BTreeMap;

use kompas_core::{GoalId, IndicatorId, Text, UnitId, Weight};

use crate::{Error, Goal, GoalHierarchy, Level, Link};

/// The expected header of the framework CSV.
const HEADER: [&str; 5] = ["level", "id", "parent", "short", "title"];

/// One SDG indicator: the codes it is published under and its title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdgIndicator {
    /// Every code the indicator appears under, in file order (e.g. `1.5.1`, `11.5.1`, `13.1.1`).
    pub codes: Vec<String>,
    /// The indicator's title.
    pub title: String,
}

/// The SDG framework as a [`GoalHierarchy`], with the SDG codes of its goals and indicators.
#[derive(Debug, Clone)]
pub struct SdgFramework {
    /// The hierarchy: the 17 goals at [`Level::City`] (the top level), the targets below them at
    /// [`Level::Department`], the indicators attached to the targets; every weight is 1.
    pub hierarchy: GoalHierarchy,
    /// The goal id of each goal and target code (`"1"`, `"1.1"`, `"1.a"`).
    pub goals: BTreeMap<String, GoalId>,
    /// The indicators by id.
    pub indicators: BTreeMap<IndicatorId, SdgIndicator>,
}

impl SdgFramework {
    /// The id used for the goal or target `code`: `GoalId::from_name("sdg/<code>")`.
    pub fn goal_id(code: &str) -> GoalId {
        GoalId::from_name(&format!("sdg/{code}"))
    }

    /// The id used for an indicator first listed under `code`:
    /// `IndicatorId::from_name("sdg/<code>")`.
    pub fn indicator_id(code: &str) -> IndicatorId {
        IndicatorId::from_name(&format!("sdg/{code}"))
    }

    /// The unit that owns every goal and target: `UnitId::from_name("sdg/united-nations")`.
    pub fn owner() -> UnitId {
        UnitId::from_name("sdg/united-nations")
    }
}

struct Row {
    line: u64,
    level: u8,
    id: String,
    parent: String,
    short: String,
    title: String,
}

fn row_error(line: u64, field: &'static str, value: &str, expected: &str) -> Error {
    Error::FrameworkRow {
        line,
        field,
        value: value.to_owned(),
        expected: expected.to_owned(),
    }
}

/// Parses the Open SDG framework CSV (`level,id,parent,short,title`; level 1 = goal, 2 = target,
/// 3 = indicator) into a [`SdgFramework`].
///
/// Goals and targets become goals (titles in English: the short title when there is one, else
/// the full title). Indicators become indicators attached to their targets, not goals: an
/// indicator published under several codes with the same title (after trimming and collapsing
/// white space) is one indicator attached to every target it is listed under, so that the
/// structure is a DAG. Its id comes from its first code. If the same indicator is listed twice
/// under one target (17.6.1 and 17.6.2 in the 2024 list), it is attached once and keeps both
/// codes. Rows may come in any order. O(n log n) for n rows.
///
/// # Errors
/// [`Error::FrameworkRow`] naming the line and field for a wrong header, a malformed row, a level
/// other than 1-3, an empty or repeated id, a missing or unknown parent, a parent of the wrong
/// level, or an empty title.
///
/// ```
/// use kompas_goals::{parse_sdg_framework, SdgFramework};
/// let csv = "level,id,parent,short,title\n\
///            1,1,,No poverty,End poverty\n\
///            2,1.5,1,,Build resilience\n\
///            2,1.4,1,,Equal rights\n\
///            3,1.5.1,1.5,,Deaths from disasters\n\
///            3,1.4.1,1.4,,Deaths from disasters\n";
/// let sdg = parse_sdg_framework(csv)?;
/// assert_eq!(sdg.hierarchy.len(), 3);
/// assert_eq!(sdg.indicators.len(), 1); // one indicator under two targets
/// let w = sdg.hierarchy.effective_weights(SdgFramework::goal_id("1"))?;
/// assert_eq!(w[&SdgFramework::indicator_id("1.5.1")], 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_sdg_framework(text: &str) -> Result<SdgFramework, Error> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = rdr
        .headers()
        .map_err(|_| row_error(1, "header", "", "a csv header line"))?
        .clone();
    let found: Vec<&str> = header.iter().map(str::trim).collect();
    if found != HEADER {
        return Err(row_error(
            1,
            "header",
            &found.join(","),
            "level,id,parent,short,title",
        ));
    }
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(row_error(line, "row", "", "a csv row with 5 fields"));
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        let field = |i: usize| rec.get(i).unwrap_or("").trim().to_owned();
        let level_text = field(0);
        let level = match level_text.as_str() {
            "1" => 1,
            "2" => 2,
            "3" => 3,
            _ => return Err(row_error(line, "level", &level_text, "1, 2 or 3")),
        };
        let row = Row {
            line,
            level,
            id: field(1),
            parent: field(2),
            short: field(3),
            title: field(4),
        };
        if row.id.is_empty() {
            return Err(row_error(line, "id", "", "a non-empty code"));
        }
        if row.title.is_empty() && row.short.is_empty() {
            return Err(row_error(line, "title", "", "a non-empty title"));
        }
        if level == 1 && !row.parent.is_empty() {
            return Err(row_error(
                line,
                "parent",
                &row.parent,
                "no parent for a goal",
            ));
        }
        if level > 1 && row.parent.is_empty() {
            return Err(row_error(line, "parent", "", "the code of the parent"));
        }
        rows.push(row);
    }

    let mut h = GoalHierarchy::default();
    let mut goals: BTreeMap<String, (GoalId, u8)> = BTreeMap::new();
    let mut seen_indicator_codes: BTreeMap<String, u64> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.level < 3) {
        if goals.contains_key(&r.id) {
            return Err(row_error(r.line, "id", &r.id, "a code not used before"));
        }
        let id = SdgFramework::goal_id(&r.id);
        let title = if r.short.is_empty() {
            &r.title
        } else {
            &r.short
        };
        let level = if r.level == 1 {
            Level::City
        } else {
            Level::Department
        };
        h.add_goal(Goal::new(
            id,
            Text::en(title)?,
            level,
            SdgFramework::owner(),
        ))?;
        goals.insert(r.id.clone(), (id, r.level));
    }
    let parent_of = |r: &Row| -> Result<GoalId, Error> {
        match goals.get(&r.parent) {
            Some(&(id, level)) if level + 1 == r.level => Ok(id),
            Some(_) => Err(row_error(
                r.line,
                "parent",
                &r.parent,
                if r.level == 2 {
                    "the code of a goal (level 1)"
                } else {
                    "the code of a target (level 2)"
                },
            )),
            None => Err(row_error(
                r.line,
                "parent",
                &r.parent,
                "the code of a goal or target in the file",
            )),
        }
    };
    for r in rows.iter().filter(|r| r.level == 2) {
        let parent = parent_of(r)?;
        h.link(goals[&r.id].0, parent, Link::new(Weight::ONE))?;
    }

    let mut by_title: BTreeMap<String, IndicatorId> = BTreeMap::new();
    let mut indicators: BTreeMap<IndicatorId, SdgIndicator> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.level == 3) {
        if goals.contains_key(&r.id) || seen_indicator_codes.insert(r.id.clone(), r.line).is_some()
        {
            return Err(row_error(r.line, "id", &r.id, "a code not used before"));
        }
        let target = parent_of(r)?;
        let name = if r.title.is_empty() {
            &r.short
        } else {
            &r.title
        };
        let key = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let id = *by_title
            .entry(key)
            .or_insert_with(|| SdgFramework::indicator_id(&r.id));
        indicators
            .entry(id)
            .or_insert_with(|| SdgIndicator {
                codes: Vec::new(),
                title: name.clone(),
            })
            .codes
            .push(r.id.clone());
        match h.attach_indicator(target, id, Weight::ONE) {
            Ok(()) | Err(Error::DuplicateIndicator { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(SdgFramework {
        hierarchy: h,
        goals: goals.into_iter().map(|(k, (id, _))| (k, id)).collect(),
        indicators,
    })
}
