//! Reading COINr's iData/iMeta CSV layout (from text) into a [`Coin`]: units, groups,
//! denominators, indicator values and the indicator/aggregate tree.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{AggregationPlan, Error, PlanNode, ReadAt};

/// A CSV text with the name it is reported under in errors (usually the file name).
#[derive(Debug, Clone, Copy)]
pub struct CsvText<'a> {
    /// The name used in error messages.
    pub name: &'a str,
    /// The CSV contents (comma separated, header row first).
    pub text: &'a str,
}

/// A CSV file's bytes with the name it is reported under in errors; for callers that read a
/// file as bytes (no separate UTF-8 check of the whole file: [`Coin::from_csv_bytes`] checks
/// each cell it keeps).
#[derive(Debug, Clone, Copy)]
pub struct CsvBytes<'a> {
    /// The name used in error messages.
    pub name: &'a str,
    /// The CSV contents (UTF-8, comma separated, header row first).
    pub bytes: &'a [u8],
}

/// One group column of iData (e.g. `EurAsia_group`): each unit's label, stored as an index into
/// the column's distinct labels. The empty label means "no group".
///
/// ```
/// use kompas_goals::{Coin, CsvText};
///
/// let meta = "iCode,Level,Direction,Weight,Parent,Type\n\
///             a,1,1,1,Index,Indicator\nIndex,2,1,1,,Aggregate\nG,,,,,Group\n";
/// let data = "uCode,G,a\nX,north,1\nY,south,2\nZ,north,3\n";
/// let coin = Coin::from_csv(
///     CsvText { name: "iData.csv", text: data },
///     CsvText { name: "iMeta.csv", text: meta },
/// )?;
/// let g = &coin.groups()["G"];
/// assert_eq!(g.labels(), ["north", "south"]);
/// assert_eq!(g.label(2), Some("north"));
/// assert_eq!(g.iter().collect::<Vec<_>>(), ["north", "south", "north"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupColumn {
    labels: Vec<String>,
    ids: Vec<u32>,
}

impl GroupColumn {
    /// The distinct labels, in order of first appearance.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Each unit's index into [`GroupColumn::labels`].
    pub fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// The label of unit number `unit` (`None` when out of range).
    pub fn label(&self, unit: usize) -> Option<&str> {
        let id = *self.ids.get(unit)?;
        self.labels.get(id as usize).map(String::as_str)
    }

    /// Each unit's label, in unit order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(|&i| self.labels[i as usize].as_str())
    }

    /// The number of units.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the column has no units.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// An empty column with room for `units` units.
    pub(crate) fn with_capacity(units: usize) -> GroupColumn {
        GroupColumn {
            labels: Vec::new(),
            ids: Vec::with_capacity(units),
        }
    }

    /// Adds a label (not already present) and returns its index.
    pub(crate) fn push_label(&mut self, label: &str) -> u32 {
        self.labels.push(label.to_string());
        (self.labels.len() - 1) as u32
    }

    /// Appends units by label index.
    pub(crate) fn extend_ids(&mut self, ids: impl Iterator<Item = u32>) {
        self.ids.extend(ids);
    }

    /// Builds a column from each unit's label. O(U log L) for U units and L labels.
    pub(crate) fn from_labels<'a>(labels: impl Iterator<Item = &'a str>) -> GroupColumn {
        let mut col = GroupColumn::default();
        let mut index: BTreeMap<&str, u32> = BTreeMap::new();
        let mut ids = Vec::new();
        for l in labels {
            let id = match index.get(l) {
                Some(&id) => id,
                None => {
                    let id = col.push_label(l);
                    index.insert(l, id);
                    id
                }
            };
            ids.push(id);
        }
        col.ids = ids;
        col
    }
}

/// Whether higher values of an indicator are better (`Positive`, +1) or worse (`Negative`, -1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher is better (+1).
    Positive,
    /// Lower is better (-1).
    Negative,
}

