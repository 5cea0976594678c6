//! `kompas spc`: a run or control chart of a CSV file, as CSV, JSON or SVG.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;
use kompas_evidence::spc::{
    Chart, ChartOptions, ChartPoint, ChartType, CsvColumns, DecimalMark, Improvement, MrScreening,
    PointType, Row, Rules, RunsAnalysis, SeriesText, SpcError, XValue, assurance, latest_signal,
    nhs_point_types, parse_series, parse_series_text,
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

/// Series of at least this many rows are written by two threads (see [`write_split`]).
const SPLIT_ROWS: usize = 20_000;

/// Points per block of a chart written by two threads (some 100 KiB of CSV).
const BLOCK: usize = 1024;

/// Which thread formats each block of a chart written by two threads, over and over: this
/// thread one block in five, the second thread four. This thread also writes every block out
/// and sums every point's limits for the part summaries; with even turns the second thread
/// waited for it. Measured on 100,000 points written into a new file, median of 31 runs: 1:1
/// 29.6 ms (I) and 35.9 ms (P), 1:4 25.4-25.8 ms and 30.0-30.1 ms, 1:3 and 1:5 within a
/// millisecond of 1:4; to `/dev/null` the turns made no difference beyond the noise.
const TURNS: [usize; 5] = [0, 1, 1, 1, 1];

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
    let context = || format!("cannot read a series from {}", args.file.display());
    // A CSV of a chart that plots its rows' own y (not ratios or spreads) copies the cells
    // written as their numbers print, so the text stays; otherwise it is freed now, and its
    // memory serves the chart's (fresh memory costs a page clearing).
    let copies = args.format == OutFormat::Csv
        && !(chart_type.needs_denominator() || matches!(chart_type, ChartType::Mr | ChartType::S));
    let kept: String;
    let parsed = if copies {
        kept = text;
        parse_series_text(&kept, &columns).with_context(context)?
    } else {
        let series = parse_series(&text, &columns).with_context(context)?;
        drop(text);
        SeriesText::from(series)
    };
    let series = parsed.series();
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
    if args.format == OutFormat::Csv && rules == Rules::Anhoej {
        // Each point is written as it is computed, without holding the whole chart; a large
        // chart's second half is formatted into memory on a second thread meanwhile, and
        // written after the first.
        let mut stdout = std::io::stdout();
        if series.rows().len() >= SPLIT_ROWS {
            write_split(&parsed, &options, &mut stdout)?
                .context("cannot write the chart to standard output")?;
            return Ok(ExitCode::SUCCESS);
        }
        let mut rows = CsvRows::new(false, &parsed);
        Chart::compute_each(series, &options, |p, runs| {
            rows.row(p, Some(runs), None);
            rows.write_full(&mut stdout);
        })?;
        rows.finish(&mut stdout)
            .context("cannot write the chart to standard output")?;
        return Ok(ExitCode::SUCCESS);
    }
    let chart = Chart::compute(series, &options)?;
    let types = (rules == Rules::Nhs).then(|| nhs_point_types(&chart, improvement));
    let out = match args.format {
        OutFormat::Csv => {
            let mut stdout = std::io::stdout().lock();
            let mut rows = CsvRows::new(types.is_some(), &parsed);
            for (i, p) in chart.points.iter().enumerate() {
                let t = types.as_ref().and_then(|t| t.get(i)).copied();
                rows.row(p, chart.runs_of(p), t);
                rows.write_full(&mut stdout);
            }
            rows.finish(&mut stdout)
                .context("cannot write the chart to standard output")?;
            return Ok(ExitCode::SUCCESS);
        }
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

/// A visitor of a chart's points on a thread of its own.
type Visitor<'a> = dyn FnMut(&ChartPoint, &RunsAnalysis) + Send + 'a;

/// Writes the CSV of a large chart with two threads: the points go in blocks of [`BLOCK`], in
/// the [`TURNS`], to this thread, which writes its blocks as it goes, and to a second one,
/// which formats its blocks into buffers and hands them over; this thread writes each of those
/// in its place between its own, and hands the buffer back for reuse, so that the memory in
/// use stays a few blocks however long the chart.
///
/// # Errors
/// The chart's error (nothing written then); inside, the first write error.
fn write_split(
    parsed: &SeriesText<'_>,
    options: &ChartOptions,
    out: &mut std::io::Stdout,
) -> Result<std::io::Result<()>, SpcError> {
    use std::sync::mpsc::channel;
    let (mut first, mut second) = (CsvRows::new(false, parsed), CsvRows::headless(parsed));
    // Formatted blocks from the second thread, and emptied buffers back to it.
    let (blocks, mut done) = channel::<Vec<u8>>();
    let (spare, spares) = channel::<Vec<u8>>();
    {
        // The block of the last point written here.
        let mut current = 0;
        let (first, second, out) = (&mut first, &mut second, &mut *out);
        let done = &mut done;
        let mine = move |p: &ChartPoint, runs: &RunsAnalysis| {
            let b = (p.position - 1) / BLOCK;
            if b != current {
                // Blocks `current + 1 .. b` are the second thread's, all full.
                first.flush_buf(out);
                for _ in current + 1..b {
                    if let Ok(buf) = done.recv() {
                        first.write_other(&buf, out);
                        let _ = spare.send(buf);
                    }
                }
                current = b;
            }
            first.row(p, Some(runs), None);
            first.write_full(out);
        };
        let theirs = move |p: &ChartPoint, runs: &RunsAnalysis| {
            second.row(p, Some(runs), None);
            if p.position % BLOCK == 0 {
                let next = spares
                    .try_recv()
                    .map(|mut b| {
                        b.clear();
                        b
                    })
                    .unwrap_or_else(|_| Vec::with_capacity(second.buf.capacity()));
                let _ = blocks.send(std::mem::replace(&mut second.buf, next));
            }
        };
        let mut visitors: [Box<Visitor<'_>>; 2] = [Box::new(mine), Box::new(theirs)];
        Chart::compute_blocks_in_turns(parsed.series(), options, BLOCK, &TURNS, &mut visitors)?;
    }
    // What is left: this thread's last block, then the second thread's full blocks and its
    // last, partial one (all later than this thread's).
    first.flush_buf(out);
    for buf in done.try_iter() {
        first.write_other(&buf, out);
    }
    first.write_other(&second.buf, out);
    Ok(first.finish(out))
}

/// Appends `v` as `format!("{v}")` writes it (the shortest text that reads back to the same
/// number, never in exponent notation), through zmij's Schubfach printer, about five times
/// faster than the standard formatter.
fn push_f64(out: &mut Vec<u8>, v: f64) {
    if !v.is_finite() {
        let _ = write!(out, "{v}");
        return;
    }
    // Integers below 2^53 print as their digits.
    if v.abs() < 9_007_199_254_740_992.0 && (v as i64) as f64 == v {
        if v.is_sign_negative() {
            out.push(b'-');
        }
        push_usize(out, v.abs() as usize);
        return;
    }
    if push_short_decimal(out, v) {
        return;
    }
    let mut buffer = zmij::Buffer::new();
    let s = buffer.format_finite(v).as_bytes();
    if exact_digits(v).is_some_and(|d| d == significant_digits(s) + 1) {
        // Two shortest texts are equally near: the standard formatter's pick, not zmij's.
        let _ = write!(out, "{v}");
        return;
    }
    // An exponent (`e-7`, `e+16`, `e-324`) sits in the last five bytes.
    let tail = s.len().saturating_sub(5);
    let Some(e) = s[tail..].iter().position(|&b| b == b'e').map(|e| tail + e) else {
        out.extend_from_slice(s.strip_suffix(b".0").unwrap_or(s));
        return;
    };
    // `-1.2345e-7` or `1e+16`: write the digits out in full, as the standard formatter does.
    let (mantissa, exp) = (&s[..e], &s[e + 1..]);
    let (negative, mantissa) = match mantissa.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, mantissa),
    };
    let exp: i64 = std::str::from_utf8(exp)
        .ok()
        .and_then(|x| x.trim_start_matches('+').parse().ok())
        .unwrap_or(0);
    let int_len = mantissa
        .iter()
        .position(|&b| b == b'.')
        .unwrap_or(mantissa.len());
    let digits: Vec<u8> = mantissa.iter().copied().filter(|&b| b != b'.').collect();
    let point = int_len as i64 + exp;
    if negative {
        out.push(b'-');
    }
    if point <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', point.unsigned_abs() as usize));
        out.extend_from_slice(&digits);
    } else if point as usize >= digits.len() {
        out.extend_from_slice(&digits);
        out.extend(std::iter::repeat_n(b'0', point as usize - digits.len()));
    } else {
        let (a, b) = digits.split_at(point as usize);
        out.extend_from_slice(a);
        out.push(b'.');
        out.extend_from_slice(b);
    }
}

