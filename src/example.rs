//! The embedded example: Aarhus Municipality, compiled in, used when no document is given.
//!
//! Real where real figures exist, illustrative elsewhere, and marked so in the data: every
//! invented observation has `provenance: illustrative`, and the document's `provenance` notes list
//! which goals, narratives, statements, dilemmas, decisions and initiatives are illustrative.
//!
//! Real: the vision and the five Aarhus goals with their follow-up indicators (Climate City Contract
//! action plan 2024, table B-3.3); the GHG inventory 2022 (1,455,478 t CO2e, scope 1 + 2); the
//! citizen survey score of 77 (2020) for "a good city for all"; the population of Aarhus by sex and
//! age band (Statistics Denmark FOLK1A, 2020K1) as margins; the monthly COVID-19 test positivity in
//! Aarhus (Statens Serum Institut); the Tranbjerg participatory budget of 2020 (DKK 320,000, 14
//! proposals, 12 eligible, 1,213 voters, 6 funded); the climate citizens' assembly of 36
//! (2021-22); the six departments; the 31-member city council.
//!
//! ```
//! let aarhus = kompas::example::aarhus();
//! assert_eq!(aarhus.municipality.code.as_deref(), Some("751"));
//! assert!(aarhus.validate().is_empty());
//! ```

use chrono::NaiveDate;
use kompas_cocreation::{
    Actor, ActorKind, Channel, DecisionRight, Initiative, Limit, LimitKind, Mode,
    MunicipalCapacity, MunicipalPosition, Participant, ParticipationFormat, Role, TimeSlot,
    UnitForm, ValueRef,
};
use kompas_core::{
    ActorId, DecisionId, DilemmaId, GoalId, IndicatorId, InitiativeId, NarrativeId, ObservationId,
    ParticipantId, Period, Perspective, Text, UnitId, ValueStatementId, Weight,
};
use kompas_evidence::{
    Consent, Direction, Indicator, Links, Narrative, Observation, OutcomeHarvest, Provenance,
    Purpose, Range, SourceKind, Story, Substantiation, SubstantiationStatus, Target, Teller,
    ToldDirection, ValueLevel,
};
use kompas_goals::{Goal, GoalHierarchy, Level, Link};
use kompas_value::{
    Authority, Decision, Dilemma, DilemmaKind, EvidenceRef, Hearing, LifeDomain, Origin, Position,
    Principle, Publication, Scope, Stance, ValueStatement,
};

use crate::{
    Compass, EvidenceRating, Municipality, ProvenanceKind, ProvenanceNote, RankingBallot,
    SCHEMA_VERSION, StakeholderRankings, Unit, UnitKind,
};

type BoxResult<T> = Result<T, Box<dyn std::error::Error>>;

const COVID_MONTHLY: &str = include_str!("example/aarhus_covid_monthly.csv");

/// The embedded Aarhus example document.
///
/// The document is built from constants in this crate and checked by its tests; it is always
/// valid, so this function does not fail.
pub fn aarhus() -> Compass {
    match build() {
        Ok(c) => c,
        // Unreachable for the constants below; the crate's tests build and validate the example.
        Err(e) => unreachable!("the embedded Aarhus example is invalid: {e}"),
    }
}

fn t(da: &str, en: &str) -> BoxResult<Text> {
    Ok(Text::both(da, en)?)
}

fn date(y: i32, m: u32, d: u32) -> BoxResult<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("bad date {y}-{m}-{d}").into())
}

fn uid(s: &str) -> UnitId {
    UnitId::from_name(&format!("aarhus/{s}"))
}
fn gid(s: &str) -> GoalId {
    GoalId::from_name(&format!("aarhus/{s}"))
}
fn iid(s: &str) -> IndicatorId {
    IndicatorId::from_name(&format!("aarhus/{s}"))
}

/// Collects the ids of illustrative items while building.
#[derive(Default)]
struct Illustrative(Vec<uuid::Uuid>);

impl Illustrative {
    fn mark(&mut self, id: &uuid::Uuid) {
        self.0.push(*id);
    }
}

