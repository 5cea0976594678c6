//! [`GoalHierarchy`]: an always-acyclic DAG of goals, with indicators attached to goals.

use std::collections::{BTreeMap, BTreeSet};

use kompas_core::{GoalId, IndicatorId, Period, Text, UnitId, ValueStatementId, Weight};
use petgraph::Direction::{Incoming, Outgoing};
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeIndexable};

use crate::Error;

/// The organisational level a goal belongs to, from the city council's goals down.
///
/// Serialised as `"city"`, `"department"`, `"unit"`, `"team"` or `{"deeper": n}`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A city goal set by the city council (in Aarhus: an Aarhus goal, *Aarhusmål*).
    City,
    /// A goal of a department (*magistratsafdeling*).
    Department,
    /// A goal of a unit inside a department (an institution, a centre).
    Unit,
    /// A goal of a team.
    Team,
    /// A goal `n` levels below team (`Deeper(1)` is the first level below team; `Deeper(0)` has
    /// the depth of a team).
    Deeper(u8),
}

impl Level {
    /// The depth of the level: 0 for city, 1 for department, 2 for unit, 3 for team, `3 + n` for
    /// `Deeper(n)`.
    pub const fn depth(self) -> u32 {
        match self {
            Level::City => 0,
            Level::Department => 1,
            Level::Unit => 2,
            Level::Team => 3,
            Level::Deeper(n) => 3 + n as u32,
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Level::City => f.write_str("city"),
            Level::Department => f.write_str("department"),
            Level::Unit => f.write_str("unit"),
            Level::Team => f.write_str("team"),
            Level::Deeper(n) => write!(f, "team-{n}"),
        }
    }
}

/// A goal: a title, a level, the unit that owns it, an optional period and the value statements
/// it serves. Its links to parent goals and its indicators live in the [`GoalHierarchy`].
///
/// ```
/// use kompas_core::{GoalId, Period, Text, UnitId, ValueStatementId};
/// use kompas_goals::{Goal, Level};
///
/// let goal = Goal::new(
///     GoalId::from_name("aarhus/1"),
///     Text::both("En by med brug for alle", "A city that needs everyone")?,
///     Level::City,
///     UnitId::from_name("aarhus/byraadet"),
/// )
/// .with_period(Period::year(2024)?)
/// .with_value(ValueStatementId::from_name("inclusion"));
/// assert_eq!(goal.values.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Goal {
    /// The goal's id, unique in its hierarchy.
    pub id: GoalId,
    /// The title, in Danish and/or English.
    pub title: Text,
    /// The organisational level.
    pub level: Level,
    /// The unit that owns the goal.
    pub owner: UnitId,
    /// The period the goal applies to, if limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The value statements the goal serves.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub values: BTreeSet<ValueStatementId>,
}

impl Goal {
    /// A goal without a period and without value statements.
    pub fn new(id: GoalId, title: Text, level: Level, owner: UnitId) -> Self {
        Goal {
            id,
            title,
            level,
            owner,
            period: None,
            values: BTreeSet::new(),
        }
    }

    /// The same goal limited to `period`.
    #[must_use]
    pub fn with_period(mut self, period: Period) -> Self {
        self.period = Some(period);
        self
    }

    /// The same goal also serving the value statement `value`.
    #[must_use]
    pub fn with_value(mut self, value: ValueStatementId) -> Self {
        self.values.insert(value);
        self
    }
}

/// How a goal contributes to one of its parents: a weight, relative to the parent's other child
/// goals and indicators, and why the link exists.
///
/// ```
/// use kompas_core::{Text, Weight};
/// use kompas_goals::Link;
/// let link = Link::new(Weight::new(2.0)?).with_rationale(Text::en("fewer falls keep people at home")?);
/// assert_eq!(link.weight.get(), 2.0);
/// assert_eq!(Link::default().weight, Weight::ONE);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(
    Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct Link {
    /// The weight of the child within its parent (relative; the parent renormalises).
    pub weight: Weight,
    /// Why the child contributes to the parent: the bridge a local goal makes to a city goal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Text>,
}

impl Link {
    /// A link with `weight` and no rationale.
    pub fn new(weight: Weight) -> Self {
        Link {
            weight,
            rationale: None,
        }
    }

    /// The same link with a rationale.
    #[must_use]
    pub fn with_rationale(mut self, rationale: Text) -> Self {
        self.rationale = Some(rationale);
        self
    }
}

#[derive(Debug, Clone)]
struct Node {
    goal: Goal,
    indicators: BTreeMap<IndicatorId, Weight>,
}

