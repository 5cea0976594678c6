//! LIX readability (Björnsson 1968) for Danish, Swedish and Norwegian text: bands, the hardest
//! sentences, and a flag above a limit.

use serde::{Deserialize, Serialize};

use crate::Error;

/// The LIX bands in common Scandinavian use (Björnsson 1968; the Danish scale of e.g. the Danish
/// language council's guidance on plain language).
///
/// | band | LIX | Danish | typical text |
/// |---|---|---|---|
/// | very easy | under 25 | meget let | children's books |
/// | easy | 25 to under 35 | let | fiction, popular magazines |
/// | medium | 35 to under 45 | middel | newspapers |
/// | hard | 45 to under 55 | svær | official letters, non-fiction |
/// | very hard | 55 and over | meget svær | legal and academic text |
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LixBand {
    /// Under 25.
    VeryEasy,
    /// 25 to under 35.
    Easy,
    /// 35 to under 45.
    Medium,
    /// 45 to under 55.
    Hard,
    /// 55 and over.
    VeryHard,
}

impl LixBand {
    /// The band of a LIX value.
    pub fn of(lix: f64) -> LixBand {
        if lix < 25.0 {
            LixBand::VeryEasy
        } else if lix < 35.0 {
            LixBand::Easy
        } else if lix < 45.0 {
            LixBand::Medium
        } else if lix < 55.0 {
            LixBand::Hard
        } else {
            LixBand::VeryHard
        }
    }

    /// The Danish name of the band.
    pub const fn label_da(self) -> &'static str {
        match self {
            LixBand::VeryEasy => "meget let",
            LixBand::Easy => "let",
            LixBand::Medium => "middel",
            LixBand::Hard => "svær",
            LixBand::VeryHard => "meget svær",
        }
    }

    /// The English name of the band.
    pub const fn label_en(self) -> &'static str {
        match self {
            LixBand::VeryEasy => "very easy",
            LixBand::Easy => "easy",
            LixBand::Medium => "medium",
            LixBand::Hard => "hard",
            LixBand::VeryHard => "very hard",
        }
    }
}

/// Whether a text's LIX is above the limit.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LimitStatus {
    /// LIX is at most the limit.
    Within,
    /// LIX is above the limit: the letter should be made plainer.
    Above,
}

/// Options of [`lix()`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LixOptions {
    /// The highest acceptable LIX (default 40: a letter to citizens should read like a newspaper
    /// or easier).
    pub limit: f64,
    /// How many of the hardest sentences to report (default 3).
    pub hardest: usize,
}

impl Default for LixOptions {
    fn default() -> Self {
        LixOptions {
            limit: 40.0,
            hardest: 3,
        }
    }
}

/// One sentence and its own LIX (its words plus 100 times its share of long words).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SentenceScore {
    /// The sentence's position in the text, from 1.
    pub number: usize,
    /// Its byte range in the text.
    pub start: usize,
    /// The end of its byte range (exclusive).
    pub end: usize,
    /// The sentence, whitespace collapsed.
    pub text: String,
    /// Its words.
    pub words: usize,
    /// Its words of more than six letters.
    pub long_words: usize,
    /// Its LIX: words + 100 · long words / words.
    pub lix: f64,
}

/// The result of [`lix()`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LixReport {
    /// Words (O).
    pub words: usize,
    /// Sentences (P).
    pub sentences: usize,
    /// Words of more than six letters (L).
    pub long_words: usize,
    /// LIX = O / P + 100 · L / O.
    pub lix: f64,
    /// The band of the LIX.
    pub band: LixBand,
    /// The limit used.
    pub limit: f64,
    /// Whether the LIX is above the limit.
    pub status: LimitStatus,
    /// The hardest sentences, hardest first (ties in text order).
    pub hardest: Vec<SentenceScore>,
}

/// Abbreviations that are followed by a capitalised word without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "hr", "fr", "frk", "dr", "st", "sct", "skt", "prof", "jf", "vedr", "iflg", "bl.a", "f.eks",
    "mht", "pga", "evt", "inkl", "ekskl", "ifm", "ca", "nr", "kl", "tlf",
];

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ':' | '…')
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '»' | '«' | '”' | '’' | '›')
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '(' | '[' | '»' | '«' | '“' | '„' | '‘' | '‹' | '-' | '–' | '—'
    )
}

