//! The generated directory both sides load, and the requests both sides answer.
//!
//! Shape: `orgs` organisations × `DEPARTMENTS` departments × `users_per_department` users.
//! Department 0 of each organisation is its top-level department; departments 1.. are its
//! sub-departments, so a grant on department 0 covers all ten. One group per department;
//! every user is in their department's group. `FORMS` forms, each with an admin right and
//! `RIGHTS_PER_FORM` ordinary rights; every user holds two distinct grants of an ordinary
//! right on a department of their organisation. Everything derives from a fixed seed.

/// Departments per organisation (department 0 is the parent of the others).
pub const DEPARTMENTS: u32 = 10;
/// Forms defined in the directory.
pub const FORMS: u32 = 3;
/// Ordinary (non-admin) rights per form.
pub const RIGHTS_PER_FORM: u32 = 2;
/// Ordinary rights in all: the grantable "right index" runs over `0..RIGHTS`.
pub const RIGHTS: u32 = FORMS * RIGHTS_PER_FORM;

/// splitmix64: small, fast and deterministic.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u32) -> u32 {
        u32::try_from(self.next_u64() % u64::from(n)).unwrap_or(0)
    }
}

/// How big the directory is.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub orgs: u32,
    pub users_per_department: u32,
}

impl Scale {
    pub fn users(self) -> u32 {
        self.orgs * DEPARTMENTS * self.users_per_department
    }

    pub fn users_per_org(self) -> u32 {
        DEPARTMENTS * self.users_per_department
    }

    pub fn label(self) -> String {
        format!(
            "{}x{}x{}",
            self.orgs, DEPARTMENTS, self.users_per_department
        )
    }
}

/// One grant: an ordinary right index on a department index of the user's organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GrantIdx {
    pub department: u32,
    pub right: u32,
}

impl GrantIdx {
    /// Whether this grant covers `right` on `department` (same organisation).
    pub fn covers(self, department: u32, right: u32) -> bool {
        self.right == right && (self.department == department || self.department == 0)
    }
}

/// A user by global index: organisation, department, and their two grants.
#[derive(Clone, Copy, Debug)]
pub struct UserIdx {
    pub org: u32,
    pub department: u32,
    pub grants: [GrantIdx; 2],
}

/// The generated directory.
pub struct Dataset {
    pub scale: Scale,
    pub users: Vec<UserIdx>,
}

impl Dataset {
    pub fn generate(scale: Scale) -> Self {
        let mut rng = Rng::new(0x00de_1e9a_7ed0);
        let per_org = scale.users_per_org();
        let users = (0..scale.users())
            .map(|n| {
                let org = n / per_org;
                let department = (n / scale.users_per_department) % DEPARTMENTS;
                let first = GrantIdx {
                    department: rng.below(DEPARTMENTS),
                    right: rng.below(RIGHTS),
                };
                let mut second = first;
                while second == first {
                    second = GrantIdx {
                        department: rng.below(DEPARTMENTS),
                        right: rng.below(RIGHTS),
                    };
                }
                UserIdx {
                    org,
                    department,
                    grants: [first, second],
                }
            })
            .collect();
        Self { scale, users }
    }

    /// Whether the user's grants cover `right` on `department`.
    pub fn allowed(&self, user: u32, department: u32, right: u32) -> bool {
        self.users
            .get(user as usize)
            .is_some_and(|u| u.grants.iter().any(|g| g.covers(department, right)))
    }

    /// `n` random requests, alternately allowed and denied in random order (half each).
    /// Denied ones are near misses: a right and department of the user's own organisation.
    pub fn requests(&self, n: usize, seed: u64) -> Vec<RequestIdx> {
        let mut rng = Rng::new(seed);
        let users = self.scale.users();
        let mut out = Vec::with_capacity(n);
        let (mut allowed, mut denied) = (0, 0);
        while out.len() < n {
            let want_allowed = if allowed == n / 2 {
                false
            } else if denied == n - n / 2 {
                true
            } else {
                rng.below(2) == 0
            };
            let user = rng.below(users);
            let Some(u) = self.users.get(user as usize) else {
                continue;
            };
            let (department, right) = if want_allowed {
                let g = u.grants[rng.below(2) as usize % 2];
                let d = if g.department == 0 {
                    rng.below(DEPARTMENTS)
                } else {
                    g.department
                };
                (d, g.right)
            } else {
                let (d, r) = (rng.below(DEPARTMENTS), rng.below(RIGHTS));
                if self.allowed(user, d, r) {
                    continue;
                }
                (d, r)
            };
            if want_allowed {
                allowed += 1;
            } else {
                denied += 1;
            }
            out.push(RequestIdx {
                user,
                org: u.org,
                department,
                right,
                allowed: want_allowed,
            });
        }
        out
    }
}

/// A request by indices, with the expected answer.
#[derive(Clone, Copy, Debug)]
pub struct RequestIdx {
    pub user: u32,
    pub org: u32,
    pub department: u32,
    pub right: u32,
    pub allowed: bool,
}