/// A [`GoalHierarchy`] as arrays indexed by each goal's place in id order (see
/// `GoalHierarchy::dense`).
pub(crate) struct Dense<'a> {
    /// The goals, in id order.
    pub(crate) goals: Vec<&'a Goal>,
    /// Each goal's indicators.
    pub(crate) indicators: Vec<&'a BTreeMap<IndicatorId, Weight>>,
    /// Each goal's child goals (places) with the link weights, in id order.
    pub(crate) children: Vec<Vec<(u32, f64)>>,
    /// Whether each goal is a city goal or contributes to one.
    pub(crate) reaches_city: Vec<bool>,
    /// The length of the longest chain from a top goal down to each goal (1 for a top goal).
    pub(crate) depth: Vec<usize>,
}

/// A goal hierarchy: goals linked to the parent goals they contribute to (a goal may have several
/// parents, so this is a DAG, never a tree only), with indicators attached to goals.
///
/// The hierarchy is always acyclic: every edit that would close a cycle or name an unknown goal
/// is refused with an [`Error`] and leaves the hierarchy unchanged. The API speaks [`GoalId`]
/// only; inside it is a petgraph `StableDiGraph` behind an id map.
///
/// Weights are relative within a parent: a goal's child goals and attached indicators share the
/// goal's weight in proportion to their link weights. The *effective weight* of an indicator in a
/// top goal is the sum over all paths from the top goal down to the indicator of the product of
/// the relative weights along the path ([`GoalHierarchy::effective_weights`]).
///
/// Serde goes through an id-based form (a list of goals, each with its parents and indicators)
/// that is checked on loading: duplicate ids, links to unknown goals, negative weights and cycles
/// are rejected with an error naming the ids.
///
/// ```
/// use kompas_core::{GoalId, IndicatorId, Text, UnitId, Weight};
/// use kompas_goals::{Goal, GoalHierarchy, Level, Link};
///
/// let unit = UnitId::from_name("aarhus");
/// let (city, dept) = (GoalId::from_name("city"), GoalId::from_name("dept"));
/// let mut h = GoalHierarchy::default();
/// h.add_goal(Goal::new(city, Text::en("Health for all")?, Level::City, unit))?;
/// h.add_goal(Goal::new(dept, Text::en("Fewer falls")?, Level::Department, unit))?;
/// h.link(dept, city, Link::new(Weight::new(1.0)?))?;
/// let falls = IndicatorId::from_name("falls");
/// h.attach_indicator(dept, falls, Weight::new(3.0)?)?;
/// h.attach_indicator(city, IndicatorId::from_name("survey"), Weight::new(1.0)?)?;
///
/// assert!(h.link(city, dept, Link::default()).is_err()); // would close a cycle
/// assert_eq!(h.bridges_to(dept)?, [city].into());
/// assert_eq!(h.effective_weights(city)?[&falls], 0.5);
///
/// let json = serde_json::to_string(&h)?;
/// let back: GoalHierarchy = serde_json::from_str(&json)?;
/// assert_eq!(back, h);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct GoalHierarchy {
    /// Edges run from a parent to a child that contributes to it.
    graph: StableDiGraph<Node, Link>,
    index: BTreeMap<GoalId, NodeIndex>,
}

impl PartialEq for GoalHierarchy {
    fn eq(&self, other: &Self) -> bool {
        self.to_data() == other.to_data()
    }
}

impl GoalHierarchy {
    // ---- private helpers ----

    fn ix(&self, id: GoalId) -> Result<NodeIndex, Error> {
        self.index
            .get(&id)
            .copied()
            .ok_or(Error::UnknownGoal { id })
    }

    fn id_of(&self, ix: NodeIndex) -> GoalId {
        // Every index in the graph is in the id map; the goal is stored in the node.
        self.graph[ix].goal.id
    }

    fn node(&self, id: GoalId) -> Result<&Node, Error> {
        Ok(&self.graph[self.ix(id)?])
    }

    fn node_mut(&mut self, id: GoalId) -> Result<&mut Node, Error> {
        let ix = self.ix(id)?;
        Ok(&mut self.graph[ix])
    }

