//! The Markdown rendering of a follow-up, for reading in a terminal.

use std::fmt::Write;

use kompas::{FollowUp, GoalStatus};

use crate::labels::Labels;

/// Formats an optional score with one decimal and the language's decimal mark.
pub(crate) fn score(s: Option<f64>, l: &Labels) -> String {
    s.map_or_else(|| "–".to_owned(), |v| l.number(v, 1))
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
    // A count with its noun in the singular or the plural: `[singular, plural]` per language.
    let counted = |n: usize, da: [&str; 2], en: [&str; 2]| {
        let forms = match l.lang {
            kompas_core::Lang::Da => da,
            kompas_core::Lang::En => en,
        };
        format!("{n} {}", forms[usize::from(n != 1)])
    };
    if g.voices.registers > 0 {
        parts.push(counted(
            g.voices.registers,
            ["registerindikator", "registerindikatorer"],
            ["register indicator", "register indicators"],
        ));
    }
    if g.voices.surveys > 0 {
        parts.push(counted(
            g.voices.surveys,
            ["undersøgelse", "undersøgelser"],
            ["survey indicator", "survey indicators"],
        ));
    }
    if parts.is_empty() {
        l.none.to_owned()
    } else {
        parts.join(", ")
    }
}

/// Who decided, by name in the report's language: the code of a known
/// [`kompas::value::Authority`], else the code as it stands.
pub(crate) fn authority(code: &str, l: &Labels) -> String {
    match kompas::value::Authority::from_code(code) {
        Some(a) => match l.lang {
            kompas_core::Lang::Da => a.label_da(),
            kompas_core::Lang::En => a.label_en(),
        }
        .to_owned(),
        None => code.to_owned(),
    }
}

/// Writes a diagnostic as a list item: its code, its severity in the report's language, its
/// message.
fn diagnostic(out: &mut String, d: &kompas::Diagnostic, l: &Labels) {
    let _ = writeln!(
        out,
        "- `{}` {}: {}",
        d.code,
        l.severity(d.severity),
        d.message
    );
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
            score(g.score, l),
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
        diagnostic(&mut out, d, l);
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
            diagnostic(&mut out, d, l);
        }
        for a in &i.representativeness {
            let _ = writeln!(
                out,
                "\n{} – {} ({} {})\n\n| | {} | {} |\n|---|---:|---:|",
                l.representativeness,
                a.attribute,
                l.dissimilarity,
                l.number(a.dissimilarity, 3),
                l.participants,
                l.population
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
            authority(&d.decided_by, l)
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
        let [chart, points, special_points, latest] = l.chart_line;
        let _ = writeln!(
            out,
            "- {} ({} {chart}, {} {points}, {special} {special_points}): {}{}",
            c.name.get(lang),
            c.chart.chart_type().label(),
            c.chart.points.len(),
            l.trend(c.trend),
            last.map_or_else(String::new, |(x, y)| {
                format!("; {latest} {x}: {}", l.number(y, 3))
            }),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kompas_core::Lang;

    #[test]
    fn counted_voices_take_the_singular_for_one() {
        let f = kompas::follow_up(&kompas::example::aarhus(), 2024).unwrap();
        let mut g = f.goals[0].clone();
        g.voices.by_perspective.clear();
        let cases = [
            (1, 1, Lang::En, "1 register indicator, 1 survey indicator"),
            (2, 3, Lang::En, "2 register indicators, 3 survey indicators"),
            (1, 1, Lang::Da, "1 registerindikator, 1 undersøgelse"),
            (2, 3, Lang::Da, "2 registerindikatorer, 3 undersøgelser"),
            (0, 1, Lang::En, "1 survey indicator"),
        ];
        for (registers, surveys, lang, expected) in cases {
            g.voices.registers = registers;
            g.voices.surveys = surveys;
            assert_eq!(voices(&g, &Labels::new(lang)), expected);
        }
    }

    #[test]
    fn danish_numbers_take_a_decimal_comma() {
        let (en, da) = (Labels::new(Lang::En), Labels::new(Lang::Da));
        assert_eq!(da.number(63.44, 1), "63,4");
        assert_eq!(en.number(63.44, 1), "63.4");
        assert_eq!(da.number(-0.1375, 3), "-0,138");
        assert_eq!(score(Some(88.0), &da), "88,0");
        assert_eq!(score(None, &da), "–");
        let f = kompas::follow_up(&kompas::example::aarhus(), 2024).unwrap();
        let text = render(&f, &da);
        // Every number with a fractional part, in the goal table, the representativeness tables
        // and the charts' lines, is written with a comma; points stand only between groups of
        // thousands (`320.000 kr.`).
        let digits = |b: Option<&u8>| b.is_some_and(u8::is_ascii_digit);
        let bytes = text.as_bytes();
        for (i, _) in text.match_indices('.') {
            if digits(bytes.get(i.wrapping_sub(1))) && digits(bytes.get(i + 1)) {
                let group = bytes
                    .get(i + 1..i + 4)
                    .is_some_and(|g| g.iter().all(u8::is_ascii_digit))
                    && !digits(bytes.get(i + 4));
                assert!(
                    group,
                    "a decimal point in the Danish report: {:?}",
                    &text[i.saturating_sub(30)..i + 10]
                );
            }
        }
        assert!(text.contains("63,4"), "{text}");
        assert!(text.contains("Fejl") && !text.contains("Error"));
        // The HTML page's charts speak Danish too.
        let html = crate::html::render(&f, &da);
        assert!(html.contains("forbedring</text>") && html.contains(" diagram)</text>"));
        assert!(!html.contains("improvement</text>") && !html.contains(" chart)</text>"));
    }

    #[test]
    fn deciders_are_named_not_coded() {
        let (en, da) = (Labels::new(Lang::En), Labels::new(Lang::Da));
        assert_eq!(authority("city_council", &en), "the city council");
        assert_eq!(authority("city_council", &da), "byrådet");
        assert_eq!(authority("co_creation_forum", &en), "a co-creation forum");
        // A code this version does not know stays as it is.
        assert_eq!(authority("mayor", &en), "mayor");
        let f = kompas::follow_up(&kompas::example::aarhus(), 2024).unwrap();
        assert!(!f.value.decisions.is_empty());
        let text = render(&f, &en);
        assert!(text.contains("decided by the city council"), "{text}");
        assert!(!text.contains("city_council"));
    }
}
