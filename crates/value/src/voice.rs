//! "Whose voice": which stakeholder groups' rankings a chosen option follows and which it overrules.

use serde::{Deserialize, Serialize};

use crate::{Error, Profile};

/// Whether a chosen option follows a group's ranking or overrules it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Voice {
    /// No other option is preferred to the chosen one by a majority of the group.
    Follows,
    /// A majority of the group prefers at least one other option to the chosen one.
    Overrules,
}

/// One group's relation to a chosen option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupVoice {
    /// The group.
    pub group: String,
    /// Its voters.
    pub voters: u64,
    /// Voters of the group who put the chosen option in their first tier.
    pub first_choice: u64,
    /// The options a strict majority of the group ranks above the chosen one, in option order.
    pub preferred_over_chosen: Vec<String>,
    /// Follows or overrules.
    pub voice: Voice,
}

/// For a chosen option: each group's voice, and the groups followed and overruled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceSummary {
    /// The chosen option.
    pub chosen: String,
    /// Each group, sorted by name.
    pub groups: Vec<GroupVoice>,
    /// The groups whose rankings the choice follows, sorted.
    pub follows: Vec<String>,
    /// The groups whose rankings the choice overrules, sorted.
    pub overrules: Vec<String>,
    /// Voters on ballots without a group (not in any group's summary).
    pub ungrouped_voters: u64,
}

/// Which groups' rankings the chosen option follows and which it overrules.
///
/// A group is *followed* when no other option is preferred to the chosen one by a strict majority
/// of the group's voters (head to head), and *overruled* otherwise; the options it prefers are
/// named. Exact integer counts throughout.
///
/// Complexity: O(b·n²) for b ballots over n options.
///
/// # Errors
/// [`Error::UnknownChosen`] when `chosen` is not one of the profile's options.
///
/// ```
/// use kompas_value::{whose_voice, Profile, Voice};
///
/// let csv = "count,ranking,group\n30,halls>outdoor,associations\n45,outdoor>halls,self-organised\n";
/// let v = whose_voice(&Profile::parse_csv(csv, None)?, "outdoor")?;
/// assert_eq!(v.follows, ["self-organised"]);
/// assert_eq!(v.overrules, ["associations"]);
/// assert_eq!(v.groups[0].preferred_over_chosen, ["halls"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn whose_voice(profile: &Profile, chosen: &str) -> Result<VoiceSummary, Error> {
    let c = profile
        .index_of(chosen)
        .ok_or_else(|| Error::UnknownChosen {
            option: chosen.to_owned(),
            expected: profile.options().join(", "),
        })?;
    let by_group = profile.voters_by_group();
    let grouped: u64 = by_group.values().sum();
    let mut groups = Vec::new();
    for (group, voters) in by_group {
        let sub = profile.of_group(&group);
        let d = sub.pairwise();
        let preferred: Vec<String> = (0..d.len())
            .filter(|&y| y != c && d.get(y, c) > d.get(c, y))
            .map(|y| d.options[y].clone())
            .collect();
        let first_choice = sub
            .ballots()
            .iter()
            .filter(|b| b.tiers.first().is_some_and(|t| t.contains(&c)))
            .map(|b| b.count)
            .sum();
        groups.push(GroupVoice {
            voice: if preferred.is_empty() {
                Voice::Follows
            } else {
                Voice::Overrules
            },
            group,
            voters,
            first_choice,
            preferred_over_chosen: preferred,
        });
    }
    let pick = |v: Voice| {
        groups
            .iter()
            .filter(|g| g.voice == v)
            .map(|g| g.group.clone())
            .collect()
    };
    Ok(VoiceSummary {
        chosen: chosen.to_owned(),
        follows: pick(Voice::Follows),
        overrules: pick(Voice::Overrules),
        ungrouped_voters: profile.voters() - grouped,
        groups,
    })
}
