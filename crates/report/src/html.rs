//! The HTML rendering of a follow-up: one self-contained page, inline CSS and SVG, no scripts.

use std::fmt::Write;

use kompas::FollowUp;
use kompas_core::Lang;

use crate::labels::Labels;
use crate::markdown::{authority, pct, score, voices};
use crate::svg::{esc, goal_tree, representation_bars, score_colour};

const CSS: &str = "body{font-family:system-ui,sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;color:#111;line-height:1.45}\
h1{border-bottom:3px solid #4a6fa5;padding-bottom:.2em}h2{margin-top:2em;color:#234}\
table{border-collapse:collapse;width:100%;font-size:14px}th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}\
td.num{text-align:right;font-variant-numeric:tabular-nums}.note{background:#fff6d6;border-left:4px solid #e6a51e;padding:.5em 1em}\
.sev-error{color:#b00020}.sev-warning{color:#8a5a00}.sev-info{color:#555}.swatch{display:inline-block;width:.9em;height:.9em;border-radius:2px;margin-right:.4em;vertical-align:-.1em}\
figure{margin:1em 0}svg{max-width:100%;height:auto}";

pub(crate) fn render(f: &FollowUp, l: &Labels) -> String {
    let lang = l.lang;
    let code = match lang {
        Lang::Da => "da",
        Lang::En => "en",
    };
    let title = format!("{} {} – {}", l.title, f.year, f.municipality.get(lang));
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{CSS}</style></head><body>\n<h1>{}</h1>\n",
        esc(&title),
        esc(&title)
    );
    if f.has_illustrative_values {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", esc(l.illustrative));
    }

    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<figure>{}</figure>",
        esc(l.goals),
        goal_tree(&f.goals, l)
    );
    let _ = write!(
        h,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(l.goal),
        esc(l.score),
        esc(l.coverage),
        esc(l.trend),
        esc(l.triangulation),
        esc(l.voices)
    );
    for g in &f.goals {
        let tri = g.triangulation.as_ref().map_or_else(
            || "–".to_owned(),
            |t| format!("{}: {}", l.verdict(&t.verdict, &t.confidence), t.summary),
        );
        let _ = write!(
            h,
            "<tr><td style=\"padding-left:{}em\"><span class=\"swatch\" style=\"background:{}\"></span>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            0.4 + 1.2 * g.depth as f64,
            score_colour(g.score),
            esc(g.title.get(lang)),
            score(g.score, l),
            pct(g.coverage),
            esc(l.trend(g.trend)),
            esc(&tri),
            esc(&voices(g, l))
        );
    }
    h.push_str("</tbody></table>\n");

    let _ = writeln!(h, "<h3>{}</h3>", esc(l.clutter));
    diagnostics(&mut h, &f.clutter, l);
    for (head, list) in [
        (l.no_evidence, &f.goals_without_evidence),
        (l.no_bridge, &f.goals_without_bridge),
    ] {
        let _ = writeln!(h, "<h3>{}</h3>", esc(head));
        list_or_none(&mut h, list.iter().map(|g| g.title.get(lang).to_owned()), l);
    }

    let _ = writeln!(h, "<h2>{}</h2>", esc(l.cocreation));
    if f.initiatives.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", esc(l.none));
    }
    for i in &f.initiatives {
        let _ = writeln!(
            h,
            "<h3>{} ({} {})</h3>",
            esc(i.title.get(lang)),
            i.participants,
            esc(l.participants)
        );
        let _ = writeln!(h, "<p>{}:</p>", esc(l.charter_checks));
        diagnostics(&mut h, &i.findings, l);
        for a in &i.representativeness {
            let _ = writeln!(h, "<figure>{}</figure>", representation_bars(a, l));
            if a.cells.iter().any(|c| c.participants_share.is_none()) {
                let _ = writeln!(h, "<p><small>{}</small></p>", esc(l.suppressed));
            }
        }
    }

    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<h3>{}</h3>",
        esc(l.value),
        esc(l.open_dilemmas)
    );
    list_or_none(
        &mut h,
        f.value
            .open_dilemmas
            .iter()
            .map(|d| d.question.get(lang).to_owned()),
        l,
    );
    let _ = writeln!(h, "<h3>{}</h3>", esc(l.decisions));
    if f.value.decisions.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", esc(l.none));
    } else {
        h.push_str("<ul>");
        for d in &f.value.decisions {
            let basis = if d.open_basis {
                l.open_basis
            } else {
                l.closed_basis
            };
            let _ = write!(
                h,
                "<li>{} → <strong>{}</strong> ({} {}; {})",
                esc(d.question.get(lang)),
                esc(&d.chosen),
                esc(l.decided_by),
                esc(&authority(&d.decided_by, l)),
                esc(basis)
            );
            if !d.remarks.is_empty() || !d.follows.is_empty() || !d.overrules.is_empty() {
                h.push_str("<ul>");
                for r in &d.remarks {
                    let _ = write!(h, "<li>{}</li>", esc(r));
                }
                if !d.follows.is_empty() || !d.overrules.is_empty() {
                    let _ = write!(
                        h,
                        "<li>{}: {}; {}: {}</li>",
                        esc(l.follows),
                        esc(&d.follows.join(", ")),
                        esc(l.overrules),
                        esc(&d.overrules.join(", "))
                    );
                }
                h.push_str("</ul>");
            }
            h.push_str("</li>");
        }
        h.push_str("</ul>\n");
    }
    for (head, list) in [
        (l.output_only, &f.value.output_only_goals),
        (l.desk_defined, &f.value.desk_defined_goals),
    ] {
        let _ = writeln!(h, "<h3>{}</h3>", esc(head));
        list_or_none(&mut h, list.iter().map(|g| g.title.get(lang).to_owned()), l);
    }

    let _ = writeln!(h, "<h2>{}</h2>", esc(l.learning));
    let acted: Vec<String> = f
        .learning
        .acted
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    let _ = writeln!(
        h,
        "<p>{}</p>",
        esc(&if acted.is_empty() {
            l.none.to_owned()
        } else {
            acted.join(", ")
        })
    );
    let _ = writeln!(h, "<h3>{}</h3>", esc(l.contradicted));
    list_or_none(&mut h, f.learning.contradicted.iter().cloned(), l);
    let _ = writeln!(h, "<h3>{}</h3>", esc(l.mandate));
    list_or_none(
        &mut h,
        f.learning.mandate_questions.iter().map(|m| match &m.goal {
            Some(g) => format!("{} ({})", m.question, g.title.get(lang)),
            None => m.question.clone(),
        }),
        l,
    );

    let _ = writeln!(h, "<h2>{}</h2>", esc(l.spillover));
    list_or_none(
        &mut h,
        f.spillovers.iter().map(|s| {
            format!(
                "{}: {} → {} ({})",
                s.initiative.get(lang),
                s.from.get(lang),
                s.to.get(lang),
                s.goal.title.get(lang)
            )
        }),
        l,
    );

    let _ = writeln!(h, "<h2>{}</h2>", esc(l.charts));
    if f.charts_omitted > 0 {
        let _ = writeln!(h, "<p>{} {}</p>", f.charts_omitted, esc(l.charts_omitted));
    }
    if f.charts.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", esc(l.none));
    }
    for c in &f.charts {
        let _ = writeln!(
            h,
            "<h3>{} <small>({}: {})</small></h3>\n<figure>{}</figure>",
            esc(c.name.get(lang)),
            esc(c.chart.chart_type().label()),
            esc(l.trend(c.trend)),
            crate::chart_svg(
                &c.chart,
                &crate::ChartSvg::new(c.name.get(lang))
                    .y_label(c.unit.clone())
                    .point_types(c.point_types.clone())
                    .lang(lang)
            )
        );
    }
    h.push_str("</body></html>\n");
    h
}

fn diagnostics(h: &mut String, list: &[kompas::Diagnostic], l: &Labels) {
    if list.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", esc(l.none));
        return;
    }
    h.push_str("<ul>");
    for d in list {
        let class = match d.severity {
            kompas::Severity::Error => "sev-error",
            kompas::Severity::Warning => "sev-warning",
            kompas::Severity::Info => "sev-info",
        };
        let _ = write!(
            h,
            "<li class=\"{class}\"><code>{}</code> {}</li>",
            esc(&d.code),
            esc(&d.message)
        );
    }
    h.push_str("</ul>\n");
}

fn list_or_none(h: &mut String, items: impl Iterator<Item = String>, l: &Labels) {
    let items: Vec<String> = items.collect();
    if items.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", esc(l.none));
        return;
    }
    h.push_str("<ul>");
    for i in items {
        let _ = write!(h, "<li>{}</li>", esc(&i));
    }
    h.push_str("</ul>\n");
}
