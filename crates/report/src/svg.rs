//! Inline SVG drawings of the follow-up: the goal tree and the representativeness bars.

use std::fmt::Write;

use kompas::{AttributeRepresentation, GoalStatus};

use crate::labels::Labels;

/// Escapes text for XML.
pub(crate) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// The fill colour of a score from 0 (red) through amber to 100 (green); grey without a score.
pub(crate) fn score_colour(score: Option<f64>) -> String {
    let Some(s) = score else {
        return "#b8b8b8".to_owned();
    };
    let t = (s / 100.0).clamp(0.0, 1.0);
    // Interpolate red (192, 57, 43) -> amber (230, 165, 30) -> green (39, 150, 80).
    let (a, b, u) = if t < 0.5 {
        ((192.0, 57.0, 43.0), (230.0, 165.0, 30.0), t * 2.0)
    } else {
        ((230.0, 165.0, 30.0), (39.0, 150.0, 80.0), (t - 0.5) * 2.0)
    };
    let mix = |x: f64, y: f64| (x + (y - x) * u).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    )
}

const ROW: f64 = 26.0;
const INDENT: f64 = 22.0;

/// Draws the goal tree: one row per goal, indented by depth, a box coloured by score and a bar
/// for coverage. Goals with several parents appear under their first parent.
pub(crate) fn goal_tree(goals: &[GoalStatus], l: &Labels) -> String {
    let width = 980.0;
    let height = ROW * goals.len() as f64 + 40.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" id="goal-tree" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="13"><title>{}</title>"##,
        esc(l.goals)
    );
    let bar_x = width - 290.0;
    let _ = write!(
        s,
        r##"<text x="{bar_x}" y="16" fill="#444">{}</text><text x="{}" y="16" fill="#444">{}</text>"##,
        esc(l.coverage),
        width - 60.0,
        esc(l.score)
    );
    // Connector lines from each goal up to the nearest shallower row above it.
    let mut last_at_depth: Vec<f64> = Vec::new();
    for (i, g) in goals.iter().enumerate() {
        let y = 30.0 + ROW * i as f64;
        let cy = y + ROW / 2.0;
        let x = 8.0 + INDENT * g.depth as f64;
        if g.depth > 0 {
            if let Some(py) = last_at_depth.get(g.depth - 1) {
                let px = 8.0 + INDENT * (g.depth - 1) as f64 + 7.0;
                let _ = write!(
                    s,
                    r##"<path d="M{px} {py} V{cy} H{x}" fill="none" stroke="#999" stroke-width="1"/>"##
                );
            }
        }
        last_at_depth.truncate(g.depth);
        last_at_depth.push(cy + 7.0);
        let colour = score_colour(g.score);
        let title = esc(g.title.get(l.lang));
        let _ = write!(
            s,
            r##"<g class="goal"><title>{title}</title><rect x="{x}" y="{}" width="14" height="14" rx="3" fill="{colour}" stroke="#333" stroke-width="0.6"/><text x="{}" y="{}" fill="#111">{}</text>"##,
            cy - 7.0,
            x + 20.0,
            cy + 4.5,
            esc(&truncate(g.title.get(l.lang), 90 - 3 * g.depth)),
        );
        let cov_w = 150.0 * g.coverage.clamp(0.0, 1.0);
        let _ = write!(
            s,
            r##"<rect x="{bar_x}" y="{}" width="150" height="10" fill="#e6e6e6"/><rect x="{bar_x}" y="{}" width="{cov_w:.1}" height="10" fill="#4a6fa5"/><text x="{}" y="{}" fill="#333">{:.0}%</text>"##,
            cy - 5.0,
            cy - 5.0,
            bar_x + 156.0,
            cy + 4.5,
            g.coverage * 100.0
        );
        let score = crate::markdown::score(g.score, l);
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" fill="#111">{score}</text></g>"##,
            width - 60.0,
            cy + 4.5
        );
    }
    s.push_str("</svg>");
    s
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Draws paired bars per attribute value: participants' share against the population's.
pub(crate) fn representation_bars(a: &AttributeRepresentation, l: &Labels) -> String {
    let label_w = 120.0;
    let scale = 600.0;
    let max = a
        .cells
        .iter()
        .flat_map(|c| [c.participants_share.unwrap_or(0.0), c.population_share])
        .fold(0.0f64, f64::max)
        .max(0.05);
    let row = 34.0;
    let height = row * a.cells.len() as f64 + 36.0;
    let width = label_w + scale * 0.7 + 120.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="representation" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="12"><title>{} – {}</title>"##,
        esc(l.representativeness),
        esc(&a.attribute)
    );
    let _ = write!(
        s,
        r##"<rect x="{label_w}" y="4" width="10" height="10" fill="#4a6fa5"/><text x="{}" y="13">{}</text><rect x="{}" y="4" width="10" height="10" fill="#c8c8c8"/><text x="{}" y="13">{}</text>"##,
        label_w + 14.0,
        esc(l.participants),
        label_w + 120.0,
        label_w + 134.0,
        esc(l.population)
    );
    for (i, c) in a.cells.iter().enumerate() {
        let y = 24.0 + row * i as f64;
        let w = |v: f64| scale * 0.7 * v / max;
        let _ = write!(
            s,
            r##"<text x="4" y="{}">{}</text>"##,
            y + 17.0,
            esc(&c.value)
        );
        match c.participants_share {
            Some(p) => {
                let _ = write!(
                    s,
                    r##"<rect x="{label_w}" y="{y}" width="{:.1}" height="12" fill="#4a6fa5"/><text x="{:.1}" y="{}">{:.0} %</text>"##,
                    w(p),
                    label_w + w(p) + 4.0,
                    y + 10.0,
                    p * 100.0
                );
            }
            None => {
                let _ = write!(s, r##"<text x="{label_w}" y="{}">–</text>"##, y + 10.0);
            }
        }
        let _ = write!(
            s,
            r##"<rect x="{label_w}" y="{}" width="{:.1}" height="12" fill="#c8c8c8"/><text x="{:.1}" y="{}">{:.0} %</text>"##,
            y + 13.0,
            w(c.population_share),
            label_w + w(c.population_share) + 4.0,
            y + 23.0,
            c.population_share * 100.0
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_run_red_to_green() {
        assert_eq!(score_colour(Some(0.0)), "#c0392b");
        assert_eq!(score_colour(Some(100.0)), "#279650");
        assert_eq!(score_colour(None), "#b8b8b8");
        assert_eq!(score_colour(Some(50.0)), "#e6a51e");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