    fn neighbours(&self, id: GoalId, dir: petgraph::Direction) -> Result<Vec<GoalId>, Error> {
        let ix = self.ix(id)?;
        let mut out: Vec<GoalId> = self
            .graph
            .neighbors_directed(ix, dir)
            .map(|n| self.id_of(n))
            .collect();
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    fn reach(&self, id: GoalId, dir: petgraph::Direction) -> Result<BTreeSet<GoalId>, Error> {
        let start = self.ix(id)?;
        let mut seen = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(n) = stack.pop() {
            for m in self.graph.neighbors_directed(n, dir) {
                if seen.insert(self.id_of(m)) {
                    stack.push(m);
                }
            }
        }
        Ok(seen)
    }

    /// A path of containment edges from `from` down to `to`, both included, if one exists.
    fn path_down(&self, from: NodeIndex, to: NodeIndex) -> Option<Vec<NodeIndex>> {
        let mut pred: BTreeMap<NodeIndex, NodeIndex> = BTreeMap::new();
        let mut stack = vec![from];
        let mut seen = BTreeSet::from([from]);
        while let Some(n) = stack.pop() {
            if n == to {
                let mut path = vec![to];
                let mut cur = to;
                while let Some(&p) = pred.get(&cur) {
                    path.push(p);
                    cur = p;
                }
                path.reverse();
                return Some(path);
            }
            for m in self.graph.neighbors_directed(n, Outgoing) {
                if seen.insert(m) {
                    pred.insert(m, n);
                    stack.push(m);
                }
            }
        }
        None
    }

    // ---- size and lookup ----

    /// The number of goals.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether there are no goals.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Whether a goal with this id is in the hierarchy.
    pub fn contains(&self, id: GoalId) -> bool {
        self.index.contains_key(&id)
    }

    /// The goal with this id, if present.
    pub fn goal(&self, id: GoalId) -> Option<&Goal> {
        self.index.get(&id).map(|&ix| &self.graph[ix].goal)
    }

    /// All goals, in id order.
    pub fn goals(&self) -> impl Iterator<Item = &Goal> + '_ {
        self.index.values().map(|&ix| &self.graph[ix].goal)
    }

    /// The number of parent-child links.
    pub fn link_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The link from `child` to `parent`, if present.
    pub fn link_between(&self, child: GoalId, parent: GoalId) -> Option<&Link> {
        let (c, p) = (*self.index.get(&child)?, *self.index.get(&parent)?);
        self.graph.find_edge(p, c).map(|e| &self.graph[e])
    }

    // ---- edits ----

    /// Adds a goal without links.
    ///
    /// # Errors
    /// [`Error::DuplicateGoal`] when a goal with the same id is already present.
    pub fn add_goal(&mut self, goal: Goal) -> Result<(), Error> {
        if self.index.contains_key(&goal.id) {
            return Err(Error::DuplicateGoal { id: goal.id });
        }
        let id = goal.id;
        let ix = self.graph.add_node(Node {
            goal,
            indicators: BTreeMap::new(),
        });
        self.index.insert(id, ix);
        Ok(())
    }

    /// Replaces the goal with the same id (title, level, owner, period, values), keeping its
    /// links and indicators; returns the old goal.
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when no goal has the id.
    pub fn replace_goal(&mut self, goal: Goal) -> Result<Goal, Error> {
        let node = self.node_mut(goal.id)?;
        Ok(std::mem::replace(&mut node.goal, goal))
    }

    /// Removes a goal with its links and attached indicators; returns the goal.
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when no goal has the id.
    pub fn remove_goal(&mut self, id: GoalId) -> Result<Goal, Error> {
        let ix = self.ix(id)?;
        self.index.remove(&id);
        match self.graph.remove_node(ix) {
            Some(node) => Ok(node.goal),
            None => Err(Error::UnknownGoal { id }),
        }
    }

    /// Links `child` to `parent`: the child contributes to the parent with `link.weight`.
    ///
    /// Complexity: O(V + E) for the cycle check (a depth-first search from the child).
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when either goal is missing, [`Error::DuplicateLink`] when the link
    /// exists, [`Error::GoalCycle`] (naming the cycle) when the parent already contributes to the
    /// child, or the child is the parent.
    pub fn link(&mut self, child: GoalId, parent: GoalId, link: Link) -> Result<(), Error> {
        let c = self.ix(child)?;
        let p = self.ix(parent)?;
        if self.graph.find_edge(p, c).is_some() {
            return Err(Error::DuplicateLink { child, parent });
        }
        if let Some(path) = self.path_down(c, p) {
            // path: child contains ... contains parent; the new link closes it.
            let mut cycle = vec![child];
            cycle.extend(path.iter().rev().map(|&n| self.id_of(n)));
            return Err(Error::GoalCycle { cycle });
        }
        self.graph.add_edge(p, c, link);
        Ok(())
    }

