//! Reading, writing and validating the Pabulib `.pb` text format.
//!
//! The format (Faliszewski et al., "Participatory Budgeting: Data, Tools and Analysis", IJCAI
//! 2023; pabulib.org) has three sections, `META`, `PROJECTS` and `VOTES`, each a title line and a
//! header line, then `;`-separated records with CSV quoting (`"..."`, `""` for a quote inside).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::model::{Ballot, Election, LineEnding, MetaEntry, Project, ProjectId, VoteType};
use crate::{Decimal, Error};

/// One record of the text: its first line and its fields.
struct Record {
    line: usize,
    fields: Vec<String>,
}

/// Splits the text into records (`;` separated, CSV quoting, quoted fields may span lines).
fn records(text: &str) -> Result<Vec<Record>, Error> {
    let mut out = Vec::new();
    let mut line = 1usize;
    let mut chars = text.chars().peekable();
    while chars.peek().is_some() {
        let start = line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted_field = false;
        let mut at_field_start = true;
        loop {
            match chars.next() {
                None => break,
                Some('"') if at_field_start => {
                    at_field_start = false;
                    quoted_field = true;
                    loop {
                        match chars.next() {
                            None => {
                                return Err(Error::at(
                                    start,
                                    None,
                                    "unterminated quoted field: expected a closing `\"`",
                                ));
                            }
                            Some('"') => {
                                if chars.peek() == Some(&'"') {
                                    chars.next();
                                    field.push('"');
                                } else {
                                    break;
                                }
                            }
                            Some(c) => {
                                if c == '\n' {
                                    line += 1;
                                }
                                field.push(c);
                            }
                        }
                    }
                    match chars.peek() {
                        None | Some(';') | Some('\n') | Some('\r') => {}
                        Some(_) => {
                            return Err(Error::at(
                                line,
                                None,
                                "text after a closing quote: expected `;` or the end of the line",
                            ));
                        }
                    }
                }
                Some(';') => {
                    fields.push(std::mem::take(&mut field));
                    at_field_start = true;
                    quoted_field = false;
                }
                Some('\r') if chars.peek() == Some(&'\n') => {}
                Some('\n') => {
                    line += 1;
                    break;
                }
                Some(c) => {
                    at_field_start = false;
                    field.push(c);
                }
            }
        }
        fields.push(field);
        let blank = fields.len() == 1 && fields[0].trim().is_empty() && !quoted_field;
        if !blank {
            out.push(Record {
                line: start,
                fields,
            });
        }
    }
    Ok(out)
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Meta,
    Projects,
    Votes,
}

fn section_title(r: &Record) -> Option<Section> {
    if r.fields.len() != 1 && !r.fields[1..].iter().all(|f| f.is_empty()) {
        return None;
    }
    match r.fields[0].trim().to_ascii_lowercase().as_str() {
        "meta" => Some(Section::Meta),
        "projects" => Some(Section::Projects),
        "votes" => Some(Section::Votes),
        _ => None,
    }
}

/// Line numbers of the items of an election (for validation messages).
pub(crate) struct Lines {
    meta_title: usize,
    meta: Vec<usize>,
    projects_header: usize,
    projects: Vec<usize>,
    votes_header: usize,
    votes: Vec<usize>,
}

impl Lines {
    /// The lines the items would have in the written text (one line per record).
    fn of_written(e: &Election) -> Lines {
        let meta_title = 1;
        let meta: Vec<usize> = (0..e.meta.len()).map(|i| 3 + i).collect();
        let projects_header = 3 + e.meta.len() + 1;
        let projects = (0..e.projects.len())
            .map(|i| projects_header + 1 + i)
            .collect();
        let votes_header = projects_header + e.projects.len() + 2;
        let votes = (0..e.ballots.len()).map(|i| votes_header + 1 + i).collect();
        Lines {
            meta_title,
            meta,
            projects_header,
            projects,
            votes_header,
            votes,
        }
    }
}