/// Powers of ten that are exact in an `f64`.
const POW10: [f64; 10] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/// Appends finite, non-integer `v` as `format!("{v}")` writes it when it is `m / 10^k` for an
/// integer `m` below 10^15 and `k <= 9` (numbers read from text with a few decimals), and says
/// whether it did. The check `m / 10^k == v` is exact (both operands are exact, the division is
/// correctly rounded, as reading the text `m e-k` is); and as any two decimals of at most 15
/// significant digits read as different doubles (DBL_DIG), the digits of `m` without trailing
/// zeros are the shortest text that reads back to `v`, the one the standard formatter prints.
fn push_short_decimal(out: &mut Vec<u8>, v: f64) -> bool {
    let a = v.abs();
    if !(1e-9..1e15).contains(&a) {
        return false;
    }
    for (k, &p) in POW10.iter().enumerate().skip(1) {
        let t = a * p;
        if t >= 1e15 {
            return false;
        }
        // Rounded to the nearest integer (t < 10^15: exact in u64 and back).
        let m = (t + 0.5) as i64 as f64;
        // A cheap screen first (t is within a few ulps of m when v = m / 10^k), then the exact
        // test.
        if (t - m).abs() <= t * (4.0 * f64::EPSILON) && m / p == a {
            let mut m = m as i64 as u64;
            let mut k = k;
            while k > 0 && m % 10 == 0 {
                m /= 10;
                k -= 1;
            }
            // Written from the end into a buffer of fixed size: `-`, the integer digits (at
            // least one), `.` and k decimals.
            let sign = usize::from(v.is_sign_negative());
            let digits = m.checked_ilog10().map_or(1, |l| l as usize + 1);
            let int_len = digits.saturating_sub(k).max(1);
            let total = sign + int_len + if k > 0 { k + 1 } else { 0 };
            let mut buf = [b'0'; 32];
            let mut pos = total.min(buf.len());
            let mut rest = m;
            for _ in 0..k {
                pos = pos.saturating_sub(1);
                buf[pos] = b'0' + (rest % 10) as u8;
                rest /= 10;
            }
            if k > 0 {
                pos = pos.saturating_sub(1);
                buf[pos] = b'.';
            }
            for _ in 0..int_len {
                pos = pos.saturating_sub(1);
                buf[pos] = b'0' + (rest % 10) as u8;
                rest /= 10;
            }
            if sign == 1 {
                buf[0] = b'-';
            }
            push_prefix(out, &buf, total);
            return true;
        }
    }
    false
}

