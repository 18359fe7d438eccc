#![allow(missing_docs, clippy::unwrap_used)]
use graft::api::{Job, check_inputs};
fn main() {
    let n: usize = std::env::args().nth(1).map_or(1000, |a| a.parse().unwrap());
    let stack = graft::stack::generate::terraform(graft::stack::generate::Shape {
        objects: n,
        redis_every: 4,
        ..Default::default()
    });
    let rules: Vec<(String, String)> = ["rules/redis.graft", "rules/valkey.graft"]
        .iter()
        .map(|p| (p.to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let b = "redis:\n  hostname: master.bench.abc123.use1.cache.amazonaws.com:6380\n  auth: { secret: { store: aws-secretsmanager, arn: \"arn:aws:secretsmanager:us-east-1:123456789012:secret:bench\" } }\n  database: 2\n";
    let job = Job {
        rules,
        bindings: ("b.yaml".into(), b.into()),
        stack: stack.clone(),
        certificates: Default::default(),
    };
    let checked = check_inputs(&job, &|_| Err(String::new()));
    let (program, bindings) = checked.inputs().unwrap();
    let (mut rmin, mut mmin, mut emin, mut fmin) = (f64::MAX, f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..50 {
        let t = std::time::Instant::now();
        use rayon::prelude::*;
        let f: Vec<_> = stack
            .par_iter()
            .map(|(p, t)| {
                (
                    p.clone(),
                    hcl_edit::parser::parse_body(t).unwrap().to_string(),
                )
            })
            .collect();
        drop(f);
        fmin = fmin.min(t.elapsed().as_secs_f64() * 1e3);
        let t = std::time::Instant::now();
        let s = graft::stack::terraform::read(stack.clone()).unwrap();
        rmin = rmin.min(t.elapsed().as_secs_f64() * 1e3);
        let t = std::time::Instant::now();
        let inst = graft::engine::match_all(program, bindings, &s);
        mmin = mmin.min(t.elapsed().as_secs_f64() * 1e3);
        let t = std::time::Instant::now();
        let o = graft::engine::terraform::apply(
            program,
            &checked_sources(&checked),
            bindings,
            &s,
            &inst,
        );
        emin = emin.min(t.elapsed().as_secs_f64() * 1e3);
        drop(o);
    }
    eprintln!("floor {fmin:.2} read {rmin:.2} match {mmin:.2} engine {emin:.2}");
}
fn checked_sources(c: &graft::api::Checked) -> graft::source::Sources {
    c.sources.clone()
}
