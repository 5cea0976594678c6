//! Unit tests of the NHS rule helpers against NHSRplotthedots' published rule vectors
//! (`testdata/spc/nhsrplotthedots/rule_unit_vectors.csv`, whose inputs are small R vector
//! expressions: numbers, `a:b`, `rep(v, k)` and `c(...)`).

use super::nhs::{
    part_of_seven, part_of_two_in_three, seven_point_one_side, seven_point_trend, two_in_three,
};

const VECTORS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/spc/nhsrplotthedots/rule_unit_vectors.csv"
));

/// Splits `s` at top-level commas.
fn split_top(s: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0, 0, Vec::new());
    for (i, ch) in s.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s[start..].trim());
    out
}

/// Evaluates the R vector expressions used in the file.
fn eval(expr: &str) -> Vec<f64> {
    let e = expr.trim();
    if let Some(inner) = e.strip_prefix("c(").and_then(|r| r.strip_suffix(')')) {
        return split_top(inner).into_iter().flat_map(eval).collect();
    }
    if let Some(inner) = e.strip_prefix("rep(").and_then(|r| r.strip_suffix(')')) {
        let args = split_top(inner);
        let v = eval(args[0]);
        let k = eval(args[1])[0] as usize;
        return v.iter().cycle().take(v.len() * k).copied().collect();
    }
    if let Some((a, b)) = e.split_once(':') {
        let (a, b) = (a.parse::<i64>().unwrap(), b.parse::<i64>().unwrap());
        return if a <= b {
            (a..=b).map(|v| v as f64).collect()
        } else {
            (b..=a).rev().map(|v| v as f64).collect()
        };
    }
    vec![e.parse().unwrap()]
}

/// Parses `name=expr name=expr` into named vectors.
fn args(input: &str) -> std::collections::BTreeMap<String, Vec<f64>> {
    let mut out = std::collections::BTreeMap::new();
    let mut rest = input.trim();
    while let Some((name, after)) = rest.split_once('=') {
        // The expression runs to the next ` name=` at depth 0, or to the end.
        let mut depth = 0;
        let mut end = after.len();
        for (i, ch) in after.char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => depth -= 1,
                ' ' if depth == 0 => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        out.insert(name.trim().to_owned(), eval(&after[..end]));
        rest = after[end..].trim();
    }
    out
}

fn ints(v: &[f64]) -> Vec<i8> {
    v.iter().map(|&x| x as i8).collect()
}

fn bools(v: &[f64]) -> Vec<bool> {
    v.iter().map(|&x| x != 0.0).collect()
}

fn as_f64<T: Copy + Into<f64>>(v: &[T]) -> Vec<f64> {
    v.iter().map(|&x| x.into()).collect()
}

fn from_bools(v: &[bool]) -> Vec<f64> {
    v.iter().map(|&b| f64::from(u8::from(b))).collect()
}

#[test]
fn nhsrplotthedots_rule_vectors() {
    let mut reader = csv::Reader::from_reader(VECTORS.as_bytes());
    let mut checked = 0;
    for rec in reader.records() {
        let rec = rec.unwrap();
        let (function, input, expected) = (&rec[0], &rec[1], &rec[2]);
        let a = args(input);
        let want: Vec<f64> = expected.split(',').map(|v| v.parse().unwrap()).collect();
        let got = match function {
            "seven_point_one_side_mean" => from_bools(&seven_point_one_side(&ints(&a["rtm"]))),
            "part_of_seven_trend" => as_f64(&part_of_seven(&ints(&a["v"])))
                .iter()
                .map(|v| v.abs())
                .collect(),
            "seven_point_trend" => as_f64(&seven_point_trend(&a["y"])),
            "two_in_three" => from_bools(&two_in_three(&bools(&a["close"]), &ints(&a["rtm"]))),
            "part_of_two_in_three(two_in_three(c,rtm),c)" => {
                let close = bools(&a["close"]);
                from_bools(&part_of_two_in_three(
                    &two_in_three(&close, &ints(&a["rtm"])),
                    &close,
                ))
            }
            other => panic!("unknown function {other}"),
        };
        assert_eq!(got, want, "{function}({input})");
        checked += 1;
    }
    assert_eq!(checked, 22);
}
