#!/usr/bin/env bash
# Generates the RSA test chains the signing benchmark verifies. Run ONCE; the outputs are
# checked in, the private keys are thrown away (nothing needs them after this script).
#
#   root CA      RSA 4096, self-signed            (trust anchor)
#   issuing CA   RSA 3072, signed by the root      (intermediate)
#   leaf         RSA 2048, signed by the issuing CA (OCES3-shaped employee certificate)
#   leaf2        the same leaf with another serial number
#
# Two variants of the whole chain: `pkcs1` (sha256WithRSAEncryption, PKCS#1 v1.5) and `pss`
# (RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32). The same three keys are used in both.
# The leaf carries the OCES3 employee policy OID (sundhed-signing), extendedKeyUsage
# clientAuth and a DNS SAN (rustls-webpki's `verify_for_usage` wants an end-entity EKU).
# Also written: a 1 KiB payload and its signatures by each key, per padding, for the bare
# `rsa` benchmarks, and each key's SubjectPublicKeyInfo.
#
# Validity: from generation day for 10 years (leaf 5 years). The benchmark verifies at
# 2027-06-01T00:00:00Z. Requires openssl >= 3.0.
set -euo pipefail
cd "$(dirname "$0")"
out=chains
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$work/root.key" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/ca.key" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/leaf.key" 2>/dev/null

cat > "$work/ext.cnf" <<'EOF'
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = 2.5.29.32.0

[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = clientAuth
subjectAltName = DNS:bench.sundhed.invalid
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = 1.2.208.169.1.1.1.2.7
EOF

root_dn="/C=DK/O=sundhed bench/CN=sundhed bench root CA 4096"
ca_dn="/C=DK/O=sundhed bench/CN=sundhed bench issuing CA 3072"
leaf_dn="/C=DK/organizationIdentifier=NTRDK-19552101/O=sundhed bench/CN=Bench Employee/serialNumber=UI:DK-E:G:6c0f1a2e-7b7d-4c1e-9a55-2f0d3b7e8a11"

for variant in pkcs1 pss; do
  sigopts=(-sha256)
  if [ "$variant" = pss ]; then
    sigopts=(-sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256)
  fi
  openssl req -new -x509 -key "$work/root.key" -subj "$root_dn" -days 3650 \
    -set_serial 0x1001 -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -addext "certificatePolicies=2.5.29.32.0" \
    "${sigopts[@]}" -out "$out/$variant-root.pem"
  openssl req -new -key "$work/ca.key" -subj "$ca_dn" -out "$work/ca.csr"
  openssl x509 -req -in "$work/ca.csr" -CA "$out/$variant-root.pem" -CAkey "$work/root.key" \
    -set_serial 0x2002 -days 3650 -extfile "$work/ext.cnf" -extensions ca \
    "${sigopts[@]}" -out "$out/$variant-ca.pem" 2>/dev/null
  openssl req -new -key "$work/leaf.key" -subj "$leaf_dn" -out "$work/leaf.csr"
  openssl x509 -req -in "$work/leaf.csr" -CA "$out/$variant-ca.pem" -CAkey "$work/ca.key" \
    -set_serial 0x3003 -days 1825 -extfile "$work/ext.cnf" -extensions leaf \
    "${sigopts[@]}" -out "$out/$variant-leaf.pem" 2>/dev/null
  # A second leaf (same key, other serial): a certificate the cache has not seen, for the
  # "warm intermediate, new leaf" measurement.
  openssl x509 -req -in "$work/leaf.csr" -CA "$out/$variant-ca.pem" -CAkey "$work/ca.key" \
    -set_serial 0x3004 -days 1825 -extfile "$work/ext.cnf" -extensions leaf \
    "${sigopts[@]}" -out "$out/$variant-leaf2.pem" 2>/dev/null
  for c in root ca leaf leaf2; do
    openssl x509 -in "$out/$variant-$c.pem" -outform DER -out "$out/$variant-$c.der"
  done
  openssl verify -CAfile "$out/$variant-root.pem" -untrusted "$out/$variant-ca.pem" \
    "$out/$variant-leaf.pem"
done

# Payload and bare signatures, one per key size and padding.
head -c 1024 /dev/zero | tr '\0' 'S' > "$out/payload.bin"
for pair in root:4096 ca:3072 leaf:2048; do
  key=${pair%%:*}
  bits=${pair##*:}
  openssl pkey -in "$work/$key.key" -pubout -outform DER -out "$out/rsa$bits.spki.der"
  openssl dgst -sha256 -sign "$work/$key.key" -out "$out/rsa$bits.pkcs1.sig" "$out/payload.bin"
  openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
    -sigopt rsa_mgf1_md:sha256 -sign "$work/$key.key" -out "$out/rsa$bits.pss.sig" "$out/payload.bin"
done
ls -l "$out"
