//! Certificate-chain verification: sundhed-signing (cold, warm intermediate, fully cached)
//! against rustls-webpki (ring backend), and the bare RSA operations (`rsa` crate and ring)
//! the chain consists of.
//!
//! The chains (root RSA 4096 → issuing CA RSA 3072 → leaf RSA 2048, PKCS#1 v1.5 and PSS) are
//! in `data/chains/`, made once by `data/make-chains.sh`. Every verification runs at
//! 2027-06-01T00:00:00Z. Before measuring, each verifier's result is checked (a bench that
//! measures a refusal would be worthless).
//!
//! Run: `cargo bench --manifest-path benches/Cargo.toml --bench signing`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    reason = "benchmark harness: a failure is a bug in the benchmark itself"
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rustls_pki_types::{CertificateDer, SignatureVerificationAlgorithm, UnixTime};
use sundhed_signing::{Cert, OCES3_EMPLOYEE, Policy, TrustAnchor, Verifier};

fn read(name: &str) -> Vec<u8> {
    let path = format!("{}/data/chains/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 6, 1, 0, 0, 0).single().unwrap()
}

/// A minimal DER reader: (tag, header length, content length) of the TLV at the start.
fn tlv(der: &[u8]) -> (u8, usize, usize) {
    let tag = der[0];
    let first = der[1];
    if first < 0x80 {
        return (tag, 2, usize::from(first));
    }
    let n = usize::from(first & 0x7f);
    let len = der[2..2 + n]
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
    (tag, 2 + n, len)
}

/// The children of a constructed DER value, each as its full TLV bytes.
fn children(der: &[u8]) -> Vec<&[u8]> {
    let (_, header, len) = tlv(der);
    let mut rest = &der[header..header + len];
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (_, h, l) = tlv(rest);
        out.push(&rest[..h + l]);
        rest = &rest[h + l..];
    }
    out
}

/// The contents of a BIT STRING with no unused bits.
fn bit_string(der: &[u8]) -> &[u8] {
    let (tag, header, len) = tlv(der);
    assert_eq!(tag, 0x03);
    assert_eq!(der[header], 0);
    &der[header + 1..header + len]
}

/// (to-be-signed bytes, signature) of a certificate.
fn tbs_and_signature(cert: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let parts = children(cert);
    (parts[0].to_vec(), bit_string(parts[2]).to_vec())
}

/// The PKCS#1 RSAPublicKey inside a SubjectPublicKeyInfo (what ring wants).
fn pkcs1_key(spki: &[u8]) -> Vec<u8> {
    bit_string(children(spki)[1]).to_vec()
}

struct Chain {
    variant: &'static str,
    root: Vec<u8>,
    ca: Vec<u8>,
    leaf: Vec<u8>,
    leaf2: Vec<u8>,
}

impl Chain {
    fn load(variant: &'static str) -> Self {
        Self {
            variant,
            root: read(&format!("{variant}-root.der")),
            ca: read(&format!("{variant}-ca.der")),
            leaf: read(&format!("{variant}-leaf.der")),
            leaf2: read(&format!("{variant}-leaf2.der")),
        }
    }

    fn pss(&self) -> bool {
        self.variant == "pss"
    }
}

/// One RSA verification with the `rsa` crate and SHA-256 (message hashed inside).
#[derive(Clone)]
enum RsaCrateKey {
    Pkcs1(rsa::pkcs1v15::VerifyingKey<sha2::Sha256>),
    Pss(rsa::pss::VerifyingKey<sha2::Sha256>),
}

impl RsaCrateKey {
    fn from_spki(spki: &[u8], pss: bool) -> Self {
        use rsa::pkcs8::DecodePublicKey;
        let key = rsa::PublicKey::from_public_key_der(spki).unwrap();
        if pss {
            Self::Pss(rsa::pss::VerifyingKey::new(key))
        } else {
            Self::Pkcs1(rsa::pkcs1v15::VerifyingKey::new(key))
        }
    }

    fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        use rsa::signature::Verifier as _;
        match self {
            Self::Pkcs1(key) => rsa::pkcs1v15::Signature::try_from(signature)
                .is_ok_and(|s| key.verify(message, &s).is_ok()),
            Self::Pss(key) => rsa::pss::Signature::try_from(signature)
                .is_ok_and(|s| key.verify(message, &s).is_ok()),
        }
    }
}

fn ring_alg(pss: bool) -> &'static dyn ring::signature::VerificationAlgorithm {
    if pss {
        &ring::signature::RSA_PSS_2048_8192_SHA256
    } else {
        &ring::signature::RSA_PKCS1_2048_8192_SHA256
    }
}

fn ring_verify(pkcs1: &[u8], pss: bool, message: &[u8], signature: &[u8]) -> bool {
    ring::signature::UnparsedPublicKey::new(ring_alg(pss), pkcs1)
        .verify(message, signature)
        .is_ok()
}

fn webpki_algs() -> [&'static dyn SignatureVerificationAlgorithm; 2] {
    [
        webpki::ring::RSA_PKCS1_2048_8192_SHA256,
        webpki::ring::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
    ]
}

fn webpki_time() -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(at().timestamp().unsigned_abs()))
}

fn webpki_verify(
    anchors: &[rustls_pki_types::TrustAnchor<'_>],
    intermediates: &[CertificateDer<'_>],
    leaf: &CertificateDer<'_>,
) -> bool {
    let Ok(ee) = webpki::EndEntityCert::try_from(leaf) else {
        return false;
    };
    ee.verify_for_usage(
        &webpki_algs(),
        anchors,
        intermediates,
        webpki_time(),
        webpki::KeyUsage::client_auth(),
        None,
        None,
    )
    .is_ok()
}

fn sundhed_verifier(chain: &Chain) -> Verifier {
    let anchors = vec![TrustAnchor::from_cert(Cert::from_der(&chain.root).unwrap())];
    let policy = Policy::with_policy_prefixes(&[OCES3_EMPLOYEE]).unwrap();
    Verifier::new(anchors, policy)
}

fn bench_chain(c: &mut Criterion, chain: &Chain) {
    let pss = chain.pss();
    let verifier = sundhed_verifier(chain);
    let leaf = Cert::from_der(&chain.leaf).unwrap();
    let leaf2 = Cert::from_der(&chain.leaf2).unwrap();
    let intermediates = vec![Cert::from_der(&chain.ca).unwrap()];
    let time = at();

    // Correctness first: every verifier accepts the chain, with the expected work done.
    let cold = verifier
        .verify_uncached(&leaf, &intermediates, &[], time)
        .unwrap();
    assert_eq!((cold.len(), cold.signature_checks()), (3, 2));
    verifier.clear_cache();
    verifier.verify(&leaf2, &intermediates, &[], time).unwrap();
    let warm = verifier.verify(&leaf, &intermediates, &[], time).unwrap();
    assert_eq!((warm.signature_checks(), warm.cache_hits()), (1, 1));
    let hot = verifier.verify(&leaf, &intermediates, &[], time).unwrap();
    assert_eq!((hot.signature_checks(), hot.cache_hits()), (0, 2));

    let root_der = CertificateDer::from(chain.root.as_slice());
    let anchors = vec![
        webpki::anchor_from_trusted_cert(&root_der)
            .unwrap()
            .to_owned(),
    ];
    let ca_der = vec![CertificateDer::from(chain.ca.as_slice())];
    let leaf_der = CertificateDer::from(chain.leaf.as_slice());
    assert!(webpki_verify(&anchors, &ca_der, &leaf_der));

    // The two RSA operations inside the chain: the CA certificate under the root's 4096-bit
    // key, the leaf certificate under the CA's 3072-bit key.
    let (ca_tbs, ca_sig) = tbs_and_signature(&chain.ca);
    let (leaf_tbs, leaf_sig) = tbs_and_signature(&chain.leaf);
    let root_spki = read("rsa4096.spki.der");
    let ca_spki = read("rsa3072.spki.der");
    let root_key = RsaCrateKey::from_spki(&root_spki, pss);
    let ca_key = RsaCrateKey::from_spki(&ca_spki, pss);
    assert!(root_key.verify(&ca_tbs, &ca_sig) && ca_key.verify(&leaf_tbs, &leaf_sig));
    let (root_pkcs1, ca_pkcs1) = (pkcs1_key(&root_spki), pkcs1_key(&ca_spki));
    assert!(ring_verify(&root_pkcs1, pss, &ca_tbs, &ca_sig));
    assert!(ring_verify(&ca_pkcs1, pss, &leaf_tbs, &leaf_sig));

    let nothing = || {};
    let ops = [
        Op {
            name: "sundhed_cold",
            setup: Box::new(nothing),
            run: Box::new(|| {
                verifier
                    .verify_uncached(&leaf, &intermediates, &[], time)
                    .is_ok()
            }),
        },
        Op {
            name: "rsa_crate_two_edges",
            setup: Box::new(nothing),
            run: Box::new(|| {
                root_key.verify(&ca_tbs, &ca_sig) && ca_key.verify(&leaf_tbs, &leaf_sig)
            }),
        },
        Op {
            name: "sundhed_warm_intermediate",
            setup: Box::new(|| {
                verifier.clear_cache();
                verifier.verify(&leaf2, &intermediates, &[], time).unwrap();
            }),
            run: Box::new(|| verifier.verify(&leaf, &intermediates, &[], time).is_ok()),
        },
        Op {
            name: "rsa_crate_leaf_edge",
            setup: Box::new(nothing),
            run: Box::new(|| ca_key.verify(&leaf_tbs, &leaf_sig)),
        },
        Op {
            name: "rsa_crate_two_edges_with_key_parse",
            setup: Box::new(nothing),
            run: Box::new(|| {
                RsaCrateKey::from_spki(&root_spki, pss).verify(&ca_tbs, &ca_sig)
                    && RsaCrateKey::from_spki(&ca_spki, pss).verify(&leaf_tbs, &leaf_sig)
            }),
        },
        Op {
            name: "rsa_crate_leaf_edge_with_key_parse",
            setup: Box::new(nothing),
            run: Box::new(|| RsaCrateKey::from_spki(&ca_spki, pss).verify(&leaf_tbs, &leaf_sig)),
        },
        Op {
            name: "webpki_ring",
            setup: Box::new(nothing),
            run: Box::new(|| webpki_verify(&anchors, &ca_der, &leaf_der)),
        },
        Op {
            name: "ring_two_edges",
            setup: Box::new(nothing),
            run: Box::new(|| {
                ring_verify(&root_pkcs1, pss, &ca_tbs, &ca_sig)
                    && ring_verify(&ca_pkcs1, pss, &leaf_tbs, &leaf_sig)
            }),
        },
    ];
    paired(chain.variant, &ops);
    drop(ops);

    let mut group = c.benchmark_group(format!("chain-{}", chain.variant));
    group.bench_function("sundhed-cold", |b| {
        b.iter(|| {
            verifier
                .verify_uncached(black_box(&leaf), &intermediates, &[], time)
                .is_ok()
        });
    });
    group.bench_function("sundhed-cold-with-parse", |b| {
        b.iter(|| {
            let leaf = Cert::from_der(black_box(&chain.leaf)).unwrap();
            let intermediates = [Cert::from_der(black_box(&chain.ca)).unwrap()];
            verifier
                .verify_uncached(&leaf, &intermediates, &[], time)
                .is_ok()
        });
    });
    group.bench_function("sundhed-warm-intermediate", |b| {
        b.iter_batched(
            || {
                verifier.clear_cache();
                verifier.verify(&leaf2, &intermediates, &[], time).unwrap();
            },
            |()| {
                verifier
                    .verify(black_box(&leaf), &intermediates, &[], time)
                    .is_ok()
            },
            BatchSize::PerIteration,
        );
    });
    verifier.verify(&leaf, &intermediates, &[], time).unwrap();
    group.bench_function("sundhed-fully-cached", |b| {
        b.iter(|| {
            verifier
                .verify(black_box(&leaf), &intermediates, &[], time)
                .is_ok()
        });
    });
    group.bench_function("webpki-ring", |b| {
        b.iter(|| webpki_verify(&anchors, &ca_der, black_box(&leaf_der)));
    });
    group.bench_function("rsa-crate-two-edges", |b| {
        b.iter(|| {
            root_key.verify(black_box(&ca_tbs), &ca_sig)
                && ca_key.verify(black_box(&leaf_tbs), &leaf_sig)
        });
    });
    group.bench_function("rsa-crate-leaf-edge", |b| {
        b.iter(|| ca_key.verify(black_box(&leaf_tbs), &leaf_sig));
    });
    group.bench_function("ring-two-edges", |b| {
        b.iter(|| {
            ring_verify(&root_pkcs1, pss, black_box(&ca_tbs), &ca_sig)
                && ring_verify(&ca_pkcs1, pss, black_box(&leaf_tbs), &leaf_sig)
        });
    });
    group.finish();
}

fn micros(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e6
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One variant of the paired measurement: an untimed setup, then the timed operation.
struct Op<'a> {
    name: &'static str,
    setup: Box<dyn Fn() + 'a>,
    run: Box<dyn Fn() -> bool + 'a>,
}

/// Paired measurement for the ratio targets: in each round, every variant runs once, one
/// after the other, so machine load (this box is shared) hits all of them alike. Prints the
/// median of each (`signing-paired` lines); the ratios in docs/performance.md come from these.
fn paired(variant: &str, ops: &[Op<'_>]) {
    let rounds = if test_mode() { 3 } else { 300 };
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); ops.len()];
    for _ in 0..rounds {
        for (op, out) in ops.iter().zip(&mut times) {
            (op.setup)();
            let t = Instant::now();
            assert!((op.run)(), "{} failed", op.name);
            out.push(micros(t));
        }
    }
    let medians: Vec<String> = ops
        .iter()
        .zip(times)
        .map(|(op, t)| format!("{}_us={:.1}", op.name, median(t)))
        .collect();
    println!(
        "signing-paired {variant}: rounds={rounds} {}",
        medians.join(" ")
    );
}

fn test_mode() -> bool {
    std::env::args().any(|a| a == "--test")
}

fn chains(c: &mut Criterion) {
    for variant in ["pkcs1", "pss"] {
        bench_chain(c, &Chain::load(variant));
    }
}

/// Bare RSA: one SHA-256 + verification of a 1 KiB payload per key size, `rsa` crate with a
/// pre-parsed key, `rsa` crate parsing the SPKI each time, and ring (which parses each time).
fn bare_rsa(c: &mut Criterion) {
    let payload = read("payload.bin");
    let mut group = c.benchmark_group("rsa-verify");
    for bits in [2048, 3072, 4096] {
        let spki = read(&format!("rsa{bits}.spki.der"));
        let pkcs1 = pkcs1_key(&spki);
        for (padding, pss) in [("pkcs1", false), ("pss", true)] {
            let sig = read(&format!("rsa{bits}.{padding}.sig"));
            let key = RsaCrateKey::from_spki(&spki, pss);
            assert!(key.verify(&payload, &sig));
            assert!(ring_verify(&pkcs1, pss, &payload, &sig));
            group.bench_function(format!("rsa-crate-{padding}-{bits}"), |b| {
                b.iter(|| key.verify(black_box(&payload), &sig));
            });
            group.bench_function(format!("rsa-crate-parse-{padding}-{bits}"), |b| {
                b.iter(|| RsaCrateKey::from_spki(black_box(&spki), pss).verify(&payload, &sig));
            });
            group.bench_function(format!("ring-{padding}-{bits}"), |b| {
                b.iter(|| ring_verify(&pkcs1, pss, black_box(&payload), &sig));
            });
        }
    }
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
    targets = chains, bare_rsa
}
criterion_main!(benches);
