//! Property tests: serde round trips, the range of the dissimilarity index, small-cell
//! suppression, and readers and LIX that never panic.

use std::collections::BTreeMap;

use kompas_cocreation::{
    Actor, ActorKind, Channel, DecisionRight, Initiative, Invitation, LixOptions, Mode,
    MunicipalCapacity, MunicipalPosition, Participant, ParticipationFormat, Population,
    PublishedCount, RepresentOptions, Role, TimeSlot, UnitForm, ValueRef, check_initiative, lix,
    parse_participants_csv, represent,
};
use kompas_core::{ActorId, GoalId, InitiativeId, ParticipantId, Text, UnitId, ValueStatementId};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = Text> {
    ("[a-zæøå ]{1,12}", any::<bool>()).prop_map(|(s, da)| {
        let s = format!("x{s}");
        if da {
            Text::da(s).unwrap()
        } else {
            Text::both(s.clone(), s).unwrap()
        }
    })
}

fn actor_kind() -> impl Strategy<Value = ActorKind> {
    prop_oneof![
        Just(ActorKind::Citizen),
        Just(ActorKind::CitizenGroup),
        Just(ActorKind::Association),
        Just(ActorKind::Volunteer),
        Just(ActorKind::Business),
        (any::<bool>(), proptest::option::of(any::<u128>())).prop_map(|(d, u)| {
            ActorKind::MunicipalUnit {
                form: if d {
                    UnitForm::Department
                } else {
                    UnitForm::Institution
                },
                unit: u.map(UnitId::from_u128),
            }
        }),
        Just(ActorKind::RegionOrState),
        Just(ActorKind::InternationalPartner),
        Just(ActorKind::ResearchInstitution),
    ]
}

fn right() -> impl Strategy<Value = DecisionRight> {
    prop_oneof![
        Just(DecisionRight::Inform),
        Just(DecisionRight::Consult),
        Just(DecisionRight::Involve),
        Just(DecisionRight::Collaborate),
        Just(DecisionRight::Empower),
    ]
}

fn initiative() -> impl Strategy<Value = (Initiative, Vec<Actor>)> {
    (
        text(),
        proptest::collection::vec((actor_kind(), right(), any::<bool>()), 0..5),
        proptest::collection::vec((0u8..4, 0u8..5), 0..4),
        0u8..4,
        0u8..4,
        proptest::option::of(text()),
        any::<u8>(),
    )
        .prop_map(|(title, roles, formats, pos, cap, why, bits)| {
            let position = [
                MunicipalPosition::Vanguard,
                MunicipalPosition::Rearguard,
                MunicipalPosition::InvitedGuest,
                MunicipalPosition::NotInvolved,
            ][pos as usize];
            let mut i = Initiative::new(InitiativeId::from_u128(1), title, position);
            i.capacity = [
                None,
                Some(MunicipalCapacity::Authority),
                Some(MunicipalCapacity::ServiceProvider),
                Some(MunicipalCapacity::Community),
            ][cap as usize];
            i.why_cocreation = why;
            if bits & 1 == 1 {
                i.value_sought
                    .push(ValueRef::Goal(GoalId::from_u128(u128::from(bits))));
            }
            if bits & 2 == 2 {
                i.value_sought
                    .push(ValueRef::Statement(ValueStatementId::from_u128(3)));
            }
            if bits & 4 == 4 {
                i.modes.insert(Mode::Process);
            }
            let mut actors = Vec::new();
            for (n, (kind, right, owner)) in roles.into_iter().enumerate() {
                let id = ActorId::from_u128(n as u128 + 10);
                actors.push(Actor {
                    id,
                    name: Text::en(format!("actor {n}")).unwrap(),
                    kind,
                });
                let mut role = Role::new(id, right);
                if owner {
                    i.solution_owners.push(id);
                    i.final_decision.push(id);
                    role.expects_of_others.push(Text::en("help").unwrap());
                }
                i.roles.push(role);
            }
            for (c, t) in formats {
                i.formats.push(ParticipationFormat {
                    channel: [
                        Channel::InPerson,
                        Channel::Online,
                        Channel::Asynchronous,
                        Channel::Outreach,
                    ][c as usize],
                    time: [
                        TimeSlot::Daytime,
                        TimeSlot::Evening,
                        TimeSlot::AfterBedtime,
                        TimeSlot::Weekend,
                        TimeSlot::Anytime,
                    ][t as usize],
                    note: None,
                });
            }
            (i, actors)
        })
}