/// The number of significant digits of a printed number (`-0.00123e-7` has three).
fn significant_digits(s: &[u8]) -> u32 {
    let mantissa = s.split(|&b| b == b'e').next().unwrap_or(s);
    let digits = mantissa.iter().filter(|b| b.is_ascii_digit());
    digits.skip_while(|&&b| b == b'0').count() as u32
}

/// The number of significant digits of finite `v` written out exactly, when at most 19: only
/// when it is one more than the shortest text's can two shortest printers differ (`v` then lies
/// exactly halfway between two candidates; zmij breaks the tie to even, the standard formatter
/// upwards). `v = m 2^-q` with m odd equals `m 5^q / 10^q`, so its digits are those of `m 5^q`.
fn exact_digits(v: f64) -> Option<u32> {
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    let (m, e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    };
    if m == 0 {
        return None;
    }
    let tz = m.trailing_zeros();
    let (m, q) = (m >> tz, -(e + tz as i32));
    // Integers (q <= 0) never tie; m 5^q >= 2^(bits of m - 1) 5^q, so a bound on the binary
    // length (log2 5 > 2.321) rejects almost every number before any multiplication.
    let q = u32::try_from(q).ok().filter(|&q| q > 0)?;
    if (63 - m.leading_zeros()) + q * 2321 / 1000 >= 64 {
        return None;
    }
    let exact = u128::from(5u64.checked_pow(q)?) * u128::from(m);
    exact.checked_ilog10().map(|l| l + 1).filter(|&d| d <= 19)
}

/// Appends the decimal digits of `v`.
fn push_usize(out: &mut Vec<u8>, mut v: usize) {
    let len = v.checked_ilog10().map_or(1, |l| l as usize + 1);
    let mut digits = [b'0'; 20];
    for d in digits[..len.min(20)].iter_mut().rev() {
        *d = b'0' + (v % 10) as u8;
        v /= 10;
    }
    push_prefix(out, &digits, len);
}

