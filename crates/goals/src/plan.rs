//! A compiled aggregation plan: a DAG of aggregate nodes over leaf indicators in flat (CSR)
//! arrays, evaluated in topological order, with incremental re-aggregation of one value.

use serde::{Deserialize, Serialize};

use crate::Error;

/// One aggregate node of a plan, as given to [`AggregationPlan::new`]: its code and its children
/// with their relative weights. A child that is not itself a node's code is a leaf (an indicator,
/// matched to a data column by code). A child may appear under several nodes (a DAG).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanNode {
    /// The node's code (unique among nodes).
    pub code: String,
    /// The children and their weights (finite, at least 0; relative within this node).
    pub children: Vec<(String, f64)>,
}

/// How a node combines its children's values.
///
/// Every method renormalises the weights over the children that have data for a unit
/// (see [`AggregationPlan::set_availability_threshold`]).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Aggregation {
    /// Weighted arithmetic mean `sum(w x) / sum(w)`.
    #[default]
    ArithmeticMean,
    /// Weighted geometric mean `exp(sum(w ln x) / sum(w))`; every value must be above zero.
    GeometricMean,
    /// Weighted harmonic mean `sum(w) / sum(w / x)`; every value must be above zero.
    HarmonicMean,
    /// Weighted generalised (power) mean `(sum(w x^p) / sum(w))^(1/p)`; `p = 0` is the geometric
    /// mean. Values must be above zero when `p <= 0` and at least zero otherwise.
    GeneralisedMean {
        /// The exponent.
        p: f64,
    },
    /// Copeland outranking (Munda & Nardo 2009): for each pair of units the weighted share of
    /// children on which one beats the other (ties count half); a unit scores +1 for each unit it
    /// outranks (share above 0.5) and -1 for each that outranks it. Compares units with each
    /// other, so a unit's score depends on the whole column.
    Copeland,
}

impl Aggregation {
    /// A short lowercase name, used in messages and on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Aggregation::ArithmeticMean => "arithmetic mean",
            Aggregation::GeometricMean => "geometric mean",
            Aggregation::HarmonicMean => "harmonic mean",
            Aggregation::GeneralisedMean { .. } => "generalised mean",
            Aggregation::Copeland => "copeland outranking",
        }
    }
}

/// A compiled aggregation DAG.
///
/// Leaves are numbered `0..leaf_count()` in order of first appearance; nodes are kept in
/// topological order (children before parents), numbered `0..node_count()`. Children, weights
/// and parents sit in flat compressed-sparse-row arrays, so evaluation does no hashing and no
/// allocation per node.
///
/// ```
/// use kompas_goals::{AggregationPlan, PlanNode};
///
/// let plan = AggregationPlan::new(vec![
///     PlanNode { code: "Index".into(), children: vec![("A".into(), 1.0), ("b".into(), 1.0)] },
///     PlanNode { code: "A".into(), children: vec![("a1".into(), 1.0), ("a2".into(), 3.0)] },
/// ])?;
/// assert_eq!(plan.leaf_codes(), ["b", "a1", "a2"]);
/// let units = vec!["u1".to_string()];
/// // Leaf-major values: one column of `units.len()` values per leaf, NaN = missing.
/// let eval = plan.evaluate(&units, &[50.0, 0.0, 100.0])?;
/// assert_eq!(eval.node_value(plan.node_index("A").unwrap(), 0), Some(75.0));
/// assert_eq!(eval.node_value(plan.node_index("Index").unwrap(), 0), Some(62.5));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AggregationPlan {
    leaf_codes: Vec<String>,
    node_codes: Vec<String>,
    /// (code, slot) sorted by code; slot < leaf count is a leaf, else node `slot - leaves`.
    lookup: Vec<(String, u32)>,
    child_start: Vec<u32>,
    child_slot: Vec<u32>,
    pub(crate) child_weight: Vec<f64>,
    /// Parents of each slot (leaves then nodes), as node indices.
    parent_start: Vec<u32>,
    parent_node: Vec<u32>,
    methods: Vec<Aggregation>,
    threshold: f64,
}

/// The result of [`AggregationPlan::evaluate`]: every leaf and node value per unit, and each
/// node's coverage.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    units: Vec<String>,
    leaves: usize,
    /// Slot-major: `values[slot * units + u]`, leaves first, then nodes in plan order.
    values: Vec<f64>,
    /// Node-major: `coverage[node * units + u]`.
    coverage: Vec<f64>,
}

impl Evaluation {
    /// The unit codes, in input order.
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// The unit codes, giving up the evaluation.
    pub(crate) fn into_units(self) -> Vec<String> {
        self.units
    }

    /// The value of node `node` for unit `unit`; `None` when missing (or out of range).
    pub fn node_value(&self, node: usize, unit: usize) -> Option<f64> {
        let n = self.units.len();
        if unit >= n {
            return None;
        }
        self.values
            .get((self.leaves + node) * n + unit)
            .copied()
            .filter(|v| !v.is_nan())
    }

    /// The values of node `node` for all units (NaN = missing); empty when out of range.
    pub fn node_column(&self, node: usize) -> &[f64] {
        let n = self.units.len();
        let start = (self.leaves + node) * n;
        self.values.get(start..start + n).unwrap_or(&[])
    }

    /// The coverage of node `node` for all units: the share of the node's effective weight
    /// (summed over paths to its leaves) that rests on leaves with data. Empty when out of range.
    pub fn coverage_column(&self, node: usize) -> &[f64] {
        let n = self.units.len();
        let start = node * n;
        self.coverage.get(start..start + n).unwrap_or(&[])
    }

