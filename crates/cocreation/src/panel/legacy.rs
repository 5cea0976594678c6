//! LEGACY: the greedy stratified draw that selection bodies used before LEXIMIN, for comparison.
//!
//! Each step picks the category value with the largest ratio of still-missing minimum to people
//! still available with it, draws one such person uniformly, and removes everyone whose values
//! reached a maximum (and their household). A failed attempt restarts, up to 100 times.
//! Selection probabilities are estimated by Monte Carlo; the minimum gets a Jeffreys upper
//! confidence bound, as in Flanigan et al. (2021), Methods.

use rand::RngExt;

use super::Instance;

/// Tries one greedy draw; `None` if it got stuck.
pub(crate) fn legacy_once(
    instance: &Instance,
    k: usize,
    rng: &mut rand_chacha::ChaCha20Rng,
) -> Option<Vec<usize>> {
    let cats = instance.categories();
    let n = instance.len();
    let mut alive = vec![true; n];
    let mut selected_counts: Vec<Vec<usize>> =
        cats.iter().map(|c| vec![0; c.values.len()]).collect();
    let mut available: Vec<Vec<usize>> = cats.iter().map(|c| vec![0; c.values.len()]).collect();
    for p in 0..n {
        for (c, &v) in instance.values_of(p)?.iter().enumerate() {
            available[c][v] += 1;
        }
    }
    let mut panel = Vec::with_capacity(k);
    let remove = |p: usize, alive: &mut Vec<bool>, available: &mut Vec<Vec<usize>>| {
        if alive[p] {
            alive[p] = false;
            if let Some(vals) = instance.values_of(p) {
                for (c, &v) in vals.iter().enumerate() {
                    available[c][v] -= 1;
                }
            }
        }
    };
    for _ in 0..k {
        let mut best: Option<(usize, usize, f64)> = None;
        for (c, cat) in cats.iter().enumerate() {
            for (v, q) in cat.values.iter().enumerate() {
                let need = q.min.saturating_sub(selected_counts[c][v]);
                let avail = available[c][v];
                if avail == 0 {
                    if need > 0 {
                        return None;
                    }
                    continue;
                }
                let ratio = need as f64 / avail as f64;
                if best.is_none_or(|(_, _, r)| ratio > r) {
                    best = Some((c, v, ratio));
                }
            }
        }
        let (c, v, _) = best?;
        let candidates: Vec<usize> = (0..n)
            .filter(|&p| alive[p] && instance.values_of(p).is_some_and(|vals| vals[c] == v))
            .collect();
        let chosen = *candidates.get(rng.random_range(0..candidates.len()))?;
        remove(chosen, &mut alive, &mut available);
        panel.push(chosen);
        if let Some(h) = instance.household_of(chosen) {
            for p in 0..n {
                if instance.household_of(p) == Some(h) {
                    remove(p, &mut alive, &mut available);
                }
            }
        }
        let vals = instance.values_of(chosen)?.to_vec();
        for (cc, &vv) in vals.iter().enumerate() {
            selected_counts[cc][vv] += 1;
            if selected_counts[cc][vv] >= cats[cc].values[vv].max {
                for p in 0..n {
                    if alive[p] && instance.values_of(p).is_some_and(|x| x[cc] == vv) {
                        remove(p, &mut alive, &mut available);
                    }
                }
            }
        }
    }
    panel.sort_unstable();
    instance.is_valid_panel(&panel, k).then_some(panel)
}
