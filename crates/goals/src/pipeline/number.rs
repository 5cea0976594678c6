//! Fast, correctly rounded parsing of plain decimal numbers from bytes (the common forms in CSV
//! files: `-12.5`, `0.97460869786708082`, `3e-4`), with `str::parse::<f64>` as the fallback for
//! everything else.
//!
//! The value of a decimal `w x 10^q` (`w` an integer of at most 19 digits) is found by:
//! - exact integer arithmetic when `q >= 0` (`w 10^q` fits in 128 bits for `q <= 19`, and the
//!   integer-to-float conversion rounds to nearest, ties to even);
//! - Clinger's fast path when `w <= 2^53` and `-22 <= q < 0`: one correctly rounded IEEE
//!   division of two exactly representable numbers (Clinger 1990, "How to read floating point
//!   numbers accurately");
//! - otherwise, for `-19 <= q < 0`, a 192-bit product of the normalised `w` with a truncated
//!   128-bit reciprocal of `10^-q`. The true quotient lies within `w` (< 2^64) above the product,
//!   so the product's top 64 bits decide the rounding unless the 64 bits below them are all ones
//!   (a carry could reach the kept bits) or the discarded bits are all zero (the exact value
//!   could sit on a tie). In those rare cases we defer to `str::parse` (the same bounding
//!   argument as in Lemire 2021, "Number parsing at a gigabyte per second").
//!
//! Anything else (more than 19 significant digits, larger exponents, `inf`, `NaN`) returns
//! `None`, and the caller uses `str::parse`, so the result is always the one `str::parse` gives.

/// `10^k` for `k` in 0..=22, exactly representable as `f64`.
const POW10_F64: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `10^k` for `k` in 0..=19.
const POW10_U64: [u64; 20] = {
    let mut t = [1u64; 20];
    let mut k = 1;
    while k < 20 {
        t[k] = t[k - 1] * 10;
        k += 1;
    }
    t
};

/// For `k` in 1..=19: `(r, e)` with `r = floor(2^e / 10^k)` and `2^127 <= r < 2^128`.
const RECIPROCALS: [(u128, i32); 20] = {
    let mut t = [(0u128, 0i32); 20];
    let mut k = 1;
    while k < 20 {
        let d = POW10_U64[k] as u128;
        let bits = 128 - d.leading_zeros(); // 2^(bits-1) <= d < 2^bits
        let e = 127 + bits;
        // Long division of 2^e by d, one bit at a time.
        let (mut q, mut rem) = (0u128, 0u128);
        let mut i = e as i64;
        while i >= 0 {
            rem = (rem << 1) | (i == e as i64) as u128;
            q <<= 1;
            if rem >= d {
                rem -= d;
                q |= 1;
            }
            i -= 1;
        }
        t[k] = (q, e as i32);
        k += 1;
    }
    t
};

/// `w x 10^q` correctly rounded, or `None` when this module does not decide it cheaply.
#[inline(always)]
fn to_f64(w: u64, q: i32) -> Option<f64> {
    if w == 0 {
        return Some(0.0);
    }
    if q == 0 {
        return Some(w as f64);
    }
    if q > 0 {
        let p = *POW10_U64.get(q as usize)?;
        return Some((u128::from(w) * u128::from(p)) as f64);
    }
    let k = q.unsigned_abs() as usize;
    if w <= 1 << 53 && k <= 22 {
        return Some(w as f64 / POW10_F64[k]);
    }
    let &(r, e) = RECIPROCALS.get(k)?;
    let l = w.leading_zeros();
    let ww = u128::from(w << l); // top bit set
    let (rh, rl) = (r >> 64, r & u128::from(u64::MAX));
    let low = ww * rl; // < 2^128
    let high = ww * rh; // < 2^128
    let mid_sum = (high & u128::from(u64::MAX)) + (low >> 64); // < 2^65
    let mid = mid_sum as u64;
    let hi = ((high >> 64) + (mid_sum >> 64)) as u64; // the product is < 2^192
    if mid == u64::MAX {
        return None; // a carry from below could change the kept bits
    }
    let u = (hi >> 63) as u32; // the product's top bit is bit 190 + u
    let shift = 9 + u; // keep 53 bits and the rounding bit
    let below = hi & ((1u64 << shift) - 1);
    if below == 0 && mid == 0 {
        return None; // could be exactly a tie
    }
    let m54 = hi >> shift;
    let m = (m54 >> 1) + (m54 & 1); // the discarded bits are not all zero: no tie
    // value ~ m 2^(138 + u - l - e); for k <= 19 and w < 2^64 the exponent is well inside
    // the normal range, so the scaling by a power of two is exact.
    let exp2 = 138 + u as i32 - l as i32 - e;
    if !(-1000..=900).contains(&exp2) {
        return None;
    }
    let scale = f64::from_bits(((exp2 + 1023) as u64) << 52);
    Some(m as f64 * scale)
}

