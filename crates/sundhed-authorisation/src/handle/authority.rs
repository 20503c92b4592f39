//! Commands of the authority: forms, organisations, ceilings, primary admins, departments.

use std::collections::BTreeSet;

use sundhed_identity::Cvr;

use crate::checks::{
    AllowedActor, NamedInCommand, PrimaryAppointment, Unique, check_active, check_actor_kind,
    check_ceiling, check_department_nesting, check_form_definition, check_keeps_primary_admin,
    check_known, check_may_create_department, check_same_organisation, check_unique,
};
use crate::command::{Appointee, NewDepartment, NewUser};
use crate::event::{Change, RevocationCause};
use crate::handle::Handler;
use crate::handle::Out;
use crate::ids::{Actor, DepartmentId, Grantee, RightId, UserId};
use crate::model::{AdminScope, FormKind, RightSpec, ScopeSet};
use crate::read::Read;
use sundhed_identity::Violations;

impl<R: Read> Handler<'_, R> {
    pub(super) fn define_form(
        &self,
        v: &mut Violations,
        out: &mut Out,
        code: &str,
        name: &str,
        kind: FormKind,
        rights: &[RightSpec],
    ) {
        v.take(check_actor_kind(out.actor, AllowedActor::Authority));
        v.take(check_form_definition(code, rights));
        v.take(check_unique(
            self.read,
            &mut NamedInCommand::new(),
            Unique::FormCode(code),
        ));
        let form = out.form_id();
        out.push(Change::FormDefined {
            form,
            code: code.to_owned(),
            name: name.to_owned(),
            kind,
            rights: rights.to_vec(),
        });
    }

    pub(super) fn register_organisation(
        &self,
        v: &mut Violations,
        out: &mut Out,
        cvr: Cvr,
        name: &str,
        department: &NewDepartment,
        primary_admin: &NewUser,
    ) {
        v.take(check_actor_kind(out.actor, AllowedActor::Authority));
        v.take(check_unique(
            self.read,
            &mut NamedInCommand::new(),
            Unique::Organisation(cvr),
        ));
        v.take(check_department_nesting(cvr, department, None));
        self.check_department_codes(v, department);
        self.check_new_users(v, cvr, core::slice::from_ref(primary_admin));
        out.push(Change::OrganisationRegistered {
            cvr,
            name: name.to_owned(),
        });
        let department_id = self.emit_department(out, cvr, department, None);
        let group = out.group_id();
        out.push(Change::GroupCreated {
            group,
            department: department_id,
            organisation: cvr,
            name: department.name.clone(),
            parent: None,
        });
        let users = Self::emit_new_users(
            out,
            cvr,
            core::slice::from_ref(primary_admin),
            &[group],
            &[],
        );
        for user in users {
            out.push(Change::PrimaryAdminAppointed {
                organisation: cvr,
                user,
                scope: AdminScope::whole_organisation(),
            });
        }
    }

    pub(super) fn set_ceiling(
        &self,
        v: &mut Violations,
        out: &mut Out,
        organisation: Cvr,
        rights: &BTreeSet<RightId>,
    ) {
        v.take(check_actor_kind(out.actor, AllowedActor::Authority));
        v.take(check_known(self.read, organisation));
        for right in rights {
            v.take(check_known(self.read, *right));
        }
        out.push(Change::CeilingSet {
            organisation,
            rights: rights.clone(),
        });
        // Lowering the ceiling revokes every grant whose right it leaves out (`AUTHZ-CEIL-01`).
        let roots: BTreeSet<_> = self
            .grants_in(organisation)
            .filter(|g| check_ceiling(self.read, organisation, rights, g.right).is_err())
            .map(|g| g.id)
            .collect();
        self.emit_revocations(
            out,
            &roots,
            RevocationCause::LeftCeiling,
            organisation,
            rights,
            None,
        );
    }

    /// `AppointPrimaryAdmin`, or `ReplacePrimaryAdmin` when `replacing` is given.
    pub(super) fn appoint_primary(
        &self,
        v: &mut Violations,
        out: &mut Out,
        organisation: Cvr,
        appointee: &Appointee,
        scope: &AdminScope,
        replacing: Option<UserId>,
    ) {
        v.take(check_actor_kind(out.actor, AllowedActor::Authority));
        if v.take(check_known(self.read, organisation)).is_none() {
            return;
        }
        if let ScopeSet::Only(departments) = &scope.departments {
            for d in departments {
                self.department_in(v, organisation, *d);
            }
        }
        if let ScopeSet::Only(forms) = &scope.forms {
            for f in forms {
                v.take(check_known(self.read, *f));
            }
        }
        if let Some(old) = replacing {
            v.take(check_known(
                self.read,
                PrimaryAppointment {
                    organisation,
                    user: old,
                },
            ));
        }
        let user = match appointee {
            Appointee::Existing { user } => {
                if let Some(u) = v.take(check_known(self.read, *user)) {
                    v.take(check_same_organisation(self.read, organisation, *user));
                    v.take(check_active(u));
                }
                v.take(check_unique(
                    self.read,
                    &mut NamedInCommand::new(),
                    Unique::PrimaryAdmin(organisation, *user),
                ));
                *user
            }
            Appointee::New { user, groups } => {
                self.check_new_users(v, organisation, core::slice::from_ref(user));
                self.check_groups_to_join(v, None, organisation, groups, out.at);
                let ids = Self::emit_new_users(
                    out,
                    organisation,
                    core::slice::from_ref(user),
                    groups,
                    &[],
                );
                ids.first().copied().unwrap_or(UserId::new(u32::MAX))
            }
        };
        out.push(Change::PrimaryAdminAppointed {
            organisation,
            user,
            scope: scope.clone(),
        });
        if let Some(old) = replacing {
            self.end_primary_appointment(out, organisation, old);
        }
    }

    /// Ends `user`'s appointment as primary admin of `organisation`: `PrimaryAdminRemoved`,
    /// then the revocation (with cascade) of every grant they hold that they made themselves.
    /// Such self-grants are refused since `AUTHZ-SELF-01`; older logs may hold them, and the
    /// power they gave rested on the appointment that ends here (issue 13).
    fn end_primary_appointment(&self, out: &mut Out, organisation: Cvr, user: UserId) {
        out.push(Change::PrimaryAdminRemoved { organisation, user });
        let roots: BTreeSet<_> = self
            .grants_of(Grantee::User(user))
            .filter(|g| g.grantor == Actor::User(user))
            .map(|g| g.id)
            .collect();
        let ceiling = self.ceiling_of(organisation);
        self.emit_revocations(
            out,
            &roots,
            RevocationCause::Revoked,
            organisation,
            &ceiling,
            None,
        );
    }

    pub(super) fn remove_primary(
        &self,
        v: &mut Violations,
        out: &mut Out,
        organisation: Cvr,
        user: UserId,
    ) {
        v.take(check_actor_kind(out.actor, AllowedActor::Authority));
        let Some(org) = v.take(check_known(self.read, organisation)) else {
            return;
        };
        if v.take(check_known(
            self.read,
            PrimaryAppointment { organisation, user },
        ))
        .is_some()
        {
            v.take(check_keeps_primary_admin(org, user));
        }
        self.end_primary_appointment(out, organisation, user);
    }

    pub(super) fn create_department(
        &self,
        v: &mut Violations,
        out: &mut Out,
        organisation: Cvr,
        department: &NewDepartment,
        parent: Option<DepartmentId>,
    ) {
        v.take(check_actor_kind(out.actor, AllowedActor::Either));
        if let Actor::User(_) = out.actor {
            self.acting_user(v, out.actor);
        }
        v.take(check_known(self.read, organisation));
        let parent_record = match parent {
            Some(p) => v.take(check_known(self.read, p)),
            None => None,
        };
        if parent.is_none() || parent_record.is_some() {
            let parent =
                parent_record.zip(parent.map(|p| crate::query::Query::level(self.read, p)));
            v.take(check_department_nesting(organisation, department, parent));
        }
        self.check_department_codes(v, department);
        v.take(check_may_create_department(
            self.read,
            out.actor,
            organisation,
            parent,
        ));
        self.emit_department(out, organisation, department, parent);
    }

    fn check_department_codes(&self, v: &mut Violations, department: &NewDepartment) {
        let mut named = NamedInCommand::new();
        if let Some(shak) = department.shak {
            v.take(check_unique(self.read, &mut named, Unique::Shak(shak)));
        }
        if let Some(sor) = department.sor {
            v.take(check_unique(self.read, &mut named, Unique::Sor(sor)));
        }
    }

    fn emit_department(
        &self,
        out: &mut Out,
        organisation: Cvr,
        department: &NewDepartment,
        parent: Option<DepartmentId>,
    ) -> DepartmentId {
        let id = out.department_id();
        out.push(Change::DepartmentCreated {
            department: id,
            organisation,
            name: department.name.clone(),
            shak: department.shak,
            sor: department.sor,
            parent,
        });
        id
    }
}
