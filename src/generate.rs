//! [`generate`]: a large, seeded, synthetic municipality for benchmarks and load tests.
//!
//! Nothing in it is real: goals, indicators, observations and narratives are made up from a seed,
//! and every observation is marked illustrative. Same options, same document, byte for byte.

use kompas_core::{
    GoalId, IndicatorId, NarrativeId, ObservationId, Period, Perspective, Text, UnitId, Weight,
};
use kompas_evidence::{
    Consent, Direction, Indicator, Links, Narrative, Observation, Provenance, Purpose, Range,
    SourceKind, Story, Teller, ToldDirection, ValueLevel,
};
use kompas_goals::{Goal, GoalHierarchy, Level, Link};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{Compass, Municipality, Unit, UnitKind};

/// Indicator ids start here, apart from goal ids (a goal and an indicator must not share a uuid).
const INDICATOR_BASE: u128 = 1 << 64;

/// The size of a generated municipality.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Generate {
    /// Number of goals, over six levels (city, department, unit, team and two deeper levels).
    pub goals: usize,
    /// Number of observations, spread over one indicator per leaf goal, monthly.
    pub observations: usize,
    /// Number of narratives, each linked to a random goal.
    pub narratives: usize,
    /// Share of goals below the city level that also contribute to a second parent.
    pub multi_parent: f64,
    /// The seed.
    pub seed: u64,
}

impl Default for Generate {
    /// The size the issue's performance target names: 100,000 goals, 1,000,000 observations,
    /// 10,000 narratives, 5 % multi-parent goals.
    fn default() -> Self {
        Generate {
            goals: 100_000,
            observations: 1_000_000,
            narratives: 10_000,
            multi_parent: 0.05,
            seed: 7,
        }
    }
}

impl Generate {
    /// Sets the number of goals.
    #[must_use]
    pub fn goals(mut self, n: usize) -> Self {
        self.goals = n;
        self
    }

    /// Sets the number of observations.
    #[must_use]
    pub fn observations(mut self, n: usize) -> Self {
        self.observations = n;
        self
    }

    /// Sets the number of narratives.
    #[must_use]
    pub fn narratives(mut self, n: usize) -> Self {
        self.narratives = n;
        self
    }