    /// Removes the link from `child` to `parent`; returns it.
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when either goal is missing, [`Error::UnknownLink`] when they are
    /// not linked.
    pub fn unlink(&mut self, child: GoalId, parent: GoalId) -> Result<Link, Error> {
        let c = self.ix(child)?;
        let p = self.ix(parent)?;
        let e = self
            .graph
            .find_edge(p, c)
            .ok_or(Error::UnknownLink { child, parent })?;
        self.graph
            .remove_edge(e)
            .ok_or(Error::UnknownLink { child, parent })
    }

    /// Attaches an indicator to a goal with a weight relative to the goal's other indicators and
    /// child goals. An indicator may be attached to several goals.
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when the goal is missing, [`Error::DuplicateIndicator`] when the
    /// indicator is already attached to it.
    pub fn attach_indicator(
        &mut self,
        goal: GoalId,
        indicator: IndicatorId,
        weight: Weight,
    ) -> Result<(), Error> {
        let node = self.node_mut(goal)?;
        if node.indicators.contains_key(&indicator) {
            return Err(Error::DuplicateIndicator { goal, indicator });
        }
        node.indicators.insert(indicator, weight);
        Ok(())
    }

    /// Detaches an indicator from a goal; returns its weight.
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when the goal is missing, [`Error::UnknownIndicator`] when the
    /// indicator is not attached to it.
    pub fn detach_indicator(
        &mut self,
        goal: GoalId,
        indicator: IndicatorId,
    ) -> Result<Weight, Error> {
        self.node_mut(goal)?
            .indicators
            .remove(&indicator)
            .ok_or(Error::UnknownIndicator { goal, indicator })
    }

    // ---- queries ----

    /// The goals `id` contributes to directly, in id order.
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when no goal has the id.
    pub fn parents(&self, id: GoalId) -> Result<Vec<GoalId>, Error> {
        self.neighbours(id, Incoming)
    }

    /// The goals that contribute to `id` directly, in id order.
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when no goal has the id.
    pub fn children(&self, id: GoalId) -> Result<Vec<GoalId>, Error> {
        self.neighbours(id, Outgoing)
    }

    /// The child goals of `id` with their links, in id order.
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when no goal has the id.
    pub fn child_links(&self, id: GoalId) -> Result<Vec<(GoalId, &Link)>, Error> {
        let ix = self.ix(id)?;
        let mut out: Vec<(GoalId, &Link)> = self
            .graph
            .edges_directed(ix, Outgoing)
            .map(|e| (self.id_of(e.target()), e.weight()))
            .collect();
        out.sort_unstable_by_key(|(g, _)| *g);
        Ok(out)
    }

    /// The indicators attached to `id` with their weights, in id order.
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when no goal has the id.
    pub fn indicators(&self, id: GoalId) -> Result<&BTreeMap<IndicatorId, Weight>, Error> {
        Ok(&self.node(id)?.indicators)
    }

    /// Every indicator attached anywhere, with the goals it is attached to.
    pub fn indicator_goals(&self) -> BTreeMap<IndicatorId, BTreeSet<GoalId>> {
        let mut out: BTreeMap<IndicatorId, BTreeSet<GoalId>> = BTreeMap::new();
        for (&g, &ix) in &self.index {
            for &i in self.graph[ix].indicators.keys() {
                out.entry(i).or_default().insert(g);
            }
        }
        out
    }

    /// All goals `id` contributes to, directly or through other goals. O(V + E).
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when no goal has the id.
    pub fn ancestors(&self, id: GoalId) -> Result<BTreeSet<GoalId>, Error> {
        self.reach(id, Incoming)
    }

    /// All goals that contribute to `id`, directly or through other goals. O(V + E).
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when no goal has the id.
    pub fn descendants(&self, id: GoalId) -> Result<BTreeSet<GoalId>, Error> {
        self.reach(id, Outgoing)
    }

    /// The goals that contribute to no other goal (the top goals), in id order.
    pub fn roots(&self) -> Vec<GoalId> {
        self.index
            .iter()
            .filter(|&(_, &ix)| self.graph.neighbors_directed(ix, Incoming).next().is_none())
            .map(|(&id, _)| id)
            .collect()
    }

    /// The city goals ([`Level::City`]) that `id` bridges to: the goal itself if it is a city
    /// goal, and every city goal among its ancestors. Empty when the goal reaches no city goal.
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when no goal has the id.
    pub fn bridges_to(&self, id: GoalId) -> Result<BTreeSet<GoalId>, Error> {
        let mut out = self.ancestors(id)?;
        out.insert(id);
        out.retain(|g| self.goal(*g).is_some_and(|g| g.level == Level::City));
        Ok(out)
    }

