//! Ranked ballots from stakeholder groups, and the pairwise-preference matrix they give.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::Error;

/// One ranked ballot, cast `count` times: the options in tiers, best first; options in one tier are
/// tied (`A=B`). Options the ballot does not name count as tied below every named option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ballot {
    /// How many voters cast this ballot (a weight in whole voters).
    pub count: u64,
    /// The tiers, best first, as indices into the profile's options.
    pub tiers: Vec<Vec<usize>>,
    /// The stakeholder group that cast it, if known.
    pub group: Option<String>,
    /// The 1-based line it was read from (0 when not read from text).
    pub line: u64,
}

impl Ballot {
    /// The rank of each option on this ballot: its tier index, or the number of tiers when unnamed.
    fn positions(&self, n: usize) -> Vec<usize> {
        let mut pos = vec![self.tiers.len(); n];
        for (t, tier) in self.tiers.iter().enumerate() {
            for &o in tier {
                pos[o] = t;
            }
        }
        pos
    }
}

/// A set of options and the ranked ballots cast over them.
///
/// ```
/// use kompas_value::Profile;
///
/// let csv = "count,ranking,group\n3,A>B>C,clubs\n2,B=C>A,athletes\n";
/// let p = Profile::parse_csv(csv, None)?;
/// assert_eq!(p.options(), ["A", "B", "C"]);
/// assert_eq!(p.voters(), 5);
/// let d = p.pairwise();
/// assert_eq!((d.get(0, 1), d.get(1, 0)), (3, 2)); // A over B by 3 to 2
/// assert_eq!((d.get(1, 2), d.get(2, 1)), (3, 0)); // B over C: the tie counts for neither
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    options: Vec<String>,
    ballots: Vec<Ballot>,
    voters: u64,
}

impl Profile {
    /// An empty profile over the given options.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for a blank or repeated name, or a name holding `>` or `=`;
    /// [`Error::TooFewOptions`] when no option is given.
    pub fn new<S: Into<String>>(options: impl IntoIterator<Item = S>) -> Result<Self, Error> {
        let options: Vec<String> = options.into_iter().map(Into::into).collect();
        let mut seen = BTreeSet::new();
        for o in &options {
            if o.trim().is_empty() || o.trim() != o || o.contains(['>', '=']) || !seen.insert(o) {
                return Err(Error::InvalidOption { option: o.clone() });
            }
        }
        if options.is_empty() {
            return Err(Error::TooFewOptions {
                what: "profile",
                got: 0,
                min: 1,
            });
        }
        Ok(Profile {
            options,
            ballots: Vec::new(),
            voters: 0,
        })
    }

