//! Representativeness of participants against population margins: shares, ratios, gaps,
//! dissimilarity, Gallagher, Pearson χ², KL divergence, Hellinger distance, R-indicators,
//! two-way intersections and small-cell suppression.

use std::collections::{BTreeMap, BTreeSet};

use kompas_core::ParticipantId;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

use crate::{Error, Participant};

/// The separator of a two-way attribute name (`sex*age_band`) and its values (`men*18-29`).
const JOINT: char = '*';

/// Population counts by attribute value (margins), and optionally joint counts of two attributes.
///
/// Read it from CSV with [`Population::from_csv`] (`attribute,value,count`; a row whose attribute
/// is `a*b` and value `x*y` is a joint count of `a = x` and `b = y`), or build it with
/// [`Population::add`] and [`Population::add_joint`]. An attribute given only jointly has its
/// margin summed from the joint counts.
///
/// ```
/// use kompas_cocreation::Population;
/// let p = Population::from_csv("attribute,value,count\nsex*age,men*young,10\nsex*age,women*young,12\n\
///                               sex*age,men*old,8\nsex*age,women*old,9\n")?;
/// assert_eq!(p.margin("sex").unwrap()["women"], 21);
/// assert_eq!(p.attributes(), vec!["age".to_string(), "sex".to_string()]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Population {
    /// Attribute to value to count.
    #[serde(default)]
    pub margins: BTreeMap<String, BTreeMap<String, u64>>,
    /// `(first attribute, second attribute)` written `first*second`, to `first value*second
    /// value`, to count.
    #[serde(default)]
    pub joints: BTreeMap<String, BTreeMap<String, u64>>,
}

impl Population {
    /// Adds the count of one attribute value.
    ///
    /// # Errors
    /// [`Error::DuplicatePopulationValue`] when the value already has a count.
    pub fn add(&mut self, attribute: &str, value: &str, count: u64) -> Result<(), Error> {
        add_count(&mut self.margins, attribute, value, count, 0)
    }

    /// Adds the joint count of `first = first_value` and `second = second_value`.
    ///
    /// # Errors
    /// [`Error::DuplicatePopulationValue`] when the cell already has a count.
    pub fn add_joint(
        &mut self,
        (first, first_value): (&str, &str),
        (second, second_value): (&str, &str),
        count: u64,
    ) -> Result<(), Error> {
        add_count(
            &mut self.joints,
            &format!("{first}{JOINT}{second}"),
            &format!("{first_value}{JOINT}{second_value}"),
            count,
            0,
        )
    }

    /// Reads `attribute,value,count` CSV (a header row, then one row per value; other columns
    /// are ignored; fields are trimmed).
    ///
    /// # Errors
    /// [`Error::Csv`], [`Error::MissingColumn`], [`Error::InvalidCell`] (a count that is not a
    /// whole number >= 0, or a joint row not of the form `a*b`, `x*y`) and
    /// [`Error::DuplicatePopulationValue`], each naming the line.
    pub fn from_csv(text: &str) -> Result<Self, Error> {
        const TABLE: &str = "population";
        const EXPECTED: &str = "attribute,value,count";
        let mut reader = reader(text);
        let header = headers(&mut reader, TABLE)?;
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h.eq_ignore_ascii_case(name))
                .ok_or_else(|| Error::MissingColumn {
                    table: TABLE,
                    column: name.to_owned(),
                    expected: EXPECTED,
                })
        };
        let (ia, iv, ic) = (col("attribute")?, col("value")?, col("count")?);
        let mut pop = Population::default();
        for record in reader.records() {
            let record = record.map_err(|e| csv_error(TABLE, &e))?;
            let line = record.position().map_or(0, csv::Position::line);
            let field = |i: usize| record.get(i).unwrap_or_default();
            let (attribute, value, count) = (field(ia), field(iv), field(ic));
            if attribute.is_empty() && value.is_empty() && count.is_empty() {
                continue;
            }
            if attribute.is_empty() {
                return Err(invalid(
                    TABLE,
                    line,
                    "attribute",
                    attribute,
                    "an attribute name",
                ));
            }
            let count: u64 = count
                .parse()
                .map_err(|_| invalid(TABLE, line, "count", count, "a whole number >= 0"))?;
            let joint_attr = attribute.split(JOINT).count();
            if joint_attr == 1 {
                add_count(&mut pop.margins, attribute, value, count, line)?;
            } else if joint_attr == 2 && value.split(JOINT).count() == 2 {
                if attribute.split(JOINT).any(str::is_empty) {
                    return Err(invalid(
                        TABLE,
                        line,
                        "attribute",
                        attribute,
                        "two attribute names joined by '*'",
                    ));
                }
                add_count(&mut pop.joints, attribute, value, count, line)?;
            } else if joint_attr == 2 {
                return Err(invalid(
                    TABLE,
                    line,
                    "value",
                    value,
                    "two values joined by '*' for a joint attribute",
                ));
            } else {
                return Err(invalid(
                    TABLE,
                    line,
                    "attribute",
                    attribute,
                    "one attribute name, or two joined by '*'",
                ));
            }
        }
        Ok(pop)
    }

    /// Every attribute with a margin, given or summed from a joint table, sorted.
    pub fn attributes(&self) -> Vec<String> {
        let mut set: BTreeSet<String> = self.margins.keys().cloned().collect();
        for key in self.joints.keys() {
            set.extend(key.split(JOINT).map(str::to_owned));
        }
        set.into_iter().collect()
    }

    /// The margin of `attribute`: the counts given, else the counts summed from the first joint
    /// table (in name order) that holds the attribute.
    pub fn margin(&self, attribute: &str) -> Option<BTreeMap<String, u64>> {
        if let Some(m) = self.margins.get(attribute) {
            return Some(m.clone());
        }
        self.joints.iter().find_map(|(key, cells)| {
            let side = key.split(JOINT).position(|a| a == attribute)?;
            let mut m = BTreeMap::new();
            for (value, count) in cells {
                let v = value.split(JOINT).nth(side)?;
                *m.entry(v.to_owned()).or_insert(0) += count;
            }
            Some(m)
        })
    }
}