/// Appends `src[..len]` by appending all of `src` and cutting back: a copy of a fixed size
/// that the compiler makes inline, faster for short texts than a call to `memcpy`.
#[inline]
fn push_prefix<const N: usize>(out: &mut Vec<u8>, src: &[u8; N], len: usize) {
    let end = out.len() + len.min(N);
    out.extend_from_slice(src);
    out.truncate(end);
}

/// The text `n,cl,lcl,ucl,part,` of recently written rows, direct-mapped by the bits of the five
/// values: one entry serves every row of a part with constant limits, and one per distinct
/// denominator the rows of a P or U chart, whose limits follow from the denominator.
struct Segments {
    /// The bits of n, cl, lcl, ucl, the part, and a mask of which are present (bit 4 set in
    /// every filled entry).
    keys: Vec<[u64; 6]>,
    lens: Vec<u8>,
    texts: Vec<[u8; Segments::TEXT]>,
}

impl Segments {
    const SLOTS: usize = 1 << 11;
    const TEXT: usize = 120;

    fn new() -> Self {
        Segments {
            keys: vec![[0; 6]; Self::SLOTS],
            lens: vec![0; Self::SLOTS],
            texts: vec![[0; Self::TEXT]; Self::SLOTS],
        }
    }

    /// Appends the segment of point `p`.
    fn push(&mut self, out: &mut Vec<u8>, p: &ChartPoint) {
        let values = [p.n, p.cl, p.lcl, p.ucl];
        let mut key = [0u64; 6];
        let mut mask = 1 << 4;
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                key[i] = v.to_bits();
                mask |= 1 << i;
            }
        }
        key[4] = p.part as u64;
        key[5] = mask;
        let h = key[..5].iter().fold(mask, |h, &k| {
            (h ^ k).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29)
        });
        // Two places an entry may take (two-choice hashing): a few hundred denominators then
        // rarely evict one another.
        let slots = [
            (h >> (64 - 11)) as usize,
            (h >> (64 - 22)) as usize & (Self::SLOTS - 1),
        ];
        for slot in slots {
            if let (Some(k), Some(&len), Some(text)) = (
                self.keys.get(slot),
                self.lens.get(slot),
                self.texts.get(slot),
            ) {
                if k[0] == key[0]
                    && k[1] == key[1]
                    && k[2] == key[2]
                    && k[3] == key[3]
                    && k[4] == key[4]
                    && k[5] == key[5]
                {
                    push_prefix(out, text, usize::from(len));
                    return;
                }
            }
        }
        // An empty place (mask 0) if there is one, else the first.
        let slot = match self.keys.get(slots[0]) {
            Some(k) if k[5] != 0 && self.keys.get(slots[1]).is_some_and(|k| k[5] == 0) => slots[1],
            _ => slots[0],
        };
        let (Some(k), Some(len), Some(text)) = (
            self.keys.get_mut(slot),
            self.lens.get_mut(slot),
            self.texts.get_mut(slot),
        ) else {
            return write_segment(out, &values, p.part);
        };
        let start = out.len();
        write_segment(out, &values, p.part);
        let written = &out[start..];
        if let Some(dst) = text.get_mut(..written.len()) {
            dst.copy_from_slice(written);
            *len = written.len() as u8;
            *k = key;
        }
    }
}

/// The texts of long printed values of y, direct-mapped by their bits: a P or U chart's y takes
/// one value per distinct count and denominator, a few thousand in 100,000 rows, each printed
/// with up to 17 digits.
struct YTexts {
    keys: Vec<u64>,
    lens: Vec<u8>,
    texts: Vec<[u8; YTexts::TEXT]>,
}

impl YTexts {
    const BITS: u32 = 14;
    const TEXT: usize = 24;
    /// Shorter texts are printed again rather than kept (they print fast, and keeping them
    /// would fill the table with values that seldom come back).
    const KEEP: usize = 10;

    /// An empty cache: its tables are made on the first long text (an I chart of short
    /// decimals never needs them).
    fn new() -> Self {
        YTexts {
            keys: Vec::new(),
            lens: Vec::new(),
            texts: Vec::new(),
        }
    }