    /// Adds a ballot written as `A>B=C>D`, cast `count` times, optionally by a group. `line` names
    /// the ballot in errors (use 0 when it was not read from text).
    ///
    /// # Errors
    /// [`Error::InvalidCount`] for a count of 0, [`Error::InvalidRanking`] for an empty place,
    /// [`Error::UnknownOption`] and [`Error::RepeatedOption`] naming the option, and
    /// [`Error::Overflow`] when the number of voters passes 2^64 - 1.
    pub fn push(
        &mut self,
        count: u64,
        ranking: &str,
        group: Option<&str>,
        line: u64,
    ) -> Result<(), Error> {
        if count == 0 {
            return Err(Error::InvalidCount {
                line,
                value: "0".to_owned(),
            });
        }
        let invalid = || Error::InvalidRanking {
            line,
            value: ranking.to_owned(),
        };
        let mut seen = vec![false; self.options.len()];
        let mut tiers = Vec::new();
        for place in ranking.split('>') {
            let mut tier = Vec::new();
            for name in place.split('=') {
                let name = name.trim();
                if name.is_empty() {
                    return Err(invalid());
                }
                let idx = self.options.iter().position(|o| o == name).ok_or_else(|| {
                    Error::UnknownOption {
                        line,
                        option: name.to_owned(),
                        expected: self.options.join(", "),
                    }
                })?;
                if std::mem::replace(&mut seen[idx], true) {
                    return Err(Error::RepeatedOption {
                        line,
                        option: name.to_owned(),
                    });
                }
                tier.push(idx);
            }
            tier.sort_unstable();
            tiers.push(tier);
        }
        let voters = self
            .voters
            .checked_add(count)
            .ok_or(Error::Overflow { line })?;
        let group = group
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_owned);
        self.voters = voters;
        self.ballots.push(Ballot {
            count,
            tiers,
            group,
            line,
        });
        Ok(())
    }

    /// Reads ballots from CSV text with a header naming the columns `count`, `ranking` and,
    /// optionally, `group` (in any order; other columns are ignored).
    ///
    /// With `options` given, every ranking must use only those options; without, the options are
    /// all names used in the rankings, sorted.
    ///
    /// # Errors
    /// As [`Profile::push`], each naming the line; [`Error::MissingColumn`] for a header without
    /// `count` or `ranking`; [`Error::Csv`] for text that is not CSV.
    pub fn parse_csv(text: &str, options: Option<&[String]>) -> Result<Self, Error> {
        const WHAT: &str = "ballots";
        const EXPECTED: &str = "count,ranking and optionally group";
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(text.as_bytes());
        let csv_err = |e: csv::Error| Error::Csv {
            what: WHAT,
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string().to_lowercase(),
        };
        let header = reader.headers().map_err(csv_err)?.clone();
        let col = |name: &'static str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        let count_col = col("count").ok_or(Error::MissingColumn {
            what: WHAT,
            column: "count",
            expected: EXPECTED,
        })?;
        let ranking_col = col("ranking").ok_or(Error::MissingColumn {
            what: WHAT,
            column: "ranking",
            expected: EXPECTED,
        })?;
        let group_col = col("group");
        let mut rows = Vec::new();
        for rec in reader.records() {
            let rec = rec.map_err(csv_err)?;
            let line = rec.position().map_or(0, |p| p.line());
            if rec.iter().all(str::is_empty) {
                continue;
            }
            let count_text = rec.get(count_col).unwrap_or("");
            let count: u64 = count_text.parse().map_err(|_| Error::InvalidCount {
                line,
                value: count_text.to_owned(),
            })?;
            let ranking = rec.get(ranking_col).unwrap_or("").to_owned();
            let group = group_col.and_then(|g| rec.get(g)).map(str::to_owned);
            rows.push((line, count, ranking, group));
        }
        let names: Vec<String> = match options {
            Some(o) => o.to_vec(),
            None => {
                let set: BTreeSet<&str> = rows
                    .iter()
                    .flat_map(|(_, _, r, _)| r.split(['>', '=']))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                set.into_iter().map(str::to_owned).collect()
            }
        };
        let mut profile = Profile::new(names)?;
        for (line, count, ranking, group) in rows {
            profile.push(count, &ranking, group.as_deref(), line)?;
        }
        Ok(profile)
    }

    /// The options, in the profile's order (the order of every matrix and index).
    pub fn options(&self) -> &[String] {
        &self.options
    }

    /// The ballots.
    pub fn ballots(&self) -> &[Ballot] {
        &self.ballots
    }

    /// The number of voters: the sum of the ballots' counts.
    pub const fn voters(&self) -> u64 {
        self.voters
    }

    /// The groups named on the ballots, sorted.
    pub fn groups(&self) -> Vec<String> {
        let set: BTreeSet<&String> = self
            .ballots
            .iter()
            .filter_map(|b| b.group.as_ref())
            .collect();
        set.into_iter().cloned().collect()
    }

    /// The profile of one group's ballots (same options).
    pub fn of_group(&self, group: &str) -> Profile {
        let ballots: Vec<Ballot> = self
            .ballots
            .iter()
            .filter(|b| b.group.as_deref() == Some(group))
            .cloned()
            .collect();
        // The sum cannot overflow: it is part of a sum that did not.
        let voters = ballots.iter().map(|b| b.count).sum();
        Profile {
            options: self.options.clone(),
            ballots,
            voters,
        }
    }

    /// The index of an option.
    pub fn index_of(&self, option: &str) -> Option<usize> {
        self.options.iter().position(|o| o == option)
    }

    /// The pairwise-preference matrix: `d[x][y]` voters rank x strictly above y.
    ///
    /// Complexity: O(b·n²) for b ballots over n options.
    pub fn pairwise(&self) -> Pairwise {
        let n = self.options.len();
        let mut d = vec![vec![0u64; n]; n];
        for b in &self.ballots {
            let pos = b.positions(n);
            for x in 0..n {
                for y in 0..n {
                    if pos[x] < pos[y] {
                        // No overflow: d[x][y] <= voters, which fits in u64.
                        d[x][y] += b.count;
                    }
                }
            }
        }
        Pairwise {
            options: self.options.clone(),
            d,
        }
    }

    /// The number of voters per group (ballots without a group under no key).
    pub(crate) fn voters_by_group(&self) -> BTreeMap<String, u64> {
        let mut m = BTreeMap::new();
        for b in &self.ballots {
            if let Some(g) = &b.group {
                *m.entry(g.clone()).or_insert(0) += b.count;
            }
        }
        m
    }
}

/// The pairwise-preference matrix of a profile: `get(x, y)` voters rank option x strictly above y.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pairwise {
    /// The options, in matrix order.
    pub options: Vec<String>,
    /// `d[x][y]`: voters who rank x strictly above y; the diagonal is 0.
    pub d: Vec<Vec<u64>>,
}

impl Pairwise {
    /// Voters who rank option `x` strictly above option `y` (0 for an index out of range).
    pub fn get(&self, x: usize, y: usize) -> u64 {
        self.d.get(x).and_then(|r| r.get(y)).copied().unwrap_or(0)
    }

    /// The number of options.
    pub fn len(&self) -> usize {
        self.options.len()
    }

    /// Whether there are no options.
    pub fn is_empty(&self) -> bool {
        self.options.is_empty()
    }

    /// The Condorcet winner: the option a strict majority prefers to each other option, if any.
    pub fn condorcet_winner(&self) -> Option<usize> {
        let n = self.len();
        (0..n).find(|&x| (0..n).all(|y| y == x || self.get(x, y) > self.get(y, x)))
    }
}
