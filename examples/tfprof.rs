#![allow(missing_docs, clippy::unwrap_used)]
use graft::api::{Job, run};
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map_or(10_000, |a| a.parse().unwrap());
    let iters: usize = std::env::args().nth(2).map_or(5, |a| a.parse().unwrap());
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
    for _ in 0..iters {
        let t = std::time::Instant::now();
        let s = graft::stack::terraform::read(stack.clone()).unwrap();
        let tr = t.elapsed();
        drop(s);
        let t = std::time::Instant::now();
        let d = run(&job);
        assert_eq!(d.errors(), 0);
        eprintln!("read {:?} run {:?}", tr, t.elapsed());
    }
}
