//! The workflow world: the authority's catalogue of forms, the signed forms of the SEB
//! scenario (NETS DANID A/S joins FMK) and the SEI scenario (Statens Serum Institut's
//! psychiatric departments join coercion reporting), a registry with the forms defined, and
//! both onboardings run to their end. The CPR numbers are made up (valid shape only).

use sundhed_authorisation::{Actor, DirectoryCommand, FormKind, RightSpec, UserId};
use sundhed_identity::{Cvr, PersonId};
use sundhed_workflow::{
    ActivationCode, ActivationKey, Administrator, Command, CprAttestation, Digest, Event, EventLog,
    KeyedCode, Login, MemoryEventLog, NamedPerson, Receipt, Registry, RightsRequest, SebCaseId,
    SebCommand, SebForm, SebState, SeiCaseId, SeiCommand, SeiDepartment, SeiEnrolment,
    SeiNotification, SeiState, SignedForm, Submission, WorkflowError,
};

use crate::error::{TestkitError, parse};
use crate::oces::{Cast, Person, at, form_verifier};

/// The SEB service of the scenario (Fælles Medicinkort).
pub const FMK: &str = "FMK";
/// The SEI form for coercion in psychiatry.
pub const TVANG: &str = "SEI-TVANG-PSYK";

fn right(code: &str, name: &str, admin: bool, personal_data: bool) -> RightSpec {
    RightSpec {
        code: code.into(),
        name: name.into(),
        administers_users: admin,
        personal_data,
    }
}

/// The forms the authority defines before anyone onboards: FMK and SOR (SEB services) and
/// SEI-TVANG-PSYK (an SEI form).
#[must_use]
pub fn define_forms() -> Vec<DirectoryCommand> {
    let admin = || right("ADMIN", "Brugeradministration", true, false);
    vec![
        DirectoryCommand::DefineForm {
            code: FMK.into(),
            name: "Fælles Medicinkort".into(),
            kind: FormKind::SebService,
            rights: vec![
                admin(),
                right("LAEGE", "Læge", false, true),
                right("SYGEPLEJE", "Sygeplejerske", false, true),
            ],
        },
        DirectoryCommand::DefineForm {
            code: "SOR".into(),
            name: "SOR-redigering".into(),
            kind: FormKind::SebService,
            rights: vec![admin(), right("REDIGER", "Redigér", false, false)],
        },
        DirectoryCommand::DefineForm {
            code: TVANG.into(),
            name: "Tvang i psykiatrien".into(),
            kind: FormKind::SeiForm,
            rights: vec![
                admin(),
                right("INDBERET", "Indberet tvang", false, true),
                right("LAES", "Læs indberetninger", false, true),
            ],
        },
    ]
}

/// A registry over a memory log with the forms defined.
///
/// # Errors
/// The trust anchor cannot be loaded, or the registry refuses a definition.
pub fn registry() -> Result<Registry<MemoryEventLog<Event>>, TestkitError> {
    let mut registry = Registry::open(MemoryEventLog::new(), form_verifier()?)?;
    for command in define_forms() {
        registry.handle(Actor::Authority, &Command::Directory(command), at(0))?;
    }
    Ok(registry)
}

/// The test people and a registry with the forms defined: where most workflow tests start.
///
/// # Errors
/// As [`Cast::load`] and [`registry`].
pub fn given() -> Result<(Cast, Registry<MemoryEventLog<Event>>), TestkitError> {
    Ok((Cast::load()?, registry()?))
}

/// The rule ids of a failed `handle`, as strings.
#[must_use]
pub fn rule_ids(err: &WorkflowError) -> Vec<&'static str> {
    err.rules().iter().map(|r| r.as_str()).collect()
}

/// The test host's activation key. It is fixed so that logs written by tests (the golden log
/// among them) stay the same from run to run; a real host generates its key at random and
/// keeps it secret, outside the log.
pub const ACTIVATION_KEY: &[u8; 32] = b"sundhed-testkit-demo-key-32bytes";