    /// The value of leaf `leaf` for unit `unit`; `None` when missing or out of range.
    pub fn leaf_value(&self, leaf: usize, unit: usize) -> Option<f64> {
        let n = self.units.len();
        if unit >= n || leaf >= self.leaves {
            return None;
        }
        self.values
            .get(leaf * n + unit)
            .copied()
            .filter(|v| !v.is_nan())
    }
}

impl AggregationPlan {
    /// Compiles nodes into a plan.
    ///
    /// Every node starts with [`Aggregation::ArithmeticMean`] and no availability threshold.
    ///
    /// # Errors
    /// [`Error::DuplicateNode`], [`Error::DuplicateChild`], [`Error::InvalidPlanWeight`] (negative
    /// or non-finite), [`Error::Cycle`] (a node among its own descendants), and
    /// [`Error::Shape`] when there are more than `u32::MAX` slots or links.
    ///
    /// # Complexity
    /// O((N + E) log N) time and O(N + E) space for N nodes and leaves and E links: a sort for
    /// the code lookup and an iterative depth-first search (Tarjan 1976) for the topological
    /// order and cycle detection.
    pub fn new(nodes: Vec<PlanNode>) -> Result<AggregationPlan, Error> {
        // Node codes -> input index.
        let mut by_code: Vec<(&str, usize)> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.code.as_str(), i))
            .collect();
        by_code.sort_unstable();
        for w in by_code.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(Error::DuplicateNode {
                    code: w[0].0.to_string(),
                });
            }
        }
        let find_node = |code: &str| -> Option<usize> {
            by_code
                .binary_search_by(|(c, _)| (*c).cmp(code))
                .ok()
                .map(|k| by_code[k].1)
        };
        // Leaves in order of first appearance; children resolved to Ok(node) / Err(leaf).
        let mut leaf_codes: Vec<String> = Vec::new();
        let mut leaf_seen: std::collections::BTreeMap<&str, usize> = Default::default();
        let mut resolved: Vec<Vec<(Result<usize, usize>, f64)>> = Vec::with_capacity(nodes.len());
        for node in &nodes {
            let mut kids = Vec::with_capacity(node.children.len());
            let mut names: Vec<&str> = node.children.iter().map(|(c, _)| c.as_str()).collect();
            names.sort_unstable();
            if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
                return Err(Error::DuplicateChild {
                    node: node.code.clone(),
                    child: w[0].to_string(),
                });
            }
            for (child, weight) in &node.children {
                if !(weight.is_finite() && *weight >= 0.0) {
                    return Err(Error::InvalidPlanWeight {
                        node: node.code.clone(),
                        child: child.clone(),
                        weight: *weight,
                    });
                }
                let target = match find_node(child) {
                    Some(i) => Ok(i),
                    None => {
                        let next = leaf_codes.len();
                        let k = *leaf_seen.entry(child.as_str()).or_insert(next);
                        if k == next {
                            leaf_codes.push(child.clone());
                        }
                        Err(k)
                    }
                };
                kids.push((target, *weight + 0.0));
            }
            resolved.push(kids);
        }
        // Topological order by iterative DFS post-order, roots tried in input order.
        const WHITE: u8 = 0;
        const GREY: u8 = 1;
        const BLACK: u8 = 2;
        let mut colour = vec![WHITE; nodes.len()];
        let mut order: Vec<usize> = Vec::with_capacity(nodes.len());
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for start in 0..nodes.len() {
            if colour[start] != WHITE {
                continue;
            }
            colour[start] = GREY;
            stack.push((start, 0));
            while let Some(top) = stack.last_mut() {
                let (v, next) = *top;
                if let Some((target, _)) = resolved[v].get(next) {
                    top.1 += 1;
                    if let Ok(c) = *target {
                        match colour[c] {
                            WHITE => {
                                colour[c] = GREY;
                                stack.push((c, 0));
                            }
                            GREY => {
                                return Err(Error::Cycle {
                                    code: nodes[c].code.clone(),
                                });
                            }
                            _ => {}
                        }
                    }
                } else {
                    colour[v] = BLACK;
                    order.push(v);
                    stack.pop();
                }
            }
        }
        let leaves = leaf_codes.len();
        let total_slots = leaves + nodes.len();
        let links: usize = resolved.iter().map(Vec::len).sum();
        if total_slots > u32::MAX as usize || links > u32::MAX as usize {
            return Err(Error::Shape {
                what: "aggregation plan size".into(),
                found: total_slots.max(links),
                expected: u32::MAX as usize,
            });
        }
        let mut position = vec![0usize; nodes.len()];
        for (pos, &v) in order.iter().enumerate() {
            position[v] = pos;
        }
        let slot_of = |t: Result<usize, usize>| -> u32 {
            match t {
                Ok(node) => (leaves + position[node]) as u32,
                Err(leaf) => leaf as u32,
            }
        };
        let mut child_start = Vec::with_capacity(nodes.len() + 1);
        let mut child_slot = Vec::with_capacity(links);
        let mut child_weight = Vec::with_capacity(links);
        child_start.push(0u32);
        for &v in &order {
            for &(t, w) in &resolved[v] {
                child_slot.push(slot_of(t));
                child_weight.push(w);
            }
            child_start.push(child_slot.len() as u32);
        }
        // Parent links (CSR by child slot), parents as node positions, ascending.
        let mut counts = vec![0u32; total_slots + 1];
        for &s in &child_slot {
            counts[s as usize + 1] += 1;
        }
        for i in 0..total_slots {
            counts[i + 1] += counts[i];
        }
        let parent_start = counts.clone();
        let mut fill = counts;
        let mut parent_node = vec![0u32; links];
        for node in 0..order.len() {
            for e in child_start[node]..child_start[node + 1] {
                let s = child_slot[e as usize] as usize;
                parent_node[fill[s] as usize] = node as u32;
                fill[s] += 1;
            }
        }
        let node_codes: Vec<String> = order.iter().map(|&v| nodes[v].code.clone()).collect();
        let mut lookup: Vec<(String, u32)> = leaf_codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i as u32))
            .chain(
                node_codes
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c.clone(), (leaves + i) as u32)),
            )
            .collect();
        lookup.sort_unstable();
        Ok(AggregationPlan {
            leaf_codes,
            methods: vec![Aggregation::ArithmeticMean; node_codes.len()],
            node_codes,
            lookup,
            child_start,
            child_slot,
            child_weight,
            parent_start,
            parent_node,
            threshold: 0.0,
        })
    }

    /// The leaf (indicator) codes, in order of first appearance.
    pub fn leaf_codes(&self) -> &[String] {
        &self.leaf_codes
    }

    /// The node codes in topological order (children before parents).
    pub fn node_codes(&self) -> &[String] {
        &self.node_codes
    }

    /// Number of leaves.
    pub fn leaf_count(&self) -> usize {
        self.leaf_codes.len()
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.node_codes.len()
    }

    fn slot(&self, code: &str) -> Option<usize> {
        self.lookup
            .binary_search_by(|(c, _)| c.as_str().cmp(code))
            .ok()
            .map(|k| self.lookup[k].1 as usize)
    }

    /// The index of leaf `code`, if it is a leaf.
    pub fn leaf_index(&self, code: &str) -> Option<usize> {
        self.slot(code).filter(|&s| s < self.leaf_count())
    }

    /// The index (topological position) of node `code`, if it is a node.
    pub fn node_index(&self, code: &str) -> Option<usize> {
        self.slot(code)
            .and_then(|s| s.checked_sub(self.leaf_count()))
    }

    /// The children of node `node` as `(code, weight)`; empty when out of range.
    pub fn children(&self, node: usize) -> Vec<(&str, f64)> {
        if node >= self.node_count() {
            return Vec::new();
        }
        let (a, b) = (
            self.child_start[node] as usize,
            self.child_start[node + 1] as usize,
        );
        (a..b)
            .map(|e| {
                (
                    self.slot_code(self.child_slot[e] as usize),
                    self.child_weight[e],
                )
            })
            .collect()
    }

    /// The nodes that have `code` (a leaf or a node) as a child, as node indices.
    pub fn parents(&self, code: &str) -> Vec<usize> {
        match self.slot(code) {
            Some(s) => self.parent_node
                [self.parent_start[s] as usize..self.parent_start[s + 1] as usize]
                .iter()
                .map(|&p| p as usize)
                .collect(),
            None => Vec::new(),
        }
    }

    fn slot_code(&self, slot: usize) -> &str {
        if slot < self.leaf_count() {
            &self.leaf_codes[slot]
        } else {
            &self.node_codes[slot - self.leaf_count()]
        }
    }

    /// The aggregation method of node `node` (arithmetic mean when out of range).
    pub fn method(&self, node: usize) -> Aggregation {
        self.methods.get(node).copied().unwrap_or_default()
    }

    /// Sets the aggregation method of one node (per node, not only per level).
    ///
    /// # Errors
    /// [`Error::UnknownCode`] when `code` is not a node.
    pub fn set_method(&mut self, code: &str, method: Aggregation) -> Result<(), Error> {
        let node = self.node_index(code).ok_or_else(|| Error::UnknownCode {
            code: code.to_string(),
            expected: "a node of the aggregation plan".into(),
        })?;
        self.methods[node] = method;
        Ok(())
    }

    /// Sets the aggregation method of every node.
    pub fn set_all_methods(&mut self, method: Aggregation) {
        self.methods.fill(method);
    }

    /// Sets the availability threshold: a node's value is missing for a unit when the children
    /// with data carry less than this share of the node's weight. 0 (the default) means one
    /// child with data suffices.
    pub fn set_availability_threshold(&mut self, share: kompas_core::Share) {
        self.threshold = share.get();
    }

    /// Sets the weight of every link to `code` (a leaf or node) to `weight`, e.g. 0 to remove it.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for an unknown code; [`Error::InvalidPlanWeight`] for a negative or
    /// non-finite weight.
    pub fn set_incoming_weight(&mut self, code: &str, weight: f64) -> Result<(), Error> {
        let slot = self.slot(code).ok_or_else(|| Error::UnknownCode {
            code: code.to_string(),
            expected: "a leaf or node of the aggregation plan".into(),
        })?;
        if !(weight.is_finite() && weight >= 0.0) {
            return Err(Error::InvalidPlanWeight {
                node: "*".into(),
                child: code.to_string(),
                weight,
            });
        }
        for (e, s) in self.child_slot.iter().enumerate() {
            if *s as usize == slot {
                self.child_weight[e] = weight;
            }
        }
        Ok(())
    }

    /// Number of links (parent-child edges).
    pub fn link_count(&self) -> usize {
        self.child_slot.len()
    }

    /// Aggregates leaf values up the plan for every unit.
    ///
    /// `leaf_values` is leaf-major: `leaf_values[leaf * units.len() + u]`, `f64::NAN` for a
    /// missing value. Each node combines the children that have data with its method, the
    /// weights renormalised over them; a node with no child data (or under the availability
    /// threshold) is missing. Coverage is `sum(w_c cov_c) / sum(w_c)` over all children, where a
    /// leaf's coverage is 1 with data and 0 without.
    ///
    /// # Errors
    /// [`Error::Shape`] when `leaf_values` has the wrong length; [`Error::NonPositive`] naming the
    /// unit and child when a geometric, harmonic or generalised mean meets a value it is not
    /// defined for.
    ///
    /// # Complexity
    /// O(E U) time for E links and U units (O(E U + N U²) with Copeland nodes), O((L + N) U)
    /// space.
    pub fn evaluate(&self, units: &[String], leaf_values: &[f64]) -> Result<Evaluation, Error> {
        let n = units.len();
        let expected = self.leaf_count() * n;
        if leaf_values.len() != expected {
            return Err(Error::Shape {
                what: "leaf values (leaf-major, leaves x units)".into(),
                found: leaf_values.len(),
                expected,
            });
        }
        let mut values = Vec::with_capacity((self.leaf_count() + self.node_count()) * n);
        values.extend_from_slice(leaf_values);
        self.evaluate_owned(units.to_vec(), values)
    }

    /// [`AggregationPlan::evaluate`] taking ownership of the units and the leaf values (no
    /// copies of either).
    pub(crate) fn evaluate_owned(
        &self,
        units: Vec<String>,
        mut values: Vec<f64>,
    ) -> Result<Evaluation, Error> {
        let n = units.len();
        let expected = self.leaf_count() * n;
        if values.len() != expected {
            return Err(Error::Shape {
                what: "leaf values (leaf-major, leaves x units)".into(),
                found: values.len(),
                expected,
            });
        }
        values.resize((self.leaf_count() + self.node_count()) * n, f64::NAN);
        let mut eval = Evaluation {
            units,
            leaves: self.leaf_count(),
            values,
            coverage: vec![0.0; self.node_count() * n],
        };
        if n >= 2 * BLOCK && !self.methods.contains(&Aggregation::Copeland) {
            self.evaluate_blocks(&mut eval)?;
            return Ok(eval);
        }
        let mut scratch = Scratch::new(n);
        for node in 0..self.node_count() {
            self.compute_node(&mut eval, node, 0..n, &mut scratch)?;
        }
        Ok(eval)
    }

    /// Changes one leaf value of one unit and re-aggregates only the leaf's ancestors.
    ///
    /// Returns the number of nodes recomputed. `value` may be `f64::NAN` (missing).
    ///
    /// # Errors
    /// [`Error::Shape`] for an out-of-range leaf or unit or an evaluation of another plan;
    /// [`Error::NonPositive`] as in [`AggregationPlan::evaluate`] (the evaluation is then
    /// partly updated).
    ///
    /// # Complexity
    /// O(A (log A + d U_c)) for A ancestors of mean fan-in d, where U_c is 1 for mean nodes and
    /// U² for Copeland nodes (Copeland compares units, so the whole column is redone).
    pub fn update(
        &self,
        eval: &mut Evaluation,
        leaf: usize,
        unit: usize,
        value: f64,
    ) -> Result<usize, Error> {
        let n = eval.units.len();
        if leaf >= self.leaf_count()
            || unit >= n
            || eval.leaves != self.leaf_count()
            || eval.values.len() != (self.leaf_count() + self.node_count()) * n
        {
            return Err(Error::Shape {
                what: "leaf or unit index for an incremental update".into(),
                found: leaf.max(unit),
                expected: self.leaf_count().min(n),
            });
        }
        eval.values[leaf * n + unit] = value;
        let mut found: Vec<u32> = Vec::new();
        let mut stack: Vec<usize> = vec![leaf];
        while let Some(slot) = stack.pop() {
            let (a, b) = (
                self.parent_start[slot] as usize,
                self.parent_start[slot + 1] as usize,
            );
            for &p in &self.parent_node[a..b] {
                if !found.contains(&p) {
                    found.push(p);
                    stack.push(self.leaf_count() + p as usize);
                }
            }
        }
        found.sort_unstable();
        let mut scratch = Scratch::new(n);
        // A Copeland node compares units, so once one is redone every later node is redone
        // for all units.
        let mut all_units = false;
        for &node in &found {
            let node = node as usize;
            all_units |= self.methods[node] == Aggregation::Copeland;
            let range = if all_units { 0..n } else { unit..unit + 1 };
            self.compute_node(eval, node, range, &mut scratch)?;
        }
        Ok(found.len())
    }

    /// Computes `node` for the units in `range` of a whole evaluation.
    fn compute_node(
        &self,
        eval: &mut Evaluation,
        node: usize,
        range: std::ops::Range<usize>,
        s: &mut Scratch,
    ) -> Result<(), Error> {
        let n = eval.units.len();
        let (lo, hi) = (range.start, range.end);
        let mut view = RangeView {
            values: &mut eval.values,
            coverage: &mut eval.coverage,
            leaves: self.leaf_count(),
            n,
            lo,
            hi,
        };
        if let Err((_, k, slot, x)) = self.accumulate(&view, node, hi - lo, s) {
            return Err(self.non_positive(&eval.units[lo + k], slot, node, x));
        }
        if self.methods[node] == Aggregation::Copeland {
            self.copeland(eval, node, range, s);
        } else {
            self.finish_mean(&mut view, node, hi - lo, s);
        }
        Ok(())
    }

    /// The error for a value a mean is not defined for.
    fn non_positive(&self, unit: &str, slot: usize, node: usize, x: f64) -> Error {
        Error::NonPositive {
            unit: unit.to_string(),
            indicator: self.slot_code(slot).to_string(),
            method: self.methods[node].name().into(),
            value: x,
        }
    }

    /// Sums the children of `node` over the `width` units of `cols` into the scratch: the
    /// coverage weight, and the weighted terms and weights of the present values. Stops at the
    /// first value the mean is not defined for: `(child, unit, slot, value)`, the child's
    /// position among the node's children and the unit's within `cols`.
    fn accumulate<C: Columns>(
        &self,
        cols: &C,
        node: usize,
        width: usize,
        s: &mut Scratch,
    ) -> Result<(), (usize, usize, usize, f64)> {
        let leaves = self.leaf_count();
        let (a, b) = (
            self.child_start[node] as usize,
            self.child_start[node + 1] as usize,
        );
        let method = self.methods[node];
        let num = &mut s.num[..width];
        let den = &mut s.den[..width];
        let cov = &mut s.cov[..width];
        num.fill(0.0);
        den.fill(0.0);
        cov.fill(0.0);
        for e in a..b {
            let slot = self.child_slot[e] as usize;
            let w = self.child_weight[e];
            let col = &cols.column(slot)[..width];
            if slot < leaves {
                for k in 0..width {
                    if !col[k].is_nan() {
                        cov[k] += w;
                    }
                }
            } else {
                let ccov = &cols.coverage(slot - leaves)[..width];
                for k in 0..width {
                    cov[k] += w * ccov[k];
                }
            }
            if w == 0.0 {
                continue;
            }
            match method {
                Aggregation::ArithmeticMean => {
                    for k in 0..width {
                        let x = col[k];
                        if !x.is_nan() {
                            num[k] += w * x;
                            den[k] += w;
                        }
                    }
                }
                Aggregation::GeometricMean
                | Aggregation::HarmonicMean
                | Aggregation::GeneralisedMean { .. } => {
                    for k in 0..width {
                        let x = col[k];
                        if x.is_nan() {
                            continue;
                        }
                        let term = match method {
                            Aggregation::GeometricMean if x > 0.0 => Some(w * x.ln()),
                            Aggregation::HarmonicMean if x > 0.0 => Some(w / x),
                            Aggregation::GeneralisedMean { p } if p == 0.0 && x > 0.0 => {
                                Some(w * x.ln())
                            }
                            Aggregation::GeneralisedMean { p }
                                if p != 0.0 && (x > 0.0 || (p > 0.0 && x == 0.0)) =>
                            {
                                Some(w * x.powf(p))
                            }
                            _ => None,
                        };
                        match term {
                            Some(t) => {
                                num[k] += t;
                                den[k] += w;
                            }
                            None => return Err((e - a, k, slot, x)),
                        }
                    }
                }
                Aggregation::Copeland => {
                    for k in 0..width {
                        if !col[k].is_nan() {
                            den[k] += w;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The node's total child weight, and whether a unit with child weight `den` present
    /// meets the availability threshold.
    fn present(&self, node: usize) -> (f64, impl Fn(f64) -> bool) {
        let (a, b) = (
            self.child_start[node] as usize,
            self.child_start[node + 1] as usize,
        );
        let total: f64 = self.child_weight[a..b].iter().sum();
        let threshold = self.threshold;
        (total, move |den: f64| {
            den > 0.0 && total > 0.0 && den / total >= threshold - 1e-12
        })
    }

    /// Writes a mean node's coverage and values from the scratch sums.
    fn finish_mean<C: Columns>(&self, cols: &mut C, node: usize, width: usize, s: &Scratch) {
        let method = self.methods[node];
        let (total, present) = self.present(node);
        let (values, coverage) = cols.output(node);
        write_coverage(&mut coverage[..width], &s.cov[..width], total);
        for ((v, &num), &den) in values[..width].iter_mut().zip(&s.num).zip(&s.den) {
            *v = if present(den) {
                let m = num / den;
                match method {
                    Aggregation::ArithmeticMean => m,
                    Aggregation::GeometricMean => m.exp(),
                    Aggregation::HarmonicMean => den / num,
                    Aggregation::GeneralisedMean { p: 0.0 } => m.exp(),
                    Aggregation::GeneralisedMean { p } => m.powf(1.0 / p),
                    Aggregation::Copeland => f64::NAN,
                }
            } else {
                f64::NAN
            };
        }
    }

    /// Writes a Copeland node's coverage and scores (each unit against every other) from the
    /// scratch sums.
    fn copeland(
        &self,
        eval: &mut Evaluation,
        node: usize,
        range: std::ops::Range<usize>,
        s: &Scratch,
    ) {
        let n = eval.units.len();
        let leaves = self.leaf_count();
        let (a, b) = (
            self.child_start[node] as usize,
            self.child_start[node + 1] as usize,
        );
        let (lo, hi) = (range.start, range.end);
        let (total, present) = self.present(node);
        let base = (leaves + node) * n;
        write_coverage(
            &mut eval.coverage[node * n + lo..node * n + hi],
            &s.cov[..hi - lo],
            total,
        );
        for k in 0..hi - lo {
            let u = lo + k;
            if !present(s.den[k]) {
                eval.values[base + u] = f64::NAN;
                continue;
            }
            let mut score = 0.0;
            for v in 0..n {
                if v == u {
                    continue;
                }
                let (mut wins, mut both) = (0.0, 0.0);
                for e in a..b {
                    let slot = self.child_slot[e] as usize;
                    let w = self.child_weight[e];
                    let (x, y) = (eval.values[slot * n + u], eval.values[slot * n + v]);
                    if x.is_nan() || y.is_nan() || w == 0.0 {
                        continue;
                    }
                    both += w;
                    if x > y {
                        wins += w;
                    } else if x == y {
                        wins += 0.5 * w;
                    }
                }
                if both > 0.0 {
                    let share = wins / both;
                    if share > 0.5 {
                        score += 1.0;
                    } else if share < 0.5 {
                        score -= 1.0;
                    }
                }
            }
            eval.values[base + u] = score;
        }
    }

    /// Evaluates every node over blocks of units, one task per block (in parallel with the
    /// `parallel` feature). Only for plans without Copeland nodes (which compare units across
    /// blocks). The same values, and the same first error, as node by node over all units.
    fn evaluate_blocks(&self, eval: &mut Evaluation) -> Result<(), Error> {
        let n = eval.units.len();
        let leaves = self.leaf_count();
        // Each block's slice of every slot's column and of every node's coverage.
        let blocks: Vec<(usize, Slices<'_>, Slices<'_>)> = (0..n)
            .step_by(BLOCK)
            .zip(block_slices(&mut eval.values, n))
            .zip(block_slices(&mut eval.coverage, n))
            .map(|((lo, values), coverage)| (lo, values, coverage))
            .collect();
        let errors = crate::pipeline::par::map(blocks, |(lo, values, coverage)| {
            let width = values.first().map_or(0, |c| c.len());
            let mut view = BlockView {
                values,
                coverage,
                leaves,
            };
            let mut s = Scratch::new(width);
            for node in 0..self.node_count() {
                if let Err((e, k, slot, x)) = self.accumulate(&view, node, width, &mut s) {
                    return Some(((node, e, lo + k), slot, x));
                }
                self.finish_mean(&mut view, node, width, &s);
            }
            None
        });
        // The first error in node, child, unit order: the one a node-by-node pass meets.
        match errors.into_iter().flatten().min_by_key(|e| e.0) {
            Some(((node, _, u), slot, x)) => Err(self.non_positive(&eval.units[u], slot, node, x)),
            None => Ok(()),
        }
    }
}

/// A node's coverage: the child weight backed by data over the node's total (0 when the
/// children weigh nothing).
fn write_coverage(out: &mut [f64], backed: &[f64], total: f64) {
    for (o, c) in out.iter_mut().zip(backed) {
        *o = if total > 0.0 { c / total } else { 0.0 };
    }
}

/// One block's slices of several columns.
type Slices<'a> = Vec<&'a mut [f64]>;

/// Units per task of [`AggregationPlan::evaluate_blocks`].
const BLOCK: usize = 8192;

/// For each block of [`BLOCK`] units, its slice of every column (of `n` units) of `matrix`.
fn block_slices(matrix: &mut [f64], n: usize) -> Vec<Slices<'_>> {
    let mut blocks: Vec<Slices<'_>> = (0..n.div_ceil(BLOCK)).map(|_| Vec::new()).collect();
    for column in matrix.chunks_mut(n) {
        for (block, part) in blocks.iter_mut().zip(column.chunks_mut(BLOCK)) {
            block.push(part);
        }
    }
    blocks
}

/// The value columns of a range of units, and the output of one node, for the shared steps of
/// a node's computation.
trait Columns {
    /// The values of `slot` (leaves first, then nodes) for the units of the range.
    fn column(&self, slot: usize) -> &[f64];
    /// The coverage of node `node` for the units of the range.
    fn coverage(&self, node: usize) -> &[f64];
    /// The values and coverage of node `node` for the units of the range, to write.
    fn output(&mut self, node: usize) -> (&mut [f64], &mut [f64]);
}

/// Units `lo..hi` of a whole evaluation's columns (`n` units each).
struct RangeView<'a> {
    values: &'a mut [f64],
    coverage: &'a mut [f64],
    leaves: usize,
    n: usize,
    lo: usize,
    hi: usize,
}

impl Columns for RangeView<'_> {
    fn column(&self, slot: usize) -> &[f64] {
        &self.values[slot * self.n + self.lo..slot * self.n + self.hi]
    }

    fn coverage(&self, node: usize) -> &[f64] {
        &self.coverage[node * self.n + self.lo..node * self.n + self.hi]
    }

    fn output(&mut self, node: usize) -> (&mut [f64], &mut [f64]) {
        let (n, lo, hi) = (self.n, self.lo, self.hi);
        let slot = self.leaves + node;
        (
            &mut self.values[slot * n + lo..slot * n + hi],
            &mut self.coverage[node * n + lo..node * n + hi],
        )
    }
}

/// One block of units: its slice of every slot's column and of every node's coverage.
struct BlockView<'a> {
    values: Vec<&'a mut [f64]>,
    coverage: Vec<&'a mut [f64]>,
    leaves: usize,
}

impl Columns for BlockView<'_> {
    fn column(&self, slot: usize) -> &[f64] {
        self.values[slot]
    }

    fn coverage(&self, node: usize) -> &[f64] {
        self.coverage[node]
    }

    fn output(&mut self, node: usize) -> (&mut [f64], &mut [f64]) {
        (
            &mut *self.values[self.leaves + node],
            &mut *self.coverage[node],
        )
    }
}

