//! The Compass document: round trips, every problem reported with its path, migrations, schema,
//! and a loader that never panics.

use kompas::{Compass, SCHEMA_VERSION};
use proptest::prelude::*;
use serde_json::{Value, json};

fn example_json() -> Value {
    serde_json::to_value(kompas::example::aarhus()).expect("the example serialises")
}

/// Loads a document and returns its problems as `path: message` lines.
#[track_caller]
fn problems(doc: &Value) -> Vec<String> {
    match Compass::from_json(&doc.to_string()) {
        Ok(_) => Vec::new(),
        Err(e) => e.problems().iter().map(|p| p.to_string()).collect(),
    }
}

#[test]
fn saving_and_loading_loses_nothing() {
    let compass = kompas::example::aarhus();
    let json = compass.to_json_pretty().unwrap();
    let again = Compass::from_json(&json).unwrap();
    assert_eq!(again, compass);
    assert_eq!(
        again.to_json_pretty().unwrap(),
        json,
        "a second save is byte for byte the same"
    );
}

#[test]
fn ten_different_problems_are_all_reported_with_their_paths() {
    let mut doc = example_json();
    let ghost = "91ab0000-0000-0000-0000-000000000001";
    // 1. a narrative links to an unknown goal
    doc["narratives"][3]["links"]["goals"] = json!([ghost]);
    // 2. a decision relies on an unknown observation
    doc["decisions"][0]["evidence"][1]["ref"] = json!(ghost);
    // 3. an observation of an unknown indicator
    doc["observations"][0]["indicator"] = json!(ghost);
    // 4. a duplicate unit id (a second copy of the first unit)
    let first_unit = doc["units"][0].clone();
    doc["units"].as_array_mut().unwrap().push(first_unit);
    // 5. a value statement with an unknown perspective (a type error inside an item)
    doc["value_statements"][2]["perspective"] = json!("mayor");
    // 6. a participant in an unknown initiative
    doc["participants"][5]["initiative"] = json!(ghost);
    // 7. a role for an unknown actor
    doc["initiatives"][0]["roles"][1]["actor"] = json!(ghost);
    // 8. a negative count of residents
    doc["population"]["margins"]["sex"]["men"] = json!(-5);
    // 9. an unknown top-level field
    doc["budgets"] = json!([]);
    // 10. a learning cycle chained to an unknown predecessor
    doc["learning_cycles"][1]["predecessor"] = json!(ghost);

    let found = problems(&doc);
    let expected_paths = [
        "/narratives/3/links/goals/0: unknown goal 91ab",
        "/decisions/0/evidence/1/ref: unknown observation 91ab",
        "/observations/0/indicator: unknown indicator 91ab",
        "/units/13/id: duplicate unit id",
        "/value_statements/2/perspective: ",
        "/participants/5/initiative: unknown initiative 91ab",
        "/initiatives/0/roles/1/actor: unknown actor 91ab",
        "/population/margins/sex/men: ",
        "/budgets: unknown field `budgets`",
        "/learning_cycles/1/predecessor: unknown learning cycle 91ab",
    ];
    for want in expected_paths {
        assert!(
            found.iter().any(|p| p.starts_with(want)),
            "missing a problem starting {want:?}; found:\n{}",
            found.join("\n")
        );
    }
    assert_eq!(
        found.len(),
        10,
        "exactly the ten problems:\n{}",
        found.join("\n")
    );
}

#[test]
fn an_indicator_may_not_share_a_goals_id() {
    let mut doc = example_json();
    let goal_id = doc["goals"]["goals"][0]["id"].clone();
    doc["indicators"][0]["id"] = goal_id.clone();
    let found = problems(&doc);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("/indicators/0/id: indicator id")
                && p.contains("is also a goal's id")),
        "{found:?}"
    );
}

#[test]
fn truncated_json_names_line_and_column() {
    let text = kompas::example::aarhus().to_json_pretty().unwrap();
    let cut = &text[..text.len() / 2];
    let err = Compass::from_json(cut).unwrap_err();
    let p = &err.problems()[0];
    let line = cut.lines().count();
    assert!(
        p.message
            .starts_with(&format!("invalid JSON at line {line} column")),
        "{p}"
    );
}

#[test]
fn older_documents_migrate_and_newer_ones_are_refused() {
    let mut doc = example_json();
    doc.as_object_mut().unwrap().remove("schema_version");
    let migrated = Compass::from_json(&doc.to_string()).expect("version 0 migrates");
    assert_eq!(migrated.schema_version, SCHEMA_VERSION);

    doc["schema_version"] = json!(SCHEMA_VERSION + 1);
    let found = problems(&doc);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("/schema_version: version 2 is newer"),
        "{}",
        found[0]
    );
}

#[test]
fn the_schema_describes_every_part() {
    let schema = serde_json::to_value(Compass::json_schema()).unwrap();
    let props = schema["properties"].as_object().expect("an object schema");
    for key in example_json().as_object().unwrap().keys() {
        assert!(props.contains_key(key), "the schema lacks `{key}`");
    }
    assert_eq!(
        schema["required"],
        json!(["schema_version", "municipality"])
    );
}

#[test]
fn a_goal_hierarchy_with_a_cycle_is_refused_with_its_path() {
    let mut doc = example_json();
    // Make the vision a child of one of its own city goals.
    let goals = doc["goals"]["goals"].as_array().unwrap().clone();
    let vision = goals
        .iter()
        .position(|g| g["title"]["en"] == "Aarhus must be a good city for everyone")
        .unwrap();
    let city = goals
        .iter()
        .find(|g| g["parents"][0]["goal"] == goals[vision]["id"])
        .unwrap()["id"]
        .clone();
    doc["goals"]["goals"][vision]["parents"] = json!([{ "goal": city, "weight": 1.0 }]);
    let found = problems(&doc);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("/goals"), "{}", found[0]);
    assert!(found[0].contains("cycle"), "{}", found[0]);
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-z_0-9-]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,16}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// All JSON pointers of a document's values.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                pointers(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// No JSON text makes the loader panic; garbage is an error, never a document.
    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        let _ = Compass::from_json(&v.to_string());
    }

    /// Replacing any one value of a valid document with arbitrary JSON never panics, and any
    /// problem found names a path.
    #[test]
    fn mutated_documents_never_panic(pick in any::<prop::sample::Index>(), replacement in arb_json()) {
        let mut doc = example_json();
        let mut all = Vec::new();
        pointers(&doc, String::new(), &mut all);
        let at = pick.get(&all[1..]).clone();
        if let Some(slot) = doc.pointer_mut(&at) {
            *slot = replacement;
        }
        if let Err(e) = Compass::from_json(&doc.to_string()) {
            prop_assert!(!e.problems().is_empty());
        }
    }

    /// Truncating a document anywhere gives an error with a line and column, never a panic.
    #[test]
    fn truncated_documents_never_panic(frac in 0.0f64..1.0) {
        let text = kompas::example::aarhus().to_json_pretty().unwrap();
        let mut cut = (text.len() as f64 * frac) as usize;
        while !text.is_char_boundary(cut) { cut -= 1; }
        let err = Compass::from_json(&text[..cut]).unwrap_err();
        prop_assert!(err.problems()[0].message.contains("line"));
    }
}