/// The test host's [`ActivationKey`] ([`ACTIVATION_KEY`]).
///
/// # Errors
/// Never for this constant; [`TestkitError::Refused`] (`WF-CODE-04`) if it were too short.
pub fn activation_key() -> Result<ActivationKey, TestkitError> {
    ActivationKey::new(ACTIVATION_KEY).map_err(|v| TestkitError::Refused(v.into()))
}

/// `code` keyed under the test host's key, as commands carry it.
///
/// # Errors
/// [`TestkitError::Refused`] with `WF-CODE-01` when `code` is not an activation code.
pub fn keyed_code(code: &str) -> Result<KeyedCode, TestkitError> {
    let code = ActivationCode::new(code).map_err(|v| TestkitError::Refused(v.into()))?;
    Ok(code.keyed(&activation_key()?))
}

/// NETS DANID A/S, the SEB organisation.
///
/// # Errors
/// Never for this literal; [`TestkitError::Data`] if it did not parse.
pub fn nets() -> Result<Cvr, TestkitError> {
    parse("30808460")
}

/// Statens Serum Institut, the SEI hospital.
///
/// # Errors
/// Never for this literal; [`TestkitError::Data`] if it did not parse.
pub fn ssi() -> Result<Cvr, TestkitError> {
    parse("46837428")
}

/// A made-up person id (valid CPR shape).
///
/// # Errors
/// [`TestkitError::Data`] when `cpr` is not a person id.
pub fn person(cpr: &str) -> Result<PersonId, TestkitError> {
    parse(cpr)
}

/// The SEB administrator on the form.
///
/// # Errors
/// Never for these literals.
pub fn seb_administrator(cast: &Cast) -> Result<Administrator, TestkitError> {
    Ok(Administrator {
        name: "Test Administrator".into(),
        person: person("0101701239")?,
        email: "admin@nets.example".into(),
        phone: "+45 1234 5678".into(),
        certificate: cast.seb_admin.holder.clone(),
    })
}

/// The SEB authorisation form for NETS DANID, asking for FMK roles.
///
/// # Errors
/// Never for these literals.
pub fn seb_onboarding_form(cast: &Cast) -> Result<SebForm, TestkitError> {
    Ok(SebForm::Onboarding {
        organisation: "NETS DANID A/S".into(),
        cvr: nets()?,
        sor: parse("953741000016009")?,
        administrator: seb_administrator(cast)?,
        services: vec![RightsRequest {
            form: FMK.into(),
            rights: vec!["LAEGE".into(), "SYGEPLEJE".into()],
        }],
    })
}

/// [`seb_onboarding_form`] asking for `role` of `service` instead (which need not exist: a
/// test of what the authority refuses).
///
/// # Errors
/// Never for these literals.
pub fn seb_onboarding_form_asking(
    cast: &Cast,
    service: &str,
    role: &str,
) -> Result<SebForm, TestkitError> {
    let mut form = seb_onboarding_form(cast)?;
    if let SebForm::Onboarding { services, .. } = &mut form {
        *services = vec![RightsRequest {
            form: service.into(),
            rights: vec![role.into()],
        }];
    }
    Ok(form)
}

/// NETS DANID asks to add the SOR service (its REDIGER right).
///
/// # Errors
/// Never for these literals.
pub fn sor_service_form() -> Result<SebForm, TestkitError> {
    Ok(SebForm::AddService {
        cvr: nets()?,
        services: vec![RightsRequest {
            form: "SOR".into(),
            rights: vec!["REDIGER".into()],
        }],
    })
}

/// An SEI department with a SHAK code and a name.
///
/// # Errors
/// [`TestkitError::Data`] when `shak` is no SHAK code.
pub fn sei_department(shak: &str, name: &str) -> Result<SeiDepartment, TestkitError> {
    Ok(SeiDepartment {
        shak: parse(shak)?,
        name: name.into(),
    })
}

