//! What does a team learn when its predictions fail twice? Two chained PDSA cycles in home care
//! try to reduce falls; the first result contradicts its prediction (the chart signals a
//! deterioration), the adapted second cycle changes nothing, and the team abandons the idea and
//! asks the politicians to revisit the goal: a mandate question.
//!
//! All figures are **illustrative**.
//!
//! ```text
//! cargo run --example learning_cycle
//! ```

use std::error::Error;

use kompas::core::{GoalId, IndicatorId, LearningCycleId, Text};
use kompas::evidence::spc::{self, ChartOptions, ChartType, Improvement, LatestSignal};
use kompas::evidence::{
    Act, ActDecision, ChangeDirection, GoalRevisit, LearningCycle, LearningLog, Measure,
    MeasureKind, Prediction, QuantSignal, Study,
};

fn to_signal(s: LatestSignal) -> QuantSignal {
    match s {
        LatestSignal::Improvement => QuantSignal::SpecialCauseImprovement,
        LatestSignal::Concern => QuantSignal::SpecialCauseDeterioration,
        _ => QuantSignal::NoSignal,
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let healthy = GoalId::from_name("aarhus/goal/3");
    let falls = IndicatorId::from_name("home-care/falls-per-week");
    let visits = IndicatorId::from_name("home-care/exercise-visits");
    let cancelled = IndicatorId::from_name("home-care/cancelled-visits");
    let measures = vec![
        Measure {
            kind: MeasureKind::Outcome,
            name: Text::en("falls per week")?,
            indicator: Some(falls),
        },
        Measure {
            kind: MeasureKind::Process,
            name: Text::en("exercise sessions held")?,
            indicator: Some(visits),
        },
        Measure {
            kind: MeasureKind::Balancing,
            name: Text::en("other visits cancelled")?,
            indicator: Some(cancelled),
        },
    ];

    // Cycle 1: daily balance exercises. Falls per week (illustrative), baseline of 12 weeks,
    // then 8 weeks with the change. A C chart of counts, baseline frozen.
    let weekly_falls = [
        4.0, 5.0, 3.0, 4.0, 6.0, 4.0, 5.0, 3.0, 4.0, 5.0, 4.0, 4.0, 7.0, 9.0, 8.0, 10.0, 9.0, 11.0,
        12.0, 10.0,
    ];
    let chart = spc::Chart::compute(
        &spc::Series::from_values(&weekly_falls),
        &ChartOptions::new(ChartType::C).freeze(12),
    )?;
    let signal1 = to_signal(spc::latest_signal(&chart, Improvement::Decrease));

    let mut first = LearningCycle::new(
        LearningCycleId::from_name("falls/1"),
        Text::en("Halve falls among home-care users within three months")?,
        Text::en("Daily balance exercises led by the home carer")?,
        Prediction {
            text: Text::en("Falls drop within eight weeks")?,
            expected: ChangeDirection::Improvement,
        },
    );
    first.goals.insert(healthy);
    first.measures = measures.clone();
    first.carried_out.surprises.push(Text::en(
        "Users practised alone between visits and fell while doing so",
    )?);
    first.study = Some(Study {
        result: Text::en("Falls rose from about 4 to about 10 a week")?,
        observed: ChangeDirection::Deterioration,
        signal: Some(signal1),
    });
    first.act = Some(Act {
        decision: ActDecision::Adapt,
        note: Some(Text::en("Exercise only with a carer present")?),
        revisit: Vec::new(),
    });

    // Cycle 2 builds on cycle 1: exercises only with a physiotherapist, weekly.
    let mut second = LearningCycle::new(
        LearningCycleId::from_name("falls/2"),
        Text::en("Halve falls among home-care users within three months")?,
        Text::en("Weekly supervised exercise with a physiotherapist")?,
        Prediction {
            text: Text::en("Falls return to baseline, then drop")?,
            expected: ChangeDirection::Improvement,
        },
    );
    second.predecessor = Some(first.id);
    second.goals.insert(healthy);
    second.measures = measures;
    second.study = Some(Study {
        result: Text::en("Falls back at baseline, no drop; cancelled visits doubled")?,
        observed: ChangeDirection::NoChange,
        signal: Some(QuantSignal::NoSignal),
    });
    second.act = Some(Act {
        decision: ActDecision::Abandon,
        note: Some(Text::en("The exercise time comes out of other visits")?),
        revisit: vec![GoalRevisit {
            goal: healthy,
            question: Text::en(
                "Is fall prevention in home care a goal we fund, or one we ask carers to fit in?",
            )?,
        }],
    });

    let log = LearningLog::new(vec![second.clone(), first.clone()])?;
    println!("chart signal in cycle 1: {signal1:?}");
    println!("chain ending in cycle 2:");
    for id in log.chain(second.id) {
        let c = log.get(id).ok_or("cycle in chain")?;
        println!(
            "  {}  predicted {:?}, observed {} -> {:?}, act {}",
            c.change_idea,
            c.prediction.expected,
            shown(c.study.as_ref().map(|s| s.observed)),
            c.prediction_check(),
            shown(c.act.as_ref().map(|a| a.decision)),
        );
    }
    println!(
        "flagged for reflection: {}",
        log.flagged_for_reflection().len()
    );
    let goal_name = |g: GoalId| {
        if g == healthy {
            "Aarhus goal 3, a city where everyone is healthy and thrives".to_owned()
        } else {
            g.to_string()
        }
    };
    for (goal, cycles) in log.by_goal() {
        println!("goal \"{}\": {} cycles", goal_name(goal), cycles.len());
    }
    for (ind, cycles) in log.by_indicator() {
        let name = second
            .measures
            .iter()
            .find(|m| m.indicator == Some(ind))
            .map_or(ind.to_string(), |m| m.name.to_string());
        println!("indicator \"{name}\": {} cycles", cycles.len());
    }
    println!("mandate questions:");
    for q in log.mandate_questions() {
        println!(
            "  goal \"{}\" ({:?}, raised by {} cycle{}): {}",
            goal_name(q.goal),
            q.reason,
            q.raised_by.len(),
            if q.raised_by.len() == 1 { "" } else { "s" },
            q.question.as_ref().map_or(
                "predictions failed repeatedly; revisit the goal's assumptions",
                |t| { t.get(kompas::core::Lang::En) }
            ),
        );
    }
    Ok(())
}

/// A step's outcome, or `not yet` for a step the cycle has not reached.
fn shown(v: Option<impl std::fmt::Debug>) -> String {
    v.map_or_else(|| "not yet".to_owned(), |v| format!("{v:?}"))
}