    /// Appends the text of `v`.
    fn push(&mut self, out: &mut Vec<u8>, v: f64) {
        let bits = v.to_bits();
        let h = bits.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        // Two places a text may take (two-choice hashing): some 7,000 distinct values then
        // rarely evict one another.
        let slots = [
            (h >> (64 - Self::BITS)) as usize,
            (h >> (64 - 2 * Self::BITS)) as usize & ((1 << Self::BITS) - 1),
        ];
        for slot in slots {
            if let (Some(&k), Some(&len), Some(text)) = (
                self.keys.get(slot),
                self.lens.get(slot),
                self.texts.get(slot),
            ) {
                if len != 0 && k == bits {
                    push_prefix(out, text, usize::from(len));
                    return;
                }
            }
        }
        // An empty place if there is one, else the first.
        let slot = match self.lens.get(slots[0]) {
            Some(&l) if l != 0 && self.lens.get(slots[1]) == Some(&0) => slots[1],
            _ => slots[0],
        };
        let start = out.len();
        push_f64(out, v);
        let written = &out[start..];
        if written.len() >= Self::KEEP {
            if self.keys.is_empty() {
                self.keys = vec![0; 1 << Self::BITS];
                self.lens = vec![0; 1 << Self::BITS];
                self.texts = vec![[0; Self::TEXT]; 1 << Self::BITS];
            }
            if let (Some(k), Some(len), Some(dst)) = (
                self.keys.get_mut(slot),
                self.lens.get_mut(slot),
                self.texts
                    .get_mut(slot)
                    .and_then(|t| t.get_mut(..written.len())),
            ) {
                dst.copy_from_slice(written);
                *len = written.len() as u8;
                *k = bits;
            }
        }
    }
}

/// Writes `n,cl,lcl,ucl,part,`.
fn write_segment(out: &mut Vec<u8>, values: &[Option<f64>; 4], part: usize) {
    for v in values {
        if let Some(v) = v {
            push_f64(out, *v);
        }
        out.push(b',');
    }
    push_usize(out, part);
    out.push(b',');
}

fn push_opt_usize(out: &mut Vec<u8>, v: Option<usize>) {
    if let Some(v) = v {
        push_usize(out, v);
    }
}

fn push_bool(out: &mut Vec<u8>, v: bool) {
    out.extend_from_slice(if v { b"true" } else { b"false" });
}

/// The CSV output, one row per point, written through a 64 KiB buffer.
struct CsvRows<'a> {
    buf: Vec<u8>,
    /// The series read and its cells: an x or y cell is copied when it prints as written and
    /// the point's x or y is its row's.
    source: &'a SeriesText<'a>,
    rows: &'a [Row],
    segments: Segments,
    y_texts: YTexts,
    /// The number of the current part, and its `sigma_signal` and runs columns, without and
    /// with a sigma signal.
    runs: (usize, [Vec<u8>; 2]),
    /// The first write error; later rows are dropped.
    error: Option<std::io::Error>,
}

impl<'a> CsvRows<'a> {
    /// Rows are written once the buffer holds this many bytes.
    const CHUNK: usize = 1 << 16;

    /// Starts with the header line; `point_types` adds the NHS column.
    fn new(point_types: bool, source: &'a SeriesText<'a>) -> Self {
        let mut rows = CsvRows::headless(source);
        rows.buf.extend_from_slice(
            b"x,y,n,cl,lcl,ucl,part,sigma_signal,runs_signal,longest_run,longest_run_max,n_crossings,n_crossings_min",
        );
        if point_types {
            rows.buf.extend_from_slice(b",point_type");
        }
        rows.buf.push(b'\n');
        rows
    }

    /// Rows without a header.
    fn headless(source: &'a SeriesText<'a>) -> Self {
        CsvRows {
            buf: Vec::with_capacity(Self::CHUNK + 1024),
            source,
            rows: source.series().rows(),
            segments: Segments::new(),
            y_texts: YTexts::new(),
            runs: (0, [Vec::new(), Vec::new()]),
            error: None,
        }
    }