impl Direction {
    /// +1.0 or -1.0.
    pub fn sign(self) -> f64 {
        match self {
            Direction::Positive => 1.0,
            Direction::Negative => -1.0,
        }
    }
}

/// An indicator row of iMeta (`Type` = `Indicator`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IndicatorMeta {
    /// `iCode`.
    pub code: String,
    /// `iName` (empty when absent).
    pub name: String,
    /// `Level` (1 for indicators in COINr).
    pub level: u32,
    /// `Direction`.
    pub direction: Direction,
    /// `Weight`, relative within the parent.
    pub weight: f64,
    /// `Target`, used by distance-to-target normalisation.
    pub target: Option<f64>,
    /// `Denominator`: the code of a denominator column to divide by.
    pub denominator: Option<String>,
    /// `Parent`: the aggregate this indicator belongs to.
    pub parent: String,
    /// `goalpost_lower` and `goalpost_upper`, used by goalpost normalisation.
    pub goalposts: Option<(f64, f64)>,
}

/// An aggregate row of iMeta (`Type` = `Aggregate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AggregateMeta {
    /// `iCode`.
    pub code: String,
    /// `iName` (empty when absent).
    pub name: String,
    /// `Level` (2 and up in COINr).
    pub level: u32,
    /// `Weight`, relative within the parent.
    pub weight: f64,
    /// `Parent`; `None` for a root.
    pub parent: Option<String>,
}

/// A composite-indicator data set in COINr's layout: units (rows of iData), their group labels,
/// denominators and indicator values, and the tree of indicators and aggregates from iMeta.
///
/// ```
/// use kompas_goals::{Coin, CsvText};
///
/// let meta = "iCode,Level,Direction,Weight,Parent,Type\n\
///             a,1,1,1,Index,Indicator\nb,1,-1,1,Index,Indicator\nIndex,2,1,1,,Aggregate\n";
/// let data = "uCode,a,b\nX,1,2\nY,3,\n";
/// let coin = Coin::from_csv(
///     CsvText { name: "iData.csv", text: data },
///     CsvText { name: "iMeta.csv", text: meta },
/// )?;
/// assert_eq!(coin.units(), ["X", "Y"]);
/// assert_eq!(coin.value("b", 1), None); // empty cell = missing
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Coin {
    pub(crate) units: Vec<String>,
    pub(crate) unit_names: Vec<String>,
    pub(crate) groups: BTreeMap<String, GroupColumn>,
    pub(crate) denominators: BTreeMap<String, Vec<f64>>,
    pub(crate) indicators: Vec<IndicatorMeta>,
    pub(crate) aggregates: Vec<AggregateMeta>,
    /// Indicator-major: `values[i * units + u]`, NaN = missing.
    pub(crate) values: Vec<f64>,
}

fn cell_err(file: &str, row: u64, column: &str, value: &str, expected: &str) -> Error {
    Error::Csv {
        file: file.to_string(),
        row,
        column: column.to_string(),
        value: value.to_string(),
        expected: expected.to_string(),
    }
}

/// A table: the header and the rows with their line numbers.
type Table = (Vec<String>, Vec<(u64, Vec<String>)>);

/// Reads all records (header first) with their line numbers, checking the field count.
fn read_table(src: CsvText<'_>) -> Result<Table, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(src.text.as_bytes());
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    for rec in reader.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line());
                if r.len() == 1 && r.get(0).is_some_and(|f| f.trim().is_empty()) {
                    continue; // blank line
                }
                rows.push((line, r.iter().map(|f| f.trim().to_string()).collect()));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(cell_err(src.name, line, "-", "", "well-formed csv"));
            }
        }
    }
    if rows.is_empty() {
        return Err(cell_err(
            src.name,
            0,
            "-",
            "",
            "a header row (the file is empty)",
        ));
    }
    let (_, header) = rows.remove(0);
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    for h in &header {
        if seen.insert(h.as_str(), ()).is_some() {
            return Err(cell_err(src.name, 1, h, h, "a column name used once"));
        }
    }
    for (line, r) in &rows {
        if r.len() != header.len() {
            return Err(cell_err(
                src.name,
                *line,
                "-",
                &format!("{} fields", r.len()),
                &format!("{} fields as in the header", header.len()),
            ));
        }
    }
    Ok((header, rows))
}