struct Scratch {
    num: Vec<f64>,
    den: Vec<f64>,
    cov: Vec<f64>,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch {
            num: vec![0.0; n],
            den: vec![0.0; n],
            cov: vec![0.0; n],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(code: &str, kids: &[(&str, f64)]) -> PlanNode {
        PlanNode {
            code: code.into(),
            children: kids.iter().map(|(c, w)| (c.to_string(), *w)).collect(),
        }
    }

    fn units(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("u{i}")).collect()
    }

    /// A two-level plan over leaves a, b, c (leaf-major values for `n` units, some missing).
    fn blocks_case(n: usize) -> (AggregationPlan, Vec<f64>) {
        let plan = AggregationPlan::new(vec![
            node("P", &[("a", 1.0), ("b", 2.0)]),
            node("Q", &[("b", 1.0), ("c", 0.5)]),
            node("Top", &[("P", 1.0), ("Q", 3.0)]),
        ])
        .unwrap();
        let mut values = Vec::new();
        for leaf in 0..plan.leaf_count() {
            values.extend((0..n).map(|u| {
                if (u + leaf) % 11 == 0 {
                    f64::NAN
                } else {
                    1.0 + ((u * 7 + leaf * 13) % 97) as f64 / 3.0
                }
            }));
        }
        (plan, values)
    }

