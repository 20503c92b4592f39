use std::time::Instant;
use sundhed_authorisation::{AccessRequest, Grantee};
#[test]
fn scratch_perf() {
  for orgs in [2, 100] {
    let built = crate::scale::build(orgs);
    let n = built.users.len() as u32;
    let t = Instant::now();
    let mut c = 0usize;
    for _ in 0..10 { for (u, _) in &built.users { c += usize::from(built.dir.user(*u).is_some()); } }
    println!("user get: {:?}", t.elapsed() / (10 * n));
    let ids: Vec<_> = built.dir.grants().map(|g| g.id()).collect();
    let t = Instant::now();
    for _ in 0..10 { for g in &ids { c += usize::from(built.dir.grant(*g).is_some()); } }
    println!("grant get: {:?}", t.elapsed() / (10 * ids.len() as u32));
    let t = Instant::now();
    for _ in 0..10 { for (u, _) in &built.users { c += built.dir.grants_of(Grantee::User(*u)).count(); } }
    println!("grants_of: {:?}", t.elapsed() / (10 * n));
    let t = Instant::now();
    for _ in 0..10 { for (u, d) in &built.users { c += usize::from(built.dir.check(&AccessRequest { user: *u, right: built.right, department: *d }, crate::fixtures::t0()).is_allowed()); } }
    println!("check: {:?}", t.elapsed() / (10 * n));
    println!("{orgs}: {c}");
  }
}