/// [`Error::Read`] for the file `name`.
fn read_error(name: &str, e: &std::io::Error) -> Error {
    Error::Read {
        file: name.to_string(),
        message: e.to_string(),
    }
}

fn parse_number(file: &str, row: u64, column: &str, v: &str) -> Result<Option<f64>, Error> {
    if v.is_empty() || v == "NA" {
        return Ok(None);
    }
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some(x)),
        _ => Err(cell_err(
            file,
            row,
            column,
            v,
            "a finite number or an empty cell",
        )),
    }
}

impl Coin {
    /// Reads iData and iMeta.
    ///
    /// iMeta needs the columns `iCode` and `Type` (Indicator, Aggregate, Group, Denominator;
    /// rows of other types are ignored), and for indicator and aggregate rows `Level`, `Weight`
    /// and `Parent`, and for indicators `Direction` (+1 or -1). Optional: `iName`, `Target`,
    /// `Denominator`, `goalpost_lower`, `goalpost_upper`. iData needs `uCode`, one column per
    /// indicator, group and denominator in iMeta, and may have `uName` and `Time` (ignored).
    /// An empty cell or `NA` is a missing value.
    ///
    /// # Errors
    /// [`Error::Csv`] naming the file, row, column and value for: an empty file, a row with the
    /// wrong number of fields, a non-numeric cell, a duplicate code or column, a direction other
    /// than +1/-1, a negative weight, an unknown parent or denominator, a cycle among aggregates,
    /// a missing column, and iMeta without an aggregate.
    ///
    /// # Complexity
    /// O(B + R C log C) for B bytes, R rows and C columns. Plain files (no quotes or blank
    /// lines, the cells well formed) take a fast path: one pass over the bytes, in parallel
    /// chunks with the `parallel` feature, numbers parsed in place; any other file goes through
    /// the general CSV reader, which gives the same result or the error.
    pub fn from_csv(idata: CsvText<'_>, imeta: CsvText<'_>) -> Result<Coin, Error> {
        Coin::from_csv_bytes(
            CsvBytes {
                name: idata.name,
                bytes: idata.text.as_bytes(),
            },
            imeta,
        )
    }

    /// [`Coin::from_csv`] on iData given as bytes (e.g. a file read with `std::fs::read`).
    ///
    /// ```
    /// use kompas_goals::{Coin, CsvBytes, CsvText};
    ///
    /// let meta = "iCode,Level,Direction,Weight,Parent,Type\n\
    ///             a,1,1,1,Index,Indicator\nIndex,2,1,1,,Aggregate\n";
    /// let data = b"uCode,a\nX,1.5\nY,NA\n";
    /// let coin = Coin::from_csv_bytes(
    ///     CsvBytes { name: "iData.csv", bytes: data },
    ///     CsvText { name: "iMeta.csv", text: meta },
    /// )?;
    /// assert_eq!(coin.value("a", 0), Some(1.5));
    /// assert_eq!(coin.value("a", 1), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// Those of [`Coin::from_csv`], and [`Error::Csv`] naming the row when the bytes are not
    /// valid UTF-8.
    pub fn from_csv_bytes(idata: CsvBytes<'_>, imeta: CsvText<'_>) -> Result<Coin, Error> {
        let meta = read_meta(imeta)?;
        match Coin::read_fast(idata.bytes, idata.name, meta)? {
            Ok(coin) => Ok(coin),
            Err(meta) => Coin::from_general(idata, imeta.name, meta),
        }
    }

