//! Logging the test people in as a host does: verify the person's chain at a time with the
//! host's trust anchors, then take the certificate to the registry ([`Registry::login`]).

use chrono::{DateTime, Utc};
use sundhed_signing::{Cert, Policy, VerifiedChain, verify};
use sundhed_workflow::{Event, EventLog, Login, LoginCertificate, Registry};

use crate::error::TestkitError;
use crate::oces::{Person, at, trust_anchors};

impl Person {
    /// This person's chain, verified at `at` under the OCES2 test root and policy, as the host
    /// verifies a login certificate.
    ///
    /// # Errors
    /// The chain does not parse or does not verify at `at`.
    pub fn verified_at(&self, at: DateTime<Utc>) -> Result<VerifiedChain, TestkitError> {
        let mut certs = Vec::with_capacity(self.chain.len());
        for der in &self.chain {
            certs.push(Cert::from_der(der).map_err(|e| TestkitError::data("a test chain", e))?);
        }
        let (leaf, intermediates) = certs
            .split_first()
            .ok_or_else(|| TestkitError::data("a test chain", "no certificate"))?;
        verify(
            &trust_anchors()?,
            &Policy::oces2_test(),
            leaf,
            intermediates,
            &[],
            at,
        )
        .map_err(|e| TestkitError::data("a test chain", e))
    }

    /// This person's login certificate at `minutes` (see [`at`]).
    ///
    /// # Errors
    /// The chain does not verify, or is not a person's (`WF-LOGIN-01`).
    pub fn login_certificate(&self, minutes: i64) -> Result<LoginCertificate, TestkitError> {
        self.login_certificate_at(at(minutes))
    }

    /// This person's login certificate at `at`.
    ///
    /// # Errors
    /// The chain does not verify, or is not a person's (`WF-LOGIN-01`).
    pub fn login_certificate_at(
        &self,
        at: DateTime<Utc>,
    ) -> Result<LoginCertificate, TestkitError> {
        Ok(LoginCertificate::from_chain(&self.verified_at(at)?)?)
    }

    /// Logs this person in to `registry` at `minutes`, as a host does.
    ///
    /// # Errors
    /// The chain does not verify, or the registry refuses the login (`WF-LOGIN-*`).
    pub fn log_in<L: EventLog<Event>>(
        &self,
        registry: &Registry<L>,
        minutes: i64,
    ) -> Result<Login, TestkitError> {
        let when = at(minutes);
        Ok(registry.login(&self.verified_at(when)?, when)?)
    }
}