#[allow(clippy::too_many_lines)]
fn build() -> BoxResult<Compass> {
    let mut ill = Illustrative::default();
    let mut c = Compass::new(Municipality {
        name: t("Aarhus Kommune", "Aarhus Municipality")?,
        code: Some("751".into()),
        council_size: Some(31),
    });
    c.schema_version = SCHEMA_VERSION;

    // --- Units: the municipality, its six departments, a few institutions (real names). ---
    let kommune = uid("unit/kommune");
    c.units.push(Unit {
        id: kommune,
        name: t(
            "Aarhus Kommune (Byrådet)",
            "Aarhus Municipality (city council)",
        )?,
        kind: UnitKind::Municipality,
        parent: None,
    });
    let departments = [
        ("mba", "Borgmesterens Afdeling", "The Mayor's Department"),
        ("mbu", "Børn og Unge", "Children and Young People"),
        (
            "mkb",
            "Kultur og Borgerservice",
            "Culture and Citizens' Services",
        ),
        (
            "msb",
            "Sociale Forhold og Beskæftigelse",
            "Social Affairs and Employment",
        ),
        ("mso", "Sundhed og Omsorg", "Health and Care"),
        (
            "mtm",
            "Teknik og Miljø",
            "Technical Services and Environment",
        ),
    ];
    for (code, da, en) in departments {
        c.units.push(Unit {
            id: uid(&format!("unit/{code}")),
            name: t(da, en)?,
            kind: UnitKind::Department,
            parent: Some(kommune),
        });
    }
    let institutions = [
        ("jobcenter", "msb", "Jobcenter Aarhus", "Jobcenter Aarhus"),
        (
            "biblioteker",
            "mkb",
            "Aarhus Kommunes Biblioteker",
            "Aarhus Public Libraries",
        ),
        ("sportfritid", "mkb", "Sport & Fritid", "Sport and Leisure"),
        ("hjemmepleje", "mso", "Hjemmeplejen", "Home care"),
        (
            "klima",
            "mtm",
            "Klimasekretariatet",
            "The Climate Secretariat",
        ),
    ];
    for (code, dept, da, en) in institutions {
        c.units.push(Unit {
            id: uid(&format!("unit/{code}")),
            name: t(da, en)?,
            kind: UnitKind::Institution,
            parent: Some(uid(&format!("unit/{dept}"))),
        });
    }
    c.units.push(Unit {
        id: uid("unit/tranbjerg-faellesraad"),
        name: t("Tranbjerg Fællesråd", "Tranbjerg Community Council")?,
        kind: UnitKind::CommunityCouncil,
        parent: None,
    });

    // --- Goals: the vision and the five Aarhus goals (real), department and unit goals (illustrative). ---
    let mut h = GoalHierarchy::default();
    let vision = gid("goal/0");
    h.add_goal(Goal::new(
        vision,
        t(
            "Aarhus skal være en god by for alle",
            "Aarhus must be a good city for everyone",
        )?,
        Level::City,
        kommune,
    ))?;
    let city = [
        (
            "En by med brug for alle",
            "A city with a place for everyone",
        ),
        (
            "En by med fællesskab og medborgerskab",
            "A city of community and fellowship",
        ),
        (
            "En by, hvor alle er sunde og trives",
            "A city where everyone is healthy and everyone thrives",
        ),
        (
            "En by i vækst og med et stærkt erhvervsliv",
            "A growing city with a strong private sector",
        ),
        (
            "En bæredygtig by med gode by- og lokalmiljøer",
            "A sustainable city with good urban and local environment",
        ),
    ];
    for (k, (da, en)) in city.iter().enumerate() {
        let g = gid(&format!("goal/{}", k + 1));
        h.add_goal(Goal::new(g, t(da, en)?, Level::City, kommune))?;
        h.link(g, vision, Link::new(Weight::ONE))?;
    }
    let link = |h: &mut GoalHierarchy,
                child: GoalId,
                parent: GoalId,
                w: f64,
                why: (&str, &str)|
     -> BoxResult<()> {
        h.link(
            child,
            parent,
            Link::new(Weight::new(w)?).with_rationale(t(why.0, why.1)?),
        )?;
        Ok(())
    };
    // Department goals, each bridging to one or two Aarhus goals.
    let dept_goals = [
        (
            "dept/msb",
            "msb",
            "Flere borgere i job og uddannelse",
            "More citizens in work and education",
        ),
        (
            "dept/mbu",
            "mbu",
            "Alle børn og unge trives, lærer og udvikler sig",
            "All children and young people thrive, learn and develop",
        ),
        (
            "dept/mkb",
            "mkb",
            "Stærke lokale fællesskaber, hvor alle kan være med",
            "Strong local communities where everyone can take part",
        ),
        (
            "dept/mso",
            "mso",
            "Borgerne lever et sundt og selvstændigt liv længst muligt",
            "Citizens live a healthy and independent life as long as possible",
        ),
        (
            "dept/mtm",
            "mtm",
            "Klimaneutral kommune i 2030",
            "A climate-neutral municipality by 2030",
        ),
        (
            "dept/mba",
            "mba",
            "Gode rammer for erhvervslivet og nye arbejdspladser",
            "Good conditions for business and new jobs",
        ),
    ];
    for (code, unit, da, en) in dept_goals {
        let g = gid(&format!("goal/{code}"));
        h.add_goal(Goal::new(
            g,
            t(da, en)?,
            Level::Department,
            uid(&format!("unit/{unit}")),
        ))?;
        ill.mark(g.as_uuid());
    }
    let bridge = (
        "Afdelingens bidrag til Aarhusmålet",
        "The department's contribution to the Aarhus goal",
    );
    link(&mut h, gid("goal/dept/msb"), gid("goal/1"), 1.0, bridge)?;
    link(
        &mut h,
        gid("goal/dept/mbu"),
        gid("goal/1"),
        0.5,
        (
            "Uddannelse giver alle en plads",
            "Education gives everyone a place",
        ),
    )?;
    link(
        &mut h,
        gid("goal/dept/mbu"),
        gid("goal/3"),
        0.5,
        (
            "Trivsel i barndommen varer livet ud",
            "Well-being in childhood lasts a lifetime",
        ),
    )?;
    link(&mut h, gid("goal/dept/mkb"), gid("goal/2"), 1.0, bridge)?;
    link(&mut h, gid("goal/dept/mso"), gid("goal/3"), 1.0, bridge)?;
    link(&mut h, gid("goal/dept/mtm"), gid("goal/5"), 1.0, bridge)?;
    link(&mut h, gid("goal/dept/mba"), gid("goal/4"), 1.0, bridge)?;
    // Unit goals.
    let unit_goals = [
        (
            "unit/jobcenter",
            "jobcenter",
            "Unge uden uddannelse kommer i uddannelse eller job",
            "Young people without education get into education or work",
        ),
        (
            "unit/biblioteker",
            "biblioteker",
            "Lokalbiblioteket er et mødested for alle",
            "The local library is a meeting place for everyone",
        ),
        (
            "unit/sportfritid",
            "sportfritid",
            "Flere borgere er fysisk aktive, i foreninger og selvorganiseret",
            "More citizens are physically active, in associations and self-organised",
        ),
        (
            "unit/hjemmepleje",
            "hjemmepleje",
            "Flere ældre klarer hverdagen selv efter rehabilitering",
            "More older people manage daily life on their own after rehabilitation",
        ),
        (
            "unit/klima",
            "klima",
            "Oliefri fjernvarme og mere vedvarende energi",
            "Oil-free district heating and more renewable energy",
        ),
        (
            "unit/svoemmehaller",
            "sportfritid",
            "Flere besøgende i svømmehallerne",
            "More visitors to the swimming pools",
        ),
    ];
    for (code, unit, da, en) in unit_goals {
        let g = gid(&format!("goal/{code}"));
        h.add_goal(Goal::new(
            g,
            t(da, en)?,
            Level::Unit,
            uid(&format!("unit/{unit}")),
        ))?;
        ill.mark(g.as_uuid());
    }
    let unit_bridge = ("Enhedens bidrag", "The unit's contribution");
    link(
        &mut h,
        gid("goal/unit/jobcenter"),
        gid("goal/dept/msb"),
        1.0,
        unit_bridge,
    )?;
    link(
        &mut h,
        gid("goal/unit/biblioteker"),
        gid("goal/dept/mkb"),
        1.0,
        unit_bridge,
    )?;
    link(
        &mut h,
        gid("goal/unit/sportfritid"),
        gid("goal/dept/mkb"),
        0.5,
        unit_bridge,
    )?;
    link(
        &mut h,
        gid("goal/unit/sportfritid"),
        gid("goal/dept/mso"),
        0.5,
        ("Bevægelse forebygger", "Exercise prevents illness"),
    )?;
    link(
        &mut h,
        gid("goal/unit/hjemmepleje"),
        gid("goal/dept/mso"),
        1.0,
        unit_bridge,
    )?;
    link(
        &mut h,
        gid("goal/unit/klima"),
        gid("goal/dept/mtm"),
        1.0,
        unit_bridge,
    )?;
    // "More visitors to the swimming pools" is deliberately left without a bridge to a city goal:
    // the follow-up shows how kompas flags such a goal.

    // --- Indicators: the city's follow-up indicators (real names), and local ones (illustrative). ---
    struct Ind<'a> {
        code: &'a str,
        goal: &'a str,
        da: &'a str,
        en: &'a str,
        unit: &'a str,
        dir: Direction,
        level: ValueLevel,
        purpose: Purpose,
        source: SourceKind,
        perspective: Perspective,
        goalposts: (f64, f64),
    }
    use Direction::{HigherIsBetter as Up, LowerIsBetter as Down};
    use Perspective::{Citizen, Employee};
    use Purpose::{LocalImprovement as Local, Strategic};
    use SourceKind::{Observation as Counted, Register, Survey};
    use ValueLevel::{Effect, Output, Quality, Value};
    let inds = [
        Ind {
            code: "good-city",
            goal: "goal/0",
            da: "Andel borgere der oplever Aarhus som en god by for alle",
            en: "Share of citizens who find Aarhus a good city for everyone",
            unit: "%",
            dir: Up,
            level: Value,
            purpose: Strategic,
            source: Survey,
            perspective: Citizen,
            goalposts: (0.0, 100.0),
        },
        Ind {
            code: "self-sufficiency",
            goal: "goal/1",
            da: "Selvforsørgelse (16-64 år)",
            en: "Self-sufficiency (aged 16-64)",
            unit: "%",
            dir: Up,
            level: Effect,
            purpose: Strategic,
            source: Register,
            perspective: Citizen,
            goalposts: (60.0, 90.0),
        },
        Ind {
            code: "youth-education",
            goal: "goal/1",
            da: "Ungdomsuddannelse (25-årige med en ungdomsuddannelse)",
            en: "Youth education (25-year-olds with an upper-secondary education)",
            unit: "%",
            dir: Up,
            level: Effect,
            purpose: Strategic,
            source: Register,
            perspective: Citizen,
            goalposts: (60.0, 100.0),
        },
        Ind {
            code: "citizenship",
            goal: "goal/2",
            da: "Medborgerskab",
            en: "Citizenship",
            unit: "score 0-100",
            dir: Up,
            level: Value,
            purpose: Strategic,
            source: Survey,
            perspective: Citizen,
            goalposts: (0.0, 100.0),
        },
        Ind {
            code: "loneliness",
            goal: "goal/2",
            da: "Ensomhed (andel der ofte føler sig alene)",
            en: "Loneliness (share who often feel alone)",
            unit: "%",
            dir: Down,
            level: Value,
            purpose: Strategic,
            source: Survey,
            perspective: Citizen,
            goalposts: (0.0, 20.0),
        },
        Ind {
            code: "security",
            goal: "goal/2",
            da: "Tryghed",
            en: "Security",
            unit: "%",
            dir: Up,
            level: Value,
            purpose: Strategic,
            source: Survey,
            perspective: Citizen,
            goalposts: (50.0, 100.0),
        },
        Ind {
            code: "lifespan",
            goal: "goal/3",
            da: "Middellevetid",
            en: "Mean lifespan",
            unit: "years",
            dir: Up,
            level: Effect,
            purpose: Strategic,
            source: Register,
            perspective: Citizen,
            goalposts: (75.0, 85.0),
        },
        Ind {
            code: "well-being",
            goal: "goal/3",
            da: "Trivsel",
            en: "Well-being",
            unit: "score 0-100",
            dir: Up,
            level: Value,
            purpose: Strategic,
            source: Survey,
            perspective: Citizen,
            goalposts: (0.0, 100.0),
        },
        Ind {
            code: "gdp",
            goal: "goal/4",
            da: "BNP for Business Region Aarhus",
            en: "GDP for Business Region Aarhus",
            unit: "bn DKK",
            dir: Up,
            level: Effect,
            purpose: Strategic,
            source: Register,
            perspective: Perspective::Business,
            goalposts: (150.0, 250.0),
        },
        Ind {
            code: "new-jobs",
            goal: "goal/4",
            da: "Nye arbejdspladser",
            en: "New workplaces",
            unit: "jobs",
            dir: Up,
            level: Output,
            purpose: Strategic,
            source: Register,
            perspective: Perspective::Business,
            goalposts: (0.0, 6000.0),
        },
        Ind {
            code: "ghg",
            goal: "goal/5",
            da: "Samlede udledninger, scope 1+2",
            en: "Total scope 1+2 emissions",
            unit: "t CO2e",
            dir: Down,
            level: Effect,
            purpose: Strategic,
            source: Register,
            perspective: Perspective::Research,
            goalposts: (0.0, 2_000_000.0),
        },
        Ind {
            code: "mobility",
            goal: "goal/5",
            da: "Mobilitet (andel ture til fods, på cykel og med kollektiv trafik)",
            en: "Mobility (share of trips on foot, by bike and by public transport)",
            unit: "%",
            dir: Up,
            level: Effect,
            purpose: Strategic,
            source: Survey,
            perspective: Citizen,
            goalposts: (30.0, 80.0),
        },
        Ind {
            code: "youth-start",
            goal: "goal/unit/jobcenter",
            da: "Unge på uddannelseshjælp der starter uddannelse inden 12 måneder",
            en: "Young people on education benefit who start education within 12 months",
            unit: "%",
            dir: Up,
            level: Effect,
            purpose: Local,
            source: Register,
            perspective: Citizen,
            goalposts: (0.0, 100.0),
        },
        Ind {
            code: "library-visits",
            goal: "goal/unit/biblioteker",
            da: "Besøg i lokalbibliotekerne pr. 1.000 indbyggere",
            en: "Visits to local libraries per 1,000 residents",
            unit: "visits",
            dir: Up,
            level: Output,
            purpose: Local,
            source: Counted,
            perspective: Employee,
            goalposts: (0.0, 6000.0),
        },
        Ind {
            code: "active",
            goal: "goal/unit/sportfritid",
            da: "Andel borgere der motionerer ugentligt",
            en: "Share of citizens who exercise weekly",
            unit: "%",
            dir: Up,
            level: Effect,
            purpose: Strategic,
            source: Survey,
            perspective: Citizen,
            goalposts: (40.0, 90.0),
        },
        Ind {
            code: "rehab-independent",
            goal: "goal/unit/hjemmepleje",
            da: "Borgere der efter rehabilitering ikke har brug for hjemmehjælp",
            en: "Citizens who need no home help after rehabilitation",
            unit: "share",
            dir: Up,
            level: Effect,
            purpose: Local,
            source: Register,
            perspective: Employee,
            goalposts: (0.0, 1.0),
        },
        Ind {
            code: "covid-positivity",
            goal: "goal/dept/mso",
            da: "Andel positive covid-19-test",
            en: "Share of positive COVID-19 tests",
            unit: "share",
            dir: Down,
            level: Quality,
            purpose: Local,
            source: Register,
            perspective: Perspective::Research,
            goalposts: (0.0, 0.3),
        },
        Ind {
            code: "oil-district-heating",
            goal: "goal/unit/klima",
            da: "Olie i fjernvarmesystemet",
            en: "Oil in the district heating system",
            unit: "t",
            dir: Down,
            level: Output,
            purpose: Strategic,
            source: Register,
            perspective: Employee,
            goalposts: (0.0, 5000.0),
        },
        Ind {
            code: "pool-visitors",
            goal: "goal/unit/svoemmehaller",
            da: "Besøgende i svømmehallerne",
            en: "Visitors to the swimming pools",
            unit: "visits",
            dir: Up,
            level: Output,
            purpose: Local,
            source: Counted,
            perspective: Employee,
            goalposts: (0.0, 1_500_000.0),
        },
    ];
    for i in &inds {
        let mut ind = Indicator::new(
            iid(i.code),
            t(i.da, i.en)?,
            i.unit,
            i.dir,
            i.level,
            i.purpose,
            i.source,
            i.perspective,
        )
        .with_goalposts(Range::new(i.goalposts.0, i.goalposts.1)?);
        if i.code == "ghg" {
            ind = ind.with_target(Target::new(0.0, Some(Period::year(2030)?))?);
        }
        if i.code == "oil-district-heating" {
            ind = ind.with_target(Target::new(0.0, None)?);
        }
        c.indicators.push(ind);
        h.attach_indicator(gid(i.goal), iid(i.code), Weight::ONE)?;
    }
    c.goals = h;

    // --- Observations. Real: survey 2020 (77), GHG 2022, COVID-19 positivity. The rest illustrative. ---
    let obs = |code: &str,
               year: i32,
               value: f64,
               prov: Provenance,
               source: &str|
     -> BoxResult<Observation> {
        let o = Observation::new(
            ObservationId::from_name(&format!("aarhus/obs/{code}/{year}")),
            iid(code),
            Period::year(year)?,
            value,
        )
        .with_provenance(prov);
        Ok(if source.is_empty() {
            o
        } else {
            o.with_source(source)
        })
    };
    // Illustrative annual series 2019-2024: (code, values).
    let series: [(&str, [f64; 6]); 15] = [
        ("good-city", [76.0, f64::NAN, 77.5, 78.0, 77.0, 78.5]),
        ("self-sufficiency", [75.8, 74.9, 76.1, 77.0, 77.4, 77.9]),
        ("youth-education", [83.0, 83.4, 83.1, 84.0, 84.2, 84.6]),
        ("citizenship", [68.0, 67.0, 66.5, 67.5, 68.5, 69.0]),
        ("security", [81.0, 80.5, 81.5, 82.0, 81.0, 82.5]),
        ("lifespan", [80.9, 81.0, 81.2, 81.0, 81.3, 81.5]),
        ("well-being", [70.0, 66.0, 67.0, 69.0, 70.0, 71.0]),
        ("gdp", [190.0, 186.0, 198.0, 207.0, 211.0, 216.0]),
        ("new-jobs", [3100.0, 1200.0, 4200.0, 3900.0, 3300.0, 3500.0]),
        ("mobility", [52.0, 55.0, 54.0, 53.0, 54.0, 55.0]),
        ("youth-start", [41.0, 38.0, 43.0, 45.0, 47.0, 49.0]),
        (
            "library-visits",
            [4200.0, 2100.0, 2900.0, 3800.0, 4100.0, 4300.0],
        ),
        ("active", [62.0, 60.0, 61.0, 63.0, 64.0, 66.0]),
        (
            "oil-district-heating",
            [4200.0, 3900.0, 3100.0, 2500.0, 1400.0, 600.0],
        ),
        (
            "pool-visitors",
            [
                1_150_000.0,
                520_000.0,
                780_000.0,
                1_050_000.0,
                1_120_000.0,
                1_180_000.0,
            ],
        ),
    ];
    for (code, values) in series {
        for (k, v) in values.into_iter().enumerate() {
            let year = 2019 + k as i32;
            if code == "good-city" && year == 2020 {
                c.observations.push(obs(
                    code,
                    year,
                    77.0,
                    Provenance::Measured,
                    "Aarhus Municipality citizen survey 2020",
                )?);
            } else if !v.is_nan() {
                c.observations
                    .push(obs(code, year, v, Provenance::Illustrative, "")?);
            }
        }
    }
    // Loneliness, quarterly survey 2021-2024 (illustrative): falling after 2022.
    let lonely = [
        11.9, 12.2, 11.7, 12.0, 11.8, 11.5, 11.9, 11.6, 10.4, 10.1, 10.3, 9.9, 9.6, 9.8, 9.4, 9.5,
    ];
    for (k, v) in lonely.into_iter().enumerate() {
        let (y, q) = (2021 + (k / 4) as i32, (k % 4) as u32);
        let start = date(y, 3 * q + 1, 1)?;
        let end = if q == 3 {
            date(y, 12, 31)?
        } else {
            date(y, 3 * q + 4, 1)?.pred_opt().ok_or("bad quarter")?
        };
        c.observations.push(
            Observation::new(
                ObservationId::from_name(&format!("aarhus/obs/loneliness/{y}Q{}", q + 1)),
                iid("loneliness"),
                Period::new(start, end)?,
                v,
            )
            .with_provenance(Provenance::Illustrative),
        );
    }
    // Rehabilitation, monthly 2022-2024 (illustrative): citizens needing no home help after a
    // finished course, of all finished courses; a shift up after the PDSA of March 2023.
    let finished = [
        41.0, 38.0, 44.0, 40.0, 43.0, 39.0, 35.0, 37.0, 42.0, 45.0, 40.0, 36.0,
    ];
    let independent = [
        [
            16.0, 15.0, 17.0, 16.0, 16.0, 15.0, 14.0, 14.0, 17.0, 17.0, 16.0, 14.0,
        ],
        [
            16.0, 15.0, 18.0, 17.0, 19.0, 18.0, 16.0, 17.0, 19.0, 21.0, 19.0, 17.0,
        ],
        [
            20.0, 18.0, 21.0, 19.0, 21.0, 19.0, 17.0, 18.0, 21.0, 22.0, 20.0, 18.0,
        ],
    ];
    for (yk, row) in independent.iter().enumerate() {
        for (m, v) in row.iter().enumerate() {
            let (y, m) = (2022 + yk as i32, m as u32 + 1);
            let start = date(y, m, 1)?;
            let end = if m == 12 {
                date(y, 12, 31)?
            } else {
                date(y, m + 1, 1)?.pred_opt().ok_or("bad month")?
            };
            c.observations.push(
                Observation::new(
                    ObservationId::from_name(&format!("aarhus/obs/rehab/{y}-{m:02}")),
                    iid("rehab-independent"),
                    Period::new(start, end)?,
                    *v,
                )
                .with_denominator(finished[m as usize - 1])
                .with_provenance(Provenance::Illustrative),
            );
        }
    }
    c.observations.push(obs(
        "ghg",
        2022,
        1_455_478.0,
        Provenance::Measured,
        "Aarhus GHG inventory 2022 (Climate City Contract 2024), scope 1+2",
    )?);
    for (year, v) in [(2023, 1_380_000.0), (2024, 1_290_000.0)] {
        c.observations
            .push(obs("ghg", year, v, Provenance::Illustrative, "")?);
    }
    // The equity pairing: self-sufficiency of vulnerable groups (illustrative), as a group series.
    for (k, v) in [58.0, 56.5, 57.0, 58.5, 59.0, 60.0].into_iter().enumerate() {
        let year = 2019 + k as i32;
        c.observations.push(
            Observation::new(
                ObservationId::from_name(&format!("aarhus/obs/self-sufficiency-vulnerable/{year}")),
                iid("self-sufficiency"),
                Period::year(year)?,
                v,
            )
            .with_group("vulnerable")
            .with_provenance(Provenance::Illustrative),
        );
    }
    // COVID-19: monthly cases and tested persons (Statens Serum Institut), full months only.
    for (n, line) in COVID_MONTHLY.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (Some(month), Some(cases), Some(tested)) = (f.first(), f.get(1), f.get(2)) else {
            return Err(format!(
                "aarhus_covid_monthly.csv line {}: expected month,cases,tested",
                n + 1
            )
            .into());
        };
        let (y, m) = month.split_once('-').ok_or("bad month")?;
        let (y, m): (i32, u32) = (y.parse()?, m.parse()?);
        let start = date(y, m, 1)?;
        let end = if m == 12 {
            date(y + 1, 1, 1)?
        } else {
            date(y, m + 1, 1)?
        }
        .pred_opt()
        .ok_or("bad month end")?;
        // Full months only: the first and the last month have data from a few days.
        let days_with_tests: i64 = f.get(5).ok_or("missing days_with_test_data")?.parse()?;
        if days_with_tests < (end - start).num_days() + 1 {
            continue;
        }
        c.observations.push(
            Observation::new(
                ObservationId::from_name(&format!("aarhus/obs/covid/{month}")),
                iid("covid-positivity"),
                Period::new(start, end)?,
                cases.parse()?,
            )
            .with_denominator(tested.parse()?)
            .with_source("Statens Serum Institut, COVID-19 surveillance, Aarhus Municipality"),
        );
    }

    // --- Value statements (illustrative, in the words of each perspective). ---
    let vs = |code: &str| ValueStatementId::from_name(&format!("aarhus/value/{code}"));
    let statements = [
        (
            "independence",
            "At kunne klare mig selv i mit eget hjem",
            "Being able to manage on my own in my own home",
            Citizen,
            Origin::Dialogue,
            LifeDomain::Health,
            Scope::Individual,
            vec!["goal/unit/hjemmepleje", "goal/dept/mso"],
        ),
        (
            "relations",
            "Tid til relationen med borgeren, ikke kun til opgaven",
            "Time for the relationship with the citizen, not only for the task",
            Employee,
            Origin::Dialogue,
            LifeDomain::SocialConnections,
            Scope::Individual,
            vec!["goal/unit/hjemmepleje"],
        ),
        (
            "associations",
            "Foreningslivet samler børn og voksne på tværs af byen",
            "Associations bring children and adults together across the city",
            Perspective::CivilSociety,
            Origin::Consultation,
            LifeDomain::CommunityLife,
            Scope::Shared,
            vec!["goal/unit/sportfritid", "goal/2"],
        ),
        (
            "outdoor",
            "Lys, stier og udendørs faciliteter, så vi kan træne hele året, når det passer os",
            "Lights, paths and outdoor facilities, so we can train all year when it suits us",
            Citizen,
            Origin::Survey,
            LifeDomain::CultureLeisureAndSport,
            Scope::Individual,
            vec!["goal/unit/sportfritid"],
        ),
        (
            "fair-climate",
            "Klimaindsatsen skal være retfærdig og mærkes lokalt",
            "Climate action must be fair and felt locally",
            Citizen,
            Origin::CoCreationForum,
            LifeDomain::Environment,
            Scope::Shared,
            vec!["goal/dept/mtm", "goal/5"],
        ),
        (
            "meeting-place",
            "Et sted i nærmiljøet, hvor man kan møde andre uden at skulle købe noget",
            "A place nearby to meet others without having to buy anything",
            Citizen,
            Origin::Dialogue,
            LifeDomain::SocialConnections,
            Scope::Shared,
            vec!["goal/unit/biblioteker", "goal/2"],
        ),
        (
            "a-chance",
            "En chance for at komme i gang, også når man er gået i stå",
            "A chance to get started, even when you have got stuck",
            Citizen,
            Origin::Dialogue,
            LifeDomain::KnowledgeAndSkills,
            Scope::Individual,
            vec!["goal/unit/jobcenter", "goal/1"],
        ),
        (
            "predictable",
            "Forudsigelige rammer, så vi tør investere og ansætte",
            "Predictable conditions, so that we dare to invest and hire",
            Perspective::Business,
            Origin::Consultation,
            LifeDomain::Work,
            Scope::Shared,
            vec!["goal/dept/mba", "goal/4"],
        ),
        (
            "good-city-all",
            "En god by for alle, uanset alder og livsfase",
            "A good city for everyone, whatever their age and stage in life",
            Perspective::Political,
            Origin::Consultation,
            LifeDomain::SubjectiveWellBeing,
            Scope::Shared,
            vec!["goal/0"],
        ),
    ];
    for (code, da, en, p, origin, domain, scope, goals) in statements {
        let id = vs(code);
        c.value_statements.push(ValueStatement {
            id,
            text: t(da, en)?,
            perspective: p,
            origin,
            domain,
            scope,
            date: date(2022, 9, 1)?,
            goals: goals.into_iter().map(gid).collect(),
        });
        ill.mark(id.as_uuid());
    }

    // --- Narratives (illustrative): citizens' and employees' stories, an outcome harvest. ---
    let nid = |code: &str| NarrativeId::from_name(&format!("aarhus/narrative/{code}"));
    let story = |code: &str,
                 title: (&str, &str),
                 text: (&str, &str),
                 role: (&str, &str),
                 p: Perspective,
                 year: i32,
                 domain: (&str, &str),
                 why: (&str, &str),
                 dir: ToldDirection,
                 links: Links|
     -> BoxResult<Narrative> {
        Ok(Narrative::Story(Story {
            id: nid(code),
            title: t(title.0, title.1)?,
            text: t(text.0, text.1)?,
            teller: Teller {
                role: t(role.0, role.1)?,
                perspective: p,
                pseudonym: None,
            },
            consent: Consent::Publish,
            events: Some(Period::year(year)?),
            domain: t(domain.0, domain.1)?,
            why_significant: t(why.0, why.1)?,
            direction: dir,
            links,
        }))
    };
    let ini_climate = InitiativeId::from_name("aarhus/initiative/climate-assembly");
    let ini_pb = InitiativeId::from_name("aarhus/initiative/pb-tranbjerg-2020");
    let narratives = vec![
        story(
            "shopping",
            ("Jeg kan selv handle igen", "I can do my own shopping again"),
            (
                "Efter et fald troede jeg, at jeg skulle have hjælp resten af livet. Terapeuten og jeg trænede trappen hver dag i seks uger. Nu går jeg selv til købmanden.",
                "After a fall I thought I would need help for the rest of my life. The therapist and I practised the stairs every day for six weeks. Now I walk to the grocer on my own.",
            ),
            ("pensionist, Viby", "pensioner, Viby"),
            Citizen,
            2024,
            ("hverdagsliv", "daily life"),
            (
                "Jeg bestemmer selv over min dag",
                "I decide over my own day",
            ),
            ToldDirection::Better,
            Links::default()
                .goal(gid("goal/unit/hjemmepleje"))
                .indicator(iid("rehab-independent")),
        )?,
        story(
            "no-time",
            (
                "Rehabilitering kræver tid, vi ikke altid har",
                "Rehabilitation takes time we do not always have",
            ),
            (
                "Når ruterne er fulde, bliver træningen det første, der ryger. Borgerne mærker det.",
                "When the routes are full, training is the first thing to go. The citizens notice.",
            ),
            ("social- og sundhedshjælper", "care worker"),
            Employee,
            2024,
            ("arbejdsvilkår", "working conditions"),
            (
                "Det er dér, forskellen skabes",
                "That is where the difference is made",
            ),
            ToldDirection::Mixed,
            Links::default().goal(gid("goal/unit/hjemmepleje")),
        )?,
        story(
            "homework",
            (
                "Lektiecaféen på biblioteket",
                "The homework café at the library",
            ),
            (
                "Hjemme er der ikke ro. På biblioteket er der frivillige, der hjælper, og andre unge. Jeg bestod matematik.",
                "There is no quiet at home. At the library there are volunteers who help, and other young people. I passed maths.",
            ),
            ("ung, Gellerup", "young person, Gellerup"),
            Citizen,
            2024,
            ("læring", "learning"),
            (
                "Det gav mig lyst til at tage en uddannelse",
                "It made me want an education",
            ),
            ToldDirection::Better,
            Links::default()
                .goal(gid("goal/unit/biblioteker"))
                .goal(gid("goal/unit/jobcenter")),
        )?,
        story(
            "lonely",
            ("Jeg er blevet mere alene", "I have become more alone"),
            (
                "Efter nedlukningerne kom klubben aldrig rigtig i gang igen. Jeg ser færre mennesker end før.",
                "After the lockdowns the club never really got going again. I see fewer people than before.",
            ),
            ("borger, 68 år, Åbyhøj", "citizen, 68, Åbyhøj"),
            Citizen,
            2024,
            ("fællesskab", "community"),
            (
                "Ensomheden fylder mere, end tallene viser",
                "Loneliness weighs more than the figures show",
            ),
            ToldDirection::Worse,
            Links::default()
                .goal(gid("goal/2"))
                .indicator(iid("loneliness")),
        )?,
        story(
            "lonely-2",
            ("Ingen at gå tur med", "No one to walk with"),
            (
                "Min gåmakker flyttede på plejehjem. Det er svært at finde nye at gå med.",
                "My walking companion moved into a care home. It is hard to find others to walk with.",
            ),
            ("borger, 81 år, Hasle", "citizen, 81, Hasle"),
            Citizen,
            2024,
            ("fællesskab", "community"),
            (
                "Jeg taler med færre i løbet af ugen",
                "I talk to fewer people during the week",
            ),
            ToldDirection::Worse,
            Links::default()
                .goal(gid("goal/2"))
                .indicator(iid("loneliness")),
        )?,
        story(
            "dark-paths",
            (
                "Der mangler lys på stierne om vinteren",
                "The paths lack lights in winter",
            ),
            (
                "Vi løber efter arbejde. Fra november er stierne mørke, så vi løber på vejen.",
                "We run after work. From November the paths are dark, so we run on the road.",
            ),
            (
                "selvorganiseret løber, Risskov",
                "self-organised runner, Risskov",
            ),
            Citizen,
            2023,
            ("motion", "exercise"),
            (
                "Vi er mange, men vi har ingen forening til at tale vores sag",
                "We are many, but we have no association to speak for us",
            ),
            ToldDirection::Worse,
            Links::default().goal(gid("goal/unit/sportfritid")),
        )?,
        story(
            "evening-vote",
            (
                "Afstemningen om aftenen gjorde, at jeg kunne være med",
                "Voting in the evening let me take part",
            ),
            (
                "Borgermødet lå efter børnenes sengetid, og man kunne også stemme online. Første gang, jeg har været med til noget i Tranbjerg.",
                "The citizens' meeting was after the children's bedtime, and you could vote online too. The first time I have taken part in anything in Tranbjerg.",
            ),
            ("forælder, Tranbjerg", "parent, Tranbjerg"),
            Citizen,
            2020,
            ("medborgerskab", "citizenship"),
            ("Jeg føler, at jeg hører til her", "I feel I belong here"),
            ToldDirection::Better,
            Links::default()
                .goal(gid("goal/2"))
                .goal(gid("goal/unit/sportfritid"))
                .initiative(ini_pb),
        )?,
        story(
            "assembly",
            (
                "Borgertingets anbefalinger blev til handling",
                "The assembly's recommendations became action",
            ),
            (
                "Vi troede, anbefalingerne ville ende i en skuffe. Tre af dem står nu i klimahandleplanen.",
                "We thought the recommendations would end up in a drawer. Three of them are now in the climate action plan.",
            ),
            (
                "medarbejder, Klimasekretariatet",
                "employee, the Climate Secretariat",
            ),
            Employee,
            2022,
            ("demokrati", "democracy"),
            (
                "Borgerne kan se deres aftryk",
                "Citizens can see their imprint",
            ),
            ToldDirection::Better,
            Links::default()
                .goal(gid("goal/dept/mtm"))
                .goal(gid("goal/dept/mkb"))
                .initiative(ini_climate),
        )?,
        story(
            "mentor",
            (
                "En mentor hjalp mig i gang",
                "A mentor helped me get started",
            ),
            (
                "Jeg havde droppet ud to gange. Min mentor gik med til det første møde på skolen.",
                "I had dropped out twice. My mentor came with me to the first meeting at the school.",
            ),
            ("ung, 22 år", "young person, 22"),
            Citizen,
            2024,
            ("uddannelse", "education"),
            (
                "Nu tror jeg på, at jeg kan gennemføre",
                "Now I believe I can finish",
            ),
            ToldDirection::Better,
            Links::default()
                .goal(gid("goal/unit/jobcenter"))
                .indicator(iid("youth-start")),
        )?,
        Narrative::Harvest(OutcomeHarvest {
            id: nid("harvest-tranbjerg"),
            change: t(
                "Tranbjerg Fællesråd driver nu selv en årlig pulje for lokale idéer med frivillige",
                "Tranbjerg Community Council now runs a yearly fund for local ideas with volunteers",
            )?,
            social_actor: t("Tranbjerg Fællesråd", "Tranbjerg Community Council")?,
            perspective: Perspective::CivilSociety,
            when: Some(Period::year(2022)?),
            contribution: t(
                "Deltagerbudgettet i 2020 gav erfaring og kontakter",
                "The participatory budget of 2020 gave experience and contacts",
            )?,
            significance: t(
                "Civilsamfundet skaber værdi uden kommunen som fortrop",
                "Civil society creates value without the municipality in the lead",
            )?,
            direction: ToldDirection::Better,
            substantiation: Substantiation {
                status: SubstantiationStatus::Partly,
                by: vec![Perspective::Employee],
                note: None,
            },
            links: Links::default().goal(gid("goal/2")).initiative(ini_pb),
        }),
    ];
    for n in narratives {
        ill.mark(n.id().as_uuid());
        c.narratives.push(n);
    }

    // --- The dilemma of halls against outdoor facilities, with its decision (illustrative). ---
    let halls = DilemmaId::from_name("aarhus/dilemma/halls-outdoor");
    c.dilemmas.push(Dilemma {
        id: halls,
        question: t("Skal puljen til idrætsfaciliteter gå til foreningernes haller eller til udendørs faciliteter for de selvorganiserede?", "Should the sports facilities fund go to the associations' halls or to outdoor facilities for the self-organised?")?,
        kind: DilemmaKind::BetweenPoliticalPriorities,
        positions: vec![
            Position { code: "halls".into(), label: t("Foreningernes haller", "The associations' halls")?, statements: vec![vs("associations")], held_by: vec![Perspective::CivilSociety, Perspective::Political] },
            Position { code: "outdoor".into(), label: t("Udendørs faciliteter", "Outdoor facilities")?, statements: vec![vs("outdoor")], held_by: vec![Citizen] },
        ],
        stances: vec![
            Stance { principle: Principle::IndividualAndCommunity, note: None },
            Stance { principle: Principle::PoliticiansDefineValue, note: None },
            Stance { principle: Principle::OpenBasis, note: None },
        ],
    });
    ill.mark(halls.as_uuid());
    let rehab = DilemmaId::from_name("aarhus/dilemma/rehabilitation");
    c.dilemmas.push(Dilemma {
        id: rehab,
        question: t("Hvor langt skal rehabilitering gå, når borgeren helst vil have hjælp frem for træning?", "How far should rehabilitation go when the citizen would rather have help than training?")?,
        kind: DilemmaKind::CitizenVsProfessional,
        positions: vec![
            Position { code: "train".into(), label: t("Træning mod selvhjulpenhed", "Training towards independence")?, statements: vec![vs("independence")], held_by: vec![Employee] },
            Position { code: "help".into(), label: t("Hjælp efter ønske", "Help as wished")?, statements: vec![vs("relations")], held_by: vec![Citizen] },
        ],
        stances: vec![Stance { principle: Principle::DefinedWithCitizens, note: None }],
    });
    ill.mark(rehab.as_uuid());
    let decision = DecisionId::from_name("aarhus/decision/halls-outdoor");
    c.decisions.push(Decision {
        id: decision,
        dilemma: halls,
        authority: Authority::CityCouncil,
        options: vec!["halls".into(), "outdoor".into(), "split".into()],
        chosen: "split".into(),
        heard: vec![
            Hearing { perspective: Perspective::CivilSociety, participants: 120, note: Some(t("14 foreninger ved dialogmøder", "14 associations at dialogue meetings")?) },
            Hearing { perspective: Citizen, participants: 1450, note: Some(t("Borgerundersøgelse om motion", "Citizen survey on exercise")?) },
            Hearing { perspective: Employee, participants: 12, note: None },
        ],
        evidence: vec![
            EvidenceRef::Narrative(nid("dark-paths")),
            EvidenceRef::Observation(ObservationId::from_name("aarhus/obs/active/2023")),
        ],
        rationale: Some(t("En mindre hal og lys på stierne: begge fællesskaber får plads, og de selvorganiserede, som ikke har en forening til at tale deres sag, bliver hørt.", "A smaller hall and lights on the paths: both communities get room, and the self-organised, who have no association to speak for them, are heard.")?),
        date: date(2023, 11, 22)?,
        publication: Publication::Published,
    });
    ill.mark(decision.as_uuid());

    // --- Co-creation: actors, two initiatives (real facts, illustrative charters), participants. ---
    let aid = |s: &str| ActorId::from_name(&format!("aarhus/actor/{s}"));
    let actors = [
        (
            "council",
            "Byrådet",
            "The city council",
            ActorKind::MunicipalUnit {
                form: UnitForm::Department,
                unit: Some(kommune),
            },
        ),
        (
            "mkb",
            "Kultur og Borgerservice",
            "Culture and Citizens' Services",
            ActorKind::MunicipalUnit {
                form: UnitForm::Department,
                unit: Some(uid("unit/mkb")),
            },
        ),
        (
            "klima",
            "Klimasekretariatet",
            "The Climate Secretariat",
            ActorKind::MunicipalUnit {
                form: UnitForm::Institution,
                unit: Some(uid("unit/klima")),
            },
        ),
        (
            "assembly",
            "Klimaborgertinget (36 borgere)",
            "The climate citizens' assembly (36 citizens)",
            ActorKind::CitizenGroup,
        ),
        (
            "tranbjerg-fr",
            "Tranbjerg Fællesråd",
            "Tranbjerg Community Council",
            ActorKind::Association,
        ),
        (
            "tranbjerg-citizens",
            "Borgere i Tranbjerg",
            "Residents of Tranbjerg",
            ActorKind::CitizenGroup,
        ),
        (
            "university",
            "Aarhus Universitet",
            "Aarhus University",
            ActorKind::ResearchInstitution,
        ),
    ];
    for (code, da, en, kind) in actors {
        c.actors.push(Actor {
            id: aid(code),
            name: t(da, en)?,
            kind,
        });
    }
    let role = |actor: &str,
                right: DecisionRight,
                resp: (&str, &str),
                expects: (&str, &str),
                expected: (&str, &str)|
     -> BoxResult<Role> {
        let mut r = Role::new(aid(actor), right);
        r.responsibilities.push(t(resp.0, resp.1)?);
        r.expects_of_others.push(t(expects.0, expects.1)?);
        r.expected_by_others.push(t(expected.0, expected.1)?);
        Ok(r)
    };
    let mut climate = Initiative::new(
        ini_climate,
        t(
            "Aarhus' klimaborgerting 2021-22",
            "Aarhus climate citizens' assembly 2021-22",
        )?,
        MunicipalPosition::Vanguard,
    );
    climate.value_sought = vec![
        ValueRef::Goal(gid("goal/dept/mtm")),
        ValueRef::Statement(vs("fair-climate")),
    ];
    climate.why_cocreation = Some(t(
        "Klimaneutralitet kræver, at borgerne er med til at vælge vejen",
        "Climate neutrality needs citizens to help choose the way",
    )?);
    climate.modes = [Mode::Process, Mode::DevelopingSolutions]
        .into_iter()
        .collect();
    climate.capacity = Some(MunicipalCapacity::Community);
    climate.roles = vec![
        role(
            "klima",
            DecisionRight::Collaborate,
            ("Sekretariat og faglig viden", "Secretariat and expertise"),
            ("Konkrete anbefalinger", "Concrete recommendations"),
            (
                "Åbenhed om, hvad der sker med anbefalingerne",
                "Openness about what happens to the recommendations",
            ),
        )?,
        role(
            "assembly",
            DecisionRight::Involve,
            ("Drøfte og anbefale", "Deliberate and recommend"),
            (
                "Svar på hver anbefaling",
                "An answer to each recommendation",
            ),
            (
                "Deltagelse i alle fire weekender",
                "Attendance at all four weekends",
            ),
        )?,
        role(
            "university",
            DecisionRight::Consult,
            ("Faglige oplæg", "Expert talks"),
            ("Adgang til data", "Access to data"),
            ("Uafhængig faglighed", "Independent expertise"),
        )?,
        role(
            "council",
            DecisionRight::Empower,
            (
                "Beslutter, hvilke anbefalinger der gennemføres",
                "Decides which recommendations are carried out",
            ),
            (
                "Anbefalinger inden budgettet",
                "Recommendations before the budget",
            ),
            ("Et begrundet svar", "A reasoned answer"),
        )?,
    ];
    climate.limits = vec![
        Limit {
            kind: LimitKind::CouncilDecision,
            text: t(
                "Byrådet træffer de endelige beslutninger",
                "The city council takes the final decisions",
            )?,
        },
        Limit {
            kind: LimitKind::Resources,
            text: t(
                "Anbefalingerne skal holde sig inden for klimahandleplanens økonomi",
                "Recommendations must fit the climate plan's budget",
            )?,
        },
    ];
    climate.problem_owners = vec![aid("council")];
    climate.solution_owners = vec![aid("council"), aid("klima")];
    climate.final_decision = vec![aid("council")];
    climate.formats = vec![
        ParticipationFormat {
            channel: Channel::InPerson,
            time: TimeSlot::Weekend,
            note: None,
        },
        ParticipationFormat {
            channel: Channel::Online,
            time: TimeSlot::Evening,
            note: None,
        },
    ];
    let mut pb = Initiative::new(
        ini_pb,
        t(
            "Deltagerbudget i Tranbjerg 2020 (320.000 kr., 1.213 stemmer, 6 projekter)",
            "Participatory budget in Tranbjerg 2020 (DKK 320,000, 1,213 voters, 6 projects)",
        )?,
        MunicipalPosition::Rearguard,
    );
    pb.value_sought = vec![
        ValueRef::Goal(gid("goal/2")),
        ValueRef::Goal(gid("goal/unit/sportfritid")),
    ];
    pb.why_cocreation = Some(t(
        "Borgerne ved bedst, hvad der skaber liv i lokalområdet",
        "Residents know best what brings their area to life",
    )?);
    pb.modes = [Mode::DevelopingSolutions, Mode::Delivering]
        .into_iter()
        .collect();
    pb.capacity = Some(MunicipalCapacity::ServiceProvider);
    pb.roles = vec![
        role(
            "tranbjerg-fr",
            DecisionRight::Empower,
            (
                "Driver processen og afstemningen",
                "Runs the process and the vote",
            ),
            (
                "Hjælp til at vurdere forslagene",
                "Help to assess the proposals",
            ),
            ("En åben og fair afstemning", "An open and fair vote"),
        )?,
        role(
            "tranbjerg-citizens",
            DecisionRight::Empower,
            ("Stiller forslag og stemmer", "Make proposals and vote"),
            (
                "At vinderne bliver gennemført",
                "That the winners are carried out",
            ),
            ("Forslag inden for rammerne", "Proposals within the limits"),
        )?,
        role(
            "mkb",
            DecisionRight::Consult,
            (
                "Vurderer forslagenes lovlighed og økonomi",
                "Checks the proposals' legality and cost",
            ),
            ("Klare forslag", "Clear proposals"),
            (
                "Hurtige og forståelige svar",
                "Quick and understandable answers",
            ),
        )?,
    ];
    pb.limits = vec![
        Limit {
            kind: LimitKind::Law,
            text: t(
                "Projekterne skal være lovlige kommunale opgaver",
                "Projects must be lawful municipal tasks",
            )?,
        },
        Limit {
            kind: LimitKind::Resources,
            text: t("Puljen er 320.000 kr.", "The fund is DKK 320,000")?,
        },
    ];
    pb.problem_owners = vec![aid("tranbjerg-citizens")];
    pb.solution_owners = vec![aid("tranbjerg-fr")];
    pb.final_decision = vec![aid("tranbjerg-citizens")];
    pb.formats = vec![
        ParticipationFormat {
            channel: Channel::Online,
            time: TimeSlot::Anytime,
            note: None,
        },
        ParticipationFormat {
            channel: Channel::InPerson,
            time: TimeSlot::AfterBedtime,
            note: Some(t("Borgermøde kl. 20", "Citizens' meeting at 8 pm")?),
        },
        ParticipationFormat {
            channel: Channel::Outreach,
            time: TimeSlot::Weekend,
            note: Some(t(
                "Stemmeboks ved Tranbjerg Bibliotek",
                "A ballot box at Tranbjerg Library",
            )?),
        },
    ];
    ill.mark(ini_climate.as_uuid());
    ill.mark(ini_pb.as_uuid());
    c.initiatives = vec![climate, pb];

    // The assembly's 36 members by sex and age band (illustrative composition).
    let bands: [(&str, usize, usize); 5] = [
        ("18-29", 4, 4),
        ("30-44", 4, 5),
        ("45-59", 4, 5),
        ("60-74", 5, 3),
        ("75+", 1, 1),
    ];
    let mut k = 0;
    for (band, women, men) in bands {
        for (sex, n) in [("women", women), ("men", men)] {
            for _ in 0..n {
                k += 1;
                let p = Participant::new(ParticipantId::from_name(&format!(
                    "aarhus/participant/assembly/{k}"
                )))
                .with_attribute("sex", sex)
                .with_attribute("age_band", band);
                c.participants.push(Participant {
                    initiative: Some(ini_climate),
                    ..p
                });
            }
        }
    }

    // Population margins, adults 18+: Statistics Denmark FOLK1A, Aarhus, 2020K1 (age 38 missing in the extract).
    let men = [46_709, 31_248, 28_132, 22_245, 9_084];
    let women = [48_763, 29_671, 29_399, 24_173, 12_758];
    let band_names = ["18-29", "30-44", "45-59", "60-74", "75+"];
    c.population.add("sex", "men", men.iter().sum())?;
    c.population.add("sex", "women", women.iter().sum())?;
    for (k, band) in band_names.iter().enumerate() {
        c.population.add("age_band", band, men[k] + women[k])?;
    }

    // Stakeholder groups' rankings of the halls decision's options (illustrative).
    c.rankings.push(StakeholderRankings {
        decision,
        ballots: [
            ("associations", 96, "halls>split>outdoor"),
            ("associations", 24, "split>halls>outdoor"),
            ("self-organised", 610, "outdoor>split>halls"),
            ("self-organised", 240, "split>outdoor>halls"),
            ("survey respondents", 330, "split>outdoor>halls"),
            ("survey respondents", 270, "outdoor>split>halls"),
            ("survey respondents", 170, "halls>split>outdoor"),
        ]
        .into_iter()
        .map(|(group, count, ranking)| RankingBallot {
            group: group.into(),
            count,
            ranking: ranking.into(),
        })
        .collect(),
    });

    // Evidence ratings (illustrative): how strong the evidence behind some goals is.
    c.evidence_ratings = vec![
        EvidenceRating {
            subject: kompas_evidence::Subject::Indicator(iid("rehab-independent")),
            strength: kompas_evidence::EvidenceStrength::Maryland {
                level: kompas_evidence::MarylandLevel::new(3)?,
            },
            note: Some(t(
                "Før-efter med sammenligningsgruppe i tre distrikter",
                "Before and after, with a comparison group in three districts",
            )?),
        },
        EvidenceRating {
            subject: kompas_evidence::Subject::Goal(gid("goal/2")),
            strength: kompas_evidence::EvidenceStrength::Cerqual(
                kompas_evidence::CerqualAssessment {
                    methodological_limitations: kompas_evidence::CerqualConcern::Minor,
                    coherence: kompas_evidence::CerqualConcern::Moderate,
                    adequacy: kompas_evidence::CerqualConcern::Minor,
                    relevance: kompas_evidence::CerqualConcern::NoOrVeryMinor,
                },
            ),
            note: Some(t(
                "Fortællinger om ensomhed fra borgere og medarbejdere",
                "Stories about loneliness from citizens and employees",
            )?),
        },
        EvidenceRating {
            subject: kompas_evidence::Subject::Goal(gid("goal/unit/jobcenter")),
            strength: kompas_evidence::EvidenceStrength::Nesta {
                level: kompas_evidence::NestaLevel::new(2)?,
            },
            note: None,
        },
    ];

    // Learning cycles (illustrative): a chained PDSA in home care, one in the job centre.
    c.learning_cycles = learning_cycles()?;
    for cycle in &c.learning_cycles {
        ill.mark(cycle.id.as_uuid());
    }

    c.provenance = vec![
        ProvenanceNote {
            kind: ProvenanceKind::Real,
            source: t(
                "Aarhus Kommune, Climate City Contract-handlingsplan 2024, tabel B-3.3: visionen, de fem Aarhusmål og deres indikatorer",
                "Aarhus Municipality, Climate City Contract action plan 2024, table B-3.3: the vision, the five Aarhus goals and their indicators",
            )?,
            items: std::iter::once(vision)
                .chain((1..=5).map(|k| gid(&format!("goal/{k}"))))
                .map(|g| *g.as_uuid())
                .collect(),
        },
        ProvenanceNote {
            kind: ProvenanceKind::Real,
            source: t(
                "Befolkningen (18+) efter køn og alder: Danmarks Statistik FOLK1A, Aarhus, 2020K1 (alder 38 mangler i udtrækket)",
                "Population (18+) by sex and age band: Statistics Denmark FOLK1A, Aarhus, 2020K1 (age 38 missing in the extract)",
            )?,
            items: Vec::new(),
        },
        ProvenanceNote {
            kind: ProvenanceKind::Illustrative,
            source: t(
                "Illustrative mål, fortællinger, værdiudsagn, dilemmaer, beslutninger og chartre, der viser, hvordan delene hænger sammen",
                "Illustrative goals, narratives, value statements, dilemmas, decisions and charters that show how the parts fit together",
            )?,
            items: ill.0,
        },
    ];
    Ok(c)
}