fn add_count(
    map: &mut BTreeMap<String, BTreeMap<String, u64>>,
    attribute: &str,
    value: &str,
    count: u64,
    line: u64,
) -> Result<(), Error> {
    let values = map.entry(attribute.to_owned()).or_default();
    if values.insert(value.to_owned(), count).is_some() {
        return Err(Error::DuplicatePopulationValue {
            attribute: attribute.to_owned(),
            value: value.to_owned(),
            line,
        });
    }
    Ok(())
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
}

fn headers(reader: &mut csv::Reader<&[u8]>, table: &'static str) -> Result<Vec<String>, Error> {
    Ok(reader
        .headers()
        .map_err(|e| csv_error(table, &e))?
        .iter()
        .map(str::to_owned)
        .collect())
}

fn csv_error(table: &'static str, e: &csv::Error) -> Error {
    let line = e.position().map_or(1, csv::Position::line);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("found {len} fields: expected {expected_len} like the header"),
        csv::ErrorKind::Utf8 { .. } => "invalid utf-8: expected utf-8 text".to_owned(),
        _ => format!("{e}").to_lowercase(),
    };
    Error::Csv {
        table,
        line,
        message,
    }
}

fn invalid(
    table: &'static str,
    line: u64,
    column: &str,
    value: &str,
    expected: &'static str,
) -> Error {
    Error::InvalidCell {
        table,
        line,
        column: column.to_owned(),
        value: value.to_owned(),
        expected,
    }
}

/// Reads participants from CSV: a header row naming one column per attribute, then one row per
/// participant; an empty cell is a missing value. A column named `id` (any case) gives the
/// participant's id (a uuid, or any text turned into a stable id); without it the id is made from
/// the line number. Values of attributes the population knows are checked against it, so an
/// unknown value is reported with its line.
///
/// # Errors
/// [`Error::Csv`], [`Error::InvalidCell`] (a repeated id) and [`Error::UnknownValue`], each naming
/// the line and column.
///
/// ```
/// use kompas_cocreation::{parse_participants_csv, Population};
/// let pop = Population::from_csv("attribute,value,count\nsex,men,50\nsex,women,50\n")?;
/// let people = parse_participants_csv("id,sex\na,men\nb,women\nc,\n", &pop)?;
/// assert_eq!(people.len(), 3);
/// assert!(people[2].attributes.get("sex").is_none()); // missing
/// assert!(parse_participants_csv("sex\nother\n", &pop).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_participants_csv(
    text: &str,
    population: &Population,
) -> Result<Vec<Participant>, Error> {
    const TABLE: &str = "participants";
    let mut reader = reader(text);
    let header = headers(&mut reader, TABLE)?;
    let id_col = header.iter().position(|h| h.eq_ignore_ascii_case("id"));
    let margins: BTreeMap<&str, BTreeMap<String, u64>> = header
        .iter()
        .filter_map(|h| population.margin(h).map(|m| (h.as_str(), m)))
        .collect();
    let mut out = Vec::new();
    let mut ids = BTreeSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(TABLE, &e))?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let id = match id_col.and_then(|i| record.get(i)) {
            Some(raw) if !raw.is_empty() => raw
                .parse::<ParticipantId>()
                .unwrap_or_else(|_| ParticipantId::from_name(raw)),
            Some(raw) => return Err(invalid(TABLE, line, "id", raw, "a participant id")),
            None => ParticipantId::from_name(&format!("participants/line/{line}")),
        };
        if !ids.insert(id) {
            let raw = id_col.and_then(|i| record.get(i)).unwrap_or_default();
            return Err(invalid(
                TABLE,
                line,
                "id",
                raw,
                "an id not used on an earlier line",
            ));
        }
        let mut p = Participant::new(id);
        for (i, (name, value)) in header.iter().zip(record.iter()).enumerate() {
            if Some(i) == id_col || value.is_empty() {
                continue;
            }
            if let Some(m) = margins.get(name.as_str()) {
                if !m.contains_key(value) {
                    return Err(Error::UnknownValue {
                        location: format!("participants csv, line {line}"),
                        attribute: name.clone(),
                        value: value.to_owned(),
                        expected: join(m.keys()),
                    });
                }
            }
            p.attributes.insert(name.clone(), value.to_owned());
        }
        out.push(p);
    }
    Ok(out)
}

