//! Are the roles of two Aarhus co-creation initiatives clear? Writes the charters of a climate
//! citizens' assembly of 36 (2021-22) and of the participatory budget of Tranbjerg (2020:
//! DKK 320,000, 14 proposals, 1,213 voters), checks them against the framework and prints every
//! finding with its code, severity and framework reference.
//!
//! ```text
//! cargo run --example charter_checks
//! ```
//!
//! The charters are written for the example from the public facts in `shared/data/README.md`;
//! the roles and formats are illustrative, not Aarhus' own documents.

use std::error::Error;

use kompas::cocreation::{
    Actor, ActorKind, Channel, DecisionRight, DecisionScope, Initiative, Limit, LimitKind, Mode,
    MunicipalCapacity, MunicipalPosition, ParticipationFormat, Role, Subject, TimeSlot, UnitForm,
    ValueRef, check_initiative,
};
use kompas::core::{ActorId, GoalId, InitiativeId, Lang, Text, UnitId};

fn actor(key: &str, name: &str, kind: ActorKind) -> Result<Actor, Box<dyn Error>> {
    Ok(Actor {
        id: ActorId::from_name(key),
        name: Text::da(name)?,
        kind,
    })
}

fn role(
    key: &str,
    right: DecisionRight,
    expects: &[&str],
    expected: &[&str],
) -> Result<Role, Box<dyn Error>> {
    let mut r = Role::new(ActorId::from_name(key), right);
    for e in expects {
        r.expects_of_others.push(Text::da(*e)?);
    }
    for e in expected {
        r.expected_by_others.push(Text::da(*e)?);
    }
    Ok(r)
}

fn format(
    channel: Channel,
    time: TimeSlot,
    note: &str,
) -> Result<ParticipationFormat, Box<dyn Error>> {
    Ok(ParticipationFormat {
        channel,
        time,
        note: Some(Text::da(note)?),
    })
}

fn department(key: &str, name: &str) -> Result<Actor, Box<dyn Error>> {
    actor(
        key,
        name,
        ActorKind::MunicipalUnit {
            form: UnitForm::Department,
            unit: Some(UnitId::from_name(key)),
        },
    )
}