/// The person id of the SEI chief physician, Brian Møller ([`Cast::chief`]).
pub const SEI_CHIEF_CPR: &str = "0707614285";
/// The person id of the SEI local administrator, Karl Hoffmann Svendsen ([`Cast::local_admin`]).
pub const SEI_ADMIN_CPR: &str = "1506824008";

/// The SEI notification for Statens Serum Institut, to be signed by its chief physician
/// ([`Cast::chief`]). The names are those of the test people's certificates (`WF-SEI-03`,
/// `WF-SEI-04`): chief physician Brian Møller, local administrator Karl Hoffmann Svendsen.
///
/// # Errors
/// Never for these literals.
pub fn sei_notification() -> Result<SeiNotification, TestkitError> {
    Ok(SeiNotification {
        hospital: "Statens Serum Institut".into(),
        cvr: ssi()?,
        chief_physician: NamedPerson {
            name: "Brian Møller".into(),
            person: person(SEI_CHIEF_CPR)?,
        },
        local_administrator: NamedPerson {
            name: "Karl Hoffmann Svendsen".into(),
            person: person(SEI_ADMIN_CPR)?,
        },
        departments: vec![
            sei_department("420201", "Psykiatrisk afsnit P1")?,
            sei_department("420202", "Psykiatrisk afsnit P2")?,
        ],
        forms: vec![RightsRequest {
            form: TVANG.into(),
            rights: vec!["INDBERET".into(), "LAES".into()],
        }],
    })
}

/// The local administrator's self-enrolment answering the notification whose signed bytes
/// have digest `notification` (`WF-SEI-08`), to be signed by [`Cast::local_admin`]. For a
/// case in a registry, [`sei_enrolment_for`] reads the digest from it; for a signed
/// notification, it is `Digest::of(form.bytes())`.
///
/// # Errors
/// Never for these literals.
pub fn sei_enrolment(notification: Digest) -> Result<SeiEnrolment, TestkitError> {
    Ok(SeiEnrolment {
        notification,
        cvr: ssi()?,
        person: person(SEI_ADMIN_CPR)?,
        forms: vec![TVANG.into()],
    })
}

/// [`sei_enrolment`] answering the notification of SEI `case` in `registry`: the digest its
/// state records for the notification's signed bytes.
///
/// # Errors
/// [`TestkitError::Unexpected`] when the registry has no such case.
pub fn sei_enrolment_for(
    registry: &Registry<impl EventLog<Event>>,
    case: SeiCaseId,
) -> Result<SeiEnrolment, TestkitError> {
    let case = registry
        .state()
        .sei()
        .case(case)
        .ok_or_else(|| TestkitError::Unexpected(format!("no {case}")))?;
    sei_enrolment(case.notifier().form)
}

/// What the test host's CPR lookup answers for the local administrator's certificate
/// ([`Cast::local_admin`]) at [`at`]`(minutes)`: it is Karl Hoffmann Svendsen's
/// ([`SEI_ADMIN_CPR`]). The cross-check needs it (`WF-SEI-06`, `WF-SEI-07`).
///
/// # Errors
/// Never for these literals.
pub fn sei_attestation(cast: &Cast, minutes: i64) -> Result<CprAttestation, TestkitError> {
    attestation(&cast.local_admin, SEI_ADMIN_CPR, minutes)
}

/// A CPR attestation that `signer`'s certificate is `cpr`'s, from the test host's lookup at
/// [`at`]`(minutes)` (for tests of a lookup that answered something else).
///
/// # Errors
/// [`TestkitError::Data`] when `cpr` is not a person id.
pub fn attestation(
    signer: &Person,
    cpr: &str,
    minutes: i64,
) -> Result<CprAttestation, TestkitError> {
    Ok(CprAttestation {
        certificate: signer.holder.clone(),
        person: person(cpr)?,
        source: "test host CPR lookup (PID/RID-CPR)".into(),
        checked_at: at(minutes),
    })
}