/// The value of the eight ASCII digits at `b[i..i + 8]`, or `None` when they are not all
/// digits: all eight bytes checked and combined at once (SWAR), pairs, then quadruples.
fn eight_digits(b: &[u8], i: usize) -> Option<u64> {
    let bytes: [u8; 8] = b.get(i..i + 8)?.try_into().ok()?;
    let v = u64::from_le_bytes(bytes);
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    // Every byte is 0x30..=0x39: its high nibble is 3, and still 3 after adding 6.
    if v & HIGH != ZEROS || v.wrapping_add(0x0606_0606_0606_0606) & HIGH != ZEROS {
        return None;
    }
    let d = v - ZEROS; // byte k holds digit k (the first digit in the lowest byte)
    let pairs = d * 10 + (d >> 8); // byte 2k: digits 2k, 2k+1 as a number 0..=99
    let quads = (pairs & 0x00FF_0000_00FF) * 100 + ((pairs >> 16) & 0x00FF_0000_00FF);
    Some((quads & 0xFFFF_FFFF) * 10_000 + (quads >> 32))
}

/// Reads digits from `b[i..]` into `w`, counting them; returns the position after them.
fn digits(b: &[u8], mut i: usize, w: &mut u64, count: &mut u32) -> usize {
    while let Some(d8) = eight_digits(b, i) {
        *w = w.wrapping_mul(100_000_000).wrapping_add(d8);
        *count += 8;
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        *w = w.wrapping_mul(10).wrapping_add(u64::from(d));
        *count += 1;
        i += 1;
    }
    i
}

/// The eight bytes at `b[i..i + 8]` as a little-endian word (the first byte lowest).
#[inline(always)]
fn load8(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?))
}

/// The number of ASCII digits at the start of the word `v` (0..=8), and the word with `b'0'`
/// taken from every byte (the digit values in the first bytes).
#[inline(always)]
fn leading_digits(v: u64) -> (u32, u64) {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let a = v ^ 0x3030_3030_3030_3030; // a digit becomes 0..=9, any other byte something else
    // Per byte (no carries between bytes): the high bit is set when the byte is not 0..=9.
    let non_digit = (((a & LOW7) + 0x7676_7676_7676_7676) | a) & HIGH;
    (non_digit.trailing_zeros() / 8, a)
}

/// The value of the first `k` (1..=8) digit values in the bytes of `d` (the first lowest), by
/// pairs, then quadruples, then the two halves (SWAR).
#[inline(always)]
fn combine(d: u64, k: u32) -> u64 {
    let d = d << (8 * (8 - k)); // the k digits move to the top bytes, zeros lead
    let pairs = d * 10 + (d >> 8);
    let quads = (pairs & 0x00FF_0000_00FF) * 100 + ((pairs >> 16) & 0x00FF_0000_00FF);
    (quads & 0xFFFF_FFFF) * 10_000 + (quads >> 32)
}

