//! Do the numbers and the citizens tell the same story? A loneliness indicator's control chart
//! signals improvement while citizens' stories say things got worse: triangulation surfaces the
//! divergence instead of averaging it away.
//!
//! The indicator is one the city of Aarhus follows goal 2 with ("Loneliness incl. gap vulnerable
//! groups vs everyone"); the quarterly values and the stories are **illustrative**, and marked so.
//!
//! ```text
//! cargo run --example triangulation
//! ```

use std::error::Error;

use kompas::core::{GoalId, IndicatorId, NarrativeId, ObservationId, Period, Perspective, Text};
use kompas::evidence::spc::{self, ChartOptions, ChartType, Improvement, LatestSignal};
use kompas::evidence::{
    Consent, Direction, EvidenceStrength, Indicator, Links, MarylandLevel, Narrative, Observation,
    Provenance, Purpose, QuantSignal, Series, SourceKind, Story, Subject, Teller, ToldDirection,
    ValueLevel, Voice, triangulate,
};

fn main() -> Result<(), Box<dyn Error>> {
    let goal = GoalId::from_name("aarhus/goal/2");
    let lonely = Indicator::new(
        IndicatorId::from_name("aarhus/2024/loneliness"),
        Text::both("Ensomhed", "Loneliness")?,
        "% of respondents often lonely",
        Direction::LowerIsBetter,
        ValueLevel::Value,
        Purpose::Strategic,
        SourceKind::Survey,
        Perspective::Citizen,
    );

    // Sixteen quarters of an (illustrative) survey share; the last quarters drop.
    let values = [
        11.8, 12.1, 11.6, 12.0, 11.9, 12.2, 11.7, 12.0, 11.8, 12.1, 11.9, 12.0, 10.1, 10.3, 9.9,
        10.0,
    ];
    let mut observations = Vec::new();
    for (k, v) in values.iter().enumerate() {
        let year = 2021 + (k / 4) as i32;
        let q = (k % 4) as u32;
        let start = chrono::NaiveDate::from_ymd_opt(year, 3 * q + 1, 1).ok_or("bad quarter")?;
        let end = start
            .checked_add_months(chrono::Months::new(3))
            .and_then(|d| d.pred_opt())
            .ok_or("bad quarter")?;
        observations.push(
            Observation::new(
                ObservationId::from_name(&format!("loneliness/{year}q{}", q + 1)),
                lonely.id,
                Period::new(start, end)?,
                *v,
            )
            .with_provenance(Provenance::Illustrative),
        );
    }
    let series = Series::new(lonely.id, observations)?;

    // The control chart: an I chart with the baseline frozen on the first twelve quarters.
    let chart = spc::Chart::compute(
        &spc::Series::from_values(&series.values(None)),
        &ChartOptions::new(ChartType::I).freeze(12),
    )?;
    let signal = match spc::latest_signal(&chart, Improvement::Decrease) {
        LatestSignal::Improvement => QuantSignal::SpecialCauseImprovement,
        LatestSignal::Concern => QuantSignal::SpecialCauseDeterioration,
        _ => QuantSignal::NoSignal,
    };
    let illustrative = series
        .observations()
        .iter()
        .filter(|o| o.provenance == Provenance::Illustrative)
        .count();
    println!(
        "indicator: {} (lower is better); {illustrative} of {} values illustrative",
        lonely.name,
        series.len()
    );
    let last = chart.points.last().ok_or("empty chart")?;
    let show = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.2}"));
    println!(
        "chart: centre {}, limits {}..{}; last value {}; latest signal: {signal:?}",
        show(last.cl),
        show(last.lcl),
        show(last.ucl),
        values[values.len() - 1],
    );

    // Stories (illustrative): citizens tell of closed meeting places; employees of new groups.
    let told = [
        (
            1,
            Perspective::Citizen,
            ToldDirection::Worse,
            "The day centre's café closed",
        ),
        (
            2,
            Perspective::Citizen,
            ToldDirection::Worse,
            "No bus to the library any more",
        ),
        (
            3,
            Perspective::Citizen,
            ToldDirection::Mixed,
            "New walking group, but far away",
        ),
        (
            4,
            Perspective::Employee,
            ToldDirection::Better,
            "Our visiting friends scheme grew",
        ),
        (
            5,
            Perspective::Employee,
            ToldDirection::Better,
            "More residents at the dinners",
        ),
        (
            6,
            Perspective::Citizen,
            ToldDirection::Worse,
            "My street has no one left to talk to",
        ),
    ];
    let mut narratives = Vec::new();
    for (n, perspective, direction, title) in told {
        narratives.push(Narrative::Story(Story {
            id: NarrativeId::from_u128(n),
            title: Text::en(title)?,
            text: Text::en(format!("(illustrative) {title}."))?,
            teller: Teller {
                role: Text::en(match perspective {
                    Perspective::Citizen => "resident",
                    _ => "community worker",
                })?,
                perspective,
                pseudonym: None,
            },
            consent: Consent::AnalysisOnly,
            events: Some(Period::year(2024)?),
            domain: Text::en("community and loneliness")?,
            why_significant: Text::en("who I see in a week")?,
            direction,
            links: Links::default().goal(goal).indicator(lonely.id),
        }));
    }

    // The survey compares the same population before and after: Maryland level 2.
    let strength = EvidenceStrength::Maryland {
        level: MarylandLevel::new(2)?,
    };
    let finding = triangulate(
        Subject::Indicator(lonely.id),
        Some(signal),
        Some(strength.confidence()),
        &narratives,
    );

    println!(
        "verdict: {:?}, confidence {:?}",
        finding.verdict, finding.confidence
    );
    for l in &finding.leans {
        let who = match l.voice {
            Voice::Numbers => "numbers".to_owned(),
            Voice::Narratives(p) => format!("{} stories", p.label_en()),
        };
        println!("  {who:<20} lean {:?}", l.lean);
    }
    for (p, t) in &finding.tallies {
        println!(
            "  {:<20} better {} worse {} mixed {} unclear {}",
            p.label_en(),
            t.better,
            t.worse,
            t.mixed,
            t.unclear
        );
    }
    println!("stories told against the numbers:");
    for id in &finding.dissent {
        if let Some(Narrative::Story(s)) = narratives.iter().find(|n| n.id() == *id) {
            println!("  - {} ({})", s.title, s.teller.role);
        }
    }
    Ok(())
}