/// Splits a text into sentence byte ranges (those without words included).
fn sentence_ranges(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let len = chars.len();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < len {
        let (pos, c) = chars[i];
        if c == '\n' {
            let mut j = i + 1;
            while j < len && chars[j].1 != '\n' && chars[j].1.is_whitespace() {
                j += 1;
            }
            if j < len && chars[j].1 == '\n' {
                out.push((start, pos));
                start = chars[j].0 + 1;
                i = j + 1;
                continue;
            }
        }
        if is_terminator(c) {
            let mut j = i + 1;
            while j < len && (is_terminator(chars[j].1) || is_closing(chars[j].1)) {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |(p, _)| *p);
            if j == len {
                out.push((start, end));
                start = end;
                i = j;
                continue;
            }
            if chars[j].1.is_whitespace() {
                let mut k = j;
                while k < len && chars[k].1.is_whitespace() {
                    k += 1;
                }
                let mut m = k;
                while m < len && is_opening(chars[m].1) {
                    m += 1;
                }
                let next_upper = m < len && chars[m].1.is_uppercase();
                let abbreviation = c == '.' && ends_with_abbreviation(&text[start..pos]);
                if k == len || (next_upper && !abbreviation) {
                    out.push((start, end));
                    start = end;
                    i = j;
                    continue;
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out.push((start, text.len()));
    out
}

fn ends_with_abbreviation(before: &str) -> bool {
    let Some(last) = before.split_whitespace().next_back() else {
        return false;
    };
    let last = last.trim_start_matches(|c: char| !c.is_alphanumeric());
    let lower = last.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// The words of a sentence and how many letters each has.
fn word_letters(sentence: &str) -> impl Iterator<Item = usize> + '_ {
    sentence
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | '–' | '—'))
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().filter(|c| c.is_alphabetic()).count())
}

/// Computes the LIX readability of a Danish, Swedish or Norwegian text (Björnsson, *Läsbarhet*,
/// 1968): LIX = O / P + 100 · L / O, with O words, P sentences and L words of more than six
/// letters.
///
/// - A **word** is a run of text between whitespace, `/`, `–` or `—`, stripped of punctuation at
///   both ends, that holds a letter or a digit; a hyphenated compound (`SFO-ordning`) is one word.
///   Its **letters** are its alphabetic characters (æ, ø, å, ä, ö count as letters; digits and
///   hyphens do not), so `2020` is a short word.
/// - A **sentence** ends at `.`, `!`, `?`, `:` or `…` (with any closing quotes or brackets) that
///   is followed by whitespace and then a capital letter (after any opening quotes or dashes), or
///   by the end of the text; and at a blank line, so that headings count as sentences. A full
///   stop after a common abbreviation that precedes names or numbers (`hr.`, `dr.`, `f.eks.`,
///   `bl.a.`, `jf.`, `nr.`, `kl.`, ...) does not end a sentence, nor does a full stop inside a
///   number (`2.500`) or before a lower-case word (`osv. og`).
///
/// The hardest sentences are ranked by their own LIX (their words plus 100 times their share of
/// long words).
///
/// Complexity: O(n + s log s) for n characters and s sentences.
///
/// # Errors
/// [`Error::NoWords`] when the text has no words; [`Error::InvalidLixLimit`] when the limit is
/// negative or not finite.
///
/// ```
/// use kompas_cocreation::{lix, LimitStatus, LixBand, LixOptions};
/// // 9 words, 2 sentences, 3 long words (kommunen, inviterer, mødested): 9/2 + 100*3/9 = 37.8
/// let r = lix("Kommunen inviterer dig. Vi ses på mødested nummer tre.", &LixOptions::default())?;
/// assert_eq!((r.words, r.sentences, r.long_words), (9, 2, 3));
/// assert!((r.lix - (9.0 / 2.0 + 100.0 * 3.0 / 9.0)).abs() < 1e-12);
/// assert_eq!(r.band, LixBand::Medium);
/// assert_eq!(r.status, LimitStatus::Within);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lix(text: &str, options: &LixOptions) -> Result<LixReport, Error> {
    if !options.limit.is_finite() || options.limit < 0.0 {
        return Err(Error::InvalidLixLimit {
            value: options.limit,
        });
    }
    let mut scores = Vec::new();
    let (mut words, mut long_words) = (0usize, 0usize);
    for (start, end) in sentence_ranges(text) {
        let sentence = &text[start..end];
        let (mut w, mut l) = (0usize, 0usize);
        for letters in word_letters(sentence) {
            w += 1;
            if letters > 6 {
                l += 1;
            }
        }
        if w == 0 {
            continue;
        }
        words += w;
        long_words += l;
        scores.push(SentenceScore {
            number: scores.len() + 1,
            start,
            end,
            text: sentence.split_whitespace().collect::<Vec<_>>().join(" "),
            words: w,
            long_words: l,
            lix: w as f64 + 100.0 * l as f64 / w as f64,
        });
    }
    if words == 0 {
        return Err(Error::NoWords);
    }
    let sentences = scores.len();
    let value = words as f64 / sentences as f64 + 100.0 * long_words as f64 / words as f64;
    scores.sort_by(|a, b| b.lix.total_cmp(&a.lix).then(a.number.cmp(&b.number)));
    scores.truncate(options.hardest);
    Ok(LixReport {
        words,
        sentences,
        long_words,
        lix: value,
        band: LixBand::of(value),
        limit: options.limit,
        status: if value > options.limit {
            LimitStatus::Above
        } else {
            LimitStatus::Within
        },
        hardest: scores,
    })
}