/// Reads invitation counts from CSV `attribute,value,invited,responded` (other columns ignored),
/// for [`RepresentOptions::invitations`]. Values of attributes the population knows are checked
/// against it.
///
/// # Errors
/// [`Error::Csv`], [`Error::MissingColumn`], [`Error::InvalidCell`] (a count that is not a whole
/// number, more responses than invitations, a repeated group) and [`Error::UnknownValue`], each
/// naming the line.
///
/// ```
/// use kompas_cocreation::{parse_invitations_csv, Population};
/// let pop = Population::from_csv("attribute,value,count\nsex,men,50\nsex,women,50\n")?;
/// let inv = parse_invitations_csv("attribute,value,invited,responded\nsex,men,100,9\n", &pop)?;
/// assert_eq!(inv["sex"]["men"].responded, 9);
/// assert!(parse_invitations_csv("attribute,value,invited,responded\nsex,men,1,2\n", &pop).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_invitations_csv(
    text: &str,
    population: &Population,
) -> Result<BTreeMap<String, BTreeMap<String, Invitation>>, Error> {
    const TABLE: &str = "invitations";
    const EXPECTED: &str = "attribute,value,invited,responded";
    let mut reader = reader(text);
    let header = headers(&mut reader, TABLE)?;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| Error::MissingColumn {
                table: TABLE,
                column: name.to_owned(),
                expected: EXPECTED,
            })
    };
    let (ia, iv) = (col("attribute")?, col("value")?);
    let (ii, ir) = (col("invited")?, col("responded")?);
    let mut out: BTreeMap<String, BTreeMap<String, Invitation>> = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(TABLE, &e))?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or_default();
        let (attribute, value) = (field(ia), field(iv));
        if attribute.is_empty() {
            return Err(invalid(
                TABLE,
                line,
                "attribute",
                attribute,
                "an attribute name",
            ));
        }
        let count = |i: usize, name: &str| {
            field(i)
                .parse::<u64>()
                .map_err(|_| invalid(TABLE, line, name, field(i), "a whole number >= 0"))
        };
        let (invited, responded) = (count(ii, "invited")?, count(ir, "responded")?);
        if responded > invited {
            return Err(invalid(
                TABLE,
                line,
                "responded",
                field(ir),
                "at most the number invited",
            ));
        }
        if let Some(m) = population.margin(attribute) {
            if !m.contains_key(value) {
                return Err(Error::UnknownValue {
                    location: format!("invitations csv, line {line}"),
                    attribute: attribute.to_owned(),
                    value: value.to_owned(),
                    expected: join(m.keys()),
                });
            }
        }
        let groups = out.entry(attribute.to_owned()).or_default();
        if groups
            .insert(value.to_owned(), Invitation { invited, responded })
            .is_some()
        {
            return Err(invalid(
                TABLE,
                line,
                "value",
                value,
                "one row per attribute value",
            ));
        }
    }
    Ok(out)
}

fn join<'a>(it: impl IntoIterator<Item = &'a String>) -> String {
    it.into_iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Invitation counts of one group: how many were invited and how many responded.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Invitation {
    /// Invited persons.
    pub invited: u64,
    /// Persons who responded (took part).
    pub responded: u64,
}

/// Options of [`represent`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RepresentOptions {
    /// Cells with fewer persons than this (but at least one) are suppressed when published.
    pub min_cell: u64,
    /// Invitation counts per attribute and value; each attribute given gets an R-indicator.
    #[serde(default)]
    pub invitations: BTreeMap<String, BTreeMap<String, Invitation>>,
}

impl Default for RepresentOptions {
    fn default() -> Self {
        RepresentOptions {
            min_cell: 5,
            invitations: BTreeMap::new(),
        }
    }
}

/// One cell (attribute value) of an [`AttributeReport`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CellReport {
    /// The value (`x*y` in an intersection).
    pub value: String,
    /// Participants with this value.
    pub count: u64,
    /// Their share p of the participants with a value for the attribute.
    pub share: f64,
    /// The population count.
    pub population: u64,
    /// The population share q.
    pub population_share: f64,
    /// The expected count N·q.
    pub expected: f64,
    /// The representation ratio p / q; `None` when q = 0.
    pub ratio: Option<f64>,
    /// The gap 100·(p − q) in percentage points.
    pub gap_pp: f64,
}

/// Pearson's χ² goodness-of-fit test of the participants' counts against the population shares.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChiSquare {
    /// Σ (n − N·q)² / (N·q) over the cells with q > 0.
    pub statistic: f64,
    /// Degrees of freedom: the cells with q > 0, less one.
    pub df: u64,
    /// P(χ²_df ≥ statistic).
    pub p_value: f64,
}

