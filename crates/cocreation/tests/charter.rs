//! Charter checks: every code fires on the case it describes, and only there.

use kompas_cocreation::{
    Actor, ActorKind, Channel, CheckCode, DecisionRight, DecisionScope, Initiative, Limit,
    LimitKind, Mode, MunicipalCapacity, MunicipalPosition, ParticipationFormat, Role, Severity,
    Subject, TimeSlot, UnitForm, ValueRef, check_initiative,
};
use kompas_core::{ActorId, GoalId, InitiativeId, Text, UnitId};

fn t(s: &str) -> Text {
    Text::da(s).unwrap()
}

fn actor(name: &str, kind: ActorKind) -> Actor {
    Actor {
        id: ActorId::from_name(name),
        name: t(name),
        kind,
    }
}

fn id(name: &str) -> ActorId {
    ActorId::from_name(name)
}

fn tmf_unit() -> UnitId {
    UnitId::from_name("aarhus/unit/teknik-og-miljoe")
}

fn actors() -> Vec<Actor> {
    vec![
        actor("klimaborgertinget", ActorKind::CitizenGroup),
        actor("fællesrådet", ActorKind::Association),
        actor("grundejer", ActorKind::Citizen),
        actor("vindmølleselskab", ActorKind::Business),
        actor("aarhus universitet", ActorKind::ResearchInstitution),
        actor(
            "teknik og miljø",
            ActorKind::MunicipalUnit {
                form: UnitForm::Department,
                unit: Some(tmf_unit()),
            },
        ),
        actor(
            "borgmesterens afdeling",
            ActorKind::MunicipalUnit {
                form: UnitForm::Department,
                unit: None,
            },
        ),
    ]
}

fn role(name: &str, right: DecisionRight) -> Role {
    let mut r = Role::new(id(name), right);
    r.responsibilities.push(t("deltager aktivt"));
    r.expects_of_others.push(t("svar på anbefalingerne"));
    r.expected_by_others.push(t("møder op til alle weekender"));
    r
}

/// Aarhus' climate citizens' assembly of 36: well formed, no findings.
fn assembly() -> Initiative {
    let mut i = Initiative::new(
        InitiativeId::from_name("klimaborgerting"),
        t("Aarhus' klimaborgerting 2021-22"),
        MunicipalPosition::Vanguard,
    );
    i.value_sought
        .push(ValueRef::Goal(GoalId::from_name("aarhus/goal/5")));
    i.why_cocreation = Some(t("klimahandling kræver borgernes viden og opbakning"));
    i.modes = [Mode::Process, Mode::DevelopingSolutions].into();
    i.capacity = Some(MunicipalCapacity::Community);
    i.roles = vec![
        role("klimaborgertinget", DecisionRight::Collaborate),
        role("teknik og miljø", DecisionRight::Involve),
        role("borgmesterens afdeling", DecisionRight::Empower),
    ];
    i.limits.push(Limit {
        kind: LimitKind::CouncilDecision,
        text: t("byrådet træffer den endelige beslutning"),
    });
    i.problem_owners = vec![id("teknik og miljø")];
    i.solution_owners = vec![id("teknik og miljø"), id("klimaborgertinget")];
    i.final_decision = vec![id("borgmesterens afdeling")];
    i.formats = vec![
        ParticipationFormat {
            channel: Channel::InPerson,
            time: TimeSlot::Weekend,
            note: None,
        },
        ParticipationFormat {
            channel: Channel::Online,
            time: TimeSlot::AfterBedtime,
            note: None,
        },
    ];
    i
}

