//! `kompas spc`: a run or control chart of a CSV file, as CSV, JSON or SVG.

use std::process::ExitCode;

use anyhow::Context as _;
use kompas_evidence::spc::{
    Chart, ChartOptions, ChartType, CsvColumns, DecimalMark, Improvement, MrScreening, Rules,
    assurance, latest_signal, nhs_point_types, parse_series,
};
use kompas_report::{ChartSvg, chart_svg};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OutFormat {
    /// One row per plotted point.
    Csv,
    /// The whole chart, with NHS point types when `--rules nhs`.
    Json,
    /// A self-contained SVG drawing.
    Svg,
}

/// On or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Switch {
    /// On.
    On,
    /// Off.
    Off,
}

/// Rule sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum RuleArg {
    /// Anhøj's runs rules (qicharts2).
    Anhoej,
    /// The NHS "Making Data Count" rules.
    Nhs,
}

/// Decimal marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DecimalArg {
    /// Comma when the delimiter is `;`, else point.
    Auto,
    /// `1234.5`.
    Point,
    /// `1.234,5`.
    Comma,
}

/// Arguments of `kompas spc`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The CSV file (`-` for standard input).
    file: std::path::PathBuf,
    /// Chart type: run, i, mr, xbar, s, t, p, pp, c, u, up, g.
    #[arg(long)]
    chart: String,
    /// Column of x (subgroups; several rows with the same x form one subgroup).
    #[arg(long)]
    x: String,
    /// Column of y.
    #[arg(long)]
    y: String,
    /// Column of the denominator (P, P', U, U' charts).
    #[arg(long)]
    n: Option<String>,
    /// Last position (1-based) of the baseline.
    #[arg(long)]
    freeze: Option<usize>,
    /// Last position of each part but the last, comma separated (1-based).
    #[arg(long, value_delimiter = ',')]
    part: Vec<usize>,
    /// Positions to leave out of the calculations, comma separated (1-based).
    #[arg(long, value_delimiter = ',')]
    exclude: Vec<usize>,
    /// Factor for y, centre line and limits.
    #[arg(long, default_value_t = 1.0)]
    multiply: f64,
    /// Moving-range screening.
    #[arg(long, value_enum, default_value_t = Switch::On)]
    screen_mr: Switch,
    /// Rule set.
    #[arg(long, value_enum, default_value_t = RuleArg::Anhoej)]
    rules: RuleArg,
    /// Improvement direction (for `--rules nhs`).
    #[arg(long, default_value = "neutral")]
    improvement: String,
    /// Target for the NHS assurance call (JSON output).
    #[arg(long)]
    target: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Csv)]
    format: OutFormat,
    /// Field delimiter of the input (default: `;`, tab or `,`, whichever the header has).
    #[arg(long)]
    delimiter: Option<char>,
    /// Decimal mark of the input.
    #[arg(long, value_enum, default_value_t = DecimalArg::Auto)]
    decimal: DecimalArg,
    /// Title of the SVG chart (default: the file name).
    #[arg(long)]
    title: Option<String>,
}