    /// All goals in topological order: every goal comes after all goals it contributes to
    /// (parents first), ties broken by id, so the order is deterministic.
    ///
    /// Kahn's algorithm (Kahn 1962, "Topological sorting of large networks"), O((V + E) log V),
    /// over dense arrays indexed by node (no map lookups in the loop).
    pub fn topological_order(&self) -> Vec<GoalId> {
        self.topological_indices()
            .into_iter()
            .map(|ix| self.id_of(ix))
            .collect()
    }

    /// [`GoalHierarchy::topological_order`] as node indices: Kahn's algorithm taking the
    /// smallest ready id first. The heap holds each goal's rank in id order (the id map's
    /// order), so that it compares integers, not uuids. O((V + E) log V).
    fn topological_indices(&self) -> Vec<NodeIndex> {
        use std::cmp::Reverse;
        let by_rank: Vec<NodeIndex> = self.index.values().copied().collect();
        let mut rank = vec![u32::MAX; self.graph.node_bound()];
        for (r, ix) in by_rank.iter().enumerate() {
            rank[ix.index()] = r as u32;
        }
        let mut indeg = vec![0u32; self.graph.node_bound()];
        for e in self.graph.edge_references() {
            indeg[e.target().index()] += 1;
        }
        let mut ready: std::collections::BinaryHeap<Reverse<u32>> = by_rank
            .iter()
            .enumerate()
            .filter(|(_, ix)| indeg[ix.index()] == 0)
            .map(|(r, _)| Reverse(r as u32))
            .collect();
        let mut out = Vec::with_capacity(by_rank.len());
        while let Some(Reverse(r)) = ready.pop() {
            let ix = by_rank[r as usize];
            out.push(ix);
            for c in self.graph.neighbors_directed(ix, Outgoing) {
                let d = &mut indeg[c.index()];
                *d -= 1;
                if *d == 0 {
                    ready.push(Reverse(rank[c.index()]));
                }
            }
        }
        out
    }

    /// The share of `id`'s weight that goes to each child goal and each indicator: link weights
    /// divided by their sum. All zero when every weight is zero.
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when no goal has the id.
    #[allow(clippy::type_complexity)]
    pub fn relative_weights(
        &self,
        id: GoalId,
    ) -> Result<(BTreeMap<GoalId, f64>, BTreeMap<IndicatorId, f64>), Error> {
        let ix = self.ix(id)?;
        let node = &self.graph[ix];
        let total: f64 = self
            .graph
            .edges_directed(ix, Outgoing)
            .map(|e| e.weight().weight.get())
            .chain(node.indicators.values().map(|w| w.get()))
            .sum();
        let rel = |w: Weight| if total > 0.0 { w.get() / total } else { 0.0 };
        let goals = self
            .graph
            .edges_directed(ix, Outgoing)
            .map(|e| (self.id_of(e.target()), rel(e.weight().weight)))
            .collect();
        let inds = node.indicators.iter().map(|(&i, &w)| (i, rel(w))).collect();
        Ok((goals, inds))
    }

    /// The effective weight of every indicator below `top`: the sum over all paths from `top`
    /// down to the indicator of the product of the relative weights along the path. When every
    /// path from `top` ends in an indicator and no goal's weights are all zero, the weights sum
    /// to 1.
    ///
    /// Propagates `top`'s weight down in topological order: O((V + E) log V + I log I) for the
    /// V goals, E links and I attachments below `top`.
    ///
    /// # Errors
    /// [`Error::UnknownGoal`] when no goal has the id.
    pub fn effective_weights(&self, top: GoalId) -> Result<BTreeMap<IndicatorId, f64>, Error> {
        let start = self.ix(top)?;
        // Kahn's algorithm restricted to the part below `top`.
        let mut below: BTreeMap<NodeIndex, usize> = BTreeMap::from([(start, 0)]);
        let mut stack = vec![start];
        while let Some(n) = stack.pop() {
            for m in self.graph.neighbors_directed(n, Outgoing) {
                let d = below.entry(m).or_insert(0);
                if *d == 0 {
                    stack.push(m);
                }
                *d += 1;
            }
        }
        // Goals are taken in id order when ready and their links in their children's id order,
        // so that the sums run in an order fixed by the hierarchy's content, not by the order in
        // which the links were made: equal hierarchies (e.g. after a serde round trip) give
        // equal bits.
        let mut mass: BTreeMap<NodeIndex, f64> = BTreeMap::from([(start, 1.0)]);
        let mut out: BTreeMap<IndicatorId, f64> = BTreeMap::new();
        let mut ready: BTreeMap<GoalId, NodeIndex> = BTreeMap::from([(top, start)]);
        let mut links: Vec<(GoalId, NodeIndex, f64)> = Vec::new();
        while let Some((_, n)) = ready.pop_first() {
            let m = mass.get(&n).copied().unwrap_or(0.0);
            let node = &self.graph[n];
            links.clear();
            links.extend(self.graph.edges_directed(n, Outgoing).map(|e| {
                (
                    self.graph[e.target()].goal.id,
                    e.target(),
                    e.weight().weight.get(),
                )
            }));
            links.sort_unstable_by_key(|l| l.0);
            let total: f64 = links
                .iter()
                .map(|l| l.2)
                .chain(node.indicators.values().map(|w| w.get()))
                .sum();
            for &(id, c, w) in &links {
                if total > 0.0 {
                    *mass.entry(c).or_insert(0.0) += m * w / total;
                }
                if let Some(d) = below.get_mut(&c) {
                    *d -= 1;
                    if *d == 0 {
                        ready.insert(id, c);
                    }
                }
            }
            for (&i, &w) in &node.indicators {
                let share = if total > 0.0 {
                    m * w.get() / total
                } else {
                    0.0
                };
                *out.entry(i).or_insert(0.0) += share;
            }
        }
        Ok(out)
    }