impl Election {
    /// Reads a `.pb` text and validates it (see [`Election::validate`]).
    ///
    /// Complexity: O(length of the text + ballots × ballot length × log projects).
    ///
    /// # Errors
    /// [`Error::Format`] naming the line (and field) of the first problem: malformed sections or
    /// records, a missing budget, negative costs, duplicate ids, votes for unknown projects,
    /// ballot lengths or points outside the META limits, counts that disagree with META.
    pub fn parse(text: &str) -> Result<Election, Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let line_ending = match text.find('\n') {
            Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => LineEnding::CrLf,
            _ => LineEnding::Lf,
        };
        let recs = records(text)?;
        let mut i = 0;
        let mut election = Election {
            meta: Vec::new(),
            project_columns: Vec::new(),
            projects: Vec::new(),
            vote_columns: Vec::new(),
            ballots: Vec::new(),
            line_ending,
        };
        let mut lines = Lines {
            meta_title: 0,
            meta: Vec::new(),
            projects_header: 0,
            projects: Vec::new(),
            votes_header: 0,
            votes: Vec::new(),
        };
        let mut seen = Vec::new();
        while i < recs.len() {
            let r = &recs[i];
            let section = section_title(r).ok_or_else(|| {
                Error::at(
                    r.line,
                    None,
                    format!(
                        "expected a section title (META, PROJECTS or VOTES), found `{}`",
                        r.fields.join(";")
                    ),
                )
            })?;
            if let Some(&last) = seen.last()
                && section <= last
            {
                return Err(Error::at(
                    r.line,
                    None,
                    "sections out of order or repeated: expected META, PROJECTS, VOTES once each",
                ));
            }
            seen.push(section);
            let title_line = r.line;
            i += 1;
            let header = recs
                .get(i)
                .filter(|h| section_title(h).is_none())
                .ok_or_else(|| {
                    Error::at(
                        title_line + 1,
                        None,
                        "missing header line after the section title",
                    )
                })?;
            let header_line = header.line;
            let columns: Vec<String> = header.fields.iter().map(|f| f.trim().to_owned()).collect();
            i += 1;
            let start = i;
            while i < recs.len() && section_title(&recs[i]).is_none() {
                i += 1;
            }
            let body = &recs[start..i];
            for r in body {
                if r.fields.len() != columns.len() {
                    return Err(Error::at(
                        r.line,
                        None,
                        format!(
                            "expected {} fields as in the header of line {}, found {}",
                            columns.len(),
                            header_line,
                            r.fields.len()
                        ),
                    ));
                }
            }
            match section {
                Section::Meta => {
                    lines.meta_title = title_line;
                    if columns.len() != 2 {
                        return Err(Error::at(
                            header_line,
                            None,
                            "expected the META header `key;value`",
                        ));
                    }
                    for r in body {
                        election.meta.push(MetaEntry {
                            key: r.fields[0].trim().to_owned(),
                            value: r.fields[1].clone(),
                        });
                        lines.meta.push(r.line);
                    }
                }
                Section::Projects => {
                    lines.projects_header = header_line;
                    let id_col = find_col(&columns, "project_id", header_line)?;
                    let cost_col = find_col(&columns, "cost", header_line)?;
                    let sel_col = columns.iter().position(|c| c == "selected");
                    for r in body {
                        let cost: Decimal = r.fields[cost_col].parse().map_err(|_| {
                            Error::at(
                                r.line,
                                Some("cost"),
                                format!("cost `{}` is not a decimal number", r.fields[cost_col]),
                            )
                        })?;
                        let selected = match sel_col.map(|c| r.fields[c].trim()) {
                            None | Some("") => None,
                            Some("1") => Some(true),
                            Some("0") => Some(false),
                            Some(other) => {
                                return Err(Error::at(
                                    r.line,
                                    Some("selected"),
                                    format!("selected `{other}`: expected 1, 0 or nothing"),
                                ));
                            }
                        };
                        let fields =
                            other_fields(&columns, &r.fields, &[id_col, cost_col], sel_col);
                        election.projects.push(Project {
                            id: ProjectId(r.fields[id_col].trim().to_owned()),
                            cost,
                            selected,
                            fields,
                        });
                        lines.projects.push(r.line);
                    }
                    election.project_columns = columns;
                }
                Section::Votes => {
                    lines.votes_header = header_line;
                    let id_col = find_col(&columns, "voter_id", header_line)?;
                    let vote_col = find_col(&columns, "vote", header_line)?;
                    let points_col = columns.iter().position(|c| c == "points");
                    for r in body {
                        let vote = split_list(&r.fields[vote_col])
                            .map(|s| ProjectId(s.to_owned()))
                            .collect();
                        let points = match points_col {
                            None => None,
                            Some(c) => Some(
                                split_list(&r.fields[c])
                                    .map(|s| {
                                        s.parse::<Decimal>().map_err(|_| {
                                            Error::at(
                                                r.line,
                                                Some("points"),
                                                format!("points `{s}` is not a decimal number"),
                                            )
                                        })
                                    })
                                    .collect::<Result<Vec<_>, _>>()?,
                            ),
                        };
                        let mut skip = vec![id_col, vote_col];
                        skip.extend(points_col);
                        let fields = other_fields(&columns, &r.fields, &skip, None);
                        election.ballots.push(Ballot {
                            voter_id: r.fields[id_col].trim().to_owned(),
                            vote,
                            points,
                            fields,
                        });
                        lines.votes.push(r.line);
                    }
                    election.vote_columns = columns;
                }
            }
        }
        for (s, name) in [
            (Section::Meta, "META"),
            (Section::Projects, "PROJECTS"),
            (Section::Votes, "VOTES"),
        ] {
            if !seen.contains(&s) {
                let last = recs.last().map_or(1, |r| r.line + 1);
                return Err(Error::at(last, None, format!("missing section {name}")));
            }
        }
        validate(&election, &lines)?;
        Ok(election)
    }

    /// Checks the election against the format's rules. Line numbers in errors are those of the
    /// text [`Election::to_pb`] would write.
    ///
    /// # Errors
    /// The first problem found, as [`Error::Format`].
    pub fn validate(&self) -> Result<(), Error> {
        validate(self, &Lines::of_written(self))
    }

    /// Writes the election as `.pb` text. For an election read with [`Election::parse`] from a
    /// file whose quoting is minimal (as in Pabulib), the bytes are the same as the input.
    pub fn to_pb(&self) -> String {
        let nl = match self.line_ending {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        };
        let mut out = String::new();
        let row = |out: &mut String, fields: &mut dyn Iterator<Item = String>| {
            let mut first = true;
            for f in fields {
                if !first {
                    out.push(';');
                }
                first = false;
                push_field(out, &f);
            }
            out.push_str(nl);
        };
        out.push_str("META");
        out.push_str(nl);
        out.push_str("key;value");
        out.push_str(nl);
        for e in &self.meta {
            row(&mut out, &mut [e.key.clone(), e.value.clone()].into_iter());
        }
        out.push_str("PROJECTS");
        out.push_str(nl);
        row(&mut out, &mut self.project_columns.iter().cloned());
        for p in &self.projects {
            let mut it = self.project_columns.iter().map(|c| match c.as_str() {
                "project_id" => p.id.0.clone(),
                "cost" => p.cost.to_string(),
                "selected" => match p.selected {
                    Some(true) => "1".to_owned(),
                    Some(false) => "0".to_owned(),
                    None => String::new(),
                },
                other => p.fields.get(other).cloned().unwrap_or_default(),
            });
            row(&mut out, &mut it);
        }
        out.push_str("VOTES");
        out.push_str(nl);
        row(&mut out, &mut self.vote_columns.iter().cloned());
        for b in &self.ballots {
            let mut it = self.vote_columns.iter().map(|c| match c.as_str() {
                "voter_id" => b.voter_id.clone(),
                "vote" => join(b.vote.iter().map(|p| p.0.as_str())),
                "points" => match &b.points {
                    Some(ps) => join(ps.iter().map(|d| d.to_string())),
                    None => String::new(),
                },
                other => b.fields.get(other).cloned().unwrap_or_default(),
            });
            row(&mut out, &mut it);
        }
        out
    }
}

