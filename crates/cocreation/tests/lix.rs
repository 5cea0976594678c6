//! LIX on hand-counted Danish, Swedish and Norwegian texts.

use kompas_cocreation::{Error, LimitStatus, LixBand, LixOptions, lix};

/// Checks words, sentences, long words and the LIX against hand counts.
#[track_caller]
fn check(text: &str, words: usize, sentences: usize, long: usize) -> kompas_cocreation::LixReport {
    let r = lix(text, &LixOptions::default()).unwrap();
    assert_eq!(
        (r.words, r.sentences, r.long_words),
        (words, sentences, long),
        "counts of {text:?}"
    );
    let expected = words as f64 / sentences as f64 + 100.0 * long as f64 / words as f64;
    assert!(
        (r.lix - expected).abs() < 1e-12,
        "lix {} != {expected}",
        r.lix
    );
    r
}

#[test]
fn danish_letter_counted_by_hand() {
    // S1 Kære borger (2 words, none long: "borger" has 6 letters)
    // S2 Aarhus Kommune inviterer dig til borgermøde om den nye skole i Gellerup
    //    (12 words; long: Kommune, inviterer, borgermøde, Gellerup)
    // S3 Mødet holdes torsdag kl. 19 på biblioteket (7 words; long: torsdag, biblioteket;
    //    "kl." before a number ends nothing)
    // S4 Du kan også svare online, f.eks. fra din telefon (9 words; long: telefon)
    let text = "Kære borger.\n\nAarhus Kommune inviterer dig til borgermøde om den nye skole i \
                Gellerup. Mødet holdes torsdag kl. 19 på biblioteket. Du kan også svare online, \
                f.eks. fra din telefon.\n";
    let r = check(text, 30, 4, 7);
    assert!((r.lix - 30.833_333_333_333_332).abs() < 1e-12);
    assert_eq!(r.band, LixBand::Easy);
    assert_eq!(r.status, LimitStatus::Within);
    // hardest first: S2 = 12 + 400/12, S3 = 7 + 200/7, S4 = 9 + 100/9
    let numbers: Vec<usize> = r.hardest.iter().map(|s| s.number).collect();
    assert_eq!(numbers, [2, 3, 4]);
    assert!((r.hardest[0].lix - (12.0 + 400.0 / 12.0)).abs() < 1e-12);
    assert!(
        r.hardest[0].text.starts_with("Aarhus Kommune") && r.hardest[0].text.ends_with("Gellerup.")
    );
    assert_eq!(
        &text[r.hardest[1].start..r.hardest[1].end].trim(),
        &r.hardest[1].text
    );
}

#[test]
fn danish_letters_count_as_one_letter_each() {
    // "Åbning" is 6 letters (7 bytes): not long. "påvirke" is 7 letters: long.
    check("Åbning af søen.", 3, 1, 0);
    check("Det kan påvirke søen.", 4, 1, 1);
    // Økonomiudvalget (15 letters) and behandler (9) are long; sagen is not.
    let r = check("Økonomiudvalget behandler sagen.", 3, 1, 2);
    assert_eq!(r.band, LixBand::VeryHard);
    check("Ærøskøbing og Æbelø.", 3, 1, 1);
}

#[test]
fn headings_questions_exclamations_and_colons() {
    // "Invitation" is a heading (blank line); "?" and "!" before a capital end sentences; a colon
    // before a lower-case word does not.
    let r = check(
        "Invitation\n\nVil du være med? Så kom! Vi spørger: hvad skal byen bruge pengene på?",
        15,
        4,
        3,
    );
    assert!((r.lix - 23.75).abs() < 1e-12);
    assert_eq!(r.band, LixBand::VeryEasy);
}

#[test]
fn numbers_abbreviations_and_quotes() {
    // "2.500.000" is a word without letters; "kr." before a lower-case word ends nothing; the
    // sentence after "alt." starts with an opening quote.
    check(
        "Budgettet er på 2.500.000 kr. i alt. \"Det er mange penge,\" siger hun.",
        13,
        2,
        1,
    );
    check(
        "Budgettet er på 2.500.000 kr. i alt. «Det er mange penge,» siger hun.",
        13,
        2,
        1,
    );
    // "dr." before a name does not end the sentence
    check(
        "Mødet ledes af dr. Hansen fra Aarhus Universitet. Alle er velkomne.",
        11,
        2,
        2,
    );
    // a hyphenated compound is one word; a slash separates words
    check("SFO-ordningen og/eller skolebussen.", 4, 1, 2);
    // an ellipsis before a capital ends a sentence
    check("Vi venter… Så går vi.", 5, 2, 0);
}

#[test]
fn swedish_and_norwegian() {
    check(
        "Det här är en enkel mening. Kommunfullmäktige beslutar.",
        8,
        2,
        2,
    );
    check("Bystyret i Tromsø møtes på tirsdag.", 6, 1, 2);
}

#[test]
fn limit_flag() {
    let text = "Økonomiudvalget behandler sagen.";
    let above = lix(text, &LixOptions::default()).unwrap();
    assert_eq!(above.status, LimitStatus::Above);
    assert_eq!(above.limit, 40.0);
    let options = LixOptions {
        limit: 70.0,
        ..LixOptions::default()
    };
    assert_eq!(lix(text, &options).unwrap().status, LimitStatus::Within);
    // equal to the limit is within: 3 words, 1 sentence, 0 long = 3
    let options = LixOptions {
        limit: 3.0,
        hardest: 0,
    };
    let r = lix("Kom i dag.", &options).unwrap();
    assert_eq!((r.lix, r.status), (3.0, LimitStatus::Within));
    assert!(r.hardest.is_empty());
}

#[test]
fn bands_have_the_documented_edges() {
    let cases = [
        (0.0, LixBand::VeryEasy),
        (24.99, LixBand::VeryEasy),
        (25.0, LixBand::Easy),
        (34.99, LixBand::Easy),
        (35.0, LixBand::Medium),
        (45.0, LixBand::Hard),
        (54.99, LixBand::Hard),
        (55.0, LixBand::VeryHard),
    ];
    for (value, band) in cases {
        assert_eq!(LixBand::of(value), band, "{value}");
    }
    assert_eq!(LixBand::Hard.label_da(), "svær");
}

#[test]
fn bad_input() {
    assert_eq!(lix("", &LixOptions::default()).unwrap_err(), Error::NoWords);
    assert_eq!(
        lix(" ... !? \n\n ", &LixOptions::default()).unwrap_err(),
        Error::NoWords
    );
    let options = LixOptions {
        limit: -1.0,
        ..LixOptions::default()
    };
    let err = lix("Hej.", &options).unwrap_err();
    assert_eq!(
        err.to_string(),
        "lix limit -1 is invalid: expected a finite number >= 0"
    );
    let options = LixOptions {
        limit: f64::NAN,
        ..LixOptions::default()
    };
    assert!(matches!(
        lix("Hej.", &options),
        Err(Error::InvalidLixLimit { .. })
    ));
}