/// Representativeness of the participants on one attribute (or a two-way intersection).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AttributeReport {
    /// The attribute (`a*b` for an intersection).
    pub attribute: String,
    /// Participants with a value for the attribute (N).
    pub n: u64,
    /// Participants without one.
    pub missing: u64,
    /// One cell per population value, in value order.
    pub cells: Vec<CellReport>,
    /// Duncan's dissimilarity index ½ Σ |p − q|, in [0, 1].
    pub dissimilarity: f64,
    /// Gallagher's least-squares index √(½ Σ (100p − 100q)²), in percentage points.
    pub gallagher: f64,
    /// Pearson's χ²; `None` when there is one cell only, or a participant sits in a cell of
    /// population share 0.
    pub chi_square: Option<ChiSquare>,
    /// Kullback–Leibler divergence Σ p ln(p / q) in nats; `None` when some p > 0 has q = 0.
    pub kl_divergence: Option<f64>,
    /// Hellinger distance √(1 − Σ √(p q)), in [0, 1].
    pub hellinger: f64,
}

/// The partial R-indicator of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PartialR {
    /// The group (attribute value).
    pub value: String,
    /// Invited persons.
    pub invited: u64,
    /// Persons who responded.
    pub responded: u64,
    /// The response propensity ρ_k = responded / invited (0 when none were invited).
    pub propensity: f64,
    /// The category-level unconditional partial R-indicator √(m_k / M) · (ρ_k − ρ̄): negative
    /// for under-responding groups.
    pub partial: f64,
}

/// The R-indicator of response by one attribute (Schouten, Cobben & Bethlehem 2009) and its
/// partial R-indicators (Schouten, Shlomo & Skinner 2011).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RIndicator {
    /// The attribute the propensities are modelled on.
    pub attribute: String,
    /// Invited in all (M).
    pub invited: u64,
    /// Responded in all.
    pub responded: u64,
    /// ρ̄ = responded / invited.
    pub response_rate: f64,
    /// S(ρ) = √(Σ_k m_k (ρ_k − ρ̄)² / (M − 1)).
    pub std_dev: f64,
    /// R = 1 − 2 S(ρ), at most 1 (1: response independent of the attribute); about 0 at the
    /// most uneven response, and slightly below 0 only for a handful of invitations.
    pub r_indicator: f64,
    /// The variable-level unconditional partial R-indicator √(Σ_k (m_k / M)(ρ_k − ρ̄)²).
    pub partial: f64,
    /// One entry per group, in value order.
    pub groups: Vec<PartialR>,
}

/// The result of [`represent`]: one report per attribute, per two-way intersection, and per
/// attribute with invitation counts; plus warnings about what could not be covered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Representation {
    /// Participants in all.
    pub participants: u64,
    /// The suppression threshold used by [`Representation::publish`].
    pub min_cell: u64,
    /// One report per shared attribute, in attribute order.
    pub attributes: Vec<AttributeReport>,
    /// One report per joint population table whose two attributes the participants have.
    pub intersections: Vec<AttributeReport>,
    /// One R-indicator per attribute with invitation counts.
    pub r_indicators: Vec<RIndicator>,
    /// What could not be covered, or should be read with care.
    pub warnings: Vec<String>,
}

/// Computes the R-indicator and partial R-indicators of response by one attribute from
/// invitation counts.
///
/// With M invited persons in groups k of m_k invited and r_k responding, the response propensity
/// of every person in group k is estimated by ρ_k = r_k / m_k (the attribute is the only auxiliary
/// variable). Then ρ̄ = Σ r_k / M, S(ρ) = √(Σ_k m_k (ρ_k − ρ̄)² / (M − 1)) (the standard deviation
/// over persons) and R = 1 − 2 S(ρ) (Schouten, Cobben & Bethlehem, *Survey Methodology* 35(1),
/// 2009). The unconditional partial R-indicators follow Schouten, Shlomo & Skinner (*Journal of
/// Official Statistics* 27(2), 2011): P_U(k) = √(m_k / M)(ρ_k − ρ̄) per group and
/// P_U = √(Σ_k (m_k / M)(ρ_k − ρ̄)²) per attribute. No bias adjustment is made.
///
/// Complexity: O(g) for g groups.
///
/// # Errors
/// [`Error::InvalidInvitation`] when a group has more responses than invitations;
/// [`Error::TooFewInvited`] when fewer than two were invited.
///
/// ```
/// use std::collections::BTreeMap;
/// use kompas_cocreation::{r_indicator, Invitation};
/// let groups = BTreeMap::from([
///     ("men".to_string(), Invitation { invited: 100, responded: 10 }),
///     ("women".to_string(), Invitation { invited: 100, responded: 30 }),
/// ]);
/// let r = r_indicator("sex", &groups)?;
/// assert!((r.response_rate - 0.2).abs() < 1e-12);
/// // S = sqrt(200 * 0.1^2 / 199)
/// assert!((r.r_indicator - (1.0 - 2.0 * (2.0f64 / 199.0).sqrt())).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn r_indicator(
    attribute: &str,
    groups: &BTreeMap<String, Invitation>,
) -> Result<RIndicator, Error> {
    let mut invited = 0u64;
    let mut responded = 0u64;
    for (value, g) in groups {
        if g.responded > g.invited {
            return Err(Error::InvalidInvitation {
                attribute: attribute.to_owned(),
                value: value.clone(),
                invited: g.invited,
                responded: g.responded,
            });
        }
        invited = invited.saturating_add(g.invited);
        responded = responded.saturating_add(g.responded);
    }
    if invited < 2 {
        return Err(Error::TooFewInvited {
            attribute: attribute.to_owned(),
            invited,
        });
    }
    let m = invited as f64;
    let rate = responded as f64 / m;
    let mut between = 0.0;
    let mut out = Vec::with_capacity(groups.len());
    for (value, g) in groups {
        let rho = if g.invited == 0 {
            0.0
        } else {
            g.responded as f64 / g.invited as f64
        };
        let mk = g.invited as f64;
        between += mk * (rho - rate).powi(2);
        out.push(PartialR {
            value: value.clone(),
            invited: g.invited,
            responded: g.responded,
            propensity: rho,
            partial: (mk / m).sqrt() * (rho - rate),
        });
    }
    let std_dev = (between / (m - 1.0)).sqrt();
    Ok(RIndicator {
        attribute: attribute.to_owned(),
        invited,
        responded,
        response_rate: rate,
        std_dev,
        r_indicator: 1.0 - 2.0 * std_dev,
        partial: (between / m).sqrt(),
        groups: out,
    })
}

