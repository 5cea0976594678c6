//! Representativeness on the Aarhus margins (Statistics Denmark FOLK1A, 2020), checked against
//! hand-computed values and an independent computation with scipy 1.17.

use std::collections::BTreeMap;

use kompas_cocreation::{
    AttributeReport, Error, Invitation, Participant, Population, PublishedCount, RepresentOptions,
    parse_participants_csv, r_indicator, represent,
};
use kompas_core::ParticipantId;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/aarhus/");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{name}")).expect("testdata file is present")
}

#[track_caller]
fn close(actual: f64, expected: f64, tol: f64) {
    assert!(
        (actual - expected).abs() <= tol,
        "expected {expected}, got {actual} (tolerance {tol})"
    );
}

/// The 2020 adult population from the derived margins file, built through the library API.
fn aarhus_2020_adults() -> Population {
    let mut pop = Population::default();
    for line in read("aarhus_population_margins_sex_ageband_2008_2020.csv")
        .lines()
        .skip(1)
    {
        let f: Vec<&str> = line.split(',').collect();
        if f[0] == "2020K1" && f[2] != "0-17" {
            pop.add_joint(("sex", f[1]), ("age_band", f[2]), f[3].parse().unwrap())
                .unwrap();
        }
    }
    pop
}

fn assembly() -> Vec<Participant> {
    let pop = aarhus_2020_adults();
    parse_participants_csv(&read("cocreation_assembly36_synthetic.csv"), &pop).unwrap()
}

fn attr<'a>(reports: &'a [AttributeReport], name: &str) -> &'a AttributeReport {
    reports.iter().find(|r| r.attribute == name).unwrap()
}

#[test]
fn margins_file_matches_folk1a_raw_counts_for_2020() {
    // Sum the raw FOLK1A rows (Aarhus = 751, 2020K1) into the six age bands ourselves.
    let band = |age: u32| match age {
        0..=17 => "0-17",
        18..=29 => "18-29",
        30..=44 => "30-44",
        45..=59 => "45-59",
        60..=74 => "60-74",
        _ => "75+",
    };
    let mut sums: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut total = 0;
    for line in read("dst_folk1a_aarhus751_denmark000_age_sex_2008_2020.csv")
        .lines()
        .skip(1)
    {
        let f: Vec<&str> = line.split(';').collect();
        if f[0] == "751" && f[3] == "2020K1" {
            let sex = if f[1] == "1" { "men" } else { "women" };
            let n: u64 = f[4].parse().unwrap();
            total += n;
            *sums
                .entry((sex.to_owned(), band(f[2].parse().unwrap()).to_owned()))
                .or_insert(0) += n;
        }
    }
    assert_eq!(total, 346_072, "the README's stated Aarhus 2020 total");
    let mut from_file = BTreeMap::new();
    for line in read("aarhus_population_margins_sex_ageband_2008_2020.csv")
        .lines()
        .skip(1)
    {
        let f: Vec<&str> = line.split(',').collect();
        if f[0] == "2020K1" {
            from_file.insert(
                (f[1].to_owned(), f[2].to_owned()),
                f[3].parse::<u64>().unwrap(),
            );
        }
    }
    assert_eq!(sums, from_file);
}

#[test]
fn population_csv_equals_the_margins_file() {
    let from_csv = Population::from_csv(&read("cocreation_population_2020_adults.csv")).unwrap();
    assert_eq!(from_csv, aarhus_2020_adults());
    let sex = from_csv.margin("sex").unwrap();
    assert_eq!(sex["men"], 46_709 + 31_248 + 28_132 + 22_245 + 9_084);
    assert_eq!(sex["women"], 144_764);
}