/// Population counts and participant counts for one attribute of 1 to 6 values.
fn counts() -> impl Strategy<Value = Vec<(u64, u64)>> {
    prop_oneof![
        proptest::collection::vec((1u64..2000, 0u64..40), 1..7),
        // proportional participants: shares equal
        (proptest::collection::vec(1u64..50, 1..7), 1u64..4)
            .prop_map(|(c, m)| c.into_iter().map(|c| (c * 10, c * m)).collect()),
    ]
}

fn setup(cells: &[(u64, u64)]) -> (Population, Vec<Participant>) {
    let mut pop = Population::default();
    let mut people = Vec::new();
    for (i, &(c, n)) in cells.iter().enumerate() {
        let value = format!("v{i}");
        pop.add("a", &value, c).unwrap();
        for _ in 0..n {
            people.push(
                Participant::new(ParticipantId::from_u128(people.len() as u128))
                    .with_attribute("a", value.clone()),
            );
        }
    }
    (pop, people)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn initiative_and_findings_round_trip((i, actors) in initiative()) {
        let json = serde_json::to_string(&i).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Initiative>(&json).unwrap(), &i);
        let json = serde_json::to_string(&actors).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Vec<Actor>>(&json).unwrap(), &actors);
        let findings = check_initiative(&i, &actors);
        let json = serde_json::to_string(&findings).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Vec<kompas_cocreation::Finding>>(&json).unwrap(), &findings);
        for f in &findings {
            prop_assert_eq!(f.severity, f.code.severity());
        }
        // same input, same output
        prop_assert_eq!(check_initiative(&i, &actors), findings);
    }

    #[test]
    fn dissimilarity_is_in_unit_interval_and_zero_iff_shares_equal(cells in counts()) {
        prop_assume!(cells.iter().any(|c| c.1 > 0));
        let (pop, people) = setup(&cells);
        let rep = represent(&people, &pop, &RepresentOptions::default()).unwrap();
        let a = &rep.attributes[0];
        prop_assert!((0.0..=1.0).contains(&a.dissimilarity));
        prop_assert!((0.0..=1.0).contains(&a.hellinger));
        let big_c: u64 = cells.iter().map(|c| c.0).sum();
        let big_n: u64 = cells.iter().map(|c| c.1).sum();
        let equal = cells.iter().all(|&(c, n)| n * big_c == c * big_n);
        prop_assert_eq!(a.dissimilarity == 0.0, equal, "D = {}", a.dissimilarity);
        if let Some(chi) = a.chi_square {
            prop_assert!((0.0..=1.0).contains(&chi.p_value));
            prop_assert_eq!(chi.df as usize, cells.len() - 1);
        }
        // round trip of the whole report
        let json = serde_json::to_string(&rep).unwrap();
        prop_assert_eq!(serde_json::from_str::<kompas_cocreation::Representation>(&json).unwrap(), rep);
    }

    #[test]
    fn suppression_never_publishes_a_cell_under_k(cells in counts(), k in 1u64..8, missing in 0u64..8) {
        prop_assume!(cells.iter().any(|c| c.1 > 0));
        let (pop, mut people) = setup(&cells);
        for m in 0..missing {
            people.push(Participant::new(ParticipantId::from_u128(10_000 + u128::from(m))).with_attribute("other", "x"));
        }
        // invitation counts: everyone in the population cell plus the participants, who responded
        let groups = cells
            .iter()
            .enumerate()
            .map(|(i, &(c, n))| (format!("v{i}"), Invitation { invited: c + n, responded: n }))
            .collect();
        let options = RepresentOptions {
            min_cell: k,
            invitations: BTreeMap::from([("a".to_owned(), groups)]),
        };
        let published = represent(&people, &pop, &options).unwrap().publish();
        let table = &published.attributes[0];
        let mut slots: Vec<PublishedCount> = table.cells.iter().map(|c| c.count).collect();
        slots.push(table.missing);
        for s in &slots {
            if let Some(n) = s.exact() {
                prop_assert!(n == 0 || n >= k, "published {} under {}", n, k);
            }
        }
        // a hidden count is never the only hidden one of its table (no recovery by subtraction),
        // unless no other non-zero count exists
        let hidden = slots.iter().filter(|s| s.exact().is_none()).count();
        let nonzero = cells.iter().filter(|c| c.1 > 0).count() + usize::from(missing > 0);
        prop_assert!(hidden != 1 || nonzero == 1);
        for c in &table.cells {
            if c.count.exact().is_none() {
                prop_assert!(c.share.is_none() && c.ratio.is_none() && c.gap_pp.is_none());
            }
        }
        let r = &published.r_indicators[0];
        let responded: Vec<PublishedCount> = r.groups.iter().map(|g| g.responded).collect();
        for s in responded.iter().chain(r.groups.iter().map(|g| &g.invited)) {
            if let Some(n) = s.exact() {
                prop_assert!(n == 0 || n >= k);
            }
        }
        prop_assert!(responded.iter().filter(|s| s.exact().is_none()).count() != 1
            || cells.iter().filter(|c| c.1 > 0).count() == 1);
        for g in &r.groups {
            if g.responded.exact().is_none() || g.invited.exact().is_none() {
                prop_assert!(g.propensity.is_none() && g.partial.is_none());
            }
        }
        let json = serde_json::to_string(&published).unwrap();
        prop_assert_eq!(serde_json::from_str::<kompas_cocreation::PublishedRepresentation>(&json).unwrap(), published);
    }

    #[test]
    fn csv_readers_never_panic(text in "[a-z0-9,*\"\n ;æø-]{0,80}", header in prop_oneof![
        Just("attribute,value,count\n"), Just("id,a\n"), Just("a,b\n"), Just("")]) {
        let input = format!("{header}{text}");
        let pop = Population::from_csv(&input);
        let fallback = Population::from_csv("attribute,value,count\na,x,3\na,y,0\n").unwrap();
        let people = parse_participants_csv(&input, pop.as_ref().unwrap_or(&fallback));
        if let (Ok(pop), Ok(people)) = (pop, people) {
            let _ = represent(&people, &pop, &RepresentOptions::default()).map(|r| r.publish());
        }
    }

    #[test]
    fn lix_never_panics_and_stays_in_range(text in "[A-Za-zÆØÅæøå0-9 .,:;!?\n\"«»…/-]{0,200}", limit in 0.0f64..100.0, hardest in 0usize..5) {
        if let Ok(r) = lix(&text, &LixOptions { limit, hardest }) {
            prop_assert!(r.words >= r.sentences && r.sentences >= 1);
            prop_assert!(r.long_words <= r.words);
            prop_assert!(r.lix >= 1.0 && r.lix <= r.words as f64 + 100.0);
            prop_assert!(r.hardest.len() <= hardest);
            for w in r.hardest.windows(2) {
                prop_assert!(w[0].lix >= w[1].lix);
            }
            for s in &r.hardest {
                prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            }
            let json = serde_json::to_string(&r).unwrap();
            prop_assert_eq!(serde_json::from_str::<kompas_cocreation::LixReport>(&json).unwrap(), r);
        }
    }
}