/// Two chained PDSA cycles in home care (the second contradicts its prediction and reopens a
/// goal), and one cycle in the job centre.
fn learning_cycles() -> BoxResult<Vec<kompas_evidence::LearningCycle>> {
    use kompas_core::LearningCycleId;
    use kompas_evidence::{
        Act, ActDecision, ChangeDirection, DoPhase, GoalRevisit, LearningCycle, Measure,
        MeasureKind, Prediction, QuantSignal, Study,
    };
    let lid = |s: &str| LearningCycleId::from_name(&format!("aarhus/pdsa/{s}"));
    let measure = |kind, da: &str, en: &str, ind: Option<&str>| -> BoxResult<Measure> {
        Ok(Measure {
            kind,
            name: t(da, en)?,
            indicator: ind.map(iid),
        })
    };
    let mut first = LearningCycle::new(
        lid("rehab-1"),
        t(
            "Flere borgere klarer sig uden hjemmehjælp efter rehabilitering",
            "More citizens manage without home help after rehabilitation",
        )?,
        t(
            "Daglig træning i eget hjem i seks uger i stedet for to gange om ugen",
            "Daily training at home for six weeks instead of twice a week",
        )?,
        Prediction {
            text: t(
                "Andelen uden behov for hjælp stiger fra 40 % til 50 %",
                "The share needing no help rises from 40 % to 50 %",
            )?,
            expected: ChangeDirection::Improvement,
        },
    );
    first.goals.insert(gid("goal/unit/hjemmepleje"));
    first.measures = vec![
        measure(
            MeasureKind::Outcome,
            "Uden behov for hjemmehjælp",
            "No need for home help",
            Some("rehab-independent"),
        )?,
        measure(
            MeasureKind::Process,
            "Gennemførte træningsbesøg",
            "Training visits carried out",
            None,
        )?,
        measure(
            MeasureKind::Balancing,
            "Medarbejdernes oplevede tidspres",
            "Staff's experienced time pressure",
            None,
        )?,
    ];
    first.carried_out = DoPhase {
        observations: vec![t(
            "Træningen blev gennemført hos 31 af 36 borgere",
            "Training was carried out for 31 of 36 citizens",
        )?],
        surprises: vec![t(
            "Pårørende ville gerne være med",
            "Relatives wanted to join in",
        )?],
    };
    first.study = Some(Study {
        result: t(
            "Andelen steg til 47 %; serien viser et skift",
            "The share rose to 47 %; the series shows a shift",
        )?,
        observed: ChangeDirection::Improvement,
        signal: Some(QuantSignal::SpecialCauseImprovement),
    });
    first.act = Some(Act {
        decision: ActDecision::Adapt,
        note: Some(t(
            "Pårørende inddrages fra start",
            "Relatives are involved from the start",
        )?),
        revisit: Vec::new(),
    });
    first.started = Some(date(2023, 3, 1)?);

    let mut second = LearningCycle::new(
        lid("rehab-2"),
        t(
            "Pårørende støtter træningen",
            "Relatives support the training",
        )?,
        t(
            "Pårørende lærer øvelserne ved første besøg",
            "Relatives learn the exercises at the first visit",
        )?,
        Prediction {
            text: t("Færre afbrudte forløb", "Fewer interrupted courses")?,
            expected: ChangeDirection::Improvement,
        },
    );
    second.goals.insert(gid("goal/unit/hjemmepleje"));
    second.predecessor = Some(lid("rehab-1"));
    second.measures = vec![measure(
        MeasureKind::Outcome,
        "Uden behov for hjemmehjælp",
        "No need for home help",
        Some("rehab-independent"),
    )?];
    second.study = Some(Study {
        result: t(
            "Ingen forskel; flere borgere ønskede hjælp frem for træning",
            "No difference; more citizens wanted help rather than training",
        )?,
        observed: ChangeDirection::NoChange,
        signal: Some(QuantSignal::NoSignal),
    });
    second.act = Some(Act {
        decision: ActDecision::Abandon,
        note: None,
        revisit: vec![GoalRevisit {
            goal: gid("goal/unit/hjemmepleje"),
            question: t(
                "Er selvhjulpenhed det rette mål for alle, eller skal borgerens eget ønske veje tungere?",
                "Is independence the right goal for everyone, or should the citizen's own wish weigh more?",
            )?,
        }],
    });
    second.started = Some(date(2024, 2, 1)?);

    let mut job = LearningCycle::new(
        lid("mentor"),
        t(
            "Flere unge starter uddannelse",
            "More young people start education",
        )?,
        t(
            "En mentor følger den unge til første møde på skolen",
            "A mentor goes with the young person to the first meeting at the school",
        )?,
        Prediction {
            text: t(
                "Flere starter inden for 12 måneder",
                "More start within 12 months",
            )?,
            expected: ChangeDirection::Improvement,
        },
    );
    job.goals.insert(gid("goal/unit/jobcenter"));
    job.measures = vec![measure(
        MeasureKind::Outcome,
        "Start på uddannelse",
        "Start of education",
        Some("youth-start"),
    )?];
    job.study = Some(Study {
        result: t(
            "Flere startede, end i sammenligningsåret",
            "More started than in the comparison year",
        )?,
        observed: ChangeDirection::Improvement,
        signal: None,
    });
    job.act = Some(Act {
        decision: ActDecision::Adopt,
        note: None,
        revisit: Vec::new(),
    });
    job.started = Some(date(2024, 1, 15)?);
    Ok(vec![first, second, job])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_validates() {
        let c = build().map_err(|e| e.to_string()).unwrap();
        let problems = c.validate();
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(
            c.units
                .iter()
                .filter(|u| u.kind == UnitKind::Department)
                .count(),
            6
        );
        assert_eq!(c.participants.len(), 36);
        let adults: u64 = c
            .population
            .margin("sex")
            .unwrap_or_default()
            .values()
            .sum();
        let by_age: u64 = c
            .population
            .margin("age_band")
            .unwrap_or_default()
            .values()
            .sum();
        assert_eq!(adults, by_age, "the two margins describe the same adults");
        assert_eq!(adults, 282_182);
    }

    #[test]
    fn real_figures_are_measured_and_illustrative_ones_marked() {
        let c = aarhus();
        let real: Vec<_> = c
            .observations
            .iter()
            .filter(|o| o.provenance != Provenance::Illustrative)
            .collect();
        assert!(
            real.iter()
                .any(|o| o.indicator == iid("good-city") && o.value == 77.0)
        );
        assert!(
            real.iter()
                .any(|o| o.indicator == iid("ghg") && o.value == 1_455_478.0)
        );
        assert_eq!(
            real.iter()
                .filter(|o| o.indicator == iid("covid-positivity"))
                .count(),
            35
        );
        for o in &c.observations {
            assert!(
                o.provenance == Provenance::Illustrative || o.source.is_some(),
                "observation {} is neither illustrative nor sourced",
                o.id
            );
        }
    }
}
