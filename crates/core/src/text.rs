//! [`Text`]: a wording in Danish and/or English.

use crate::Error;

/// A language of the user interface and of texts.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Danish.
    Da,
    /// English.
    #[default]
    En,
}

/// A wording in Danish and/or English; at least one is present.
///
/// ```
/// use kompas_core::{Lang, Text};
/// let t = Text::da("En by med brug for alle")?;
/// assert_eq!(t.get(Lang::En), "En by med brug for alle"); // falls back to the other language
/// assert!(Text::new(None::<&str>, Some("  ")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(try_from = "RawText")]
pub struct Text {
    #[serde(skip_serializing_if = "Option::is_none")]
    da: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    en: Option<String>,
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct RawText {
    #[serde(default)]
    da: Option<String>,
    #[serde(default)]
    en: Option<String>,
}

impl TryFrom<RawText> for Text {
    type Error = Error;
    fn try_from(r: RawText) -> Result<Self, Error> {
        Text::new(r.da, r.en)
    }
}

impl Text {
    /// Makes a text from a Danish and an English wording; blank wordings count as absent.
    ///
    /// # Errors
    /// [`Error::EmptyText`] when both are absent or blank.
    pub fn new(
        da: Option<impl Into<String>>,
        en: Option<impl Into<String>>,
    ) -> Result<Self, Error> {
        let clean = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        let da = clean(da.map(Into::into));
        let en = clean(en.map(Into::into));
        if da.is_none() && en.is_none() {
            return Err(Error::EmptyText);
        }
        Ok(Text { da, en })
    }

    /// A text in Danish only.
    ///
    /// # Errors
    /// [`Error::EmptyText`] when `da` is blank.
    pub fn da(da: impl Into<String>) -> Result<Self, Error> {
        Text::new(Some(da), None::<String>)
    }

    /// A text in English only.
    ///
    /// # Errors
    /// [`Error::EmptyText`] when `en` is blank.
    pub fn en(en: impl Into<String>) -> Result<Self, Error> {
        Text::new(None::<String>, Some(en))
    }

    /// A text in both languages.
    ///
    /// # Errors
    /// [`Error::EmptyText`] when both are blank.
    pub fn both(da: impl Into<String>, en: impl Into<String>) -> Result<Self, Error> {
        Text::new(Some(da), Some(en))
    }

    /// The wording in `lang`, falling back to the other language.
    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Da => (&self.da, &self.en),
            Lang::En => (&self.en, &self.da),
        };
        first.as_deref().or(second.as_deref()).unwrap_or_default()
    }

    /// The Danish wording, if any.
    pub fn as_da(&self) -> Option<&str> {
        self.da.as_deref()
    }

    /// The English wording, if any.
    pub fn as_en(&self) -> Option<&str> {
        self.en.as_deref()
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.get(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_rejects_empty_and_round_trips() {
        assert!(serde_json::from_str::<Text>("{}").is_err());
        let t = Text::both("by", "city").unwrap();
        let back: Text = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.get(Lang::Da), "by");
    }
}