/// Compares participants with population margins, attribute by attribute and for each joint
/// population table, and computes R-indicators where invitation counts are given.
///
/// For an attribute with population counts c_k (shares q_k = c_k / Σc) and N participants with a
/// value, n_k of them in cell k (shares p_k = n_k / N), each cell gets p_k, q_k, the expected
/// count N·q_k, the representation ratio p_k / q_k and the gap 100(p_k − q_k) in percentage
/// points; the attribute gets
/// - Duncan & Duncan's dissimilarity index D = ½ Σ|p_k − q_k| (*American Sociological Review*
///   20, 1955);
/// - Gallagher's least-squares index √(½ Σ (100 p_k − 100 q_k)²) (*Electoral Studies* 10, 1991);
/// - Pearson's χ² = Σ (n_k − N q_k)² / (N q_k) with K − 1 degrees of freedom (K cells with
///   q_k > 0) and its p-value from the χ² distribution (statrs);
/// - the Kullback–Leibler divergence Σ p_k ln(p_k / q_k) (nats) and the Hellinger distance
///   √(1 − Σ √(p_k q_k)).
///
/// Attributes are those of the population that some participant has; participants without a
/// value are counted as missing. A joint table `a*b` of the population is compared with the
/// participants' cross-tabulation of `a` and `b` the same way. Warnings name attributes without
/// population margins, χ² tests with expected counts under 5 (Cochran's rule), and given margins
/// that disagree with a joint table.
///
/// Complexity: O(P·A + C) for P participants, A attributes and C population cells.
///
/// # Errors
/// [`Error::NoParticipants`], [`Error::NoSharedAttribute`], [`Error::EmptyPopulation`],
/// [`Error::UnknownValue`] (a participant value the population does not know, naming the
/// participant), [`Error::InvalidMinCell`], and the errors of [`r_indicator`].
///
/// ```
/// use kompas_cocreation::{represent, Participant, Population, RepresentOptions};
/// use kompas_core::ParticipantId;
/// let pop = Population::from_csv("attribute,value,count\nsex,men,500\nsex,women,500\n")?;
/// let people: Vec<Participant> = (0..10u128)
///     .map(|i| Participant::new(ParticipantId::from_u128(i))
///         .with_attribute("sex", if i < 7 { "women" } else { "men" }))
///     .collect();
/// let rep = represent(&people, &pop, &RepresentOptions::default())?;
/// let sex = &rep.attributes[0];
/// assert!((sex.dissimilarity - 0.2).abs() < 1e-12);
/// assert!((sex.chi_square.unwrap().statistic - 1.6).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn represent(
    participants: &[Participant],
    population: &Population,
    options: &RepresentOptions,
) -> Result<Representation, Error> {
    if options.min_cell == 0 {
        return Err(Error::InvalidMinCell);
    }
    if participants.is_empty() {
        return Err(Error::NoParticipants);
    }
    let mut warnings = Vec::new();
    let participant_attrs: BTreeSet<&str> = participants
        .iter()
        .flat_map(|p| p.attributes.keys().map(String::as_str))
        .collect();
    let pop_attrs = population.attributes();
    let shared: Vec<&str> = pop_attrs
        .iter()
        .map(String::as_str)
        .filter(|a| participant_attrs.contains(a))
        .collect();
    if shared.is_empty() {
        return Err(Error::NoSharedAttribute {
            population: pop_attrs.join(", "),
            participants: participant_attrs.into_iter().collect::<Vec<_>>().join(", "),
        });
    }
    for a in &participant_attrs {
        if !pop_attrs.iter().any(|p| p == a) && !a.eq_ignore_ascii_case("id") {
            warnings.push(format!(
                "attribute {a:?} has no population margin and is not compared"
            ));
        }
    }

    let mut attributes = Vec::new();
    for attr in &shared {
        let Some(margin) = population.margin(attr) else {
            continue;
        };
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        let mut missing = 0u64;
        for (i, p) in participants.iter().enumerate() {
            match p.attributes.get(*attr) {
                None => missing += 1,
                Some(v) if margin.contains_key(v) => *counts.entry(v).or_insert(0) += 1,
                Some(v) => {
                    return Err(Error::UnknownValue {
                        location: format!("participant {} ({})", i + 1, p.id),
                        attribute: (*attr).to_owned(),
                        value: v.clone(),
                        expected: join(margin.keys()),
                    });
                }
            }
        }
        if let Some(report) = attribute_report(attr, &margin, &counts, missing, &mut warnings)? {
            attributes.push(report);
        }
        if let (Some(given), Some(joint)) = (
            population.margins.get(*attr),
            joint_margin(population, attr),
        ) {
            if *given != joint.1 {
                warnings.push(format!(
                    "the given margin of {attr:?} differs from its sum over the joint table {:?}",
                    joint.0
                ));
            }
        }
    }

    let mut intersections = Vec::new();
    for (key, cells) in &population.joints {
        let mut parts = key.split(JOINT);
        let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
            continue;
        };
        if !participant_attrs.contains(a) || !participant_attrs.contains(b) {
            continue;
        }
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        let mut missing = 0u64;
        for (i, p) in participants.iter().enumerate() {
            match (p.attributes.get(a), p.attributes.get(b)) {
                (Some(x), Some(y)) => {
                    let v = format!("{x}{JOINT}{y}");
                    if !cells.contains_key(&v) {
                        return Err(Error::UnknownValue {
                            location: format!("participant {} ({})", i + 1, p.id),
                            attribute: key.clone(),
                            value: v,
                            expected: join(cells.keys()),
                        });
                    }
                    *counts.entry(v).or_insert(0) += 1;
                }
                _ => missing += 1,
            }
        }
        let counts: BTreeMap<&str, u64> = counts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        if let Some(report) = attribute_report(key, cells, &counts, missing, &mut warnings)? {
            intersections.push(report);
        }
    }

    let r_indicators = options
        .invitations
        .iter()
        .map(|(attr, groups)| r_indicator(attr, groups))
        .collect::<Result<Vec<_>, _>>()?;

    Ok(Representation {
        participants: participants.len() as u64,
        min_cell: options.min_cell,
        attributes,
        intersections,
        r_indicators,
        warnings,
    })
}