    /// [`Coin::from_csv`] on iData read in pieces through [`ReadAt`] (e.g. a file with
    /// positioned reads): on all cores with the `parallel` feature, a few hundred kilobytes at
    /// a time, so that a large file is never whole in memory. Files the fast path does not
    /// take (see [`Coin::from_csv`]) are read whole and go through the general reader.
    ///
    /// ```
    /// use kompas_goals::{Coin, CsvText};
    ///
    /// // Bytes in memory stand in for a file here (`ReadAt` is implemented for `[u8]`).
    /// let meta = "iCode,Level,Direction,Weight,Parent,Type\n\
    ///             a,1,1,1,Index,Indicator\nIndex,2,1,1,,Aggregate\n";
    /// let data = b"uCode,a\nX,1.5\nY,NA\n";
    /// let coin = Coin::from_csv_pieces(&data[..], "iData.csv", CsvText { name: "iMeta.csv", text: meta })?;
    /// assert_eq!(coin.value("a", 0), Some(1.5));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// Those of [`Coin::from_csv_bytes`], and [`Error::Read`] naming `name` when a read fails.
    pub fn from_csv_pieces<R: ReadAt + ?Sized>(
        idata: &R,
        name: &str,
        imeta: CsvText<'_>,
    ) -> Result<Coin, Error> {
        let read_err = |e| read_error(name, &e);
        let meta = read_meta(imeta)?;
        let src = super::fastcsv::Pieces::new(idata).map_err(read_err)?;
        let meta = match Coin::read_fast(&src, name, meta)? {
            Ok(coin) => return Ok(coin),
            Err(meta) => meta,
        };
        let mut bytes = vec![0; src.len];
        idata.read_exact_at(&mut bytes, 0).map_err(read_err)?;
        Coin::from_general(
            CsvBytes {
                name,
                bytes: &bytes,
            },
            imeta.name,
            meta,
        )
    }

    /// The fast path (see `fastcsv`): `Ok(Err(meta))` hands the metadata back when the file
    /// needs the general reader.
    fn read_fast<S: super::fastcsv::Source + ?Sized>(
        src: &S,
        name: &str,
        meta: Meta,
    ) -> Result<Result<Coin, Meta>, Error> {
        let fast = {
            let (indicators, aggregates, groups_meta, denoms_meta) = &meta;
            let numeric: Vec<&str> = indicators
                .iter()
                .map(|i| i.code.as_str())
                .chain(denoms_meta.iter().map(String::as_str))
                .collect();
            let group_codes: Vec<&str> = groups_meta.iter().map(String::as_str).collect();
            super::fastcsv::read(src, &numeric, &group_codes, aggregates.len())
                .map_err(|e| read_error(name, &e))?
        };
        let Some(fast) = fast else {
            return Ok(Err(meta));
        };
        let (indicators, aggregates, groups_meta, denoms_meta) = meta;
        let n = fast.units.len();
        let mut values = fast.numbers;
        let mut denominators = BTreeMap::new();
        for (k, d) in denoms_meta.iter().enumerate() {
            let start = (indicators.len() + k) * n;
            denominators.insert(d.clone(), values[start..start + n].to_vec());
        }
        values.truncate(indicators.len() * n);
        Ok(Ok(Coin {
            units: fast.units,
            unit_names: fast.unit_names,
            groups: groups_meta.into_iter().zip(fast.groups).collect(),
            denominators,
            indicators,
            aggregates,
            values,
        }))
    }