    #[test]
    fn blocks_of_units_give_what_each_unit_alone_gives() {
        // Enough units for the block-parallel path; each unit evaluated alone takes the
        // node-by-node path. Mean-type nodes see one unit at a time, so the bits must agree.
        let n = 3 * BLOCK + 17;
        for method in [Aggregation::ArithmeticMean, Aggregation::GeometricMean] {
            let (mut plan, values) = blocks_case(n);
            plan.set_all_methods(method);
            let all = plan.evaluate(&units(n), &values).unwrap();
            for u in [0, 1, BLOCK - 1, BLOCK, 2 * BLOCK + 5, n - 1] {
                let one: Vec<f64> = (0..plan.leaf_count()).map(|l| values[l * n + u]).collect();
                let alone = plan.evaluate(&[format!("u{u}")], &one).unwrap();
                for node in 0..plan.node_count() {
                    let (x, y) = (all.node_column(node)[u], alone.node_column(node)[0]);
                    assert_eq!(
                        x.to_bits(),
                        y.to_bits(),
                        "{method:?}, unit {u}, node {node}"
                    );
                    let (x, y) = (all.coverage_column(node)[u], alone.coverage_column(node)[0]);
                    assert_eq!(x.to_bits(), y.to_bits(), "coverage, unit {u}, node {node}");
                }
            }
        }
    }

