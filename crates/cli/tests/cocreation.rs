//! `kompas represent` and `kompas lix` end to end, on the Aarhus testdata.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

const AARHUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/aarhus/");

fn kompas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kompas"))
        .args(args)
        .output()
        .expect("the kompas binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn temp(name: &str, contents: &str) -> String {
    let dir = std::env::temp_dir().join(format!("kompas-cocre-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

fn represent_args(format: &str) -> Vec<String> {
    vec![
        "represent".into(),
        "--participants".into(),
        format!("{AARHUS}cocreation_assembly36_synthetic.csv"),
        "--population".into(),
        format!("{AARHUS}cocreation_population_2020_adults.csv"),
        "--format".into(),
        format.into(),
    ]
}

#[test]
fn represent_csv_on_aarhus_2020() {
    let args = represent_args("csv");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = kompas(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[2], "count");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // 5 age bands + 2 sexes + 10 intersections
    assert_eq!(rows.len(), 17);
    let men = rows
        .iter()
        .find(|r| &r[0] == "sex" && &r[1] == "men")
        .unwrap();
    assert_eq!(&men[2], "17");
    let d: f64 = men[7].parse().unwrap();
    assert!((d - 0.014_761_355_752).abs() < 1e-11, "{d}");
    let p: f64 = men[11].parse().unwrap();
    assert!((p - 0.859_354_183_807).abs() < 1e-9, "{p}");
    // small cells are suppressed, with their share left out
    let old = rows
        .iter()
        .find(|r| &r[0] == "age_band" && &r[1] == "75+")
        .unwrap();
    assert_eq!((&old[2], &old[3]), ("<5", ""));
    assert!(stderr(&o).contains("warning: \"sex*age_band\""));
}

#[test]
fn represent_json_and_min_cell() {
    let mut args = represent_args("json");
    args.extend(["--min-cell".into(), "8".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = kompas(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["participants"], 36);
    assert_eq!(v["min_cell"], 8);
    let age = v["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["attribute"] == "age_band")
        .unwrap();
    let counts: Vec<String> = age["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].to_string())
        .collect();
    // 7, 7, 9, 10, 3 with k = 8: two cells under 8, so no secondary suppression is needed
    assert_eq!(counts, ["\"<8\"", "\"<8\"", "9", "10", "\"<8\""]);
    let g = age["gallagher"].as_f64().unwrap();
    assert!((g - 13.446_016_232_623).abs() < 1e-9);
}

#[test]
fn represent_bad_input_names_line_and_value() {
    let people = temp(
        "bad_people.csv",
        "id,sex,age_band\n1,men,18-29\n2,male,30-44\n",
    );
    let pop = format!("{AARHUS}cocreation_population_2020_adults.csv");
    let o = kompas(&["represent", "--participants", &people, "--population", &pop]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("bad_people.csv")
            && err.contains("line 3")
            && err.contains("\"male\"")
            && err.contains("men, women"),
        "{err}"
    );

    let bad_pop = temp("bad_pop.csv", "attribute,value,count\nsex,men,-4\n");
    let o = kompas(&[
        "represent",
        "--participants",
        &people,
        "--population",
        &bad_pop,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("line 2, column \"count\": \"-4\""),
        "{}",
        stderr(&o)
    );

    let o = kompas(&[
        "represent",
        "--participants",
        &people,
        "--population",
        "/nonexistent/pop.csv",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read /nonexistent/pop.csv"));

    let mut args = represent_args("csv");
    args.extend(["--min-cell".into(), "0".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = kompas(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("minimum cell size 0"));
}

const LETTER: &str = "Kære borger.\n\nAarhus Kommune inviterer dig til borgermøde om den nye \
                      skole i Gellerup. Mødet holdes torsdag kl. 19 på biblioteket.\n";

#[test]
fn lix_within_and_above_the_limit() {
    // 21 words, 3 sentences, 6 long: 7 + 600/21 = 35.571...
    let file = temp("letter.txt", LETTER);
    let o = kompas(&["lix", &file]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("lix 35.6 (medium, middel): within the limit 40"),
        "{out}"
    );
    assert!(
        out.contains("2. lix 45.3 (12 words, 4 long): Aarhus Kommune"),
        "{out}"
    );

    let o = kompas(&["lix", &file, "--limit", "30", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "above the limit exits with 1");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        (v["words"].as_u64(), v["sentences"].as_u64()),
        (Some(21), Some(3))
    );
    assert!((v["lix"].as_f64().unwrap() - (7.0 + 600.0 / 21.0)).abs() < 1e-12);
    assert_eq!(v["status"], "above");
    assert_eq!(v["band"], "medium");
}

#[test]
fn lix_reads_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kompas"))
        .args(["lix", "-", "--hardest", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Økonomiudvalget behandler sagen.".as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.starts_with("lix 69.7 (very hard, meget svær): above"),
        "{out}"
    );
    assert!(!out.contains("hardest"));
}

#[test]
fn lix_errors_exit_with_2() {
    let empty = temp("empty.txt", "  \n");
    let o = kompas(&["lix", &empty]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("text has no words"), "{}", stderr(&o));
    let o = kompas(&["lix", "/nonexistent/brev.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read /nonexistent/brev.txt"));
    let latin1 =
        std::env::temp_dir().join(format!("kompas-cocre-latin1-{}.txt", std::process::id()));
    std::fs::write(&latin1, b"K\xe6re borger.").unwrap();
    let o = kompas(&["lix", &latin1.to_string_lossy()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("utf-8"));
    let file = temp("ok.txt", "Hej.");
    let o = kompas(&["lix", &file, "--limit=-3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("lix limit -3 is invalid"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn represent_with_invitations_adds_r_indicators() {
    let inv = temp(
        "invitations.csv",
        "attribute,value,invited,responded\nage_band,18-29,400,20\nage_band,30-44,300,24\n\
         age_band,45-59,300,36\nage_band,60-74,250,40\nage_band,75+,150,12\n\
         district,Viby,100,10\ndistrict,Tranbjerg,50,2\n",
    );
    let mut args = represent_args("csv");
    args.extend(["--invitations".into(), inv.clone()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = kompas(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let young = rows
        .iter()
        .find(|r| &r[0] == "age_band" && &r[1] == "18-29")
        .unwrap();
    assert_eq!(&young[col("invited")], "400");
    // R = 1 - 2 S, S over 1,400 unit propensities (numpy, ddof = 1)
    let r: f64 = young[col("r_indicator")].parse().unwrap();
    assert!((r - 0.921_517_507_144).abs() < 1e-11, "{r}");
    // district has no population margin: rows of its own, the 2 responses suppressed
    let tranbjerg = rows
        .iter()
        .find(|r| &r[0] == "district" && &r[1] == "Tranbjerg")
        .unwrap();
    assert_eq!(&tranbjerg[col("responded")], "<5");
    assert_eq!(&tranbjerg[col("count")], "");
    let viby = rows
        .iter()
        .find(|r| &r[0] == "district" && &r[1] == "Viby")
        .unwrap();
    assert_eq!(&viby[col("responded")], "x");

    let bad = temp(
        "bad_inv.csv",
        "attribute,value,invited,responded\nsex,male,10,1\n",
    );
    let mut args = represent_args("json");
    args.extend(["--invitations".into(), bad]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = kompas(&args);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("invitations csv, line 2: sex=\"male\""),
        "{}",
        stderr(&o)
    );
}