#[track_caller]
fn check(i: &Initiative, expected: &[CheckCode]) {
    let found: Vec<CheckCode> = check_initiative(i, &actors())
        .iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn a_well_formed_charter_has_no_findings() {
    check(&assembly(), &[]);
}

#[test]
fn value_and_why_missing() {
    let mut i = assembly();
    i.value_sought.clear();
    i.why_cocreation = None;
    check(
        &i,
        &[
            CheckCode::ValueSoughtMissing,
            CheckCode::WhyCocreationMissing,
        ],
    );
}

#[test]
fn expectations_missing_either_way() {
    let mut i = assembly();
    i.roles[1].expected_by_others.clear();
    let findings = check_initiative(&i, &actors());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].code, CheckCode::ExpectationsMissing);
    assert_eq!(findings[0].subject, Subject::Actor(id("teknik og miljø")));
    assert!(
        findings[0]
            .message
            .contains("no expectations by the others")
    );
    i.roles[1].expects_of_others.clear();
    let findings = check_initiative(&i, &actors());
    assert!(findings[0].message.contains("none by the others"));
}

#[test]
fn authority_decision_delegated_is_an_error_only_under_authority() {
    // a local plan for wind turbines: the municipality is the planning authority
    let mut i = assembly();
    i.capacity = Some(MunicipalCapacity::Authority);
    let mut owner = role("grundejer", DecisionRight::Empower);
    owner.decision_scope = DecisionScope::AuthorityDecision;
    i.roles.push(owner.clone());
    let findings = check_initiative(&i, &actors());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].code, CheckCode::AuthorityDecisionDelegated);
    assert_eq!(findings[0].severity, Severity::Error);
    assert!(findings[0].reference.contains("legal certainty"));
    // collaborate is allowed
    i.roles.last_mut().unwrap().decision_right = DecisionRight::Collaborate;
    check(&i, &[]);
    // empowered over the initiative's own choices is allowed
    i.roles.last_mut().unwrap().decision_right = DecisionRight::Empower;
    i.roles.last_mut().unwrap().decision_scope = DecisionScope::Initiative;
    check(&i, &[]);
    // as a service provider there is no authority decision to delegate
    i.capacity = Some(MunicipalCapacity::ServiceProvider);
    i.roles.last_mut().unwrap().decision_scope = DecisionScope::AuthorityDecision;
    check(&i, &[]);
}

#[test]
fn guest_with_the_final_decision_is_inconsistent() {
    let mut i = assembly();
    i.position = MunicipalPosition::InvitedGuest;
    check(&i, &[CheckCode::GuestHoldsFinalDecision]);
    // the host decides: consistent
    i.final_decision = vec![id("fællesrådet")];
    i.roles[2].decision_right = DecisionRight::Consult;
    check(&i, &[]);
}

#[test]
fn no_citizen_facing_role() {
    let mut i = assembly();
    i.roles[0].decision_right = DecisionRight::Consult;
    check(&i, &[CheckCode::NoCitizenFacingRole]);
    // a business is not citizen-facing
    i.roles[0] = role("vindmølleselskab", DecisionRight::Collaborate);
    i.solution_owners = vec![id("teknik og miljø")];
    check(&i, &[CheckCode::NoCitizenFacingRole]);
    // without modes the initiative does not call itself co-creation
    i.modes.clear();
    check(&i, &[]);
}

#[test]
fn formats() {
    let mut i = assembly();
    let daytime = ParticipationFormat {
        channel: Channel::InPerson,
        time: TimeSlot::Daytime,
        note: Some(t("rådhuset kl. 10")),
    };
    i.formats = vec![daytime.clone(), daytime.clone()];
    check(&i, &[CheckCode::DaytimeInPersonOnly]);
    i.formats.push(ParticipationFormat {
        channel: Channel::Outreach,
        time: TimeSlot::Daytime,
        note: None,
    });
    check(&i, &[]);
    i.formats.clear();
    check(&i, &[CheckCode::NoParticipationFormat]);
}

#[test]
fn no_solution_owner() {
    let mut i = assembly();
    i.solution_owners.clear();
    check(&i, &[CheckCode::NoSolutionOwner]);
}

