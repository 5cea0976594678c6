//! [`Labels`]: the report's words in Danish and English.

use kompas_core::Lang;

/// The fixed words of a report in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels {
    /// The language of these labels.
    pub lang: Lang,
    /// "Follow-up".
    pub title: &'static str,
    /// The note shown when a document holds illustrative values.
    pub illustrative: &'static str,
    /// Heading of the goals section.
    pub goals: &'static str,
    /// Column: goal.
    pub goal: &'static str,
    /// Column: score.
    pub score: &'static str,
    /// Column: coverage.
    pub coverage: &'static str,
    /// Column: trend.
    pub trend: &'static str,
    /// Column: triangulation.
    pub triangulation: &'static str,
    /// Column: voices.
    pub voices: &'static str,
    /// Heading: goal clutter.
    pub clutter: &'static str,
    /// Heading: goals no evidence reaches.
    pub no_evidence: &'static str,
    /// Heading: goals without a bridge to a city goal.
    pub no_bridge: &'static str,
    /// Heading of the co-creation section.
    pub cocreation: &'static str,
    /// "participants".
    pub participants: &'static str,
    /// The note under a table with suppressed cells.
    pub suppressed: &'static str,
    /// "Charter checks".
    pub charter_checks: &'static str,
    /// Heading: representativeness.
    pub representativeness: &'static str,
    /// "population".
    pub population: &'static str,
    /// Heading of the value section.
    pub value: &'static str,
    /// Heading: open dilemmas.
    pub open_dilemmas: &'static str,
    /// Heading: decisions.
    pub decisions: &'static str,
    /// "open basis".
    pub open_basis: &'static str,
    /// "basis not open".
    pub closed_basis: &'static str,
    /// Heading: goals measured only by outputs.
    pub output_only: &'static str,
    /// Heading: goals defined at the desk.
    pub desk_defined: &'static str,
    /// Heading of the learning section.
    pub learning: &'static str,
    /// Heading: predictions contradicted.
    pub contradicted: &'static str,
    /// Heading: mandate questions.
    pub mandate: &'static str,
    /// Heading: value spillover.
    pub spillover: &'static str,
    /// Heading: charts.
    pub charts: &'static str,
    /// After a count: charts not shown.
    pub charts_omitted: &'static str,
    /// A chart's line: "chart" (after its type), "points", "special-cause points", "latest".
    pub chart_line: [&'static str; 4],
    /// A drawn chart's legend beyond the trend words: "neutral special cause", "outside the
    /// limits", "centre line of a part with a runs signal".
    pub chart_legend: [&'static str; 3],
    /// "none".
    pub none: &'static str,
    /// "follows", "overrules".
    pub follows: &'static str,
    /// "overrules".
    pub overrules: &'static str,
    /// "decided by".
    pub decided_by: &'static str,
    /// "no data".
    pub no_data: &'static str,
    /// Trend words: improvement, concern, mixed, no signal, no data.
    pub trend_words: [&'static str; 5],
    /// Severity words: error, warning, info.
    pub severity_words: [&'static str; 3],
    /// "dissimilarity" (the index of a representativeness table).
    pub dissimilarity: &'static str,
    /// The decimal mark of numbers in the text (`,` in Danish).
    pub decimal_mark: char,
}

impl Labels {
    /// The labels of a language.
    pub const fn new(lang: Lang) -> Labels {
        match lang {
            Lang::Da => Labels {
                lang,
                title: "Opfølgning",
                illustrative: "Dokumentet indeholder illustrative værdier; de er markeret i data.",
                goals: "Mål",
                goal: "Mål",
                score: "Score",
                coverage: "Dækning",
                trend: "Udvikling",
                triangulation: "Triangulering",
                voices: "Stemmer",
                clutter: "Målmylder og mangler",
                no_evidence: "Mål som ingen viden når",
                no_bridge: "Mål uden bro til Aarhusmålene",
                cocreation: "Samskabelse",
                participants: "deltagere",
                charter_checks: "Fund i chartertjek",
                suppressed: "– = skjult: færre end 5 personer, eller skjult for at beskytte en sådan celle.",
                representativeness: "Repræsentativitet",
                population: "befolkning",
                value: "Værdi",
                open_dilemmas: "Åbne dilemmaer",
                decisions: "Beslutninger",
                open_basis: "åbent grundlag",
                closed_basis: "grundlaget er ikke åbent",
                output_only: "Mål der kun følges med aktivitetsmål",
                desk_defined: "Mål defineret ved skrivebordet",
                learning: "Læring",
                contradicted: "Forudsigelser der ikke holdt",
                mandate: "Spørgsmål til mandatet",
                spillover: "Værdi på tværs af magistratsafdelinger",
                charts: "Serie- og kontroldiagrammer",
                charts_omitted: "diagrammer mere vises ikke her; deres signaler indgår i målenes udvikling.",
                chart_line: ["diagram", "punkter", "punkter med særlig årsag", "seneste"],
                chart_legend: [
                    "neutral særlig årsag",
                    "uden for grænserne",
                    "centerlinje i en del med signal i runs-analysen",
                ],
                none: "ingen",
                follows: "følger",
                overrules: "tilsidesætter",
                decided_by: "besluttet af",
                no_data: "ingen data",
                trend_words: [
                    "forbedring",
                    "bekymring",
                    "blandet",
                    "intet signal",
                    "ingen data",
                ],
                severity_words: ["Fejl", "Advarsel", "Info"],
                dissimilarity: "dissimilaritetsindeks",
                decimal_mark: ',',
            },
            Lang::En => Labels {
                lang,
                title: "Follow-up",
                illustrative: "This document holds illustrative values; they are marked in the data.",
                goals: "Goals",
                goal: "Goal",
                score: "Score",
                coverage: "Coverage",
                trend: "Trend",
                triangulation: "Triangulation",
                voices: "Voices",
                clutter: "Goal clutter and gaps",
                no_evidence: "Goals no evidence reaches",
                no_bridge: "Goals with no bridge to a city goal",
                cocreation: "Co-creation",
                participants: "participants",
                charter_checks: "Charter check findings",
                suppressed: "– = suppressed: fewer than 5 persons, or hidden to protect such a cell.",
                representativeness: "Representativeness",
                population: "population",
                value: "Value",
                open_dilemmas: "Open dilemmas",
                decisions: "Decisions",
                open_basis: "open basis",
                closed_basis: "basis not open",
                output_only: "Goals measured only by outputs",
                desk_defined: "Goals defined at the desk",
                learning: "Learning",
                contradicted: "Predictions contradicted",
                mandate: "Mandate questions",
                spillover: "Value spillover between departments",
                charts: "Run and control charts",
                charts_omitted: "more charts are not shown here; their signals count in the goals' trends.",
                chart_line: ["chart", "points", "special-cause points", "latest"],
                chart_legend: [
                    "neutral special cause",
                    "outside the limits",
                    "centre line of a part with a runs signal",
                ],
                none: "none",
                follows: "follows",
                overrules: "overrules",
                decided_by: "decided by",
                no_data: "no data",
                trend_words: ["improvement", "concern", "mixed", "no signal", "no data"],
                severity_words: ["Error", "Warning", "Info"],
                dissimilarity: "dissimilarity",
                decimal_mark: '.',
            },
        }
    }

    /// The words for a triangulation verdict and confidence given as codes
    /// (`converge`, `diverge`, `one_sided`, `insufficient`; `high` .. `very low`).
    pub fn verdict(&self, verdict: &str, confidence: &str) -> String {
        let da = self.lang == Lang::Da;
        let v = match (verdict, da) {
            ("converge", true) => "samstemmende",
            ("diverge", true) => "modstridende",
            ("one_sided", true) => "ensidig",
            ("insufficient", true) => "utilstrækkelig",
            ("one_sided", false) => "one-sided",
            (other, _) => other,
        };
        let c = match (confidence, da) {
            ("high", true) => "høj",
            ("moderate", true) => "moderat",
            ("low", true) => "lav",
            ("very low", true) => "meget lav",
            (other, _) => other,
        };
        format!("{v} ({c})")
    }

    /// The word for a severity.
    pub fn severity(&self, s: kompas::Severity) -> &'static str {
        self.severity_words[match s {
            kompas::Severity::Error => 0,
            kompas::Severity::Warning => 1,
            kompas::Severity::Info => 2,
        }]
    }

    /// `v` with `decimals` decimals and the language's decimal mark (`63,4` in Danish).
    pub fn number(&self, v: f64, decimals: usize) -> String {
        let text = format!("{v:.decimals$}");
        if self.decimal_mark == '.' {
            text
        } else {
            text.replace('.', &self.decimal_mark.to_string())
        }
    }

    /// The word for a trend.
    pub fn trend(&self, t: kompas::Trend) -> &'static str {
        use kompas::Trend::*;
        self.trend_words[match t {
            Improvement => 0,
            Concern => 1,
            Mixed => 2,
            NoSignal => 3,
            NoData => 4,
        }]
    }
}
