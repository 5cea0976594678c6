//! The Markdown rendering of a follow-up, for reading in a terminal.

use std::fmt::Write;

use kompas::{FollowUp, GoalStatus};

use crate::labels::Labels;

/// Formats an optional score with one decimal.
pub(crate) fn score(s: Option<f64>) -> String {
    s.map_or_else(|| "–".to_owned(), |v| format!("{v:.1}"))
}

/// Formats a share as a whole percentage.
pub(crate) fn pct(s: f64) -> String {
    format!("{:.0} %", s * 100.0)
}

/// The voices of a goal in one short line: `citizen 3, employee 2; 4 registers`.
pub(crate) fn voices(g: &GoalStatus, l: &Labels) -> String {
    let mut parts: Vec<String> = g
        .voices
        .by_perspective
        .iter()
        .map(|(p, n)| {
            let name = match l.lang {
                kompas_core::Lang::Da => p.label_da(),
                kompas_core::Lang::En => p.label_en(),
            };
            format!("{name} {n}")
        })
        .collect();
    let counted = |n: usize, da: &str, en: &str| match l.lang {
        kompas_core::Lang::Da => format!("{n} {da}"),
        kompas_core::Lang::En => format!("{n} {en}"),
    };
    if g.voices.registers > 0 {
        parts.push(counted(
            g.voices.registers,
            "registerindikatorer",
            "register indicators",
        ));
    }
    if g.voices.surveys > 0 {
        parts.push(counted(
            g.voices.surveys,
            "undersøgelser",
            "survey indicators",
        ));
    }
    if parts.is_empty() {
        l.none.to_owned()
    } else {
        parts.join(", ")
    }
}

