//! Panel instances: quotas and pool, read from the replication and Sortition Foundation CSV formats.

use std::collections::BTreeMap;

use super::Error;

/// The lower and upper quota for one value of one category, with how far each may be relaxed.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct ValueQuota {
    /// The value, as written in the pool file (for example `female`).
    pub value: String,
    /// At least this many panel members have the value.
    pub min: usize,
    /// At most this many panel members have the value.
    pub max: usize,
    /// The lowest `min` a relaxation may suggest (Sortition Foundation `min_flex`; default 0).
    pub min_flex: usize,
    /// The highest `max` a relaxation may suggest (`max_flex`; default: no limit).
    pub max_flex: Option<usize>,
}

/// One stratification category (for example `gender`) with the quotas of its values.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Category {
    /// The category name, which is also the pool file's column.
    pub name: String,
    /// Its values in the order of the quota file.
    pub values: Vec<ValueQuota>,
}

/// Which text format a quota file uses.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[non_exhaustive]
pub enum QuotaFormat {
    /// Flanigan et al. replication data: `category,feature,min,max`.
    Replication,
    /// Sortition Foundation: `feature,value,min,max[,min_flex,max_flex]`.
    SortitionFoundation,
}

/// How to read a pool: which column holds the id and which columns form a household address.
///
/// ```
/// use kompas_cocreation::panel::ParseOptions;
/// let options = ParseOptions::default().id_column("id").household(["street", "zip"]);
/// assert_eq!(options.as_id_column(), Some("id"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseOptions {
    id_column: Option<String>,
    household: Vec<String>,
}

impl ParseOptions {
    /// Reads ids from this column. Without it, the replication format numbers the rows from 1
    /// and the Sortition Foundation format uses the pool file's first column.
    pub fn id_column(mut self, column: impl Into<String>) -> Self {
        self.id_column = Some(column.into());
        self
    }

    /// At most one person per household, where a household is the people who share the values
    /// of all these columns (empty address cells never match).
    pub fn household<I, S>(mut self, columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.household = columns.into_iter().map(Into::into).collect();
        self
    }

    /// The id column, if one was set.
    pub fn as_id_column(&self) -> Option<&str> {
        self.id_column.as_deref()
    }
}

/// A panel-selection instance: the quota categories and the pool of volunteers.
///
/// People are numbered `0..len()` in pool-file order; every result speaks these indices and
/// [`Instance::id`] turns one into its id.
///
/// ```
/// use kompas_cocreation::panel::{Instance, ParseOptions};
/// let quotas = "category,feature,min,max\ngender,f,1,1\ngender,m,1,1\n";
/// let pool = "gender\nf\nm\nm\n";
/// let instance = Instance::parse(quotas, pool, &ParseOptions::default())?;
/// assert_eq!(instance.len(), 3);
/// assert_eq!(instance.id(2), Some("3"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    format: QuotaFormat,
    categories: Vec<Category>,
    ids: Vec<String>,
    /// Person-major: for each person, the index of their value within each category.
    values: Vec<Vec<usize>>,
    /// For each person, the index of their household among the households with more than one
    /// member, if any.
    households: Vec<Option<usize>>,
}

const QUOTAS: &str = "quotas";
const POOL: &str = "pool";

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes())
}

fn csv_error(file: &'static str, err: &csv::Error) -> Error {
    let line = err.position().map_or(0, csv::Position::line);
    Error::Csv {
        file,
        line,
        message: err.to_string().to_lowercase(),
    }
}

fn column(headers: &csv::StringRecord, name: &str) -> Option<usize> {
    headers.iter().position(|h| h == name)
}

fn require(
    file: &'static str,
    headers: &csv::StringRecord,
    name: &str,
    expected: &str,
) -> Result<usize, Error> {
    column(headers, name).ok_or_else(|| Error::MissingColumn {
        file,
        column: name.to_owned(),
        expected: expected.to_owned(),
    })
}

fn count(file: &'static str, line: u64, column: &str, text: &str) -> Result<usize, Error> {
    text.parse::<usize>().map_err(|_| Error::BadValue {
        file,
        line,
        column: column.to_owned(),
        message: format!("`{text}` is not a whole number >= 0"),
    })
}

impl Instance {
    /// Reads an instance, detecting the quota format from its header (`category` column:
    /// replication; `value` column: Sortition Foundation).
    ///
    /// # Errors
    /// [`Error::MissingColumn`], [`Error::BadValue`], [`Error::DuplicateQuota`],
    /// [`Error::UnknownValue`], [`Error::DuplicateId`] or [`Error::Csv`], each naming the line.
    ///
    /// Complexity: O(n·c) for n people and c categories.
    pub fn parse(quotas: &str, pool: &str, options: &ParseOptions) -> Result<Self, Error> {
        let mut r = reader(quotas);
        let headers = r.headers().map_err(|e| csv_error(QUOTAS, &e))?.clone();
        let format = if column(&headers, "category").is_some() {
            QuotaFormat::Replication
        } else {
            QuotaFormat::SortitionFoundation
        };
        let categories = parse_quotas(quotas, format)?;
        Self::from_parts(format, categories, pool, options)
    }