#[test]
fn assembly_of_36_against_aarhus_2020_matches_scipy() {
    let rep = represent(
        &assembly(),
        &aarhus_2020_adults(),
        &RepresentOptions::default(),
    )
    .unwrap();
    assert_eq!(rep.participants, 36);

    // sex: hand-computed. p(men) = 17/36, q(men) = 137418/282182.
    let sex = attr(&rep.attributes, "sex");
    let (p, q): (f64, f64) = (17.0 / 36.0, 137_418.0 / 282_182.0);
    close(sex.dissimilarity, (p - q).abs(), 1e-15);
    close(sex.gallagher, 100.0 * (p - q).abs(), 1e-12);
    close(sex.cells[0].ratio.unwrap(), p / q, 1e-15);
    close(sex.cells[0].gap_pp, 100.0 * (p - q), 1e-12);
    // scipy.stats.chisquare / entropy and numpy, run independently on the same files.
    let chi = sex.chi_square.unwrap();
    close(chi.statistic, 0.031_398_536_875, 1e-11);
    assert_eq!(chi.df, 1);
    close(chi.p_value, 0.859_354_183_806_8, 1e-9);
    close(sex.kl_divergence.unwrap(), 0.000_436_378_086, 1e-12);
    close(sex.hellinger, 0.010_446_837_710, 1e-11);

    let age = attr(&rep.attributes, "age_band");
    close(age.dissimilarity, 0.165_331_437_000, 1e-11);
    close(age.gallagher, 13.446_016_232_623, 1e-10);
    let chi = age.chi_square.unwrap();
    close(chi.statistic, 5.480_046_102_202, 1e-10);
    assert_eq!(chi.df, 4);
    close(chi.p_value, 0.241_489_019_146_1, 1e-9);
    close(age.kl_divergence.unwrap(), 0.074_630_856_058, 1e-11);
    close(age.hellinger, 0.137_060_931_166, 1e-11);
    // the young are under-represented: 7/36 against 33.8 %
    close(age.cells[0].share, 7.0 / 36.0, 1e-15);
    close(age.cells[0].population_share, 0.338_334_833_5, 1e-10);

    let joint = attr(&rep.intersections, "sex*age_band");
    assert_eq!(joint.cells.len(), 10);
    close(joint.dissimilarity, 0.175_708_309_609, 1e-11);
    close(joint.gallagher, 9.913_142_524_594, 1e-10);
    let chi = joint.chi_square.unwrap();
    close(chi.statistic, 5.975_879_036_664, 1e-10);
    assert_eq!(chi.df, 9);
    close(chi.p_value, 0.742_329_978_499_0, 1e-9);
    close(joint.kl_divergence.unwrap(), 0.082_472_919_392, 1e-11);
    close(joint.hellinger, 0.144_753_943_280, 1e-11);
    // 36 people over 10 cells: several expect fewer than 5, and the report says so.
    assert!(
        rep.warnings
            .iter()
            .any(|w| w.contains("sex*age_band") && w.contains("fewer than 5"))
    );
}

#[test]
fn hand_computed_two_cell_case() {
    let pop = Population::from_csv("attribute,value,count\nsex,men,500\nsex,women,500\n").unwrap();
    let people: Vec<Participant> = (0..10u128)
        .map(|i| {
            Participant::new(ParticipantId::from_u128(i))
                .with_attribute("sex", if i < 7 { "women" } else { "men" })
        })
        .collect();
    let rep = represent(&people, &pop, &RepresentOptions::default()).unwrap();
    let sex = &rep.attributes[0];
    close(sex.dissimilarity, 0.2, 1e-15);
    close(sex.gallagher, 20.0, 1e-12);
    let chi = sex.chi_square.unwrap();
    close(chi.statistic, 1.6, 1e-12); // (3-5)^2/5 + (7-5)^2/5
    close(chi.p_value, 0.205_903_210_732_064_66, 1e-12); // scipy.stats.chi2.sf(1.6, 1)
    close(
        sex.kl_divergence.unwrap(),
        0.3 * 0.6f64.ln() + 0.7 * 1.4f64.ln(),
        1e-15,
    );
    close(
        sex.hellinger,
        (1.0 - (0.15f64.sqrt() + 0.35f64.sqrt())).sqrt(),
        1e-12,
    );
    close(sex.cells[1].ratio.unwrap(), 1.4, 1e-15);
    close(sex.cells[0].expected, 5.0, 1e-15);
}

#[test]
fn r_indicator_matches_unit_level_computation() {
    // Invitation letters by age band; numpy's std over 1,400 unit propensities (ddof = 1).
    let groups: BTreeMap<String, Invitation> = [
        ("18-29", 400, 20),
        ("30-44", 300, 24),
        ("45-59", 300, 36),
        ("60-74", 250, 40),
        ("75+", 150, 12),
    ]
    .into_iter()
    .map(|(v, invited, responded)| (v.to_owned(), Invitation { invited, responded }))
    .collect();
    let r = r_indicator("age_band", &groups).unwrap();
    assert_eq!((r.invited, r.responded), (1400, 132));
    close(r.response_rate, 0.094_285_714_286, 1e-12);
    close(r.std_dev, 0.039_241_246_428, 1e-12);
    close(r.r_indicator, 0.921_517_507_144, 1e-11);
    close(r.partial, 0.039_227_229_194, 1e-12);
    let partials: Vec<f64> = r.groups.iter().map(|g| g.partial).collect();
    for (got, want) in partials.iter().zip([
        -0.023_671_709_998,
        -0.006_613_000_713,
        0.011_903_401_283,
        0.027_769_354_084,
        -0.004_676_097_648,
    ]) {
        close(*got, want, 1e-12);
    }

    // through represent()
    let mut options = RepresentOptions::default();
    options.invitations.insert("age_band".into(), groups);
    let rep = represent(&assembly(), &aarhus_2020_adults(), &options).unwrap();
    assert_eq!(rep.r_indicators.len(), 1);
    close(rep.r_indicators[0].r_indicator, 0.921_517_507_144, 1e-11);
}