/// Escapes the characters that would break a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub(crate) fn render(f: &FollowUp, l: &Labels) -> String {
    let lang = l.lang;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} {} – {}\n",
        l.title,
        f.year,
        f.municipality.get(lang)
    );
    if f.has_illustrative_values {
        let _ = writeln!(out, "> {}\n", l.illustrative);
    }

    let _ = writeln!(out, "## {}\n", l.goals);
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |\n|---|---:|---:|---|---|---|",
        l.goal, l.score, l.coverage, l.trend, l.triangulation, l.voices
    );
    for g in &f.goals {
        let indent = "\u{a0}\u{a0}".repeat(g.depth);
        let tri = g
            .triangulation
            .as_ref()
            .map_or_else(|| "–".to_owned(), |t| l.verdict(&t.verdict, &t.confidence));
        let _ = writeln!(
            out,
            "| {indent}{} | {} | {} | {} | {} | {} |",
            cell(g.title.get(lang)),
            score(g.score),
            pct(g.coverage),
            l.trend(g.trend),
            cell(&tri),
            cell(&voices(g, l)),
        );
    }

    let _ = writeln!(out, "\n### {}\n", l.clutter);
    if f.clutter.is_empty() {
        let _ = writeln!(out, "{}", l.none);
    }
    for d in &f.clutter {
        let _ = writeln!(out, "- `{}` {:?}: {}", d.code, d.severity, d.message);
    }
    for (head, list) in [
        (l.no_evidence, &f.goals_without_evidence),
        (l.no_bridge, &f.goals_without_bridge),
    ] {
        let _ = writeln!(out, "\n### {head}\n");
        if list.is_empty() {
            let _ = writeln!(out, "{}", l.none);
        }
        for g in list {
            let _ = writeln!(out, "- {}", g.title.get(lang));
        }
    }

    let _ = writeln!(out, "\n## {}\n", l.cocreation);
    if f.initiatives.is_empty() {
        let _ = writeln!(out, "{}", l.none);
    }
    for i in &f.initiatives {
        let _ = writeln!(
            out,
            "### {} ({} {})\n",
            i.title.get(lang),
            i.participants,
            l.participants
        );
        if i.findings.is_empty() {
            let _ = writeln!(out, "{}: {}", l.charter_checks, l.none);
        }
        for d in &i.findings {
            let _ = writeln!(out, "- `{}` {:?}: {}", d.code, d.severity, d.message);
        }
        for a in &i.representativeness {
            let _ = writeln!(
                out,
                "\n{} – {} (dissimilarity {:.3})\n\n| | {} | {} |\n|---|---:|---:|",
                l.representativeness, a.attribute, a.dissimilarity, l.participants, l.population
            );
            for c in &a.cells {
                let p = c.participants_share.map_or_else(|| "–".to_owned(), pct);
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    cell(&c.value),
                    p,
                    pct(c.population_share)
                );
            }
        }
        let _ = writeln!(out);
    }

    let _ = writeln!(out, "## {}\n", l.value);
    let _ = writeln!(out, "### {}\n", l.open_dilemmas);
    if f.value.open_dilemmas.is_empty() {
        let _ = writeln!(out, "{}", l.none);
    }
    for d in &f.value.open_dilemmas {
        let _ = writeln!(out, "- {}", d.question.get(lang));
    }
    let _ = writeln!(out, "\n### {}\n", l.decisions);
    if f.value.decisions.is_empty() {
        let _ = writeln!(out, "{}", l.none);
    }
    for d in &f.value.decisions {
        let basis = if d.open_basis {
            l.open_basis
        } else {
            l.closed_basis
        };
        let _ = writeln!(
            out,
            "- {} → **{}** ({} {}; {basis})",
            d.question.get(lang),
            d.chosen,
            l.decided_by,
            d.decided_by
        );
        for r in &d.remarks {
            let _ = writeln!(out, "  - {r}");
        }
        if !d.follows.is_empty() || !d.overrules.is_empty() {
            let _ = writeln!(
                out,
                "  - {}: {}; {}: {}",
                l.follows,
                if d.follows.is_empty() {
                    l.none.to_owned()
                } else {
                    d.follows.join(", ")
                },
                l.overrules,
                if d.overrules.is_empty() {
                    l.none.to_owned()
                } else {
                    d.overrules.join(", ")
                },
            );
        }
    }
    for (head, list) in [
        (l.output_only, &f.value.output_only_goals),
        (l.desk_defined, &f.value.desk_defined_goals),
    ] {
        let _ = writeln!(out, "\n### {head}\n");
        if list.is_empty() {
            let _ = writeln!(out, "{}", l.none);
        }
        for g in list {
            let _ = writeln!(out, "- {}", g.title.get(lang));
        }
    }

    let _ = writeln!(out, "\n## {}\n", l.learning);
    let acted: Vec<String> = f
        .learning
        .acted
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    let _ = writeln!(
        out,
        "{}",
        if acted.is_empty() {
            l.none.to_owned()
        } else {
            acted.join(", ")
        }
    );
    let _ = writeln!(out, "\n### {}\n", l.contradicted);
    if f.learning.contradicted.is_empty() {
        let _ = writeln!(out, "{}", l.none);
    }
    for c in &f.learning.contradicted {
        let _ = writeln!(out, "- {c}");
    }
    let _ = writeln!(out, "\n### {}\n", l.mandate);
    if f.learning.mandate_questions.is_empty() {
        let _ = writeln!(out, "{}", l.none);
    }
    for m in &f.learning.mandate_questions {
        match &m.goal {
            Some(g) => {
                let _ = writeln!(out, "- {} ({})", m.question, g.title.get(lang));
            }
            None => {
                let _ = writeln!(out, "- {}", m.question);
            }
        }
    }

    let _ = writeln!(out, "\n## {}\n", l.spillover);
    if f.spillovers.is_empty() {
        let _ = writeln!(out, "{}", l.none);
    }
    for s in &f.spillovers {
        let _ = writeln!(
            out,
            "- {}: {} → {} ({})",
            s.initiative.get(lang),
            s.from.get(lang),
            s.to.get(lang),
            s.goal.title.get(lang)
        );
    }

    let _ = writeln!(out, "\n## {}\n", l.charts);
    if f.charts_omitted > 0 {
        let _ = writeln!(out, "{} {}\n", f.charts_omitted, l.charts_omitted);
    }
    if f.charts.is_empty() {
        let _ = writeln!(out, "{}", l.none);
    }
    for c in &f.charts {
        let last = c
            .chart
            .points
            .iter()
            .rev()
            .find_map(|p| p.y.map(|y| (p.x.to_string(), y)));
        let special = c
            .point_types
            .iter()
            .filter(|t| **t != kompas::evidence::spc::PointType::CommonCause)
            .count();
        let _ = writeln!(
            out,
            "- {} ({:?} chart, {} points, {} special-cause points): {}{}",
            c.name.get(lang),
            c.chart.chart_type(),
            c.chart.points.len(),
            special,
            l.trend(c.trend),
            last.map_or_else(String::new, |(x, y)| format!("; latest {x}: {y:.3}")),
        );
    }
    out
}
