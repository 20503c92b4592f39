//! The same directory in Cedar, two ways.
//!
//! Entities: `Organisation`, `Department` (department 0's parent is the organisation; the
//! others' parent is department 0), `Group` (one per department, parent the department),
//! `User` (parent their group), and `Target` — one entity per (department, right), whose
//! parent is the same right's target on the parent department, so `resource in g` holds
//! exactly when grant target `g` covers the requested department. Requests are
//! `(User, Action::"use", Target)`.
//!
//! - **attrs**: every user has `grants: Set<Target>` (entity references) and one static
//!   policy `permit(principal is User, action == Action::"use", resource is Target) when
//!   { resource in principal.grants };`. This was the fastest variant in the anchor
//!   research and is the one we keep for the headline comparison.
//! - **templates**: `permit(principal == ?principal, action == Action::"use", resource in
//!   ?resource);`, one link per grant. Cedar scans every policy in the set on every request
//!   (no index), so with one set of 2 000 000 links a check takes seconds; the usable form is
//!   to clone a base set and link only the principal's own grants per request ("sliced"),
//!   which an application with a grants table would do. The slicing is inside the timing.
//!
//! No schema is given at run time (validation is an offline step); entities are built with
//! `Entities::from_entities(.., None)`, which computes the transitive closure.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid, PolicyId,
    PolicySet, Request, RestrictedExpression, SlotId, Template,
};

use super::data::{DEPARTMENTS, Dataset, RIGHTS, RequestIdx};

fn uid(kind: &str, id: &str) -> EntityUid {
    EntityUid::from_type_name_and_id(EntityTypeName::from_str(kind).unwrap(), EntityId::new(id))
}

fn org_uid(o: u32) -> EntityUid {
    uid("Organisation", &format!("o{o}"))
}

fn dept_uid(o: u32, d: u32) -> EntityUid {
    uid("Department", &format!("o{o}d{d}"))
}

fn group_uid(o: u32, d: u32) -> EntityUid {
    uid("Group", &format!("o{o}d{d}g"))
}

pub fn user_uid(u: u32) -> EntityUid {
    uid("User", &format!("u{u}"))
}

pub fn target_uid(o: u32, d: u32, r: u32) -> EntityUid {
    uid("Target", &format!("o{o}d{d}r{r}"))
}

fn action() -> EntityUid {
    uid("Action", "use")
}

/// Which Cedar model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    Attrs,
    TemplatesSliced,
    TemplatesFull,
}

impl Variant {
    pub fn name(self) -> &'static str {
        match self {
            Self::Attrs => "cedar-attrs",
            Self::TemplatesSliced => "cedar-templates-sliced",
            Self::TemplatesFull => "cedar-templates-full",
        }
    }
}

const STATIC_POLICY: &str = r#"permit(principal is User, action == Action::"use", resource is Target)
when { resource in principal.grants };"#;
const TEMPLATE: &str =
    r#"permit(principal == ?principal, action == Action::"use", resource in ?resource);"#;

/// A Cedar directory ready to answer requests.
pub struct CedarSide {
    variant: Variant,
    entities: Entities,
    policies: PolicySet,
    /// For the sliced templates: each user's grant targets (the application's grants table).
    grants: Vec<[EntityUid; 2]>,
    authorizer: Authorizer,
    action: EntityUid,
}

fn structure(data: &Dataset, out: &mut Vec<Entity>) {
    for o in 0..data.scale.orgs {
        out.push(Entity::new_no_attrs(org_uid(o), HashSet::new()));
        for d in 0..DEPARTMENTS {
            let parent = if d == 0 { org_uid(o) } else { dept_uid(o, 0) };
            out.push(Entity::new_no_attrs(
                dept_uid(o, d),
                HashSet::from([parent]),
            ));
            out.push(Entity::new_no_attrs(
                group_uid(o, d),
                HashSet::from([dept_uid(o, d)]),
            ));
            for r in 0..RIGHTS {
                let parents = if d == 0 {
                    HashSet::new()
                } else {
                    HashSet::from([target_uid(o, 0, r)])
                };
                out.push(Entity::new_no_attrs(target_uid(o, d, r), parents));
            }
        }
    }
}

