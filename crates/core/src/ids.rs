//! Typed ids: uuid newtypes, one per kind of thing.

/// Defines a uuid newtype id: `Copy + Eq + Ord + Hash + Display + FromStr`, serde as a plain
/// string, JSON Schema as a uuid string.
///
/// ```
/// kompas_core::define_id!(
///     /// The id of a bicycle.
///     BikeId, "bike"
/// );
/// let a = BikeId::from_name("red");
/// let b: BikeId = a.to_string().parse()?;
/// assert_eq!(a, b);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[macro_export]
macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident, $kind:literal) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
        )]
        pub struct $name($crate::__private::uuid::Uuid);

        // The uuid's byte order, compared as one big-endian 128-bit number: the same order as
        // comparing the bytes, without a call to `memcmp` (ids are compared in every sorted map
        // and sort of a large document).
        impl ::std::cmp::Ord for $name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.0.as_u128().cmp(&other.0.as_u128())
            }
        }

        impl ::std::cmp::PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(::std::cmp::Ord::cmp(self, other))
            }
        }

        impl $name {
            /// What kind of thing this id names, in lowercase English.
            pub const KIND: &'static str = $kind;

            /// Wraps a uuid.
            pub const fn new(uuid: $crate::__private::uuid::Uuid) -> Self {
                Self(uuid)
            }

            /// Makes an id from a 128-bit number; handy for tests and generated data.
            pub const fn from_u128(n: u128) -> Self {
                Self($crate::__private::uuid::Uuid::from_u128(n))
            }

            /// Makes a stable id from a name (a UUID v5 in a namespace of this id kind), so that
            /// the same code (for example a COINr `iCode`) always gives the same id.
            pub fn from_name(name: &str) -> Self {
                let ns = $crate::__private::uuid::Uuid::new_v5(
                    &$crate::__private::uuid::Uuid::NAMESPACE_OID,
                    concat!("kompas/", $kind).as_bytes(),
                );
                Self($crate::__private::uuid::Uuid::new_v5(&ns, name.as_bytes()))
            }

            /// The uuid inside.
            pub const fn as_uuid(&self) -> &$crate::__private::uuid::Uuid {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::Error;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                $crate::__private::uuid::Uuid::parse_str(s.trim())
                    .map(Self)
                    .map_err(|_| $crate::Error::InvalidId { kind: $kind, value: s.to_owned() })
            }
        }

        impl From<$crate::__private::uuid::Uuid> for $name {
            fn from(u: $crate::__private::uuid::Uuid) -> Self {
                Self(u)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::__private::serde::Serialize::serialize(&self.0, s)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <$crate::__private::uuid::Uuid as $crate::__private::serde::Deserialize>::deserialize(d)
                    .map(Self)
            }
        }

        impl $crate::__private::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }
            fn json_schema(
                g: &mut $crate::__private::schemars::SchemaGenerator,
            ) -> $crate::__private::schemars::Schema {
                <$crate::__private::uuid::Uuid as $crate::__private::schemars::JsonSchema>::json_schema(g)
            }
        }
    };
}

define_id!(
    /// The id of a goal in a goal hierarchy.
    GoalId, "goal"
);
define_id!(
    /// The id of an indicator.
    IndicatorId, "indicator"
);
define_id!(
    /// The id of one observation of an indicator.
    ObservationId, "observation"
);
define_id!(
    /// The id of a narrative (a story, a selection record or an outcome-harvesting record).
    NarrativeId, "narrative"
);
define_id!(
    /// The id of a value statement.
    ValueStatementId, "value statement"
);
define_id!(
    /// The id of a dilemma.
    DilemmaId, "dilemma"
);
define_id!(
    /// The id of a decision.
    DecisionId, "decision"
);
define_id!(
    /// The id of an actor in co-creation.
    ActorId, "actor"
);
define_id!(
    /// The id of a co-creation initiative.
    InitiativeId, "initiative"
);
define_id!(
    /// The id of a participant in an initiative.
    ParticipantId, "participant"
);
define_id!(
    /// The id of a learning (PDSA) cycle.
    LearningCycleId, "learning cycle"
);
define_id!(
    /// The id of an organisational unit: the municipality, a department, an institution.
    UnitId, "unit"
);

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Ids order exactly as their uuids (byte by byte) do, so that sorted output does not
        /// depend on how the comparison is made.
        #[test]
        fn ids_order_as_their_uuid_bytes(a in proptest::prelude::any::<[u8; 16]>(), b in proptest::prelude::any::<[u8; 16]>(), same in proptest::prelude::any::<bool>()) {
            let b = if same { a } else { b };
            let (x, y) = (GoalId::new(uuid::Uuid::from_bytes(a)), GoalId::new(uuid::Uuid::from_bytes(b)));
            proptest::prop_assert_eq!(x.cmp(&y), a.cmp(&b));
            proptest::prop_assert_eq!(x.partial_cmp(&y), Some(a.cmp(&b)));
            proptest::prop_assert_eq!(x == y, a == b);
        }
    }

    #[test]
    fn from_name_is_stable_and_kind_scoped() {
        assert_eq!(GoalId::from_name("x"), GoalId::from_name("x"));
        assert_ne!(GoalId::from_name("x"), GoalId::from_name("y"));
        assert_ne!(
            GoalId::from_name("x").as_uuid(),
            IndicatorId::from_name("x").as_uuid()
        );
    }

    #[test]
    fn parse_rejects_garbage_with_kind() {
        let err = "nope".parse::<GoalId>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "goal id \"nope\" is invalid: expected a UUID"
        );
    }

    #[test]
    fn serde_is_a_plain_string() {
        let id = GoalId::from_u128(7);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"00000000-0000-0000-0000-000000000007\"");
        assert_eq!(serde_json::from_str::<GoalId>(&json).unwrap(), id);
    }
}