    /// The effective weights of the indicators in every top goal ([`GoalHierarchy::roots`]).
    pub fn all_effective_weights(&self) -> BTreeMap<GoalId, BTreeMap<IndicatorId, f64>> {
        self.roots()
            .into_iter()
            .filter_map(|r| self.effective_weights(r).ok().map(|w| (r, w)))
            .collect()
    }

    /// The length (in goals) of the longest chain from a top goal down to each goal: 1 for a top
    /// goal. O((V + E) log V).
    pub fn depths(&self) -> BTreeMap<GoalId, usize> {
        let mut depth = vec![0usize; self.graph.node_bound()];
        for ix in self.topological_indices() {
            depth[ix.index()] = self
                .graph
                .neighbors_directed(ix, Incoming)
                .map(|p| depth[p.index()])
                .max()
                .map_or(1, |d| d + 1);
        }
        self.index
            .iter()
            .map(|(&id, &ix)| (id, depth[ix.index()]))
            .collect()
    }

    /// The hierarchy as arrays indexed by each goal's place in id order, for whole-hierarchy
    /// passes (the diagnostics) that would otherwise look every goal up in the id map.
    pub(crate) fn dense(&self) -> Dense<'_> {
        let mut place = vec![u32::MAX; self.graph.node_bound()];
        for (k, &ix) in self.index.values().enumerate() {
            place[ix.index()] = k as u32;
        }
        let mut children = Vec::with_capacity(self.index.len());
        let mut nodes = Vec::with_capacity(self.index.len());
        for &ix in self.index.values() {
            let mut row: Vec<(u32, f64)> = self
                .graph
                .edges_directed(ix, Outgoing)
                .map(|e| (place[e.target().index()], e.weight().weight.get()))
                .collect();
            row.sort_unstable_by_key(|&(c, _)| c);
            children.push(row);
            nodes.push(&self.graph[ix]);
        }
        let order = self.topological_indices();
        let mut reaches_city = vec![false; nodes.len()];
        let mut depth = vec![0usize; nodes.len()];
        for ix in order {
            let k = place[ix.index()] as usize;
            let mut reach = self.graph[ix].goal.level == Level::City;
            let mut d = 0;
            for p in self.graph.neighbors_directed(ix, Incoming) {
                let p = place[p.index()] as usize;
                reach |= reaches_city[p];
                d = d.max(depth[p]);
            }
            reaches_city[k] = reach;
            depth[k] = d + 1;
        }
        Dense {
            goals: nodes.iter().map(|n| &n.goal).collect(),
            indicators: nodes.iter().map(|n| &n.indicators).collect(),
            children,
            reaches_city,
            depth,
        }
    }

    // ---- the bridge to the aggregation pipeline ----

    /// The hierarchy as an [`AggregationPlan`](crate::AggregationPlan): one plan node per goal,
    /// coded by the goal id's `Display` form, whose children are its child goals and attached
    /// indicators (coded by their ids' `Display` form) with their link weights. Indicator codes
    /// are the plan's leaves, matched to data columns by code. Goals without children become
    /// nodes without children (always missing). O((V + E + I) log V).
    ///
    /// # Errors
    /// [`Error::IndicatorIsGoal`] when an indicator has the same uuid as a goal; otherwise the
    /// errors of `AggregationPlan::new` (which cannot occur for a valid hierarchy).
    ///
    /// ```
    /// use kompas_core::{GoalId, IndicatorId, Text, UnitId, Weight};
    /// use kompas_goals::{Goal, GoalHierarchy, Level};
    /// let mut h = GoalHierarchy::default();
    /// let g = GoalId::from_u128(1);
    /// h.add_goal(Goal::new(g, Text::en("Health")?, Level::City, UnitId::from_u128(1)))?;
    /// let (a, b) = (IndicatorId::from_u128(10), IndicatorId::from_u128(11));
    /// h.attach_indicator(g, a, Weight::new(1.0)?)?;
    /// h.attach_indicator(g, b, Weight::new(3.0)?)?;
    /// let plan = h.to_plan()?;
    /// let leaves: Vec<String> = plan.leaf_codes().to_vec();
    /// let values: Vec<f64> = leaves.iter().map(|c| if *c == a.to_string() { 0.0 } else { 100.0 }).collect();
    /// let eval = plan.evaluate(&["u".to_string()], &values)?;
    /// assert_eq!(eval.node_value(plan.node_index(&g.to_string()).unwrap(), 0), Some(75.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_plan(&self) -> Result<crate::AggregationPlan, Error> {
        let mut nodes = Vec::with_capacity(self.len());
        for (&id, &ix) in &self.index {
            let mut children: Vec<(String, f64)> = self
                .child_links(id)?
                .into_iter()
                .map(|(c, l)| (c.to_string(), l.weight.get()))
                .collect();
            for (&i, w) in &self.graph[ix].indicators {
                if self.index.contains_key(&GoalId::new(*i.as_uuid())) {
                    return Err(Error::IndicatorIsGoal { indicator: i });
                }
                children.push((i.to_string(), w.get()));
            }
            nodes.push(crate::PlanNode {
                code: id.to_string(),
                children,
            });
        }
        crate::AggregationPlan::new(nodes)
    }

    // ---- the id-based form ----

    /// The id-based form of the hierarchy (what serde writes): goals in id order, each with its
    /// parent links and indicators in id order.
    pub fn to_data(&self) -> GoalHierarchyData {
        let goals = self
            .index
            .iter()
            .map(|(_, &ix)| {
                let node = &self.graph[ix];
                let mut parents: Vec<ParentRecord> = self
                    .graph
                    .edges_directed(ix, Incoming)
                    .map(|e| ParentRecord {
                        goal: self.id_of(e.source()),
                        weight: e.weight().weight.get(),
                        rationale: e.weight().rationale.clone(),
                    })
                    .collect();
                parents.sort_by_key(|p| p.goal);
                GoalRecord {
                    id: node.goal.id,
                    title: node.goal.title.clone(),
                    level: node.goal.level,
                    owner: node.goal.owner,
                    period: node.goal.period,
                    values: node.goal.values.iter().copied().collect(),
                    parents,
                    indicators: node
                        .indicators
                        .iter()
                        .map(|(&id, w)| IndicatorRecord {
                            id,
                            weight: w.get(),
                        })
                        .collect(),
                }
            })
            .collect();
        GoalHierarchyData { goals }
    }
}