    /// Reads the replication format: `categories.csv` (`category,feature,min,max`) and a
    /// respondents file with one column per category.
    ///
    /// # Errors
    /// As [`Instance::parse`].
    pub fn from_replication(
        categories: &str,
        respondents: &str,
        options: &ParseOptions,
    ) -> Result<Self, Error> {
        let cats = parse_quotas(categories, QuotaFormat::Replication)?;
        Self::from_parts(QuotaFormat::Replication, cats, respondents, options)
    }

    /// Reads the Sortition Foundation format: `feature,value,min,max[,min_flex,max_flex]` and a
    /// people file with an id column (the first column unless [`ParseOptions::id_column`] is set).
    ///
    /// # Errors
    /// As [`Instance::parse`].
    pub fn from_sortition_foundation(
        features: &str,
        people: &str,
        options: &ParseOptions,
    ) -> Result<Self, Error> {
        let cats = parse_quotas(features, QuotaFormat::SortitionFoundation)?;
        Self::from_parts(QuotaFormat::SortitionFoundation, cats, people, options)
    }

    fn from_parts(
        format: QuotaFormat,
        categories: Vec<Category>,
        pool: &str,
        options: &ParseOptions,
    ) -> Result<Self, Error> {
        let mut r = reader(pool);
        let headers = r.headers().map_err(|e| csv_error(POOL, &e))?.clone();
        let expected = format!(
            "one column per category ({})",
            categories
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let cat_cols = categories
            .iter()
            .map(|c| require(POOL, &headers, &c.name, &expected))
            .collect::<Result<Vec<_>, _>>()?;
        let id_col = match (&options.id_column, format) {
            (Some(name), _) => Some(require(POOL, &headers, name, "the id column")?),
            (None, QuotaFormat::SortitionFoundation) => Some(0),
            (None, QuotaFormat::Replication) => None,
        };
        let house_cols = options
            .household
            .iter()
            .map(|name| require(POOL, &headers, name, "the household address columns"))
            .collect::<Result<Vec<_>, _>>()?;
        let lookup: Vec<BTreeMap<&str, usize>> = categories
            .iter()
            .map(|c| {
                c.values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (v.value.as_str(), i))
                    .collect()
            })
            .collect();
        let mut ids = Vec::new();
        let mut values = Vec::new();
        let mut seen: BTreeMap<String, u64> = BTreeMap::new();
        let mut addresses: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
        for (row, record) in r.records().enumerate() {
            let record = record.map_err(|e| csv_error(POOL, &e))?;
            let line = record
                .position()
                .map_or(row as u64 + 2, csv::Position::line);
            let id = match id_col {
                Some(c) => record.get(c).unwrap_or_default().to_owned(),
                None => (row + 1).to_string(),
            };
            if id.is_empty() {
                return Err(Error::BadValue {
                    file: POOL,
                    line,
                    column: headers
                        .get(id_col.unwrap_or(0))
                        .unwrap_or_default()
                        .to_owned(),
                    message: "empty id; expected a non-empty id".to_owned(),
                });
            }
            if let Some(&first_line) = seen.get(&id) {
                return Err(Error::DuplicateId {
                    id,
                    first_line,
                    line,
                });
            }
            seen.insert(id.clone(), line);
            let mut person = Vec::with_capacity(categories.len());
            for ((cat, &col), map) in categories.iter().zip(&cat_cols).zip(&lookup) {
                let value = record.get(col).unwrap_or_default();
                let Some(&v) = map.get(value) else {
                    return Err(Error::UnknownValue {
                        line,
                        category: cat.name.clone(),
                        value: value.to_owned(),
                        expected: cat
                            .values
                            .iter()
                            .map(|v| format!("`{}`", v.value))
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                };
                person.push(v);
            }
            if !house_cols.is_empty() {
                let address: Vec<String> = house_cols
                    .iter()
                    .map(|&c| record.get(c).unwrap_or_default().to_owned())
                    .collect();
                if address.iter().any(|a| !a.is_empty()) {
                    addresses.entry(address).or_default().push(ids.len());
                }
            }
            ids.push(id);
            values.push(person);
        }
        let mut households = vec![None; ids.len()];
        for (next, members) in addresses.values().filter(|m| m.len() > 1).enumerate() {
            for &m in members {
                households[m] = Some(next);
            }
        }
        Ok(Self {
            format,
            categories,
            ids,
            values,
            households,
        })
    }

    /// The number of people in the pool.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The quota file's format.
    pub fn format(&self) -> QuotaFormat {
        self.format
    }

    /// The categories with their quotas.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// The id of person `index` (the id column, or the 1-based row number).
    pub fn id(&self, index: usize) -> Option<&str> {
        self.ids.get(index).map(String::as_str)
    }

    /// All ids in pool order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The index of the person with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|i| i == id)
    }

    /// Person `index`'s value index within each category (in category order).
    pub fn values_of(&self, index: usize) -> Option<&[usize]> {
        self.values.get(index).map(Vec::as_slice)
    }

    /// Person `index`'s shared household, if they share an address with someone in the pool.
    pub fn household_of(&self, index: usize) -> Option<usize> {
        self.households.get(index).copied().flatten()
    }

    /// Whether `members` (person indices) meets every quota, has no repeated member, and at most
    /// one member per household. Exact integer check.
    pub fn is_valid_panel(&self, members: &[usize], size: usize) -> bool {
        if members.len() != size {
            return false;
        }
        let mut seen = vec![false; self.len()];
        let mut houses = std::collections::BTreeSet::new();
        let mut counts: Vec<Vec<usize>> = self
            .categories
            .iter()
            .map(|c| vec![0; c.values.len()])
            .collect();
        for &m in members {
            if m >= self.len() || seen[m] {
                return false;
            }
            seen[m] = true;
            if let Some(h) = self.households[m] {
                if !houses.insert(h) {
                    return false;
                }
            }
            for (c, &v) in self.values[m].iter().enumerate() {
                counts[c][v] += 1;
            }
        }
        self.categories.iter().zip(&counts).all(|(cat, cs)| {
            cat.values
                .iter()
                .zip(cs)
                .all(|(q, &n)| q.min <= n && n <= q.max)
        })
    }
}

fn parse_quotas(text: &str, format: QuotaFormat) -> Result<Vec<Category>, Error> {
    let mut r = reader(text);
    let headers = r.headers().map_err(|e| csv_error(QUOTAS, &e))?.clone();
    let (cat_name, val_name, expected) = match format {
        QuotaFormat::Replication => ("category", "feature", "category,feature,min,max"),
        QuotaFormat::SortitionFoundation => (
            "feature",
            "value",
            "feature,value,min,max[,min_flex,max_flex]",
        ),
    };
    let c_cat = require(QUOTAS, &headers, cat_name, expected)?;
    let c_val = require(QUOTAS, &headers, val_name, expected)?;
    let c_min = require(QUOTAS, &headers, "min", expected)?;
    let c_max = require(QUOTAS, &headers, "max", expected)?;
    let c_min_flex = column(&headers, "min_flex");
    let c_max_flex = column(&headers, "max_flex");
    let mut categories: Vec<Category> = Vec::new();
    let mut lines: BTreeMap<(String, String), u64> = BTreeMap::new();
    for (row, record) in r.records().enumerate() {
        let record = record.map_err(|e| csv_error(QUOTAS, &e))?;
        let line = record
            .position()
            .map_or(row as u64 + 2, csv::Position::line);
        let get = |c: usize| record.get(c).unwrap_or_default();
        let name = get(c_cat).to_owned();
        let value = get(c_val).to_owned();
        if name.is_empty() || value.is_empty() {
            let column = if name.is_empty() { cat_name } else { val_name };
            return Err(Error::BadValue {
                file: QUOTAS,
                line,
                column: column.to_owned(),
                message: "empty cell; expected a name".to_owned(),
            });
        }
        let min = count(QUOTAS, line, "min", get(c_min))?;
        let max = count(QUOTAS, line, "max", get(c_max))?;
        if min > max {
            return Err(Error::BadValue {
                file: QUOTAS,
                line,
                column: "max".to_owned(),
                message: format!("max {max} is below min {min} for `{name}` = `{value}`"),
            });
        }
        let min_flex = match c_min_flex.map(get).filter(|s| !s.is_empty()) {
            Some(s) => count(QUOTAS, line, "min_flex", s)?,
            None => 0,
        };
        let max_flex = match c_max_flex.map(get).filter(|s| !s.is_empty()) {
            Some(s) => Some(count(QUOTAS, line, "max_flex", s)?),
            None => None,
        };
        if min_flex > min || max_flex.is_some_and(|f| f < max) {
            return Err(Error::BadValue {
                file: QUOTAS,
                line,
                column: "min_flex".to_owned(),
                message: format!(
                    "flex bounds must enclose min..max for `{name}` = `{value}`; expected min_flex <= {min} and max_flex >= {max}"
                ),
            });
        }
        let key = (name.clone(), value.clone());
        if let Some(&first_line) = lines.get(&key) {
            return Err(Error::DuplicateQuota {
                category: name,
                value,
                first_line,
                line,
            });
        }
        lines.insert(key, line);
        let quota = ValueQuota {
            value,
            min,
            max,
            min_flex,
            max_flex,
        };
        match categories.iter_mut().find(|c| c.name == name) {
            Some(c) => c.values.push(quota),
            None => categories.push(Category {
                name,
                values: vec![quota],
            }),
        }
    }
    if categories.is_empty() {
        return Err(Error::BadValue {
            file: QUOTAS,
            line: 2,
            column: cat_name.to_owned(),
            message: "no quota rows; expected at least one".to_owned(),
        });
    }
    Ok(categories)
}