    /// Sets the seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

/// Makes a synthetic municipality of the given size.
///
/// Levels hold about 0.01 %, 0.5 %, 4.5 %, 15 %, 30 % and 50 % of the goals (at least one city
/// goal); each goal below the top links to a random goal of the level above, and a share
/// `multi_parent` to a second one. Each goal of the two deepest levels has one indicator; the
/// observations are monthly, from January 2015, spread evenly over the indicators.
///
/// ```
/// use kompas::generate::{Generate, generate};
/// let c = generate(&Generate::default().goals(200).observations(2_000).narratives(50));
/// assert_eq!(c.goals.len(), 200);
/// assert_eq!(c.observations.len(), 2_000);
/// assert!(c.validate().is_empty());
/// ```
///
/// # Complexity
/// O(goals + observations + narratives).
pub fn generate(opts: &Generate) -> Compass {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let text =
        |s: String| Text::en(s).unwrap_or_else(|_| unreachable!("generated texts are not blank"));
    let mut c = Compass::new(Municipality {
        name: text("Synthetic Municipality".into()),
        code: None,
        council_size: Some(31),
    });
    let unit = UnitId::from_u128(1);
    c.units.push(Unit {
        id: unit,
        name: text("Synthetic Municipality".into()),
        kind: UnitKind::Municipality,
        parent: None,
    });

    let n = opts.goals.max(1);
    let shares = [0.0001, 0.005, 0.045, 0.15, 0.30];
    let mut sizes: Vec<usize> = shares
        .iter()
        .map(|s| ((n as f64 * s).round() as usize).max(1))
        .collect();
    let used: usize = sizes.iter().sum();
    sizes.push(n.saturating_sub(used));
    let levels = [
        Level::City,
        Level::Department,
        Level::Unit,
        Level::Team,
        Level::Deeper(1),
        Level::Deeper(2),
    ];

    let mut h = GoalHierarchy::default();
    let mut previous: Vec<GoalId> = Vec::new();
    let mut leaves: Vec<GoalId> = Vec::new();
    let mut next_id = 1u128;
    for (depth, (&size, &level)) in sizes.iter().zip(&levels).enumerate() {
        let mut this = Vec::with_capacity(size);
        for _ in 0..size.min(n - (next_id as usize - 1)) {
            let g = GoalId::from_u128(next_id);
            next_id += 1;
            let goal = Goal::new(
                g,
                text(format!("Goal {next_id} at level {depth}")),
                level,
                unit,
            );
            if h.add_goal(goal).is_err() {
                continue;
            }
            if !previous.is_empty() {
                let p = previous[rng.random_range(0..previous.len())];
                let _ = h.link(g, p, Link::new(Weight::ONE));
                if rng.random::<f64>() < opts.multi_parent {
                    let q = previous[rng.random_range(0..previous.len())];
                    if q != p {
                        let _ = h.link(g, q, Link::new(Weight::ONE));
                    }
                }
            }
            this.push(g);
        }
        if depth >= 4 {
            leaves.extend(&this);
        }
        if !this.is_empty() {
            previous = this;
        }
    }
    if leaves.is_empty() {
        leaves = previous.clone();
    }

    let goalposts = Range::new(0.0, 100.0).unwrap_or_else(|_| unreachable!("0 < 100"));
    for (k, g) in leaves.iter().enumerate() {
        let id = IndicatorId::from_u128(INDICATOR_BASE + k as u128);
        let direction = if k % 3 == 0 {
            Direction::LowerIsBetter
        } else {
            Direction::HigherIsBetter
        };
        let source = if k % 2 == 0 {
            SourceKind::Register
        } else {
            SourceKind::Survey
        };
        c.indicators.push(
            Indicator::new(
                id,
                text(format!("Indicator {k}")),
                "%",
                direction,
                ValueLevel::Effect,
                Purpose::LocalImprovement,
                source,
                Perspective::Citizen,
            )
            .with_goalposts(goalposts),
        );
        let _ = h.attach_indicator(*g, id, Weight::ONE);
    }
    c.goals = h;

    let per = opts.observations.div_ceil(leaves.len().max(1)).max(1);
    let mut made = 0usize;
    'outer: for k in 0..leaves.len() {
        let id = IndicatorId::from_u128(INDICATOR_BASE + k as u128);
        let level = 30.0 + 40.0 * rng.random::<f64>();
        for m in 0..per {
            if made == opts.observations {
                break 'outer;
            }
            let (y, mo) = (2015 + (m / 12) as i32, (m % 12) as u32 + 1);
            let start = chrono::NaiveDate::from_ymd_opt(y, mo, 1);
            let end = start
                .and_then(|s| s.checked_add_months(chrono::Months::new(1)))
                .and_then(|d| d.pred_opt());
            let (Some(start), Some(end)) = (start, end) else {
                continue;
            };
            let Ok(period) = Period::new(start, end) else {
                continue;
            };
            let value = (level + 10.0 * (rng.random::<f64>() - 0.5)).clamp(0.0, 100.0);
            made += 1;
            c.observations.push(
                Observation::new(ObservationId::from_u128(made as u128), id, period, value)
                    .with_provenance(Provenance::Illustrative),
            );
        }
    }

    let goal_count = next_id - 1;
    let perspectives = [
        Perspective::Citizen,
        Perspective::Employee,
        Perspective::CivilSociety,
        Perspective::Business,
    ];
    let directions = [
        ToldDirection::Better,
        ToldDirection::Worse,
        ToldDirection::Mixed,
        ToldDirection::Unclear,
    ];
    for k in 0..opts.narratives {
        let g = GoalId::from_u128(rng.random_range(1..=goal_count.max(1)));
        let year = 2016 + (k % 8) as i32;
        c.narratives.push(Narrative::Story(Story {
            id: NarrativeId::from_u128(k as u128 + 1),
            title: text(format!("Story {k}")),
            text: text(format!("What changed, told by teller {k}.")),
            teller: Teller {
                role: text("resident".into()),
                perspective: perspectives[k % 4],
                pseudonym: None,
            },
            consent: Consent::Publish,
            events: Period::year(year).ok(),
            domain: text("daily life".into()),
            why_significant: text("it matters".into()),
            direction: directions[rng.random_range(0..4)],
            links: Links::default().goal(g),
        }));
    }
    c
}