impl From<GoalHierarchy> for GoalHierarchyData {
    fn from(h: GoalHierarchy) -> Self {
        h.to_data()
    }
}

impl TryFrom<GoalHierarchyData> for GoalHierarchy {
    type Error = Error;

    /// Builds and checks a hierarchy: O((V + E) log V).
    fn try_from(data: GoalHierarchyData) -> Result<Self, Error> {
        let mut h = GoalHierarchy::default();
        let links_total = data.goals.iter().map(|r| r.parents.len()).sum();
        h.graph = StableDiGraph::with_capacity(data.goals.len(), links_total);
        let mut links = Vec::with_capacity(links_total);
        for rec in data.goals {
            let mut values = BTreeSet::new();
            for v in rec.values {
                if !values.insert(v) {
                    return Err(Error::DuplicateValue {
                        goal: rec.id,
                        value: v,
                    });
                }
            }
            let goal = Goal {
                id: rec.id,
                title: rec.title,
                level: rec.level,
                owner: rec.owner,
                period: rec.period,
                values,
            };
            h.add_goal(goal)?;
            for i in rec.indicators {
                let weight = Weight::new(i.weight).map_err(|_| Error::InvalidIndicatorWeight {
                    goal: rec.id,
                    indicator: i.id,
                    value: i.weight,
                })?;
                h.attach_indicator(rec.id, i.id, weight)?;
            }
            for p in rec.parents {
                links.push((rec.id, p));
            }
        }
        for (child, p) in links {
            let weight = Weight::new(p.weight).map_err(|_| Error::InvalidLinkWeight {
                child,
                parent: p.goal,
                value: p.weight,
            })?;
            let c = h.ix(child)?;
            let Some(&pix) = h.index.get(&p.goal) else {
                return Err(Error::UnknownParent {
                    goal: child,
                    parent: p.goal,
                });
            };
            if h.graph.find_edge(pix, c).is_some() {
                return Err(Error::DuplicateLink {
                    child,
                    parent: p.goal,
                });
            }
            h.graph.add_edge(
                pix,
                c,
                Link {
                    weight,
                    rationale: p.rationale,
                },
            );
        }
        // A plain depth-first check (O(V + E)): the id-ordered topological sort is not needed
        // to know whether there is a cycle.
        if petgraph::algo::is_cyclic_directed(&h.graph) {
            return Err(Error::GoalCycle {
                cycle: h.find_cycle(),
            });
        }
        Ok(h)
    }
}