/// Runs the SEB onboarding to the administrator's first login; gives the case and admin.
///
/// # Errors
/// A step is refused, or the case is not active after the login.
pub fn seb_onboard(
    registry: &mut Registry<impl EventLog<Event>>,
    cast: &Cast,
) -> Result<(SebCaseId, UserId), TestkitError> {
    seb_onboard_from(registry, cast, 0)
}

/// [`seb_onboard`] with its steps at `start` + 1, 2 and 3 minutes (the directory refuses
/// commands dated before its latest event, `AUTHZ-TIME-03`).
///
/// # Errors
/// A step is refused, or the case is not active after the login.
pub fn seb_onboard_from(
    registry: &mut Registry<impl EventLog<Event>>,
    cast: &Cast,
    start: i64,
) -> Result<(SebCaseId, UserId), TestkitError> {
    let form = Box::new(cast.officer.sign(seb_onboarding_form(cast)?)?);
    registry.handle(
        Actor::Authority,
        &Command::Seb(SebCommand::Submit { form }),
        at(start + 1),
    )?;
    let case = last_case(registry.state().seb().cases().last().map(|c| c.0))?;
    registry.handle(
        Actor::Authority,
        &Command::Seb(SebCommand::Approve { case }),
        at(start + 2),
    )?;
    let login = SebCommand::FirstLogin {
        case,
        certificate: cast.seb_admin.login_certificate(start + 3)?,
    };
    registry.handle(Actor::Authority, &Command::Seb(login), at(start + 3))?;
    match registry.state().seb().case(case).map(|c| c.state()) {
        Some(SebState::Active { administrator }) => Ok((case, *administrator)),
        other => Err(TestkitError::Unexpected(format!("SEB case {other:?}"))),
    }
}

/// Runs the SEI onboarding until the administrator is created: [`Cast::chief`] signs
/// [`sei_notification`], [`Cast::local_admin`] [`sei_enrolment_for`] the case, the authority cross-checks
/// with [`sei_attestation`]; gives the case and admin.
///
/// # Errors
/// A step is refused, or the case has no administrator after the cross-check.
pub fn sei_onboard(
    registry: &mut Registry<impl EventLog<Event>>,
    cast: &Cast,
) -> Result<(SeiCaseId, UserId), TestkitError> {
    let form = Box::new(cast.chief.sign(sei_notification()?)?);
    registry.handle(
        Actor::Authority,
        &Command::Sei(SeiCommand::Notify { form }),
        at(10),
    )?;
    let case = last_case(registry.state().sei().cases().last().map(|c| c.0))?;
    let form = Box::new(cast.local_admin.sign(sei_enrolment_for(registry, case)?)?);
    registry.handle(
        Actor::Authority,
        &Command::Sei(SeiCommand::Enrol { case, form }),
        at(11),
    )?;
    let attestation = Some(sei_attestation(cast, 12)?);
    registry.handle(
        Actor::Authority,
        &Command::Sei(SeiCommand::CrossCheck { case, attestation }),
        at(12),
    )?;
    match registry.state().sei().case(case).map(|c| c.state()) {
        Some(SeiState::AdministratorCreated { administrator }) => Ok((case, *administrator)),
        other => Err(TestkitError::Unexpected(format!("SEI case {other:?}"))),
    }
}

/// A signed SEB onboarding form for NETS DANID, signed by `signer`.
///
/// # Errors
/// As [`seb_onboarding_form`] and [`Person::sign`].
pub fn signed_onboarding_form(
    cast: &Cast,
    signer: &Person,
) -> Result<SignedForm<SebForm>, TestkitError> {
    signer.sign(seb_onboarding_form(cast)?)
}

/// Shorthands for tests: a command by the authority or by a user at [`at`]`(minutes)`, and
/// the procedure commands that carry a signed form.
pub trait Steps {
    /// `command` by the authority.
    ///
    /// # Errors
    /// The registry's error.
    fn authority(&mut self, command: &Command, minutes: i64) -> Result<Vec<Event>, WorkflowError>;

