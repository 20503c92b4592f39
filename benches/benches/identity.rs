//! CPR and CVR parsing: sundhed-identity against socrates_rs (its Danish validator) and a
//! naive, String-allocating baseline written here.
//!
//! Before measuring, the three CPR parsers are run over a corpus (the generated benchmark
//! inputs plus hand-picked probes) and every disagreement on validity, birth date or sex is
//! counted and printed, with examples (`cpr-disagreements` lines on stdout).
//!
//! Run: `cargo bench --manifest-path benches/Cargo.toml --bench identity`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    reason = "benchmark harness: a failure is a bug in the benchmark itself"
)]

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use chrono::{Datelike, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use socrates_rs::country::Code;
use sundhed_identity::{Cpr, Cvr, Sex};

/// splitmix64: a small deterministic generator, so every run sees the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WEIGHTS: [u32; 10] = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];

fn mod11_ok(digits: &[u8; 10]) -> bool {
    digits
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(*d) * w)
        .sum::<u32>()
        % 11
        == 0
}

/// The CPR office's century table (domain.md §1.2).
fn century(d7: u32, yy: u32) -> i32 {
    match d7 {
        0..=3 => 1900,
        4 | 9 => {
            if yy <= 36 {
                2000
            } else {
                1900
            }
        }
        _ => {
            if yy <= 57 {
                2000
            } else {
                1800
            }
        }
    }
}

/// A real-shaped CPR (a real date for its century digit), as ten digits.
fn random_real_shaped(rng: &mut Rng) -> [u8; 10] {
    loop {
        let mut d = [0u8; 10];
        for slot in &mut d[6..10] {
            *slot = u8::try_from(rng.below(10)).unwrap();
        }
        let yy = u32::try_from(rng.below(100)).unwrap();
        let year = century(u32::from(d[6]), yy) + i32::try_from(yy).unwrap();
        let ordinal = u32::try_from(rng.below(365)).unwrap() + 1;
        let Some(date) = NaiveDate::from_yo_opt(year, ordinal) else {
            continue;
        };
        let (day, month) = (date.day(), date.month());
        for (i, v) in [(0, day), (2, month), (4, yy)] {
            d[i] = u8::try_from(v / 10).unwrap();
            d[i + 1] = u8::try_from(v % 10).unwrap();
        }
        return d;
    }
}

fn text(d: &[u8; 10], hyphen: bool) -> String {
    let s: String = d.iter().map(|x| char::from(b'0' + x)).collect();
    if hyphen {
        format!("{}-{}", &s[..6], &s[6..])
    } else {
        s
    }
}

/// The benchmark inputs: one third valid with modulus 11, one third valid dates failing
/// modulus 11 (valid since 2007), one third impossible dates; half of each with a hyphen.
fn cpr_corpus(n: usize) -> Vec<String> {
    let mut rng = Rng(0x5eed_c0de);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let kind = out.len() % 3;
        let hyphen = rng.below(2) == 0;
        let mut d = random_real_shaped(&mut rng);
        match kind {
            0 => {
                // Adjust the last digit until modulus 11 holds (skip serials that cannot).
                let Some(last) = (0..10).find(|x| {
                    d[9] = *x;
                    mod11_ok(&d)
                }) else {
                    continue;
                };
                d[9] = last;
            }
            1 => {
                if mod11_ok(&d) {
                    d[9] = (d[9] + 1) % 10;
                }
            }
            _ => {
                // An impossible date: day 32-39, month 13-19, 31 in a 30-day month, or
                // 29 February in a year that is not a leap year.
                match rng.below(4) {
                    0 => (d[0], d[1]) = (3, 2 + u8::try_from(rng.below(8)).unwrap()),
                    1 => (d[2], d[3]) = (1, 3 + u8::try_from(rng.below(7)).unwrap()),
                    2 => (d[0], d[1], d[2], d[3]) = (3, 1, 1, 1),
                    _ => (d[0], d[1], d[2], d[3], d[4], d[5]) = (2, 9, 0, 2, 0, 1),
                }
            }
        }
        out.push(text(&d, hyphen));
    }
    out
}

