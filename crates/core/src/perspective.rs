//! [`Perspective`]: whose voice a statement, a story or a data source carries.

use crate::Error;

/// Whose perspective a value statement, a narrative or an indicator's source represents.
///
/// The framework asks that value be defined with citizens, businesses and partners, and that
/// the knowledge of employees counts; the perspectives make that checkable.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Perspective {
    /// A citizen, or a group of citizens (borger).
    Citizen,
    /// A business (erhverv).
    Business,
    /// Civil society: associations, volunteers (civilsamfund).
    CivilSociety,
    /// An employee of the municipality, a professional (medarbejder).
    Employee,
    /// Management in the municipality (ledelse).
    Management,
    /// Politicians (politisk).
    Political,
    /// Researchers (forskning).
    Research,
}

impl Perspective {
    /// All perspectives, in declaration order.
    pub const ALL: [Perspective; 7] = [
        Perspective::Citizen,
        Perspective::Business,
        Perspective::CivilSociety,
        Perspective::Employee,
        Perspective::Management,
        Perspective::Political,
        Perspective::Research,
    ];

    /// The snake_case code used in files and on the command line.
    pub const fn code(self) -> &'static str {
        match self {
            Perspective::Citizen => "citizen",
            Perspective::Business => "business",
            Perspective::CivilSociety => "civil_society",
            Perspective::Employee => "employee",
            Perspective::Management => "management",
            Perspective::Political => "political",
            Perspective::Research => "research",
        }
    }

    /// The Danish label.
    pub const fn label_da(self) -> &'static str {
        match self {
            Perspective::Citizen => "borger",
            Perspective::Business => "erhverv",
            Perspective::CivilSociety => "civilsamfund",
            Perspective::Employee => "medarbejder",
            Perspective::Management => "ledelse",
            Perspective::Political => "politisk",
            Perspective::Research => "forskning",
        }
    }

    /// The English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            Perspective::Citizen => "citizen",
            Perspective::Business => "business",
            Perspective::CivilSociety => "civil society",
            Perspective::Employee => "employee",
            Perspective::Management => "management",
            Perspective::Political => "political",
            Perspective::Research => "research",
        }
    }

    /// Whether this voice comes from outside the municipal organisation (citizens, businesses,
    /// civil society): the voices that keep value from being defined "at the desk".
    pub const fn is_external(self) -> bool {
        matches!(
            self,
            Perspective::Citizen | Perspective::Business | Perspective::CivilSociety
        )
    }
}

impl std::fmt::Display for Perspective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Perspective {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let t = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Perspective::ALL
            .into_iter()
            .find(|p| p.code() == t)
            .ok_or_else(|| Error::UnknownPerspective {
                value: s.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_parse_and_serde() {
        for p in Perspective::ALL {
            assert_eq!(p.code().parse::<Perspective>().unwrap(), p);
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.code()));
        }
        assert_eq!(
            "Civil Society".parse::<Perspective>().unwrap(),
            Perspective::CivilSociety
        );
        assert!("mayor".parse::<Perspective>().is_err());
    }
}