fn cell(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn opt_usize(v: Option<usize>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = if args.file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?
    } else {
        std::fs::read_to_string(&args.file)
            .with_context(|| format!("cannot read {}", args.file.display()))?
    };
    let chart_type: ChartType = args.chart.parse()?;
    let improvement: Improvement = args.improvement.parse()?;
    let mut columns = CsvColumns::new(&args.x, &args.y).decimal(match args.decimal {
        DecimalArg::Auto => DecimalMark::Auto,
        DecimalArg::Point => DecimalMark::Point,
        DecimalArg::Comma => DecimalMark::Comma,
    });
    if let Some(n) = &args.n {
        columns = columns.n(n);
    }
    if let Some(d) = args.delimiter {
        let b = u8::try_from(d)
            .ok()
            .filter(u8::is_ascii)
            .with_context(|| format!("--delimiter {d:?}: expected a single ASCII character"))?;
        columns = columns.delimiter(b);
    }
    let series = parse_series(&text, &columns)
        .with_context(|| format!("cannot read a series from {}", args.file.display()))?;
    let rules = match args.rules {
        RuleArg::Anhoej => Rules::Anhoej,
        RuleArg::Nhs => Rules::Nhs,
    };
    let mut options = ChartOptions::new(chart_type)
        .parts(args.part)
        .exclude(args.exclude)
        .multiply(args.multiply)
        .rules(rules)
        .screen_mr(match args.screen_mr {
            Switch::On => MrScreening::On,
            Switch::Off => MrScreening::Off,
        });
    if let Some(f) = args.freeze {
        options = options.freeze(f);
    }
    let chart = Chart::compute(&series, &options)?;
    let types = (rules == Rules::Nhs).then(|| nhs_point_types(&chart, improvement));
    let out = match args.format {
        OutFormat::Csv => to_csv(&chart, types.as_deref()),
        OutFormat::Json => {
            let doc = serde_json::json!({
                "chart": chart,
                "point_types": types,
                "latest_signal": (rules == Rules::Nhs).then(|| latest_signal(&chart, improvement)),
                "assurance": args.target.and_then(|t| assurance(&chart, improvement, t)),
            });
            let mut s = serde_json::to_string_pretty(&doc)?;
            s.push('\n');
            s
        }
        OutFormat::Svg => {
            let title = args.title.unwrap_or_else(|| {
                args.file
                    .file_stem()
                    .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
            });
            let mut o = ChartSvg::new(title).y_label(args.y.clone());
            if let Some(t) = types {
                o = o.point_types(t);
            }
            chart_svg(&chart, &o)
        }
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// Formats an optional number, reusing the previous text when the value repeats (centre lines and
/// constant limits), which halves the cost of writing large charts.
struct Cached {
    value: Option<f64>,
    text: String,
}

impl Cached {
    fn new() -> Self {
        Cached {
            value: None,
            text: String::new(),
        }
    }

    fn get(&mut self, v: Option<f64>) -> &str {
        if v.map(f64::to_bits) != self.value.map(f64::to_bits) {
            self.value = v;
            self.text = cell(v);
        }
        &self.text
    }
}

fn to_csv(chart: &Chart, types: Option<&[kompas_evidence::spc::PointType]>) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(chart.points.len() * 96);
    s.push_str(
        "x,y,n,cl,lcl,ucl,part,sigma_signal,runs_signal,longest_run,longest_run_max,n_crossings,n_crossings_min",
    );
    if types.is_some() {
        s.push_str(",point_type");
    }
    s.push('\n');
    let (mut n, mut cl, mut lcl, mut ucl) =
        (Cached::new(), Cached::new(), Cached::new(), Cached::new());
    let mut runs_text = (0usize, String::new());
    for (i, p) in chart.points.iter().enumerate() {
        if runs_text.0 != p.part {
            let runs = chart.runs_of(p);
            runs_text = (
                p.part,
                format!(
                    "{},{},{},{},{}",
                    runs.is_some_and(|r| r.signal),
                    opt_usize(runs.and_then(|r| r.longest_run)),
                    opt_usize(runs.and_then(|r| r.longest_run_max)),
                    opt_usize(runs.and_then(|r| r.n_crossings)),
                    opt_usize(runs.and_then(|r| r.n_crossings_min)),
                ),
            );
        }
        match &p.x {
            kompas_evidence::spc::XValue::Label(l) => s.push_str(&csv_quote(l)),
            x => {
                let _ = write!(s, "{x}");
            }
        }
        s.push(',');
        if let Some(y) = p.y {
            let _ = write!(s, "{y}");
        }
        let _ = write!(
            s,
            ",{},{},{},{},{},{},{}",
            n.get(p.n),
            cl.get(p.cl),
            lcl.get(p.lcl),
            ucl.get(p.ucl),
            p.part,
            p.sigma_signal,
            runs_text.1
        );
        if let Some(t) = types.and_then(|t| t.get(i)) {
            s.push(',');
            s.push_str(t.as_str());
        }
        s.push('\n');
    }
    s
}