/// Hand-picked inputs where validators are known to differ.
const PROBES: &[&str] = &[
    "211062-5629",   // python-stdnum doctest, valid with modulus 11
    "0101651234",    // valid, fails modulus 11 (first such number issued 2007)
    "0101701239",    // odd last digit: male
    "3102801234",    // 31 February
    "2512489996",    // MedCom test CPR, fails modulus 11
    "0505209996",    // KL test CPR, 2020, fails modulus 11
    "0505159995",    // KL test CPR, 2015, fails modulus 11
    "2902001234",    // 29 Feb 1900 (digit 7 = 1): not a leap year
    "2902004231",    // 29 Feb 2000 (digit 7 = 4): a leap year
    "2902585234",    // 29 Feb 1858: not a leap year
    "0101585230",    // 1858
    "0101575001",    // 2057, in the future
    " 090792-1395 ", // white space around
    "01.01.70-1239", // dots
    "0101-70-1239",  // hyphen in the wrong place
    "010170 1239",   // inner space
    "0101701239x",   // trailing letter
    "\u{661}\u{660}\u{661}\u{660}\u{667}\u{660}\u{661}\u{662}\u{663}\u{669}", // Arabic-Indic digits
];

/// The naive baseline: copy into a String without the hyphen, check ten digits, slice and
/// parse each field, century table, chrono date. No modulus 11 (the post-2007 rule).
#[derive(Debug, PartialEq, Eq)]
struct NaiveCpr {
    digits: String,
    birth_date: NaiveDate,
    male: bool,
}

fn naive_cpr(s: &str) -> Option<NaiveCpr> {
    let digits: String = s.trim().replacen('-', "", 1);
    if digits.len() != 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let day: u32 = digits[0..2].parse().ok()?;
    let month: u32 = digits[2..4].parse().ok()?;
    let yy: u32 = digits[4..6].parse().ok()?;
    let d7: u32 = digits[6..7].parse().ok()?;
    let last: u32 = digits[9..10].parse().ok()?;
    let year = century(d7, yy) + i32::try_from(yy).ok()?;
    let birth_date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some(NaiveCpr {
        digits,
        birth_date,
        male: last % 2 == 1,
    })
}

/// The naive CVR baseline: strip `DK` and white space into a String, 8 digits, modulus 11.
fn naive_cvr(s: &str) -> Option<String> {
    let t: String = s
        .trim()
        .trim_start_matches("DK")
        .chars()
        .filter(|c| *c != ' ')
        .collect();
    if t.len() != 8 || !t.chars().all(|c| c.is_ascii_digit()) || t.starts_with('0') {
        return None;
    }
    let sum: u32 = t
        .chars()
        .zip([2, 7, 6, 5, 4, 3, 2, 1])
        .map(|(c, w)| (c as u32 - 48) * w)
        .sum();
    sum.is_multiple_of(11).then_some(t)
}

fn cvr_corpus(n: usize) -> Vec<String> {
    let mut rng = Rng(0xc0ff_ee00);
    (0..n)
        .map(|i| {
            let mut d: Vec<u32> = (0..8)
                .map(|_| u32::try_from(rng.below(10)).unwrap())
                .collect();
            d[0] = 1 + u32::try_from(rng.below(9)).unwrap();
            if i % 2 == 0 {
                // Make modulus 11 hold by choosing the last digit, when one exists.
                let partial: u32 = d[..7]
                    .iter()
                    .zip([2, 7, 6, 5, 4, 3, 2])
                    .map(|(a, w)| a * w)
                    .sum();
                let last = (11 - partial % 11) % 11;
                if last < 10 {
                    d[7] = last;
                }
            }
            let s: String = d
                .iter()
                .map(|x| char::from_digit(*x, 10).unwrap())
                .collect();
            if i % 4 == 1 { format!("DK {s}") } else { s }
        })
        .collect()
}

/// socrates_rs's validity, with a panic counted as "panicked".
fn socrates_valid(s: &str) -> Result<bool, ()> {
    std::panic::catch_unwind(|| socrates_rs::validate_id(s, Code::DK)).map_err(|_| ())
}

/// socrates_rs's (sex as 'M'/'F', birth year), when it will extract without panicking.
fn socrates_extract(s: &str) -> Option<(char, i32)> {
    std::panic::catch_unwind(|| {
        socrates_rs::extract_information(s, Code::DK).map(|c| (c.gender, c.year_of_birth))
    })
    .ok()
    .flatten()
}