impl CedarSide {
    pub fn build(data: &Dataset, variant: Variant) -> Self {
        let mut entities = Vec::with_capacity(data.users.len() + data.scale.orgs as usize * 90);
        structure(data, &mut entities);
        let mut grants = Vec::new();
        let mut policies = PolicySet::new();
        let tid = PolicyId::new("grant");
        if variant == Variant::Attrs {
            policies
                .add(cedar_policy::Policy::parse(Some(PolicyId::new("p")), STATIC_POLICY).unwrap())
                .unwrap();
        } else {
            policies
                .add_template(Template::parse(Some(tid.clone()), TEMPLATE).unwrap())
                .unwrap();
        }
        for (n, u) in data.users.iter().enumerate() {
            let n = u32::try_from(n).unwrap();
            let targets = u.grants.map(|g| target_uid(u.org, g.department, g.right));
            let parents = HashSet::from([group_uid(u.org, u.department)]);
            let entity = match variant {
                Variant::Attrs => {
                    let set = RestrictedExpression::new_set(
                        targets
                            .iter()
                            .cloned()
                            .map(RestrictedExpression::new_entity_uid),
                    );
                    Entity::new(
                        user_uid(n),
                        HashMap::from([("grants".to_owned(), set)]),
                        parents,
                    )
                    .unwrap()
                }
                Variant::TemplatesSliced | Variant::TemplatesFull => {
                    Entity::new_no_attrs(user_uid(n), parents)
                }
            };
            entities.push(entity);
            match variant {
                Variant::Attrs => {}
                Variant::TemplatesSliced => grants.push(targets),
                Variant::TemplatesFull => {
                    for (k, t) in targets.into_iter().enumerate() {
                        let vals = HashMap::from([
                            (SlotId::principal(), user_uid(n)),
                            (SlotId::resource(), t),
                        ]);
                        policies
                            .link(tid.clone(), PolicyId::new(format!("g{n}-{k}")), vals)
                            .unwrap();
                    }
                }
            }
        }
        let entities = Entities::from_entities(entities, None).unwrap();
        Self {
            variant,
            entities,
            policies,
            grants,
            authorizer: Authorizer::new(),
            action: action(),
        }
    }

    /// The request's entity uids, made before timing (an application holds these).
    pub fn prepare(&self, r: &RequestIdx) -> (EntityUid, EntityUid, u32) {
        (
            user_uid(r.user),
            target_uid(r.org, r.department, r.right),
            r.user,
        )
    }

    /// One authorisation check: builds the request and asks the authorizer.
    pub fn check(&self, prepared: &(EntityUid, EntityUid, u32)) -> bool {
        let (principal, resource, user) = prepared;
        let request = Request::new(
            principal.clone(),
            self.action.clone(),
            resource.clone(),
            Context::empty(),
            None,
        )
        .unwrap();
        let decision = if self.variant == Variant::TemplatesSliced {
            let mut slice = self.policies.clone();
            let tid = PolicyId::new("grant");
            if let Some(targets) = self.grants.get(*user as usize) {
                for (k, t) in targets.iter().enumerate() {
                    let vals = HashMap::from([
                        (SlotId::principal(), principal.clone()),
                        (SlotId::resource(), t.clone()),
                    ]);
                    slice
                        .link(tid.clone(), PolicyId::new(format!("g{k}")), vals)
                        .unwrap();
                }
            }
            self.authorizer
                .is_authorized(&request, &slice, &self.entities)
                .decision()
        } else {
            self.authorizer
                .is_authorized(&request, &self.policies, &self.entities)
                .decision()
        };
        decision == Decision::Allow
    }
}
