//! Graphviz DOT export of a [`GoalHierarchy`].

use std::fmt::Write as _;

use kompas_core::{IndicatorId, Lang};

use crate::GoalHierarchy;

/// Escapes a string for a double-quoted DOT id.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl GoalHierarchy {
    /// The hierarchy as a Graphviz DOT digraph: one box per goal labelled with its title in
    /// `lang` and its level, one ellipse per indicator, and an edge from each parent to each child
    /// goal and indicator, labelled with the link weight. Nodes and edges are written in id order,
    /// so the same hierarchy gives the same text. O(V + E + I) plus sorting.
    ///
    /// ```
    /// use kompas_core::{GoalId, Lang, Text, UnitId};
    /// use kompas_goals::{Goal, GoalHierarchy, Level};
    /// let mut h = GoalHierarchy::default();
    /// let id = GoalId::from_u128(1);
    /// h.add_goal(Goal::new(id, Text::en("Say \"hi\"")?, Level::City, UnitId::from_u128(1)))?;
    /// let dot = h.to_dot(Lang::En);
    /// assert!(dot.starts_with("digraph goals {"));
    /// assert!(dot.contains(r#"label="Say \"hi\"\n(city)""#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_dot(&self, lang: Lang) -> String {
        self.to_dot_with(lang, |_| None)
    }

    /// Like [`GoalHierarchy::to_dot`], with indicator labels from `indicator_label` (the
    /// indicator id when it returns `None`), since the hierarchy knows indicators by id only.
    ///
    /// ```
    /// use kompas_core::{GoalId, IndicatorId, Lang, Text, UnitId, Weight};
    /// use kompas_goals::{Goal, GoalHierarchy, Level};
    /// let mut h = GoalHierarchy::default();
    /// let id = GoalId::from_u128(1);
    /// h.add_goal(Goal::new(id, Text::en("Health")?, Level::City, UnitId::from_u128(1)))?;
    /// h.attach_indicator(id, IndicatorId::from_u128(7), Weight::ONE)?;
    /// let dot = h.to_dot_with(Lang::En, |_| Some("Life expectancy".to_string()));
    /// assert!(dot.contains(r#"[shape=ellipse, label="Life expectancy"]"#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_dot_with(
        &self,
        lang: Lang,
        indicator_label: impl Fn(IndicatorId) -> Option<String>,
    ) -> String {
        let mut s = String::from("digraph goals {\n  rankdir=TB;\n");
        let mut edges = String::new();
        for g in self.goals() {
            let label = format!("{}\n({})", g.title.get(lang), g.level);
            // Writing to a String cannot fail.
            let _ = writeln!(
                s,
                "  {} [shape=box, label={}];",
                quote(&format!("g:{}", g.id)),
                quote(&label)
            );
            for (child, link) in self.child_links(g.id).unwrap_or_default() {
                let _ = writeln!(
                    edges,
                    "  {} -> {} [label={}];",
                    quote(&format!("g:{}", g.id)),
                    quote(&format!("g:{child}")),
                    quote(&link.weight.to_string())
                );
            }
            for (ind, w) in self.indicators(g.id).into_iter().flatten() {
                let _ = writeln!(
                    edges,
                    "  {} -> {} [label={}, style=dashed];",
                    quote(&format!("g:{}", g.id)),
                    quote(&format!("i:{ind}")),
                    quote(&w.to_string())
                );
            }
        }
        for ind in self.indicator_goals().keys() {
            let _ = writeln!(
                s,
                "  {} [shape=ellipse, label={}];",
                quote(&format!("i:{ind}")),
                quote(&indicator_label(*ind).unwrap_or_else(|| ind.to_string()))
            );
        }
        s.push_str(&edges);
        s.push_str("}\n");
        s
    }
}