    /// The general reader (the `csv` crate): any file, and the errors.
    fn from_general(idata: CsvBytes<'_>, meta_name: &str, meta: Meta) -> Result<Coin, Error> {
        let (indicators, aggregates, groups_meta, denoms_meta) = meta;
        let text = std::str::from_utf8(idata.bytes).map_err(|e| {
            let ok = &idata.bytes[..e.valid_up_to()];
            let row = ok.iter().filter(|&&c| c == b'\n').count() as u64 + 1;
            cell_err(idata.name, row, "-", "", "valid UTF-8 text")
        })?;
        let idata = CsvText {
            name: idata.name,
            text,
        };
        let (header, rows) = read_table(idata)?;
        let f = idata.name;
        let col = |name: &str| header.iter().position(|h| h == name);
        let ucode = col("uCode")
            .ok_or_else(|| cell_err(f, 1, "uCode", "", "a column named uCode (unit codes)"))?;
        let uname = col("uName");
        // Every column must be known.
        for h in &header {
            let known = matches!(h.as_str(), "uCode" | "uName" | "Time")
                || indicators.iter().any(|i| &i.code == h)
                || groups_meta.contains(h)
                || denoms_meta.contains(h);
            if !known {
                return Err(cell_err(
                    f,
                    1,
                    h,
                    h,
                    &format!("uCode, uName, Time or a code listed in {}", meta_name),
                ));
            }
        }
        let need = |code: &str| -> Result<usize, Error> {
            col(code).ok_or_else(|| {
                cell_err(
                    f,
                    1,
                    code,
                    "",
                    &format!("a column for {code}, listed in {}", meta_name),
                )
            })
        };
        if rows.is_empty() {
            return Err(cell_err(
                f,
                2,
                "-",
                "",
                "at least one unit row after the header",
            ));
        }
        let n = rows.len();
        let mut units = Vec::with_capacity(n);
        let mut unit_names = Vec::with_capacity(n);
        let mut seen: BTreeMap<String, u64> = BTreeMap::new();
        for (line, r) in &rows {
            let code = &r[ucode];
            if code.is_empty() {
                return Err(cell_err(f, *line, "uCode", code, "a non-empty unit code"));
            }
            if let Some(first) = seen.insert(code.clone(), *line) {
                return Err(cell_err(
                    f,
                    *line,
                    "uCode",
                    code,
                    &format!("a unit code not used before (it is on row {first})"),
                ));
            }
            units.push(code.clone());
            unit_names.push(uname.map(|k| r[k].clone()).unwrap_or_default());
        }
        let numeric = |code: &str| -> Result<Vec<f64>, Error> {
            let k = need(code)?;
            rows.iter()
                .map(|(line, r)| Ok(parse_number(f, *line, code, &r[k])?.unwrap_or(f64::NAN)))
                .collect()
        };
        let mut values = Vec::with_capacity(indicators.len() * n);
        for ind in &indicators {
            values.extend(numeric(&ind.code)?);
        }
        let mut denominators = BTreeMap::new();
        for d in &denoms_meta {
            denominators.insert(d.clone(), numeric(d)?);
        }
        let mut groups = BTreeMap::new();
        for g in &groups_meta {
            let k = need(g)?;
            groups.insert(
                g.clone(),
                GroupColumn::from_labels(rows.iter().map(|(_, r)| r[k].as_str())),
            );
        }
        Ok(Coin {
            units,
            unit_names,
            groups,
            denominators,
            indicators,
            aggregates,
            values,
        })
    }

    /// The unit codes (`uCode`), in file order.
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// The unit names (`uName`; empty when absent), in file order.
    pub fn unit_names(&self) -> &[String] {
        &self.unit_names
    }

    /// The indicators, in iMeta order.
    pub fn indicators(&self) -> &[IndicatorMeta] {
        &self.indicators
    }

    /// The aggregates, in iMeta order.
    pub fn aggregates(&self) -> &[AggregateMeta] {
        &self.aggregates
    }

    /// The group columns and each unit's label (empty = none).
    pub fn groups(&self) -> &BTreeMap<String, GroupColumn> {
        &self.groups
    }

    /// The raw value of `indicator` for unit number `unit`; `None` when missing or unknown.
    pub fn value(&self, indicator: &str, unit: usize) -> Option<f64> {
        let i = self.indicators.iter().position(|m| m.code == indicator)?;
        if unit >= self.units.len() {
            return None;
        }
        let v = self.values[i * self.units.len() + unit];
        (!v.is_nan()).then_some(v)
    }