fn joint_margin(population: &Population, attr: &str) -> Option<(String, BTreeMap<String, u64>)> {
    population.joints.iter().find_map(|(key, cells)| {
        let side = key.split(JOINT).position(|a| a == attr)?;
        let mut m = BTreeMap::new();
        for (value, count) in cells {
            *m.entry(value.split(JOINT).nth(side)?.to_owned())
                .or_insert(0) += count;
        }
        Some((key.clone(), m))
    })
}

fn attribute_report(
    attribute: &str,
    margin: &BTreeMap<String, u64>,
    counts: &BTreeMap<&str, u64>,
    missing: u64,
    warnings: &mut Vec<String>,
) -> Result<Option<AttributeReport>, Error> {
    let total: u64 = margin.values().fold(0u64, |s, c| s.saturating_add(*c));
    if total == 0 {
        return Err(Error::EmptyPopulation {
            attribute: attribute.to_owned(),
        });
    }
    let n: u64 = counts.values().sum();
    if n == 0 {
        warnings.push(format!(
            "no participant has a value for {attribute:?}: it is not compared"
        ));
        return Ok(None);
    }
    let (nf, tf) = (n as f64, total as f64);
    let mut cells = Vec::with_capacity(margin.len());
    let (mut abs_sum, mut sq_sum, mut bc) = (0.0, 0.0, 0.0);
    let (mut chi, mut chi_cells, mut chi_defined, mut small_expected) = (0.0, 0u64, true, 0usize);
    let mut kl = Some(0.0);
    for (value, &pop) in margin {
        let count = counts.get(value.as_str()).copied().unwrap_or(0);
        let p = count as f64 / nf;
        let q = pop as f64 / tf;
        let expected = nf * q;
        abs_sum += (p - q).abs();
        sq_sum += (100.0 * (p - q)).powi(2);
        bc += (p * q).sqrt();
        if q > 0.0 {
            chi += (count as f64 - expected).powi(2) / expected;
            chi_cells += 1;
            if expected < 5.0 {
                small_expected += 1;
            }
            if p > 0.0 {
                kl = kl.map(|k| k + p * (p / q).ln());
            }
        } else if count > 0 {
            chi_defined = false;
            kl = None;
        }
        cells.push(CellReport {
            value: value.clone(),
            count,
            share: p,
            population: pop,
            population_share: q,
            expected,
            ratio: (q > 0.0).then(|| p / q),
            gap_pp: 100.0 * (p - q),
        });
    }
    let chi_square = if chi_defined && chi_cells >= 2 {
        let df = chi_cells - 1;
        let p_value = ChiSquared::new(df as f64).map_or(f64::NAN, |d| d.sf(chi));
        Some(ChiSquare {
            statistic: chi,
            df,
            p_value,
        })
    } else {
        if !chi_defined {
            warnings.push(format!(
                "{attribute:?}: a participant sits in a cell of population share 0, so χ² and kl divergence are undefined"
            ));
        }
        None
    };
    if chi_square.is_some() && small_expected > 0 {
        warnings.push(format!(
            "{attribute:?}: {small_expected} of {chi_cells} cells expect fewer than 5 participants, so the χ² p-value is approximate"
        ));
    }
    Ok(Some(AttributeReport {
        attribute: attribute.to_owned(),
        n,
        missing,
        cells,
        dissimilarity: (abs_sum / 2.0).min(1.0),
        gallagher: (sq_sum / 2.0).sqrt(),
        chi_square,
        kl_divergence: kl,
        hellinger: (1.0 - bc).max(0.0).sqrt(),
    }))
}

