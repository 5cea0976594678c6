//! Sports halls for the associations, or outdoor facilities for self-organised athletes? The
//! framework's own dilemma, worked through: value statements from different perspectives, rankings
//! from stakeholder groups aggregated by Schulze's method, a decision with its transparency check,
//! and whose voice the decision follows and overrules.
//!
//! The rankings and participant counts are illustrative, not survey results; the department
//! (Kultur og Borgerservice) is Aarhus' real department for sport and leisure.
//!
//! ```text
//! cargo run --example halls_vs_outdoor
//! ```

use std::error::Error;

use chrono::NaiveDate;
use kompas::core::{
    DecisionId, DilemmaId, GoalId, NarrativeId, Perspective, Text, ValueStatementId,
};
use kompas::value::{
    Authority, Decision, Dilemma, DilemmaKind, EvidenceRef, Hearing, LifeDomain, Method, Origin,
    Position, Principle, Profile, Publication, Scope, Stance, ValueStatement, Voice, aggregate,
    check_decisions, whose_voice,
};

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, Box<dyn Error>> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("bad date {y}-{m}-{d}").into())
}

fn main() -> Result<(), Box<dyn Error>> {
    // Aarhus goal 3: "En by, hvor alle er sunde og trives".
    let health_goal = GoalId::from_name("aarhus/goal/3");
    let statement = |key: &str,
                     text: &str,
                     perspective: Perspective,
                     origin: Origin,
                     scope: Scope|
     -> Result<ValueStatement, Box<dyn Error>> {
        Ok(ValueStatement {
            id: ValueStatementId::from_name(key),
            text: Text::en(text)?,
            perspective,
            origin,
            domain: LifeDomain::CultureLeisureAndSport,
            scope,
            date: date(2021, 9, 14)?,
            goals: vec![health_goal],
        })
    };
    let statements = [
        statement(
            "club",
            "Our club holds children's teams together; without hall hours there is no club",
            Perspective::CivilSociety,
            Origin::Consultation,
            Scope::Shared,
        )?,
        statement(
            "runner",
            "I train when my shifts allow, late or early; a lit path and an outdoor gym fit my life",
            Perspective::Citizen,
            Origin::Survey,
            Scope::Individual,
        )?,
        statement(
            "consultant",
            "Most new activity is self-organised, but halls carry the organised youth sport",
            Perspective::Employee,
            Origin::Dialogue,
            Scope::Shared,
        )?,
    ];
    println!("Value statements:");
    for s in &statements {
        println!(
            "  [{} / {:?} / {:?}] {}",
            s.perspective.label_en(),
            s.origin,
            s.scope,
            s.text.get(kompas::core::Lang::En)
        );
    }

    let dilemma = Dilemma {
        id: DilemmaId::from_name("halls-vs-outdoor"),
        question: Text::both(
            "Foreningernes haller eller de selvorganiserede idrætsudøveres udendørsfaciliteter?",
            "The associations' sports halls or the self-organised athletes' outdoor facilities?",
        )?,
        kind: DilemmaKind::BetweenPoliticalPriorities,
        positions: vec![
            Position {
                code: "halls".into(),
                label: Text::en("more hall hours for the associations")?,
                statements: vec![statements[0].id],
                held_by: vec![Perspective::CivilSociety],
            },
            Position {
                code: "outdoor".into(),
                label: Text::en("outdoor facilities open to everyone, at any hour")?,
                statements: vec![statements[1].id],
                held_by: vec![Perspective::Citizen],
            },
            Position {
                code: "shared".into(),
                label: Text::en("halls opened to self-organised groups outside club hours")?,
                statements: vec![statements[2].id],
                held_by: vec![Perspective::Employee],
            },
        ],
        stances: vec![
            Stance {
                principle: Principle::PoliticiansDefineValue,
                note: None,
            },
            Stance {
                principle: Principle::IndividualAndCommunity,
                note: None,
            },
            Stance {
                principle: Principle::OpenBasis,
                note: None,
            },
        ],
    };
    println!(
        "\nDilemma: {}",
        dilemma.question.get(kompas::core::Lang::En)
    );
    for s in &dilemma.stances {
        println!("  stance: {}", s.principle.statement_en());
    }

    // Rankings from the stakeholder groups, one line per distinct ballot.
    let ballots = "count,ranking,group\n\
                   38,halls>shared>outdoor,associations\n\
                   9,shared>halls>outdoor,associations\n\
                   41,outdoor>shared>halls,self-organised\n\
                   12,shared>outdoor>halls,self-organised\n\
                   11,shared>outdoor>halls,professionals\n\
                   3,halls>shared>outdoor,professionals\n";
    let profile = Profile::parse_csv(ballots, None)?;
    let schulze = aggregate(&profile, Method::Schulze)?;
    println!("\nSchulze order of {} voters:", profile.voters());
    for (i, tier) in schulze.order.iter().enumerate() {
        println!("  {}. {}", i + 1, tier.join(" = "));
    }
    let borda = aggregate(&profile, Method::Borda)?;
    println!("  (Borda would give: {:?})", borda.order);

    let chosen = schulze.winners().first().cloned().ok_or("no winner")?;
    let decision = Decision {
        id: DecisionId::from_name("kb-2022-halls"),
        dilemma: dilemma.id,
        authority: Authority::Committee,
        options: dilemma.positions.iter().map(|p| p.code.clone()).collect(),
        chosen: chosen.clone(),
        heard: vec![
            Hearing {
                perspective: Perspective::CivilSociety,
                participants: 47,
                note: None,
            },
            Hearing {
                perspective: Perspective::Citizen,
                participants: 53,
                note: None,
            },
            Hearing {
                perspective: Perspective::Employee,
                participants: 14,
                note: None,
            },
        ],
        evidence: vec![
            EvidenceRef::Finding("ranking survey, Schulze aggregation".into()),
            EvidenceRef::Narrative(NarrativeId::from_name("runner-story")),
        ],
        rationale: Some(Text::en(
            "the shared use of halls is every group's first or second choice",
        )?),
        date: date(2022, 3, 1)?,
        publication: Publication::Published,
    };
    decision.validate()?;
    let t = decision.transparency();
    println!(
        "\nDecision: {} chooses {:?}; open: {}; {} participants from {} perspectives",
        decision.authority.as_str(),
        decision.chosen,
        t.is_open(),
        t.participants,
        t.perspectives.len()
    );
    let findings = check_decisions(
        std::slice::from_ref(&decision),
        std::slice::from_ref(&dilemma),
    );
    println!(
        "  findings: {}",
        if findings.is_empty() {
            "none".to_owned()
        } else {
            findings
                .iter()
                .map(|f| f.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    // Had the department management settled it alone, the check would object:
    let below = Decision {
        authority: Authority::DepartmentManagement,
        ..decision.clone()
    };
    for f in check_decisions(&[below], std::slice::from_ref(&dilemma)) {
        println!(
            "  if decided by department management: [{}] {}",
            f.code, f.message
        );
    }

    let voice = whose_voice(&profile, &chosen)?;
    println!("\nWhose voice, choosing {chosen:?}:");
    for g in &voice.groups {
        match g.voice {
            Voice::Follows => println!(
                "  follows {} ({} of {} rank it first)",
                g.group, g.first_choice, g.voters
            ),
            Voice::Overrules => println!(
                "  overrules {}: a majority prefers {} ({} of {} rank it first)",
                g.group,
                g.preferred_over_chosen.join(", "),
                g.first_choice,
                g.voters
            ),
        }
    }
    Ok(())
}