/// `10^k` for `k` in 0..=8, as `u64`.
const POW10_SMALL: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// The common forms of data cells, `[-]digits[.digits]` with at most 19 digits in all and
/// at least 8 bytes readable after each run of digits, read a word at a time; `None` for
/// anything else (the caller then takes the general path). The same value and length as
/// [`parse_prefix`] where it answers.
#[inline(always)]
fn parse_common(b: &[u8]) -> Option<(f64, usize)> {
    let neg = b.first() == Some(&b'-');
    let mut i = usize::from(neg);
    let (k, d) = leading_digits(load8(b, i)?);
    if k == 0 || k == 8 {
        return None;
    }
    let mut w = combine(d, k);
    let mut count = k;
    i += k as usize;
    let mut frac = 0;
    if b[i] == b'.' {
        i += 1;
        loop {
            let (k, d) = leading_digits(load8(b, i)?);
            if k == 0 {
                break;
            }
            count += k;
            if count > 19 {
                return None;
            }
            w = w * POW10_SMALL[k as usize] + combine(d, k);
            frac += k as i32;
            i += k as usize;
            if k < 8 {
                break;
            }
        }
    }
    if matches!(b[i], b'e' | b'E' | b'.') {
        return None;
    }
    let v = to_f64(w, -frac)?;
    Some((if neg { -v } else { v }, i))
}

/// Parses the plain decimal number at the start of `b`: `[+-]digits[.digits][(e|E)[+-]digits]`
/// with at least one mantissa digit. Returns the value and the number of bytes read, or `None`
/// when the text there is not of that form or the value is not cheap to round exactly (the
/// caller then uses `str::parse` on the whole field). Stops at the first byte that cannot
/// continue the number; the caller checks that a delimiter follows.
///
/// Complexity: O(length).
#[inline]
pub(crate) fn parse_prefix(b: &[u8]) -> Option<(f64, usize)> {
    match parse_common(b) {
        Some(r) => Some(r),
        None => parse_general(b),
    }
}