fn join<S: AsRef<str>>(items: impl Iterator<Item = S>) -> String {
    let mut s = String::new();
    for (i, it) in items.enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(it.as_ref());
    }
    s
}

fn push_field(out: &mut String, f: &str) {
    let needs = f.contains([';', '"', '\n', '\r']);
    if needs {
        out.push('"');
        out.push_str(&f.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(f);
    }
}

fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').map(str::trim).filter(|x| !x.is_empty())
}

fn find_col(columns: &[String], name: &str, line: usize) -> Result<usize, Error> {
    columns.iter().position(|c| c == name).ok_or_else(|| {
        Error::at(
            line,
            Some(name),
            format!("missing column `{name}` in the header"),
        )
    })
}

fn other_fields(
    columns: &[String],
    fields: &[String],
    skip: &[usize],
    skip2: Option<usize>,
) -> BTreeMap<String, String> {
    columns
        .iter()
        .zip(fields)
        .enumerate()
        .filter(|(i, _)| !skip.contains(i) && Some(*i) != skip2)
        .map(|(_, (c, f))| (c.clone(), f.clone()))
        .collect()
}

fn meta_int(e: &Election, lines: &Lines, key: &str) -> Result<Option<u64>, Error> {
    let Some(pos) = e.meta.iter().position(|m| m.key == key) else {
        return Ok(None);
    };
    let v = e.meta[pos].value.trim();
    v.parse::<u64>().map(Some).map_err(|_| {
        Error::at(
            lines.meta[pos],
            Some(key),
            format!("`{key}` is `{v}`: expected a non-negative integer"),
        )
    })
}