    #[test]
    fn blocks_report_the_first_error_of_a_node_by_node_pass() {
        // Bad values in several blocks: the error names the first node, then its first child,
        // then the first unit, whichever block it falls in.
        let n = 3 * BLOCK;
        let (mut plan, mut values) = blocks_case(n);
        plan.set_all_methods(Aggregation::GeometricMean);
        let (a, b, c) = (
            plan.leaf_index("a").unwrap(),
            plan.leaf_index("b").unwrap(),
            plan.leaf_index("c").unwrap(),
        );
        values[c * n + 3] = -1.0; // under Q only (a later node)
        values[b * n + BLOCK + 2] = -2.0; // P's second child, block 1
        values[a * n + 2 * BLOCK + 1] = -3.0; // P's first child, block 2
        let err = plan.evaluate(&units(n), &values).unwrap_err();
        assert_eq!(
            err,
            Error::NonPositive {
                unit: format!("u{}", 2 * BLOCK + 1),
                indicator: "a".into(),
                method: Aggregation::GeometricMean.name().into(),
                value: -3.0,
            }
        );
        values[a * n + 2 * BLOCK + 1] = 1.0;
        let err = plan.evaluate(&units(n), &values).unwrap_err();
        assert!(
            matches!(err, Error::NonPositive { ref unit, .. } if *unit == format!("u{}", BLOCK + 2)),
            "{err}"
        );
    }