    /// `command` by `user`.
    ///
    /// # Errors
    /// The registry's error.
    fn by(
        &mut self,
        user: UserId,
        command: &Command,
        minutes: i64,
    ) -> Result<Vec<Event>, WorkflowError>;

    /// The authority receives an SEB form.
    ///
    /// # Errors
    /// The registry's error.
    fn submit(
        &mut self,
        form: SignedForm<SebForm>,
        minutes: i64,
    ) -> Result<Vec<Event>, WorkflowError> {
        let form = Box::new(form);
        self.authority(&Command::Seb(SebCommand::Submit { form }), minutes)
    }

    /// The authority receives an SEI notification.
    ///
    /// # Errors
    /// The registry's error.
    fn notify(
        &mut self,
        form: SignedForm<SeiNotification>,
        minutes: i64,
    ) -> Result<Vec<Event>, WorkflowError> {
        let form = Box::new(form);
        self.authority(&Command::Sei(SeiCommand::Notify { form }), minutes)
    }

    /// The authority receives an SEI self-enrolment for `case`.
    ///
    /// # Errors
    /// The registry's error.
    fn enrol(
        &mut self,
        case: SeiCaseId,
        form: SignedForm<SeiEnrolment>,
        minutes: i64,
    ) -> Result<Vec<Event>, WorkflowError> {
        let form = Box::new(form);
        self.authority(&Command::Sei(SeiCommand::Enrol { case, form }), minutes)
    }

    /// The authority cross-checks SEI `case` with the host's CPR attestation (`None`: without
    /// one, which `WF-SEI-06` refuses).
    ///
    /// # Errors
    /// The registry's error.
    fn cross_check(
        &mut self,
        case: SeiCaseId,
        attestation: Option<CprAttestation>,
        minutes: i64,
    ) -> Result<Vec<Event>, WorkflowError> {
        let command = SeiCommand::CrossCheck { case, attestation };
        self.authority(&Command::Sei(command), minutes)
    }

    /// `command` by the user `login` proved (see `Registry::handle_as`).
    ///
    /// # Errors
    /// The registry's error.
    fn as_user(
        &mut self,
        login: &Login,
        command: &Command,
        minutes: i64,
    ) -> Result<Vec<Event>, WorkflowError>;

    /// A client delivers a signed submission; the host receives it (`Registry::receive`).
    ///
    /// # Errors
    /// The registry's error.
    fn deliver(
        &mut self,
        signed: &SignedForm<Submission>,
        minutes: i64,
    ) -> Result<Receipt, WorkflowError>;

    /// Every event in the log, in order.
    ///
    /// # Errors
    /// The log cannot be read.
    fn events(&self) -> Result<Vec<Event>, TestkitError>;
}

impl<L: EventLog<Event>> Steps for Registry<L> {
    fn authority(&mut self, command: &Command, minutes: i64) -> Result<Vec<Event>, WorkflowError> {
        self.handle(Actor::Authority, command, at(minutes))
    }

    fn by(
        &mut self,
        user: UserId,
        command: &Command,
        minutes: i64,
    ) -> Result<Vec<Event>, WorkflowError> {
        self.handle_unverified(Actor::User(user), command, at(minutes))
    }

    fn as_user(
        &mut self,
        login: &Login,
        command: &Command,
        minutes: i64,
    ) -> Result<Vec<Event>, WorkflowError> {
        self.handle_as(login, command, at(minutes))
    }

    fn deliver(
        &mut self,
        signed: &SignedForm<Submission>,
        minutes: i64,
    ) -> Result<Receipt, WorkflowError> {
        self.receive(signed, at(minutes))
    }

    fn events(&self) -> Result<Vec<Event>, TestkitError> {
        let records = self.log().read_from(1)?;
        Ok(records.into_iter().map(|r| r.into_event()).collect())
    }
}

fn last_case<C>(case: Option<C>) -> Result<C, TestkitError> {
    case.ok_or_else(|| TestkitError::Unexpected("no case after the submission".into()))
}