/// Compares the three parsers on `inputs`; prints a summary line per category.
fn disagreements(inputs: &[String]) {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut counts: BTreeMap<&str, (usize, Vec<String>)> = BTreeMap::new();
    let mut note = |key: &'static str, input: &str| {
        let entry = counts.entry(key).or_default();
        entry.0 += 1;
        if entry.1.len() < 4 {
            entry.1.push(format!("{input:?}"));
        }
    };
    for input in inputs {
        let ours = input.parse::<Cpr>().ok();
        let naive = naive_cpr(input);
        let theirs = socrates_valid(input);
        note("inputs", input);
        if ours.is_some() {
            note("sundhed accepts", input);
        }
        match (&ours, theirs) {
            (_, Err(())) => note("socrates_rs panics (validate_id)", input),
            (Some(cpr), Ok(false)) => {
                if cpr.satisfies_mod11() {
                    note("sundhed accepts, socrates_rs rejects, mod 11 holds", input);
                } else {
                    note(
                        "sundhed accepts, socrates_rs rejects: fails modulus 11",
                        input,
                    );
                }
            }
            (None, Ok(true)) => note("socrates_rs accepts, sundhed rejects", input),
            _ => {}
        }
        if ours.is_some() != naive.is_some() {
            note("sundhed and naive differ on validity", input);
        }
        if let (Some(cpr), Some(n)) = (&ours, &naive)
            && (cpr.birth_date() != n.birth_date || (cpr.sex() == Sex::Male) != n.male)
        {
            note("sundhed and naive differ on birth date or sex", input);
        }
        if let Some(cpr) = &ours {
            match socrates_extract(input) {
                Some((sex, year)) => {
                    let theirs_male = sex == 'M';
                    if theirs_male != (cpr.sex() == Sex::Male) {
                        note("both parse, sex differs (socrates_rs: even = male)", input);
                    }
                    if year != cpr.birth_date().year() {
                        note("both parse, birth year differs", input);
                    }
                }
                None => note("socrates_rs extract_information fails or panics", input),
            }
        }
    }
    std::panic::set_hook(hook);
    for (key, (count, examples)) in counts {
        println!(
            "cpr-disagreements: {key}: {count} (e.g. {})",
            examples.join(", ")
        );
    }
}

/// Criterion's test mode (`-- --test`, used by CI): a smaller corpus.
fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

fn cpr(c: &mut Criterion) {
    let corpus = cpr_corpus(if test_mode() { 3_000 } else { 30_000 });
    let mut all: Vec<String> = corpus.clone();
    all.extend(PROBES.iter().map(|s| (*s).to_owned()));
    disagreements(&all);

    let n = corpus.len();
    let mut group = c.benchmark_group("cpr-parse");
    let mut i = 0;
    // The loop alone (next input, black_box): subtract it to get the parse by itself.
    group.bench_function("harness-only", |b| {
        b.iter(|| {
            i = if i + 1 == n { 0 } else { i + 1 };
            black_box(&corpus[i]).len()
        });
    });
    group.bench_function("sundhed-fromstr", |b| {
        b.iter(|| {
            i = if i + 1 == n { 0 } else { i + 1 };
            black_box(&corpus[i]).parse::<Cpr>().is_ok()
        });
    });
    group.bench_function("sundhed-fromstr-sex-birthdate", |b| {
        b.iter(|| {
            i = if i + 1 == n { 0 } else { i + 1 };
            black_box(&corpus[i])
                .parse::<Cpr>()
                .map(|c| (c.sex(), c.birth_date()))
                .ok()
        });
    });
    group.bench_function("naive-string", |b| {
        b.iter(|| {
            i = if i + 1 == n { 0 } else { i + 1 };
            naive_cpr(black_box(&corpus[i])).is_some()
        });
    });
    group.bench_function("socrates_rs", |b| {
        b.iter(|| {
            i = if i + 1 == n { 0 } else { i + 1 };
            socrates_rs::validate_id(black_box(&corpus[i]), Code::DK)
        });
    });
    group.finish();
}

fn cvr(c: &mut Criterion) {
    let corpus = cvr_corpus(10_000);
    let n = corpus.len();
    let agree = corpus
        .iter()
        .filter(|s| s.parse::<Cvr>().is_ok() == naive_cvr(s).is_some())
        .count();
    println!("cvr: sundhed and naive agree on {agree} of {n} inputs");
    let mut group = c.benchmark_group("cvr-parse");
    let mut i = 0;
    group.bench_function("sundhed-fromstr", |b| {
        b.iter(|| {
            i = if i + 1 == n { 0 } else { i + 1 };
            black_box(&corpus[i]).parse::<Cvr>().is_ok()
        });
    });
    group.bench_function("naive-string", |b| {
        b.iter(|| {
            i = if i + 1 == n { 0 } else { i + 1 };
            naive_cvr(black_box(&corpus[i])).is_some()
        });
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
}

criterion_group! {
    name = benches;
    config = config();
    targets = cpr, cvr
}
criterion_main!(benches);