    #[test]
    fn coinr_unit_vectors_geometric_and_harmonic() {
        let mut plan =
            AggregationPlan::new(vec![node("g", &[("a", 1.0), ("b", 1.0), ("c", 1.0)])]).unwrap();
        plan.set_all_methods(Aggregation::GeometricMean);
        let e = plan.evaluate(&units(1), &[1.0, 2.0, 3.0]).unwrap();
        let g = e.node_value(0, 0).unwrap();
        assert!((g - 6f64.powf(1.0 / 3.0)).abs() < 1e-12, "{g}");

        let mut plan =
            AggregationPlan::new(vec![node("h", &[("a", 2.0), ("b", 1.0), ("c", 1.0)])]).unwrap();
        plan.set_all_methods(Aggregation::HarmonicMean);
        let e = plan.evaluate(&units(1), &[1.0, 2.0, 3.0]).unwrap();
        let h = e.node_value(0, 0).unwrap();
        assert!(
            (h - 4.0 / (2.0 / 1.0 + 1.0 / 2.0 + 1.0 / 3.0)).abs() < 1e-12,
            "{h}"
        );
    }

    #[test]
    fn geometric_mean_over_zero_names_unit_and_indicator() {
        let mut plan = AggregationPlan::new(vec![node("g", &[("a", 1.0), ("b", 1.0)])]).unwrap();
        plan.set_all_methods(Aggregation::GeometricMean);
        let err = plan.evaluate(&units(2), &[1.0, 2.0, 3.0, 0.0]).unwrap_err();
        assert_eq!(
            err,
            Error::NonPositive {
                unit: "u1".into(),
                indicator: "b".into(),
                method: "geometric mean".into(),
                value: 0.0
            }
        );
        assert!(err.to_string().contains("unit \"u1\""));
    }