#[test]
fn cross_line_co_responsibility_is_information() {
    let mut i = assembly();
    i.roles[1].leads = Some(tmf_unit());
    i.roles[1].co_responsible_for = vec![tmf_unit()];
    check(&i, &[]);
    let bou = UnitId::from_name("aarhus/unit/boern-og-unge");
    i.roles[1].co_responsible_for.push(bou);
    let findings = check_initiative(&i, &actors());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].code, CheckCode::CrossLineCoResponsibility);
    assert_eq!(findings[0].severity, Severity::Info);
    assert!(findings[0].message.contains(&bou.to_string()));
    assert_eq!(i.referenced_units().len(), 2);
}

#[test]
fn civil_society_alone_is_valid() {
    // the community council runs a street party with no municipal actor
    let mut i = Initiative::new(
        InitiativeId::from_name("gadefest"),
        t("Gadefest i Viby"),
        MunicipalPosition::NotInvolved,
    );
    i.value_sought
        .push(ValueRef::Goal(GoalId::from_name("aarhus/goal/2")));
    i.why_cocreation = Some(t("naboerne kender gaden bedst"));
    i.modes = [Mode::Delivering].into();
    i.roles = vec![role("fællesrådet", DecisionRight::Empower)];
    i.solution_owners = vec![id("fællesrådet")];
    i.final_decision = vec![id("fællesrådet")];
    i.formats = vec![ParticipationFormat {
        channel: Channel::InPerson,
        time: TimeSlot::Weekend,
        note: None,
    }];
    check(&i, &[]);
    // ... but not with a municipal role
    i.roles
        .push(role("teknik og miljø", DecisionRight::Consult));
    check(&i, &[CheckCode::UninvolvedMunicipalityActs]);
}

#[test]
fn unknown_actors_and_duplicate_roles_are_errors() {
    let mut i = assembly();
    let stranger = ActorId::from_u128(7);
    i.problem_owners.push(stranger);
    i.roles
        .push(role("klimaborgertinget", DecisionRight::Inform));
    let findings = check_initiative(&i, &actors());
    let codes: Vec<CheckCode> = findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, [CheckCode::UnknownActor, CheckCode::DuplicateRole]);
    assert!(findings[0].message.contains(&stranger.to_string()));
    assert!(findings.iter().all(|f| f.severity == Severity::Error));
}

#[test]
fn findings_are_sorted_errors_first_and_codes_are_stable() {
    let i = Initiative::new(
        InitiativeId::from_u128(1),
        t("tom"),
        MunicipalPosition::Vanguard,
    );
    let findings = check_initiative(&i, &[]);
    let severities: Vec<Severity> = findings.iter().map(|f| f.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(severities, sorted);
    for code in CheckCode::ALL {
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, format!("\"{}\"", code.as_str()));
        assert!(!code.reference().is_empty());
    }
}

#[test]
fn json_schemas_name_the_fields_and_codes() {
    let schema = serde_json::to_string(&schemars::schema_for!(Initiative)).unwrap();
    for word in [
        "value_sought",
        "why_cocreation",
        "decision_right",
        "empower",
        "invited_guest",
        "after_bedtime",
    ] {
        assert!(
            schema.contains(word),
            "{word} missing from the Initiative schema"
        );
    }
    let schema = serde_json::to_string(&schemars::schema_for!(Actor)).unwrap();
    assert!(schema.contains("municipal_unit") && schema.contains("research_institution"));
    let schema = serde_json::to_string(&schemars::schema_for!(kompas_cocreation::Finding)).unwrap();
    assert!(schema.contains("authority-decision-delegated"));
    let schema = serde_json::to_string(&schemars::schema_for!(
        kompas_cocreation::PublishedRepresentation
    ))
    .unwrap();
    assert!(schema.contains("^(<[0-9]+|x)$"));
    // a serialized charter reads back through its own schema's field names
    let json = serde_json::to_value(assembly()).unwrap();
    assert_eq!(json["position"], "vanguard");
    assert_eq!(json["roles"][0]["decision_right"], "collaborate");
    assert_eq!(json["formats"][1]["time"], "after_bedtime");
}