fn meta_dec(e: &Election, lines: &Lines, key: &str) -> Result<Option<Decimal>, Error> {
    let Some(pos) = e.meta.iter().position(|m| m.key == key) else {
        return Ok(None);
    };
    let v = e.meta[pos].value.trim();
    v.parse::<Decimal>().map(Some).map_err(|_| {
        Error::at(
            lines.meta[pos],
            Some(key),
            format!("`{key}` is `{v}`: expected a decimal number"),
        )
    })
}

fn validate(e: &Election, lines: &Lines) -> Result<(), Error> {
    let meta_line = |key: &str| {
        e.meta
            .iter()
            .position(|m| m.key == key)
            .map_or(lines.meta_title, |p| lines.meta[p])
    };
    let mut keys = HashSet::new();
    for (m, &l) in e.meta.iter().zip(&lines.meta) {
        if !keys.insert(m.key.as_str()) {
            return Err(Error::at(
                l,
                Some(&m.key),
                format!("duplicate META key `{}`", m.key),
            ));
        }
    }
    match meta_dec(e, lines, "budget")? {
        None => {
            return Err(Error::at(
                lines.meta_title,
                Some("budget"),
                "missing `budget` in META",
            ));
        }
        Some(b) if b.is_negative() => {
            return Err(Error::at(
                meta_line("budget"),
                Some("budget"),
                format!("budget `{b}` is negative"),
            ));
        }
        Some(_) => {}
    }
    let vote_type = e
        .vote_type()
        .map_err(|_| Error::at(meta_line("vote_type"), Some("vote_type"), format!(
            "unknown vote_type `{}`: expected approval, ordinal, cumulative, scoring or choose-1",
            e.meta_value("vote_type").unwrap_or_default()
        )))?;
    if let Some(n) = meta_int(e, lines, "num_projects")?
        && n != e.projects.len() as u64
    {
        return Err(Error::at(
            meta_line("num_projects"),
            Some("num_projects"),
            format!(
                "num_projects is {n} but PROJECTS lists {}",
                e.projects.len()
            ),
        ));
    }
    if let Some(n) = meta_int(e, lines, "num_votes")?
        && n != e.ballots.len() as u64
    {
        return Err(Error::at(
            meta_line("num_votes"),
            Some("num_votes"),
            format!("num_votes is {n} but VOTES lists {}", e.ballots.len()),
        ));
    }
    let min_len = meta_int(e, lines, "min_length")?;
    let max_len = meta_int(e, lines, "max_length")?;
    let min_points = meta_dec(e, lines, "min_points")?;
    let max_points = meta_dec(e, lines, "max_points")?;
    let min_sum = meta_dec(e, lines, "min_sum_points")?;
    let max_sum = meta_dec(e, lines, "max_sum_points")?;
    for col in ["project_id", "cost"] {
        if !e.project_columns.iter().any(|c| c == col) {
            return Err(Error::at(
                lines.projects_header,
                Some(col),
                format!("missing column `{col}` in the header"),
            ));
        }
    }
    for col in ["voter_id", "vote"] {
        if !e.vote_columns.iter().any(|c| c == col) {
            return Err(Error::at(
                lines.votes_header,
                Some(col),
                format!("missing column `{col}` in the header"),
            ));
        }
    }
    if vote_type.has_points() && !e.vote_columns.iter().any(|c| c == "points") {
        return Err(Error::at(
            lines.votes_header,
            Some("points"),
            format!("{} ballots need a `points` column", vote_type.as_str()),
        ));
    }
    let mut ids = HashSet::new();
    for (p, &l) in e.projects.iter().zip(&lines.projects) {
        if p.id.0.is_empty() {
            return Err(Error::at(l, Some("project_id"), "empty project_id"));
        }
        if !ids.insert(&p.id) {
            return Err(Error::at(
                l,
                Some("project_id"),
                format!("duplicate project_id `{}`", p.id),
            ));
        }
        if p.cost.is_negative() {
            return Err(Error::at(
                l,
                Some("cost"),
                format!("project `{}` has negative cost {}", p.id, p.cost),
            ));
        }
    }
    let mut voters = HashSet::new();
    for (b, &l) in e.ballots.iter().zip(&lines.votes) {
        if !voters.insert(b.voter_id.as_str()) {
            return Err(Error::at(
                l,
                Some("voter_id"),
                format!("duplicate voter_id `{}`", b.voter_id),
            ));
        }
        let mut in_ballot = BTreeSet::new();
        for p in &b.vote {
            if !ids.contains(p) {
                return Err(Error::at(
                    l,
                    Some("vote"),
                    format!("vote for unknown project `{p}`"),
                ));
            }
            if !in_ballot.insert(p) {
                return Err(Error::at(
                    l,
                    Some("vote"),
                    format!("project `{p}` named twice in one vote"),
                ));
            }
        }
        let len = b.vote.len() as u64;
        if let Some(m) = min_len
            && len < m
        {
            return Err(Error::at(
                l,
                Some("vote"),
                format!("vote names {len} projects, fewer than min_length {m}"),
            ));
        }
        if let Some(m) = max_len
            && len > m
        {
            return Err(Error::at(
                l,
                Some("vote"),
                format!("vote names {len} projects, more than max_length {m}"),
            ));
        }
        if vote_type == VoteType::ChooseOne && len > 1 {
            return Err(Error::at(
                l,
                Some("vote"),
                format!("choose-1 vote names {len} projects, expected one"),
            ));
        }
        if vote_type.has_points() {
            let pts = b.points.as_deref().unwrap_or(&[]);
            if pts.len() != b.vote.len() {
                return Err(Error::at(
                    l,
                    Some("points"),
                    format!(
                        "{} points for {} projects: expected one per project",
                        pts.len(),
                        b.vote.len()
                    ),
                ));
            }
            let mut sum = num_rational::BigRational::from_integer(0.into());
            for p in pts {
                if vote_type == VoteType::Cumulative && p.is_negative() {
                    return Err(Error::at(
                        l,
                        Some("points"),
                        format!("negative points {p} on a cumulative ballot"),
                    ));
                }
                if let Some(m) = &min_points
                    && p.cmp_value(m).is_lt()
                {
                    return Err(Error::at(
                        l,
                        Some("points"),
                        format!("points {p} below min_points {m}"),
                    ));
                }
                if let Some(m) = &max_points
                    && p.cmp_value(m).is_gt()
                {
                    return Err(Error::at(
                        l,
                        Some("points"),
                        format!("points {p} above max_points {m}"),
                    ));
                }
                sum += p.to_rational();
            }
            if let Some(m) = &min_sum
                && sum < m.to_rational()
            {
                return Err(Error::at(
                    l,
                    Some("points"),
                    format!("points sum below min_sum_points {m}"),
                ));
            }
            if let Some(m) = &max_sum
                && sum > m.to_rational()
            {
                return Err(Error::at(
                    l,
                    Some("points"),
                    format!("points sum above max_sum_points {m}"),
                ));
            }
        }
    }
    Ok(())
}