/// A count as published: exact, suppressed as "fewer than k" (shown `<5`), or withheld (`x`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PublishedCount {
    /// The exact count (0, or at least k).
    Exact(u64),
    /// A count from 1 to k − 1, hidden; the number is k.
    Below(u64),
    /// A count of at least k withheld so that a suppressed count cannot be found by subtraction
    /// (secondary suppression); shown `x`.
    Withheld,
}

impl PublishedCount {
    /// The exact count, when published.
    pub const fn exact(self) -> Option<u64> {
        match self {
            PublishedCount::Exact(n) => Some(n),
            PublishedCount::Below(_) | PublishedCount::Withheld => None,
        }
    }
}

impl std::fmt::Display for PublishedCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PublishedCount::Exact(n) => write!(f, "{n}"),
            PublishedCount::Below(k) => write!(f, "<{k}"),
            PublishedCount::Withheld => f.write_str("x"),
        }
    }
}

impl Serialize for PublishedCount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PublishedCount::Exact(n) => s.serialize_u64(*n),
            PublishedCount::Below(_) | PublishedCount::Withheld => s.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for PublishedCount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(u64),
            S(String),
        }
        match Raw::deserialize(d)? {
            Raw::N(n) => Ok(PublishedCount::Exact(n)),
            Raw::S(s) if s == "x" => Ok(PublishedCount::Withheld),
            Raw::S(s) => s
                .strip_prefix('<')
                .and_then(|k| k.parse().ok())
                .map(PublishedCount::Below)
                .ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "published count {s:?} is invalid: expected a whole number, \"<k\" or \"x\""
                    ))
                }),
        }
    }
}

impl schemars::JsonSchema for PublishedCount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PublishedCount".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "oneOf": [
                { "type": "integer", "minimum": 0 },
                { "type": "string", "pattern": "^(<[0-9]+|x)$" }
            ]
        })
    }
}

/// A cell of a published table: a suppressed cell shows `<k` and leaves out its share, ratio and
/// gap (each of which would reveal the count).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublishedCell {
    /// The value.
    pub value: String,
    /// The count, `<k` or `x`.
    pub count: PublishedCount,
    /// The participants' share; `None` when suppressed.
    pub share: Option<f64>,
    /// The population share.
    pub population_share: f64,
    /// The representation ratio; `None` when suppressed or q = 0.
    pub ratio: Option<f64>,
    /// The gap in percentage points; `None` when suppressed.
    pub gap_pp: Option<f64>,
}

/// A published attribute table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublishedAttribute {
    /// The attribute.
    pub attribute: String,
    /// Participants without a value, `<k` or `x`.
    pub missing: PublishedCount,
    /// The cells.
    pub cells: Vec<PublishedCell>,
    /// As in [`AttributeReport::dissimilarity`].
    pub dissimilarity: f64,
    /// As in [`AttributeReport::gallagher`].
    pub gallagher: f64,
    /// As in [`AttributeReport::chi_square`].
    pub chi_square: Option<ChiSquare>,
    /// As in [`AttributeReport::kl_divergence`].
    pub kl_divergence: Option<f64>,
    /// As in [`AttributeReport::hellinger`].
    pub hellinger: f64,
}

/// A [`Representation`] fit for publication: small cells suppressed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublishedRepresentation {
    /// Participants in all, or `<k`.
    pub participants: PublishedCount,
    /// The threshold k.
    pub min_cell: u64,
    /// One table per attribute.
    pub attributes: Vec<PublishedAttribute>,
    /// One table per two-way intersection.
    pub intersections: Vec<PublishedAttribute>,
    /// One R-indicator per attribute with invitation counts.
    #[serde(default)]
    pub r_indicators: Vec<PublishedRIndicator>,
}

/// A group of a published R-indicator: counts suppressed like cells, and the propensity and
/// partial R-indicator left out when either count is hidden.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublishedPartialR {
    /// The group (attribute value).
    pub value: String,
    /// Invited persons, `<k` or `x`.
    pub invited: PublishedCount,
    /// Persons who responded, `<k` or `x`.
    pub responded: PublishedCount,
    /// As in [`PartialR::propensity`]; `None` when a count is hidden.
    pub propensity: Option<f64>,
    /// As in [`PartialR::partial`]; `None` when a count is hidden.
    pub partial: Option<f64>,
}