#[test]
fn equal_response_gives_r_of_one() {
    let groups = BTreeMap::from([
        (
            "a".to_owned(),
            Invitation {
                invited: 10,
                responded: 3,
            },
        ),
        (
            "b".to_owned(),
            Invitation {
                invited: 20,
                responded: 6,
            },
        ),
    ]);
    let r = r_indicator("x", &groups).unwrap();
    close(r.r_indicator, 1.0, 1e-15);
    close(r.partial, 0.0, 1e-15);
}

#[test]
fn publishing_suppresses_small_cells_of_the_assembly() {
    let rep = represent(
        &assembly(),
        &aarhus_2020_adults(),
        &RepresentOptions::default(),
    )
    .unwrap();
    let published = rep.publish();
    let joint = published
        .intersections
        .iter()
        .find(|a| a.attribute == "sex*age_band")
        .unwrap();
    // men*18-29 has 4 persons: suppressed with everything that reveals it
    let cell = joint.cells.iter().find(|c| c.value == "men*18-29").unwrap();
    assert_eq!(cell.count, PublishedCount::Below(5));
    assert_eq!(cell.count.to_string(), "<5");
    assert_eq!((cell.share, cell.ratio, cell.gap_pp), (None, None, None));
    // women*45-59 has 5: shown
    let cell = joint
        .cells
        .iter()
        .find(|c| c.value == "women*45-59")
        .unwrap();
    assert_eq!(cell.count, PublishedCount::Exact(5));
    close(cell.share.unwrap(), 5.0 / 36.0, 1e-15);
    // age 75+ has 3 persons: the only small cell of its table, so the next smallest is withheld
    let age = published
        .attributes
        .iter()
        .find(|a| a.attribute == "age_band")
        .unwrap();
    let shown: Vec<String> = age.cells.iter().map(|c| c.count.to_string()).collect();
    assert_eq!(shown, ["x", "7", "9", "10", "<5"]);
    assert_eq!(age.missing, PublishedCount::Exact(0));
    // JSON shows "<5" and "x"
    let json = serde_json::to_string(&published).unwrap();
    assert!(json.contains(r#""count":"<5""#) && json.contains(r#""count":"x""#));
}

#[test]
fn bad_inputs_are_errors_naming_the_place() {
    let pop = aarhus_2020_adults();
    let err =
        parse_participants_csv("id,sex,age_band\na,men,18-29\nb,mand,18-29\n", &pop).unwrap_err();
    assert!(matches!(err, Error::UnknownValue { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("line 3") && msg.contains("\"mand\"") && msg.contains("men, women"),
        "{msg}"
    );

    let err = parse_participants_csv("id,sex\na,men\na,women\n", &pop).unwrap_err();
    assert!(
        err.to_string().contains("line 3") && err.to_string().contains("id"),
        "{err}"
    );

    let err = parse_participants_csv("id,sex\na,men,extra\n", &pop).unwrap_err();
    assert!(matches!(err, Error::Csv { line: 2, .. }), "{err}");

    let err = Population::from_csv("attribute,value,count\nsex,men,many\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "population csv, line 2, column \"count\": \"many\" is invalid: expected a whole number >= 0"
    );
    let err = Population::from_csv("attribute,value,count\nsex,men,1\nsex,men,2\n").unwrap_err();
    assert!(
        matches!(err, Error::DuplicatePopulationValue { line: 3, .. }),
        "{err}"
    );
    let err = Population::from_csv("attribute,number\nsex,1\n").unwrap_err();
    assert!(
        err.to_string().contains("column \"value\" is missing"),
        "{err}"
    );
    let err = Population::from_csv("attribute,value,count\nsex*age,men,1\n").unwrap_err();
    assert!(
        err.to_string().contains("line 2, column \"value\""),
        "{err}"
    );

    let err = represent(&[], &pop, &RepresentOptions::default()).unwrap_err();
    assert_eq!(err, Error::NoParticipants);
    let someone = [Participant::new(ParticipantId::from_u128(1)).with_attribute("town", "Viby")];
    let err = represent(&someone, &pop, &RepresentOptions::default()).unwrap_err();
    assert!(matches!(err, Error::NoSharedAttribute { .. }), "{err}");
    let odd = [Participant::new(ParticipantId::from_u128(1)).with_attribute("sex", "other")];
    let err = represent(&odd, &pop, &RepresentOptions::default()).unwrap_err();
    assert!(err.to_string().starts_with("participant 1 ("), "{err}");
    let options = RepresentOptions {
        min_cell: 0,
        ..RepresentOptions::default()
    };
    assert_eq!(
        represent(&assembly(), &pop, &options).unwrap_err(),
        Error::InvalidMinCell
    );
    let zero = Population::from_csv("attribute,value,count\nsex,men,0\nsex,women,0\n").unwrap();
    let one = [Participant::new(ParticipantId::from_u128(1)).with_attribute("sex", "men")];
    assert!(matches!(
        represent(&one, &zero, &RepresentOptions::default()).unwrap_err(),
        Error::EmptyPopulation { .. }
    ));
    let bad = BTreeMap::from([(
        "a".to_owned(),
        Invitation {
            invited: 2,
            responded: 3,
        },
    )]);
    assert!(matches!(
        r_indicator("x", &bad).unwrap_err(),
        Error::InvalidInvitation {
            invited: 2,
            responded: 3,
            ..
        }
    ));
    let few = BTreeMap::from([(
        "a".to_owned(),
        Invitation {
            invited: 1,
            responded: 1,
        },
    )]);
    assert!(matches!(
        r_indicator("x", &few).unwrap_err(),
        Error::TooFewInvited { .. }
    ));
}

#[test]
fn missing_values_and_extra_columns_are_reported_not_fatal() {
    let pop = aarhus_2020_adults();
    let people = parse_participants_csv(
        "id,sex,age_band,postcode\na,men,18-29,8000\nb,women,,8210\n",
        &pop,
    )
    .unwrap();
    let rep = represent(&people, &pop, &RepresentOptions::default()).unwrap();
    let age = attr(&rep.attributes, "age_band");
    assert_eq!((age.n, age.missing), (1, 1));
    assert_eq!(attr(&rep.attributes, "sex").n, 2);
    assert_eq!(attr(&rep.intersections, "sex*age_band").missing, 1);
    assert!(rep.warnings.iter().any(|w| w.contains("\"postcode\"")));
}

#[test]
fn a_participant_in_a_zero_population_cell_leaves_chi_square_undefined() {
    let pop = Population::from_csv("attribute,value,count\nx,a,10\nx,b,0\nx,c,10\n").unwrap();
    let people = parse_participants_csv("x\na\nb\nc\n", &pop).unwrap();
    let rep = represent(&people, &pop, &RepresentOptions::default()).unwrap();
    let x = &rep.attributes[0];
    assert_eq!(x.chi_square, None);
    assert_eq!(x.kl_divergence, None);
    assert_eq!(x.cells[1].ratio, None);
    close(x.dissimilarity, 1.0 / 3.0, 1e-15); // |1/3-1/2|*2/2 + 1/3/2
}

#[test]
fn invitations_from_csv_and_published_r_indicator() {
    let pop = aarhus_2020_adults();
    let text = "attribute,value,invited,responded\nage_band,18-29,400,20\nage_band,30-44,300,24\n\
                age_band,45-59,300,36\nage_band,60-74,250,40\nage_band,75+,150,3\n";
    let invitations = kompas_cocreation::parse_invitations_csv(text, &pop).unwrap();
    assert_eq!(invitations["age_band"]["60-74"].invited, 250);
    let options = RepresentOptions {
        invitations,
        ..RepresentOptions::default()
    };
    let rep = represent(&assembly(), &pop, &options).unwrap();
    let published = rep.publish();
    let r = &published.r_indicators[0];
    assert_eq!(r.invited, PublishedCount::Exact(1400));
    assert_eq!(r.responded, PublishedCount::Exact(123));
    assert_eq!(r.r_indicator, rep.r_indicators[0].r_indicator);
    let shown: Vec<String> = r.groups.iter().map(|g| g.responded.to_string()).collect();
    // 3 responded in 75+: suppressed, and the next smallest (20) withheld
    assert_eq!(shown, ["x", "24", "36", "40", "<5"]);
    assert_eq!((r.groups[0].propensity, r.groups[4].partial), (None, None));
    assert!(r.groups[1].propensity.is_some());

    let bad = |text: &str| {
        kompas_cocreation::parse_invitations_csv(text, &pop)
            .unwrap_err()
            .to_string()
    };
    let head = "attribute,value,invited,responded\n";
    assert!(bad(&format!("{head}age_band,18-29,4,5\n")).contains("line 2, column \"responded\""));
    assert!(bad(&format!("{head}age_band,teen,4,1\n")).contains("invitations csv, line 2"));
    assert!(bad(&format!("{head}x,a,4,1\nx,a,4,1\n")).contains("line 3, column \"value\""));
    assert!(bad(&format!("{head}x,a,four,1\n")).contains("column \"invited\""));
    assert!(bad("attribute,value,invited\n").contains("column \"responded\" is missing"));
}