/// [`parse_prefix`] for the forms [`parse_common`] leaves: signs, exponents, long digit runs,
/// the end of the text.
#[cold]
#[inline(never)]
fn parse_general(b: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    let neg = match b.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let start = i;
    while b.get(i) == Some(&b'0') {
        i += 1; // leading zeros are not significant
    }
    let (mut w, mut significant) = (0u64, 0u32);
    i = digits(b, i, &mut w, &mut significant);
    let mut any = i > start;
    let mut frac: i32 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let fstart = i;
        if significant == 0 {
            while b.get(i) == Some(&b'0') {
                i += 1;
            }
        }
        let zeros = i - fstart;
        let before = significant;
        i = digits(b, i, &mut w, &mut significant);
        any |= i > fstart;
        frac = (zeros + (significant - before) as usize).min(1000) as i32;
    }
    if !any || significant > 19 || frac > 400 {
        return None;
    }
    let mut exp: i32 = 0;
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        let eneg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        while let Some(&c) = b.get(i) {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            if i - start >= 4 {
                return None;
            }
            exp = exp * 10 + i32::from(d);
            i += 1;
        }
        if i == start {
            return None;
        }
        if eneg {
            exp = -exp;
        }
    }
    let v = to_f64(w, exp - frac)?;
    Some((if neg { -v } else { v }, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn same(s: &str) {
        let want: f64 = s.parse().unwrap();
        // `None` defers to str::parse, which is then what the caller uses.
        if let Some((got, len)) = parse_prefix(s.as_bytes()) {
            assert_eq!(len, s.len(), "{s}");
            assert_eq!(got.to_bits(), want.to_bits(), "{s}: {got} vs {want}");
        }
        // Followed by more of a row, as in a file: the word-at-a-time path may answer.
        let row = format!("{s},12345678,9\n");
        if let Some((got, len)) = parse_prefix(row.as_bytes()) {
            assert_eq!(len, s.len(), "{s}");
            assert_eq!(got.to_bits(), want.to_bits(), "{s}: {got} vs {want}");
        }
    }

    #[test]
    fn common_forms_are_read_a_word_at_a_time() {
        for s in [
            "91688.466727360035",
            "0.97460869786708082",
            "0",
            "-0",
            "4",
            "12.5",
            "-3.25",
            "1234567.1234567",
            "5.",
            "0.000123",
        ] {
            let row = format!("{s},12345678\n");
            let (v, len) = parse_common(row.as_bytes()).unwrap();
            assert_eq!(len, s.len(), "{s}");
            assert_eq!(v.to_bits(), s.parse::<f64>().unwrap().to_bits(), "{s}");
        }
        // Other forms go the general way.
        for s in [
            "12345678.5",
            "+1",
            ".5",
            "1e5",
            "2.5E3",
            "1.2.3",
            "12345678901234567890.5",
        ] {
            let row = format!("{s},12345678\n");
            assert!(parse_common(row.as_bytes()).is_none(), "{s}");
        }
    }

    #[test]
    fn eight_digits_at_once() {
        assert_eq!(eight_digits(b"12345678", 0), Some(12_345_678));
        assert_eq!(eight_digits(b"x00000099", 1), Some(99));
        assert_eq!(eight_digits(b"99999999", 0), Some(99_999_999));
        assert_eq!(eight_digits(b"1234567", 0), None);
        for bad in [*b"1234567:", *b"/2345678", *b"12.45678", *b"1234\xff678"] {
            assert_eq!(eight_digits(&bad, 0), None);
        }
    }

    #[test]
    fn reciprocals_are_normalised() {
        for (k, &(r, e)) in RECIPROCALS.iter().enumerate().skip(1) {
            assert_eq!(r.leading_zeros(), 0, "k = {k}");
            assert!(e > 127, "k = {k}");
        }
        // 2^131 / 10 = 0xCCCC...: the reciprocal of 10 is the repeating pattern.
        assert_eq!(RECIPROCALS[1].0 >> 124, 0xC);
    }

    #[test]
    fn data_forms_take_the_fast_path() {
        // The forms of a `%.17g` CSV file are decided here, not deferred.
        for s in [
            "91688.466727360035",
            "0.97460869786708082",
            "27.880337644698834",
            "0",
            "4",
        ] {
            assert!(parse_prefix(s.as_bytes()).is_some(), "{s}");
        }
    }

    #[test]
    fn plain_forms_match_std() {
        for s in [
            "0",
            "-0",
            "1",
            "+1",
            "12.5",
            "-12.5",
            ".5",
            "5.",
            "0.1",
            "0.2",
            "0.3",
            "1e5",
            "1E+05",
            "2.5e-3",
            "91688.466727360035",
            "0.97460869786708082",
            "1.2646348940982901",
            "15960.555462819566",
            "9007199254740993",
            "9007199254740992.5",
            "4503599627370496.5",
            "45035996273704965e-1",
            "0.000123",
            "123456789012345678",
            "1234567890123456789",
            "0.1234567890123456789",
            "17976931348623157e292",
        ] {
            same(s);
        }
    }

    #[test]
    fn other_forms_are_deferred() {
        for s in [
            "",
            "-",
            ".",
            "e5",
            "1e",
            "1e+",
            "inf",
            "NaN",
            "12345678901234567890",
        ] {
            assert!(
                parse_prefix(s.as_bytes()).is_none_or(|(_, n)| n < s.len()),
                "{s}"
            );
        }
        // The number stops at the first byte that cannot continue it.
        assert_eq!(parse_prefix(b"2.5,x"), Some((2.5, 3)));
        assert_eq!(parse_prefix(b"7 "), Some((7.0, 1)));
    }

    #[test]
    fn ties_and_near_ties_match_std() {
        // w / 10^k exactly halfway between two doubles: deferred or rounded to even.
        let base = 1u64 << 53;
        for extra in 0..50u64 {
            for k in 1..=3u32 {
                let w = (base + extra) * 10u64.pow(k) + 5 * 10u64.pow(k - 1);
                if w.to_string().len() <= 19 {
                    same(&format!("{w}e-{k}"));
                }
            }
        }
    }

    #[test]
    fn random_digits_match_std() {
        // A fixed xorshift stream: 17-digit mantissas with the point anywhere.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = x.to_string();
            let p = (x % (digits.len() as u64 + 1)) as usize;
            same(&format!("{}.{}", &digits[..p], &digits[p..]));
            let take = ((x % 18 + 1) as usize).min(digits.len());
            same(&format!("{}e-{}", &digits[..take], x % 25));
            let f = f64::from_bits(x >> 2);
            same(&format!("{f:.17e}"));
            same(&format!("{f}"));
        }
    }
}