impl GoalHierarchy {
    /// One cycle among the goals (the first goal repeated at the end); empty when acyclic.
    /// Only reachable while loading, before the hierarchy is returned.
    fn find_cycle(&self) -> Vec<GoalId> {
        // Iterative three-colour depth-first search along "contributes to" (child -> parent).
        let mut colour: BTreeMap<NodeIndex, u8> = BTreeMap::new();
        for &start in self.index.values() {
            if colour.contains_key(&start) {
                continue;
            }
            let mut stack: Vec<(NodeIndex, Vec<NodeIndex>)> = vec![(
                start,
                self.graph.neighbors_directed(start, Incoming).collect(),
            )];
            colour.insert(start, 1);
            while let Some((n, rest)) = stack.last_mut() {
                let n = *n;
                match rest.pop() {
                    Some(m) => match colour.get(&m) {
                        Some(1) => {
                            let pos = stack.iter().position(|(x, _)| *x == m).unwrap_or(0);
                            let mut cycle: Vec<GoalId> =
                                stack[pos..].iter().map(|(x, _)| self.id_of(*x)).collect();
                            cycle.push(self.id_of(m));
                            return cycle;
                        }
                        Some(_) => {}
                        None => {
                            colour.insert(m, 1);
                            let next = self.graph.neighbors_directed(m, Incoming).collect();
                            stack.push((m, next));
                        }
                    },
                    None => {
                        colour.insert(n, 2);
                        stack.pop();
                    }
                }
            }
        }
        Vec::new()
    }
}

impl serde::Serialize for GoalHierarchy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_data().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for GoalHierarchy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let data = GoalHierarchyData::deserialize(d)?;
        GoalHierarchy::try_from(data).map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for GoalHierarchy {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "GoalHierarchy".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        GoalHierarchyData::json_schema(g)
    }
}

/// The id-based form of a [`GoalHierarchy`], as written to JSON. Converting it into a hierarchy
/// (`GoalHierarchy::try_from`) checks it.
#[derive(
    Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct GoalHierarchyData {
    /// The goals, each with its parent links and indicators.
    pub goals: Vec<GoalRecord>,
}

/// One goal in a [`GoalHierarchyData`]: the [`Goal`]'s fields plus its links.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalRecord {
    /// The goal's id, unique in the hierarchy.
    pub id: GoalId,
    /// The title, in Danish and/or English.
    pub title: Text,
    /// The organisational level.
    pub level: Level,
    /// The unit that owns the goal.
    pub owner: UnitId,
    /// The period the goal applies to, if limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The value statements the goal serves (no duplicates).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValueStatementId>,
    /// The goals this goal contributes to (no duplicates, no cycles).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<ParentRecord>,
    /// The indicators attached to this goal (no duplicates).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<IndicatorRecord>,
}

/// A link to a parent in a [`GoalRecord`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParentRecord {
    /// The parent goal.
    pub goal: GoalId,
    /// The weight within the parent: a finite number >= 0; 1 when left out.
    #[serde(default = "one")]
    #[schemars(range(min = 0.0))]
    pub weight: f64,
    /// Why the goal contributes to the parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Text>,
}

/// An indicator attached to a goal in a [`GoalRecord`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorRecord {
    /// The indicator.
    pub id: IndicatorId,
    /// The weight within the goal: a finite number >= 0; 1 when left out.
    #[serde(default = "one")]
    #[schemars(range(min = 0.0))]
    pub weight: f64,
}

fn one() -> f64 {
    1.0
}