    /// The top aggregate: the root with the highest level (the first in iMeta order on a tie).
    pub fn top(&self) -> &AggregateMeta {
        // read_meta guarantees at least one aggregate, and that roots exist when there is no
        // cycle; fall back to the first aggregate to stay total.
        self.aggregates
            .iter()
            .filter(|a| a.parent.is_none())
            .fold(None::<&AggregateMeta>, |best, a| match best {
                Some(b) if b.level >= a.level => Some(b),
                _ => Some(a),
            })
            .unwrap_or(&self.aggregates[0])
    }

    /// The aggregation plan of the tree in iMeta: one node per aggregate, its children the
    /// indicators and aggregates naming it as `Parent`, with their weights.
    ///
    /// # Errors
    /// Those of [`AggregationPlan::new`] (none for a coin read by [`Coin::from_csv`]).
    pub fn plan(&self) -> Result<AggregationPlan, Error> {
        let mut nodes: Vec<PlanNode> = self
            .aggregates
            .iter()
            .map(|a| PlanNode {
                code: a.code.clone(),
                children: Vec::new(),
            })
            .collect();
        let index: BTreeMap<&str, usize> = self
            .aggregates
            .iter()
            .enumerate()
            .map(|(i, a)| (a.code.as_str(), i))
            .collect();
        for ind in &self.indicators {
            if let Some(&p) = index.get(ind.parent.as_str()) {
                nodes[p].children.push((ind.code.clone(), ind.weight));
            }
        }
        for a in &self.aggregates {
            if let Some(p) = a.parent.as_deref().and_then(|p| index.get(p)) {
                nodes[*p].children.push((a.code.clone(), a.weight));
            }
        }
        AggregationPlan::new(nodes)
    }
}

type Meta = (
    Vec<IndicatorMeta>,
    Vec<AggregateMeta>,
    Vec<String>,
    Vec<String>,
);