fn main() -> Result<(), Box<dyn Error>> {
    let actors = vec![
        actor(
            "borgertinget",
            "Klimaborgertinget (36 borgere)",
            ActorKind::CitizenGroup,
        )?,
        department("tmf", "Teknik og Miljø")?,
        department("ba", "Borgmesterens Afdeling")?,
        actor("au", "Aarhus Universitet", ActorKind::ResearchInstitution)?,
        actor(
            "tranbjerg-faellesraad",
            "Tranbjerg Fællesråd",
            ActorKind::Association,
        )?,
        actor(
            "tranbjerg-borgere",
            "Borgere i Tranbjerg over 15 år",
            ActorKind::Citizen,
        )?,
    ];
    let id = ActorId::from_name;

    // The climate citizens' assembly: the municipality leads, as a community of citizens.
    let mut assembly = Initiative::new(
        InitiativeId::from_name("aarhus/klimaborgerting-2021"),
        Text::both(
            "Aarhus' klimaborgerting",
            "Aarhus climate citizens' assembly",
        )?,
        MunicipalPosition::Vanguard,
    );
    assembly
        .value_sought
        .push(ValueRef::Goal(GoalId::from_name("aarhus/goal/5")));
    assembly.why_cocreation = Some(Text::da(
        "CO2-neutralitet i 2030 kræver løsninger, som borgerne kan se sig selv i",
    )?);
    assembly.modes = [Mode::Process, Mode::DevelopingSolutions].into();
    assembly.capacity = Some(MunicipalCapacity::Community);
    assembly.roles = vec![
        role(
            "borgertinget",
            DecisionRight::Collaborate,
            &["byrådet svarer på hver anbefaling"],
            &["deltager i alle fem weekender"],
        )?,
        role(
            "tmf",
            DecisionRight::Involve,
            &["konkrete anbefalinger"],
            &["faglig viden og svar inden for 14 dage"],
        )?,
        role(
            "ba",
            DecisionRight::Empower,
            &["anbefalinger inden for klimaplanens rammer"],
            &["begrundet svar på hver anbefaling"],
        )?,
        role("au", DecisionRight::Consult, &["adgang til møderne"], &[])?,
    ];
    assembly.limits.push(Limit {
        kind: LimitKind::CouncilDecision,
        text: Text::da("Byrådet træffer den endelige beslutning om klimaplanen")?,
    });
    assembly.problem_owners = vec![id("ba")];
    assembly.solution_owners = vec![id("tmf"), id("borgertinget")];
    assembly.final_decision = vec![id("ba")];
    assembly.formats = vec![
        format(
            Channel::InPerson,
            TimeSlot::Weekend,
            "fem weekender på Dokk1",
        )?,
        format(
            Channel::Online,
            TimeSlot::AfterBedtime,
            "opfølgning online kl. 20.30",
        )?,
    ];

    // The participatory budget of Tranbjerg: the community council leads; the municipality
    // provides the money as a service and decides which proposals are eligible (an authority
    // decision).
    let mut budget = Initiative::new(
        InitiativeId::from_name("aarhus/deltagerbudget-tranbjerg-2020"),
        Text::both(
            "Deltagerbudget Tranbjerg 2020",
            "Participatory budget Tranbjerg 2020",
        )?,
        MunicipalPosition::Rearguard,
    );
    budget
        .value_sought
        .push(ValueRef::Goal(GoalId::from_name("aarhus/goal/2")));
    budget.why_cocreation = Some(Text::da(
        "borgerne i Tranbjerg ved bedst, hvad 320.000 kr. skal gøre for fællesskabet",
    )?);
    budget.modes = [Mode::DevelopingSolutions, Mode::Delivering].into();
    budget.capacity = Some(MunicipalCapacity::Authority);
    let mut voters = role(
        "tranbjerg-borgere",
        DecisionRight::Empower,
        &["projekterne gennemføres som stemt"],
        &[],
    )?;
    // As written, the voters also decide whether a proposal is eligible: not theirs to decide.
    voters.decision_scope = DecisionScope::AuthorityDecision;
    budget.roles = vec![
        voters,
        role(
            "tranbjerg-faellesraad",
            DecisionRight::Collaborate,
            &["kommunen vurderer forslag inden afstemningen"],
            &["driver processen og formidler resultatet"],
        )?,
        role(
            "ba",
            DecisionRight::Involve,
            &["forslag inden fristen"],
            &["udbetaler midlerne til de valgte projekter"],
        )?,
    ];
    budget.limits.push(Limit {
        kind: LimitKind::Resources,
        text: Text::da("320.000 kr. i alt")?,
    });
    budget.problem_owners = vec![id("tranbjerg-faellesraad")];
    budget.final_decision = vec![id("tranbjerg-borgere")];
    budget.formats = vec![format(
        Channel::InPerson,
        TimeSlot::Daytime,
        "forslagsværksted i Tranbjerg Bibliotek, tirsdag kl. 10",
    )?];

    for initiative in [&assembly, &budget] {
        let findings = check_initiative(initiative, &actors);
        println!(
            "{} ({} findings)",
            initiative.title.get(Lang::En),
            findings.len()
        );
        for f in &findings {
            let about = match f.subject {
                Subject::Actor(a) => actors
                    .iter()
                    .find(|x| x.id == a)
                    .map_or_else(|| a.to_string(), |x| x.name.get(Lang::Da).to_owned()),
                Subject::Initiative(_) => "the charter".to_owned(),
            };
            let severity = format!("{:?}", f.severity).to_lowercase();
            println!("  {severity} {} ({about}): {}", f.code, f.message);
            println!("      framework: {}", f.reference);
        }
        println!();
    }
    Ok(())
}