/// A published [`RIndicator`]: the indicator itself and the group counts, suppressed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PublishedRIndicator {
    /// The attribute.
    pub attribute: String,
    /// Invited in all.
    pub invited: PublishedCount,
    /// Responded in all.
    pub responded: PublishedCount,
    /// As in [`RIndicator::response_rate`].
    pub response_rate: f64,
    /// As in [`RIndicator::r_indicator`].
    pub r_indicator: f64,
    /// As in [`RIndicator::partial`].
    pub partial: f64,
    /// One entry per group.
    pub groups: Vec<PublishedPartialR>,
}

fn publish_r(r: &RIndicator, k: u64) -> PublishedRIndicator {
    let invited: Vec<u64> = r.groups.iter().map(|g| g.invited).collect();
    let responded: Vec<u64> = r.groups.iter().map(|g| g.responded).collect();
    let (invited, responded) = (suppress_group(&invited, k), suppress_group(&responded, k));
    let groups = r
        .groups
        .iter()
        .zip(invited.iter().zip(&responded))
        .map(|(g, (&i, &n))| {
            let open = i.exact().is_some() && n.exact().is_some();
            PublishedPartialR {
                value: g.value.clone(),
                invited: i,
                responded: n,
                propensity: open.then_some(g.propensity),
                partial: open.then_some(g.partial),
            }
        })
        .collect();
    PublishedRIndicator {
        attribute: r.attribute.clone(),
        invited: suppress(r.invited, k),
        responded: suppress(r.responded, k),
        response_rate: r.response_rate,
        r_indicator: r.r_indicator,
        partial: r.partial,
        groups,
    }
}

impl Representation {
    /// The tables fit for publication, with cells of 1 to k − 1 persons suppressed (k =
    /// [`Representation::min_cell`]).
    ///
    /// Primary suppression hides every count from 1 to k − 1 as `<k`, with the share, ratio and
    /// gap that would reveal it. A zero cell names nobody and is shown. The cells of a table and
    /// its missing count sum to the published number of participants, so when exactly one of
    /// them is suppressed, the smallest other non-zero count is withheld too, shown `x`
    /// (secondary suppression), so that no hidden count can be found by subtraction. R-indicator
    /// groups are treated the same way, invited and responded counts each as a table (their
    /// non-response counts are not protected separately). The summary indexes are published as
    /// they are; tables that are linked (margins and their intersections) are not protected
    /// against each other.
    ///
    /// Complexity: O(C log C) for C cells.
    pub fn publish(&self) -> PublishedRepresentation {
        let k = self.min_cell.max(1);
        let table = |a: &AttributeReport| publish_attribute(a, k);
        PublishedRepresentation {
            participants: suppress(self.participants, k),
            min_cell: k,
            attributes: self.attributes.iter().map(table).collect(),
            intersections: self.intersections.iter().map(table).collect(),
            r_indicators: self.r_indicators.iter().map(|r| publish_r(r, k)).collect(),
        }
    }
}

fn suppress(n: u64, k: u64) -> PublishedCount {
    if n > 0 && n < k {
        PublishedCount::Below(k)
    } else {
        PublishedCount::Exact(n)
    }
}

/// Suppresses a group of counts whose sum is published: counts from 1 to k − 1 become `<k`, and
/// when exactly one is suppressed the smallest other non-zero count is withheld (`x`).
fn suppress_group(counts: &[u64], k: u64) -> Vec<PublishedCount> {
    let mut shown: Vec<PublishedCount> = counts.iter().map(|&n| suppress(n, k)).collect();
    let primary = shown.iter().filter(|s| s.exact().is_none()).count();
    if primary == 1 {
        let next = (0..counts.len())
            .filter(|&i| shown[i].exact().is_some() && counts[i] > 0)
            .min_by_key(|&i| (counts[i], i));
        if let Some(i) = next {
            shown[i] = PublishedCount::Withheld;
        }
    }
    shown
}

fn publish_attribute(a: &AttributeReport, k: u64) -> PublishedAttribute {
    // Slot i < cells.len() is a cell; the last slot is the missing count.
    let mut counts: Vec<u64> = a.cells.iter().map(|c| c.count).collect();
    counts.push(a.missing);
    let slots = suppress_group(&counts, k);
    let hidden: Vec<bool> = slots.iter().map(|s| s.exact().is_none()).collect();
    let shown = |i: usize| slots[i];
    let cells = a
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| PublishedCell {
            value: c.value.clone(),
            count: shown(i),
            share: (!hidden[i]).then_some(c.share),
            population_share: c.population_share,
            ratio: if hidden[i] { None } else { c.ratio },
            gap_pp: (!hidden[i]).then_some(c.gap_pp),
        })
        .collect();
    PublishedAttribute {
        attribute: a.attribute.clone(),
        missing: shown(a.cells.len()),
        cells,
        dissimilarity: a.dissimilarity,
        gallagher: a.gallagher,
        chi_square: a.chi_square,
        kl_divergence: a.kl_divergence,
        hellinger: a.hellinger,
    }
}
