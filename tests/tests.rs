//! The integration tests of the `kompas` facade: one test binary, one module per area.

mod compass;
mod follow_up;

#[test]
fn facade_reexports_core() {
    let id = kompas::core::GoalId::from_name("x");
    assert_eq!(id, kompas_core::GoalId::from_name("x"));
}