    #[test]
    fn cycle_duplicate_and_bad_weight_are_errors() {
        let e = AggregationPlan::new(vec![node("a", &[("b", 1.0)]), node("b", &[("a", 1.0)])]);
        assert!(matches!(e, Err(Error::Cycle { .. })));
        let e = AggregationPlan::new(vec![node("a", &[("a", 1.0)])]);
        assert!(matches!(e, Err(Error::Cycle { .. })));
        let e = AggregationPlan::new(vec![node("a", &[("x", 1.0)]), node("a", &[("y", 1.0)])]);
        assert_eq!(e, Err(Error::DuplicateNode { code: "a".into() }));
        let e = AggregationPlan::new(vec![node("a", &[("x", -1.0)])]);
        assert!(matches!(e, Err(Error::InvalidPlanWeight { .. })));
        let e = AggregationPlan::new(vec![node("a", &[("x", 1.0), ("x", 2.0)])]);
        assert!(matches!(e, Err(Error::DuplicateChild { .. })));
    }

    #[test]
    fn dag_missing_data_renormalises_and_reports_coverage() {
        // x is under both A and B (multi-parent).
        let plan = AggregationPlan::new(vec![
            node("T", &[("A", 1.0), ("B", 3.0)]),
            node("A", &[("x", 1.0), ("y", 1.0)]),
            node("B", &[("x", 1.0), ("z", 1.0)]),
        ])
        .unwrap();
        assert_eq!(plan.parents("x").len(), 2);
        let nan = f64::NAN;
        // leaves in first-appearance order: x, y, z (A listed before B in T? no: T's children are
        // nodes; A's leaves come first).
        assert_eq!(plan.leaf_codes(), ["x", "y", "z"]);
        let e = plan.evaluate(&units(1), &[10.0, nan, 30.0]).unwrap();
        let a = plan.node_index("A").unwrap();
        let b = plan.node_index("B").unwrap();
        let t = plan.node_index("T").unwrap();
        assert_eq!(e.node_value(a, 0), Some(10.0));
        assert_eq!(e.node_value(b, 0), Some(20.0));
        assert_eq!(e.node_value(t, 0), Some((10.0 + 3.0 * 20.0) / 4.0));
        assert_eq!(e.coverage_column(a), [0.5]);
        assert_eq!(e.coverage_column(b), [1.0]);
        assert_eq!(e.coverage_column(t), [(0.5 + 3.0) / 4.0]);
    }