    /// Adds one point's row to the buffer.
    fn row(&mut self, p: &ChartPoint, runs: Option<&RunsAnalysis>, point_type: Option<PointType>) {
        if self.runs.0 != p.part {
            for (sigma_signal, t) in [false, true].into_iter().zip(&mut self.runs.1) {
                t.clear();
                push_bool(t, sigma_signal);
                t.push(b',');
                push_bool(t, runs.is_some_and(|r| r.signal));
                for v in [
                    runs.and_then(|r| r.longest_run),
                    runs.and_then(|r| r.longest_run_max),
                    runs.and_then(|r| r.n_crossings),
                    runs.and_then(|r| r.n_crossings_min),
                ] {
                    t.push(b',');
                    push_opt_usize(t, v);
                }
            }
            self.runs.0 = p.part;
        }
        let s = &mut self.buf;
        // The point's row when rows and points correspond (one row per x, in x order).
        let at = p.position.wrapping_sub(1);
        let row = self.rows.get(at);
        match &p.x {
            XValue::Number(v) => match row.map(|r| &r.x) {
                Some(XValue::Number(r)) if r.to_bits() == v.to_bits() => {
                    match self.source.x_text(at) {
                        Some(t) => s.extend_from_slice(t.as_bytes()),
                        None => push_f64(s, *v),
                    }
                }
                _ => push_f64(s, *v),
            },
            XValue::Label(l) => s.extend_from_slice(csv_quote(l).as_bytes()),
            x => {
                let _ = write!(s, "{x}");
            }
        }
        s.push(b',');
        if let Some(y) = p.y {
            let echo = row
                .and_then(|r| r.y)
                .filter(|r| r.to_bits() == y.to_bits())
                .and_then(|_| self.source.y_text(at));
            match echo {
                Some(t) => s.extend_from_slice(t.as_bytes()),
                None => self.y_texts.push(s, y),
            }
        }
        s.push(b',');
        self.segments.push(s, p);
        s.extend_from_slice(&self.runs.1[usize::from(p.sigma_signal)]);
        if let Some(t) = point_type {
            s.push(b',');
            s.extend_from_slice(t.as_str().as_bytes());
        }
        s.push(b'\n');
    }

    /// Writes the buffer out when it is full.
    #[inline]
    fn write_full(&mut self, w: &mut impl Write) {
        if self.buf.len() >= Self::CHUNK {
            self.flush_buf(w);
        }
    }

    /// Writes the buffer out.
    fn flush_buf(&mut self, w: &mut impl Write) {
        let buf = std::mem::take(&mut self.buf);
        self.write_other(&buf, w);
        self.buf = buf;
        self.buf.clear();
    }

    /// Writes rows formatted elsewhere (after the buffer's, which must have been written).
    fn write_other(&mut self, rows: &[u8], w: &mut impl Write) {
        if self.error.is_none() {
            if let Err(e) = w.write_all(rows) {
                self.error = Some(e);
            }
        }
    }

    /// Writes the rest and flushes; the first write error, if any.
    fn finish(mut self, w: &mut impl Write) -> std::io::Result<()> {
        self.flush_buf(w);
        match self.error {
            Some(e) => Err(e),
            None => w.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{YTexts, push_f64};

    /// The cache of y texts gives what printing gives, however its entries collide.
    #[test]
    fn cached_texts_are_the_printed_texts() {
        let mut cache = YTexts::new();
        let (mut cached, mut printed) = (Vec::new(), Vec::new());
        for round in 0..3 {
            for c in 0..200u32 {
                for n in (c.max(1)..600).step_by(7) {
                    let v = f64::from(c) / f64::from(n) * if round == 2 { 100.0 } else { 1.0 };
                    cache.push(&mut cached, v);
                    push_f64(&mut printed, v);
                    cached.push(b',');
                    printed.push(b',');
                }
            }
        }
        assert_eq!(cached, printed);
    }

    fn check(v: f64) {
        let mut out = Vec::new();
        push_f64(&mut out, v);
        assert_eq!(String::from_utf8(out).unwrap(), format!("{v}"), "{v:e}");
    }

    #[test]
    fn floats_print_as_the_standard_formatter_prints_them() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            0.1 + 0.2,
            1e15,
            1e16,
            1e17,
            1e21,
            1e22,
            1e23,
            1e-5,
            1e-7,
            123456.789,
            9_007_199_254_740_992.0,
            9_007_199_254_740_993.0,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            100.06815003700005,
        ] {
            check(v);
        }
        // Every exponent (random bit patterns) and the ranges of proportions and measurements.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..50_000 {
            let bits = next();
            check(f64::from_bits(bits));
            let unit = (bits >> 11) as f64 / (1u64 << 53) as f64;
            check(unit);
            check(unit * 1000.0 - 500.0);
            check((unit * 1e6).round() / 1e4);
            // Short decimals m / 10^k (the fast path), and their neighbours one ulp away.
            let k = (bits % 12) as i32;
            let m = ((bits >> 20) % 1_000_000_000_000_000) as f64;
            let short = m / 10f64.powi(k);
            for v in [short, -short, f64::from_bits(short.to_bits() + 1)] {
                check(v);
            }
        }
    }
}