fn read_meta(src: CsvText<'_>) -> Result<Meta, Error> {
    let f = src.name;
    let (header, rows) = read_table(src)?;
    let col = |name: &str| header.iter().position(|h| h == name);
    let req = |name: &str| -> Result<usize, Error> {
        col(name).ok_or_else(|| cell_err(f, 1, name, "", &format!("a column named {name}")))
    };
    let code_k = req("iCode")?;
    let type_k = req("Type")?;
    let (name_k, target_k, denom_k) = (col("iName"), col("Target"), col("Denominator"));
    let (gl_k, gu_k) = (col("goalpost_lower"), col("goalpost_upper"));
    // First pass: codes and types.
    let mut kinds: BTreeMap<String, (String, u64)> = BTreeMap::new();
    for (line, r) in &rows {
        let code = &r[code_k];
        let kind = &r[type_k];
        if !matches!(
            kind.as_str(),
            "Indicator" | "Aggregate" | "Group" | "Denominator" | "Other"
        ) {
            return Err(cell_err(
                f,
                *line,
                "Type",
                kind,
                "Indicator, Aggregate, Group, Denominator or Other",
            ));
        }
        if code.is_empty() {
            return Err(cell_err(f, *line, "iCode", code, "a non-empty code"));
        }
        if let Some((_, first)) = kinds.insert(code.clone(), (kind.clone(), *line)) {
            return Err(cell_err(
                f,
                *line,
                "iCode",
                code,
                &format!("a code not used before (it is on row {first})"),
            ));
        }
    }
    let kind_of = |code: &str| kinds.get(code).map(|(k, _)| k.as_str());
    let mut indicators = Vec::new();
    let mut aggregates = Vec::new();
    let mut groups = Vec::new();
    let mut denoms = Vec::new();
    for (line, r) in &rows {
        let line = *line;
        let code = r[code_k].clone();
        let name = name_k.map(|k| r[k].clone()).unwrap_or_default();
        match r[type_k].as_str() {
            "Group" => groups.push(code),
            "Denominator" => denoms.push(code),
            "Indicator" | "Aggregate" => {
                let is_ind = r[type_k] == "Indicator";
                let level_k = req("Level")?;
                let level = r[level_k]
                    .parse::<u32>()
                    .ok()
                    .filter(|l| *l >= 1)
                    .ok_or_else(|| cell_err(f, line, "Level", &r[level_k], "an integer >= 1"))?;
                let weight_k = req("Weight")?;
                let weight = match parse_number(f, line, "Weight", &r[weight_k])? {
                    Some(w) if w >= 0.0 => w,
                    _ => {
                        return Err(cell_err(
                            f,
                            line,
                            "Weight",
                            &r[weight_k],
                            "a finite weight >= 0",
                        ));
                    }
                };
                let parent_k = req("Parent")?;
                let parent = r[parent_k].clone();
                if !parent.is_empty() && kind_of(&parent) != Some("Aggregate") {
                    return Err(cell_err(
                        f,
                        line,
                        "Parent",
                        &parent,
                        "the iCode of an Aggregate row",
                    ));
                }
                if is_ind {
                    if parent.is_empty() {
                        return Err(cell_err(
                            f,
                            line,
                            "Parent",
                            "",
                            "the iCode of an Aggregate row (an indicator needs a parent)",
                        ));
                    }
                    let dir_k = req("Direction")?;
                    let direction = match parse_number(f, line, "Direction", &r[dir_k]) {
                        Ok(Some(1.0)) => Direction::Positive,
                        Ok(Some(-1.0)) => Direction::Negative,
                        _ => {
                            return Err(cell_err(f, line, "Direction", &r[dir_k], "1 or -1"));
                        }
                    };
                    let target = match target_k {
                        Some(k) => parse_number(f, line, "Target", &r[k])?,
                        None => None,
                    };
                    let denominator = match denom_k.map(|k| r[k].as_str()) {
                        None | Some("") => None,
                        Some(d) if kind_of(d) == Some("Denominator") => Some(d.to_string()),
                        Some(d) => {
                            return Err(cell_err(
                                f,
                                line,
                                "Denominator",
                                d,
                                "the iCode of a Denominator row",
                            ));
                        }
                    };
                    let gl = match gl_k {
                        Some(k) => parse_number(f, line, "goalpost_lower", &r[k])?,
                        None => None,
                    };
                    let gu = match gu_k {
                        Some(k) => parse_number(f, line, "goalpost_upper", &r[k])?,
                        None => None,
                    };
                    let goalposts = match (gl, gu) {
                        (Some(l), Some(u)) if l < u => Some((l, u)),
                        (None, None) => None,
                        _ => {
                            return Err(cell_err(
                                f,
                                line,
                                "goalpost_upper",
                                &gu.map(|u| u.to_string()).unwrap_or_default(),
                                "both goalposts, the upper above the lower",
                            ));
                        }
                    };
                    indicators.push(IndicatorMeta {
                        code,
                        name,
                        level,
                        direction,
                        weight,
                        target,
                        denominator,
                        parent,
                        goalposts,
                    });
                } else {
                    aggregates.push(AggregateMeta {
                        code,
                        name,
                        level,
                        weight,
                        parent: (!parent.is_empty()).then_some(parent),
                    });
                }
            }
            _ => {}
        }
    }
    if aggregates.is_empty() {
        return Err(cell_err(f, 0, "Type", "", "at least one Aggregate row"));
    }
    // Cycles among aggregates: follow each parent chain; a chain longer than the number of
    // aggregates has a cycle.
    let parent_of: BTreeMap<&str, &str> = aggregates
        .iter()
        .filter_map(|a| a.parent.as_deref().map(|p| (a.code.as_str(), p)))
        .collect();
    for a in &aggregates {
        let mut cur = a.code.as_str();
        let mut steps = 0usize;
        while let Some(&p) = parent_of.get(cur) {
            steps += 1;
            if steps > aggregates.len() {
                let line = kinds.get(a.code.as_str()).map_or(0, |(_, l)| *l);
                return Err(cell_err(
                    f,
                    line,
                    "Parent",
                    a.parent.as_deref().unwrap_or(""),
                    &format!("a parent that is not a descendant of {}", a.code),
                ));
            }
            cur = p;
        }
    }
    Ok((indicators, aggregates, groups, denoms))
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str = "iCode,Level,Direction,Weight,Parent,Type,Denominator\n\
        a,1,1,1,P,Indicator,\n\
        b,1,-1,2,P,Indicator,D\n\
        P,2,1,1,,Aggregate,\n\
        G,,,,,Group,\n\
        D,,,,,Denominator,\n";
    const DATA: &str = "uCode,G,D,a,b\nX,g1,2,1,4\nY,g2,4,3,\n";

    #[track_caller]
    fn check_err(data: &str, meta: &str, expect: &str) {
        let err = Coin::from_csv(
            CsvText {
                name: "d.csv",
                text: data,
            },
            CsvText {
                name: "m.csv",
                text: meta,
            },
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(expect), "{msg:?} does not contain {expect:?}");
    }

    #[test]
    fn reads_values_groups_and_plan() {
        let coin = Coin::from_csv(
            CsvText {
                name: "d.csv",
                text: DATA,
            },
            CsvText {
                name: "m.csv",
                text: META,
            },
        )
        .unwrap();
        assert_eq!(coin.value("b", 0), Some(4.0));
        assert_eq!(coin.value("b", 1), None);
        assert_eq!(coin.groups()["G"].iter().collect::<Vec<_>>(), ["g1", "g2"]);
        assert_eq!(coin.indicators()[1].denominator.as_deref(), Some("D"));
        assert_eq!(coin.indicators()[1].direction, Direction::Negative);
        let plan = coin.plan().unwrap();
        assert_eq!(plan.children(0), [("a", 1.0), ("b", 2.0)]);
        assert_eq!(coin.top().code, "P");
    }

    #[test]
    fn bad_inputs_name_file_row_column_value() {
        check_err("", META, "d.csv, row 0, column -");
        check_err(DATA, "", "m.csv, row 0");
        check_err(
            "uCode,G,D,a,b\nX,g1,2,x1,4\n",
            META,
            "d.csv, row 2, column a: found \"x1\"",
        );
        check_err(
            "uCode,G,D,a,b\nX,g1,2,1,4\nX,g1,2,1,4\n",
            META,
            "row 3, column uCode",
        );
        check_err(
            DATA,
            &META.replace("b,1,-1", "b,1,2"),
            "m.csv, row 3, column Direction",
        );
        check_err(
            DATA,
            &META.replace("b,1,-1,2", "b,1,-1,-2"),
            "row 3, column Weight",
        );
        check_err(
            DATA,
            &META.replace("a,1,1,1,P", "a,1,1,1,Q"),
            "row 2, column Parent: found \"Q\"",
        );
        check_err(
            DATA,
            &META.replace("b,1,-1", "a,1,-1"),
            "row 3, column iCode: found \"a\"",
        );
        check_err(
            DATA,
            &META.replace("D,,,,,Denominator", "D,,,,,Other"),
            "column Denominator",
        );
        check_err("uCode,G,D,a\nX,g1,2,1\n", META, "column b");
        check_err(
            "uCode,G,D,a,b\nX,g1,2,1\n",
            META,
            "row 2, column -: found \"4 fields\"",
        );
        let cyc = "iCode,Level,Direction,Weight,Parent,Type\n\
            a,1,1,1,P,Indicator\nP,2,1,1,Q,Aggregate\nQ,3,1,1,P,Aggregate\nR,4,1,1,,Aggregate\n";
        check_err("uCode,a\nX,1\n", cyc, "column Parent");
    }
}