    #[test]
    fn threshold_makes_sparse_aggregates_missing() {
        let mut plan =
            AggregationPlan::new(vec![node("A", &[("x", 1.0), ("y", 1.0), ("z", 2.0)])]).unwrap();
        plan.set_availability_threshold(kompas_core::Share::new(0.5).unwrap());
        let nan = f64::NAN;
        let e = plan
            .evaluate(&units(2), &[1.0, 1.0, nan, nan, nan, 3.0])
            .unwrap();
        // u0: only x (weight 1/4 of the node) -> missing; u1: x and z (3/4) -> present.
        assert_eq!(e.node_value(0, 0), None);
        assert_eq!(e.node_value(0, 1), Some((1.0 + 2.0 * 3.0) / 3.0));
    }

    #[test]
    fn copeland_counts_pairwise_wins() {
        let mut plan = AggregationPlan::new(vec![node("C", &[("a", 1.0), ("b", 1.0)])]).unwrap();
        plan.set_all_methods(Aggregation::Copeland);
        // a: u0 > u1 > u2; b: u0 > u2 > u1
        let e = plan
            .evaluate(&units(3), &[3.0, 2.0, 1.0, 3.0, 1.0, 2.0])
            .unwrap();
        assert_eq!(e.node_column(0), [2.0, -1.0, -1.0]);
    }

    #[test]
    fn incremental_update_matches_full_evaluation() {
        let plan = AggregationPlan::new(vec![
            node("T", &[("A", 1.0), ("B", 2.0)]),
            node("A", &[("x", 1.0), ("y", 1.0)]),
            node("B", &[("x", 1.0), ("z", 1.0)]),
        ])
        .unwrap();
        let mut data = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let mut e = plan.evaluate(&units(2), &data).unwrap();
        let touched = plan.update(&mut e, 0, 1, 40.0).unwrap();
        assert_eq!(touched, 3);
        data[1] = 40.0;
        let full = plan.evaluate(&units(2), &data).unwrap();
        assert_eq!(e, full);
        let touched = plan.update(&mut e, 1, 0, 7.0).unwrap();
        assert_eq!(touched, 2);
        assert!(plan.update(&mut e, 9, 0, 1.0).is_err());
    }
}
