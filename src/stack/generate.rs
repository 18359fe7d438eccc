//! Realistic, deterministic stacks of any size, for benchmarks and property
//! tests. Kubernetes ([`kubernetes`]): namespaces of applications, some with a bitnami-style
//! Redis (StatefulSet, Services, password Secret, ConfigMap) and consumers
//! that reach it in every way the adapter knows: `host:port`, a URL with
//! `$(VAR)` credentials, host and port variables, a ConfigMap read through
//! `envFrom`, command-line arguments, and a `secretKeyRef` to its password.

use std::fmt::Write as _;

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// About how many objects in all.
    pub objects: usize,
    /// One namespace in this many has its own Redis (the rest have none).
    pub redis_every: usize,
    /// Objects per file.
    pub per_file: usize,
    /// The seed: the same seed gives the same stack.
    pub seed: u64,
}

impl Default for Shape {
    fn default() -> Shape {
        Shape {
            objects: 1000,
            redis_every: 4,
            per_file: 40,
            seed: 1,
        }
    }
}

/// A customer's bindings for the generated stacks: their own Redis, its
/// credential in the format's secret store (a Kubernetes Secret, or AWS
/// Secrets Manager for the other formats).
pub fn bindings(kubernetes: bool) -> &'static str {
    if kubernetes {
        "redis:\n  hostname: master.bench.abc123.use1.cache.amazonaws.com:6380\n  auth: { secret: { store: kubernetes, name: redis-auth, key: password } }\n  database: 2\n"
    } else {
        "redis:\n  hostname: master.bench.abc123.use1.cache.amazonaws.com:6380\n  auth: { secret: { store: aws-secretsmanager, arn: \"arn:aws:secretsmanager:us-east-1:123456789012:secret:bench\" } }\n  database: 2\n"
    }
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The stack's files: (path, text), in path order.
pub fn kubernetes(shape: Shape) -> Vec<(String, String)> {
    let mut rng = Rng(shape.seed);
    let mut docs: Vec<String> = Vec::new();
    let mut ns = 0usize;
    while docs.len() < shape.objects {
        let namespace = format!("team-{ns}");
        let has_redis = shape.redis_every > 0 && ns.is_multiple_of(shape.redis_every);
        if has_redis {
            redis(&namespace, &mut docs);
        }
        let apps = 3 + rng.below(6);
        for a in 0..apps {
            // The first application of a namespace with a Redis uses it, in
            // one of the five ways; the others may or may not.
            let form = match (has_redis, a) {
                (false, _) => 7,
                (true, 0) => rng.below(5),
                (true, _) => rng.below(7),
            };
            app(&namespace, a, form, &mut rng, &mut docs);
        }
        ns += 1;
    }
    let mut files = Vec::new();
    for (i, chunk) in docs.chunks(shape.per_file.max(1)).enumerate() {
        let mut text = String::new();
        for (j, d) in chunk.iter().enumerate() {
            if j > 0 {
                text.push_str("---\n");
            }
            text.push_str(d);
        }
        files.push((format!("part-{i:05}.yaml"), text));
    }
    files
}

fn redis(ns: &str, docs: &mut Vec<String>) {
    docs.push(format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: redis\n  namespace: {ns}\ntype: Opaque\ndata:\n  redis-password: \"Y2FuYXJ5LWdlbmVyYXRlZA==\"\n"
    ));
    docs.push(format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis-configuration\n  namespace: {ns}\ndata:\n  redis.conf: |\n    appendonly yes\n    save \"\"\n"
    ));
    for (name, headless) in [("redis-headless", true), ("redis-master", false)] {
        let cluster_ip = if headless { "  clusterIP: None\n" } else { "" };
        docs.push(format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n{cluster_ip}  selector:\n    app.kubernetes.io/name: redis\n    app.kubernetes.io/component: master\n  ports:\n    - name: tcp-redis\n      port: 6379\n      targetPort: redis\n"
        ));
    }
    docs.push(format!(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis-master\n  namespace: {ns}\n  labels:\n    app.kubernetes.io/name: redis\nspec:\n  serviceName: redis-headless\n  replicas: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: redis\n      app.kubernetes.io/component: master\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: redis\n        app.kubernetes.io/component: master\n    spec:\n      containers:\n        - name: redis\n          image: docker.io/bitnami/redis:7.2.4-debian-12-r9\n          env:\n            - name: REDIS_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: redis\n                  key: redis-password\n          ports:\n            - name: redis\n              containerPort: 6379\n          volumeMounts:\n            - name: config\n              mountPath: /opt/bitnami/redis/mounted-etc\n            - name: redis-data\n              mountPath: /data\n      volumes:\n        - name: config\n          configMap:\n            name: redis-configuration\n  volumeClaimTemplates:\n    - metadata:\n        name: redis-data\n      spec:\n        accessModes: [ReadWriteOnce]\n        resources:\n          requests:\n            storage: 8Gi\n"
    ));
}

fn app(ns: &str, a: usize, form: usize, rng: &mut Rng, docs: &mut Vec<String>) {
    let name = format!("app-{a}");
    let mut env = String::new();
    let mut extra = String::new();
    let password = "            - name: REDIS_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: redis\n                  key: redis-password\n";
    match form {
        0 => {
            env.push_str(
                "            - name: REDIS_ADDR\n              value: \"redis-master:6379\"\n",
            );
            env.push_str(password);
        }
        1 => {
            env.push_str(password);
            let _ = write!(
                env,
                "            - name: REDIS_URL\n              value: \"redis://:$(REDIS_PASSWORD)@redis-master.{ns}.svc.cluster.local:6379/0\"\n"
            );
        }
        2 => {
            let _ = write!(
                env,
                "            - name: REDIS_HOST\n              value: redis-master.{ns}.svc\n            - name: REDIS_PORT\n              value: \"6379\"\n"
            );
            env.push_str(password);
        }
        3 => {
            config(ns, &name, docs);
            extra.push_str(&format!(
                "          envFrom:\n            - configMapRef:\n                name: {name}-config\n"
            ));
            env.push_str(password);
        }
        4 => {
            extra.push_str(
                "          args: [\"--cache-host\", \"redis-master\", \"--cache-port\", \"6379\"]\n",
            );
        }
        _ => {}
    }
    let _ = write!(
        env,
        "            - name: LOG_LEVEL\n              value: info\n            - name: WORKERS\n              value: \"{}\"\n",
        1 + rng.below(8)
    );
    docs.push(format!(
        "# {name}: generated\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {ns}\n  labels:\n    app.kubernetes.io/name: {name}\nspec:\n  replicas: {}\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: {name}\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: {name}\n    spec:\n      containers:\n        - name: {name}\n          image: ghcr.io/example/{name}:1.{}.0\n{extra}          env:\n{env}          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n",
        1 + rng.below(3),
        rng.below(20)
    ));
    docs.push(format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  selector:\n    app.kubernetes.io/name: {name}\n  ports:\n    - port: 8080\n"
    ));
}

fn config(ns: &str, name: &str, docs: &mut Vec<String>) {
    docs.push(format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}-config\n  namespace: {ns}\ndata:\n  REDIS_HOST: redis-master\n  REDIS_PORT: \"6379\"\n  FEATURE_FLAGS: \"a,b\"\n"
    ));
}

/// A Terraform root module of teams, each a file (`team-00042.tf`) of
/// applications (ECS task definitions and Lambda functions, each with an IAM
/// role and a log group); a team in `redis_every` has an ElastiCache
/// replication group with its subnet group, security group and rule, auth
/// token and CPU alarm, and its applications reach it in every way the
/// adapter follows: a local, the attribute itself, a `rediss://` URL
/// template, a `format("redis://%s:%d/1", ...)` URL, `depends_on`, a call of
/// a module (`modules/app`) that passes it to a Lambda's environment, and a
/// `kubernetes_deployment_v1` whose container reads the local. `objects` counts resources, data
/// sources, variables, outputs, locals and module calls; `per_file` is
/// unused (one team a file).
pub fn terraform(shape: Shape) -> Vec<(String, String)> {
    let mut rng = Rng(shape.seed);
    let mut files = Vec::new();
    let mut count = 2usize;
    let mut team = 0usize;
    files.push((
        "variables.tf".to_string(),
        "variable \"vpc_id\" {\n  type = string\n}\n\nvariable \"subnet_ids\" {\n  type = list(string)\n}\n"
            .to_string(),
    ));
    while count < shape.objects {
        let has_redis = shape.redis_every > 0 && team.is_multiple_of(shape.redis_every);
        let mut text = String::new();
        let t = format!("t{team}");
        if has_redis {
            count += terraform_redis(&t, &mut text);
        }
        let apps = 3 + rng.below(6);
        for a in 0..apps {
            let form = match (has_redis, a) {
                (false, _) => 9,
                (true, 0) => rng.below(7),
                (true, _) => rng.below(9),
            };
            count += terraform_app(&t, a, form, &mut rng, &mut text);
        }
        files.push((format!("team-{team:05}.tf"), text));
        team += 1;
    }
    files.push((
        "modules/app/main.tf".to_string(),
        "variable \"name\" {\n  type = string\n}\n\nvariable \"redis_host\" {\n  type = string\n}\n\nresource \"aws_lambda_function\" \"this\" {\n  function_name = var.name\n  role          = \"arn:aws:iam::123456789012:role/${var.name}\"\n  handler       = \"index.handler\"\n  runtime       = \"nodejs20.x\"\n  filename      = \"app.zip\"\n\n  environment {\n    variables = {\n      REDIS_HOST = var.redis_host\n    }\n  }\n}\n\noutput \"arn\" {\n  value = aws_lambda_function.this.arn\n}\n"
            .to_string(),
    ));
    files.sort();
    files
}

fn terraform_redis(t: &str, out: &mut String) -> usize {
    let _ = write!(
        out,
        r#"# {t}: the team's cache.
resource "aws_elasticache_replication_group" "{t}" {{
  replication_group_id       = "{t}-cache"
  description                = "{t} cache"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  port                       = 6379
  subnet_group_name          = aws_elasticache_subnet_group.{t}.name
  security_group_ids         = [aws_security_group.{t}_cache.id]
  transit_encryption_enabled = true
  auth_token                 = random_password.{t}_cache.result
}}

resource "aws_elasticache_subnet_group" "{t}" {{
  name       = "{t}-cache"
  subnet_ids = var.subnet_ids
}}

resource "aws_security_group" "{t}_cache" {{
  name   = "{t}-cache"
  vpc_id = var.vpc_id
}}

resource "aws_security_group_rule" "{t}_cache_in" {{
  type              = "ingress"
  from_port         = 6379
  to_port           = 6379
  protocol          = "tcp"
  security_group_id = aws_security_group.{t}_cache.id
  cidr_blocks       = ["10.0.0.0/8"]
}}

resource "random_password" "{t}_cache" {{
  length  = 32
  special = false
}}

resource "aws_cloudwatch_metric_alarm" "{t}_cache_cpu" {{
  alarm_name          = "{t}-cache-cpu"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 2
  metric_name         = "CPUUtilization"
  namespace           = "AWS/ElastiCache"
  period              = 300
  statistic           = "Average"
  threshold           = 80
  dimensions = {{
    ReplicationGroupId = aws_elasticache_replication_group.{t}.id
  }}
}}

locals {{
  {t}_cache_host = aws_elasticache_replication_group.{t}.primary_endpoint_address
}}

"#
    );
    8
}

fn terraform_app(t: &str, a: usize, form: usize, rng: &mut Rng, out: &mut String) -> usize {
    let name = format!("{t}_app{a}");
    let host = format!("aws_elasticache_replication_group.{t}.primary_endpoint_address");
    let mut env = String::new();
    let mut after = String::new();
    let mut count = 3;
    match form {
        0 => {
            let _ = writeln!(
                env,
                "      {{ name = \"REDIS_HOST\", value = local.{t}_cache_host }},"
            );
        }
        1 => {
            let _ = writeln!(
                env,
                "      {{ name = \"REDIS_URL\", value = \"rediss://${{{host}}}:6379/0\" }},"
            );
        }
        2 => {
            let _ = write!(
                env,
                "      {{ name = \"REDIS_HOST\", value = {host} }},\n      {{ name = \"REDIS_PORT\", value = tostring(aws_elasticache_replication_group.{t}.port) }},\n"
            );
            after.push_str(&format!(
                "  depends_on = [aws_elasticache_replication_group.{t}]\n"
            ));
        }
        3 => {
            let _ = write!(
                out,
                "module \"{name}_worker\" {{\n  source     = \"./modules/app\"\n  name       = \"{name}-worker\"\n  redis_host = local.{t}_cache_host\n}}\n\n"
            );
            count += 1;
        }
        4 => {
            let _ = writeln!(
                env,
                "      {{ name = \"CACHE_URL\", value = format(\"redis://%s:%d/1\", {host}, aws_elasticache_replication_group.{t}.port) }},"
            );
        }
        5 => {
            let _ = write!(
                out,
                r#"resource "kubernetes_deployment_v1" "{name}_k8s" {{
  metadata {{
    name = "{name}-k8s"
  }}
  spec {{
    template {{
      metadata {{
        labels = {{
          app = "{name}"
        }}
      }}
      spec {{
        container {{
          name  = "app"
          image = "ghcr.io/example/{name}:1.0.0"
          env {{
            name  = "REDIS_HOST"
            value = local.{t}_cache_host
          }}
        }}
      }}
    }}
  }}
}}

"#
            );
            count += 1;
        }
        _ => {}
    }
    let _ = write!(
        out,
        r#"resource "aws_iam_role" "{name}" {{
  name = "{name}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ Service = "ecs-tasks.amazonaws.com" }}, Action = "sts:AssumeRole" }}]
  }})
}}

resource "aws_cloudwatch_log_group" "{name}" {{
  name              = "/ecs/{name}"
  retention_in_days = {}
}}

resource "aws_ecs_task_definition" "{name}" {{
  family             = "{name}"
  execution_role_arn = aws_iam_role.{name}.arn
  container_definitions = jsonencode([{{
    name  = "{name}"
    image = "ghcr.io/example/{name}:1.{}.0"
    logConfiguration = {{
      logDriver = "awslogs"
      options   = {{ "awslogs-group" = aws_cloudwatch_log_group.{name}.name }}
    }}
    environment = [
{env}      {{ name = "LOG_LEVEL", value = "info" }},
      {{ name = "WORKERS", value = "{}" }},
    ]
  }}])
{after}}}

"#,
        [7, 14, 30][rng.below(3)],
        rng.below(20),
        1 + rng.below(8)
    );
    count
}

/// A Compose project of teams: a base `compose.yaml` with the shared
/// `frontend` network, and a file per team (`compose.team-00042.yaml`) of
/// applications on the team's own network; a team in `redis_every` has a
/// Redis service with a named volume and a password secret, and its
/// applications reach it in every way the adapter knows: a map-form
/// `host:port`, a list-form URL with the vendor's password, host and port
/// variables, a command line, a link alias, `depends_on` in both forms, and
/// a service that starts after it but names it nowhere. `objects` counts
/// services and top-level volumes, networks and secrets; `per_file` is unused
/// (one team a file).
pub fn compose(shape: Shape) -> Vec<(String, String)> {
    let mut rng = Rng(shape.seed);
    let mut files = vec![(
        "compose.yaml".to_string(),
        "# The shared edge.\nservices:\n  edge:\n    image: nginx:1.27\n    ports:\n      - \"80:80\"\n    networks:\n      - frontend\n\nnetworks:\n  frontend:\n".to_string(),
    )];
    let mut count = 2usize;
    let mut team = 0usize;
    while count < shape.objects {
        let t = format!("t{team}");
        let has_redis = shape.redis_every > 0 && team.is_multiple_of(shape.redis_every);
        let mut services = String::new();
        let mut top = format!("networks:\n  {t}-net:\n");
        count += 1;
        if has_redis {
            let _ = write!(
                services,
                "  # {t}: the team's cache.\n  {t}-cache:\n    image: bitnami/redis:7.2\n    environment:\n      REDIS_PASSWORD_FILE: /run/secrets/{t}-cache-password\n    volumes:\n      - {t}-cache-data:/bitnami/redis/data\n    secrets:\n      - {t}-cache-password\n    networks:\n      - {t}-net\n    expose:\n      - \"6379\"\n\n"
            );
            let _ = write!(
                top,
                "\nvolumes:\n  {t}-cache-data:\n\nsecrets:\n  {t}-cache-password:\n    file: ./secrets/{t}-cache-password.txt\n"
            );
            count += 3;
        }
        let apps = 3 + rng.below(6);
        for a in 0..apps {
            let form = match (has_redis, a) {
                (false, _) => 9,
                (true, 0) => rng.below(6),
                (true, _) => rng.below(9),
            };
            // Now and then a team's service is on the shared edge's
            // network too (another file's).
            let edge = a == 0 && team % 10 == 3;
            compose_app(&t, a, (form, edge), &mut rng, &mut services);
            count += 1;
        }
        files.push((
            format!("compose.team-{team:05}.yaml"),
            format!("services:\n{services}{top}"),
        ));
        team += 1;
    }
    files.sort();
    files
}

fn compose_app(t: &str, a: usize, (form, edge): (usize, bool), rng: &mut Rng, out: &mut String) {
    let name = format!("{t}-app-{a}");
    let cache = format!("{t}-cache");
    let workers = 1 + rng.below(8);
    let (env, extra) = match form {
        0 => (
            format!(
                "    environment:\n      CACHE_ADDR: \"{cache}:6379\"\n      LOG_LEVEL: info\n      WORKERS: \"{workers}\"\n"
            ),
            format!("    depends_on:\n      {cache}:\n        condition: service_started\n"),
        ),
        1 => (
            format!(
                "    environment:\n      - REDIS_URL=redis://:canary-generated@{cache}:6379/0\n      - LOG_LEVEL=info\n      - WORKERS={workers}\n"
            ),
            format!("    depends_on:\n      - {cache}\n"),
        ),
        2 => (
            format!(
                "    environment:\n      REDIS_HOST: {cache}\n      REDIS_PORT: 6379\n      LOG_LEVEL: info\n"
            ),
            String::new(),
        ),
        3 => (
            format!(
                "    command: [\"serve\", \"--cache-host\", \"{cache}\", \"--cache-port\", \"6379\"]\n    environment:\n      LOG_LEVEL: info\n"
            ),
            String::new(),
        ),
        4 => (
            "    environment:\n      - REDIS_HOST=cache\n      - LOG_LEVEL=info\n".to_string(),
            format!("    links:\n      - {cache}:cache\n"),
        ),
        5 => (
            "    environment:\n      LOG_LEVEL: info\n".to_string(),
            format!("    depends_on: [{cache}]\n"),
        ),
        _ => (
            format!("    environment:\n      LOG_LEVEL: info\n      WORKERS: \"{workers}\"\n"),
            String::new(),
        ),
    };
    let _ = write!(
        out,
        "  {name}:\n    image: ghcr.io/example/{name}:1.{}.0\n    restart: unless-stopped\n{env}{extra}    networks:\n      - {t}-net\n{}\n",
        rng.below(20),
        if edge { "      - frontend\n" } else { "" }
    );
}

/// Generated CloudFormation templates, one per team (a template holds at
/// most 500 resources): each team has a VPC parameter, an SQS queue and 3-8
/// applications, and, in one team in `redis_every`, an ElastiCache
/// replication group with its subnet group, security group, ingress rule,
/// alarm and a password parameter holding the vendor's canary password.
/// The applications read its endpoint every way a template does: short and
/// long `GetAtt` in ECS variables, a `Sub` URL in a Lambda variable, a
/// `Join`, `DependsOn`, and an output. Even teams are YAML with short forms,
/// odd teams JSON. `objects` counts resources, parameters and outputs.
pub fn cloudformation(shape: Shape) -> Vec<(String, String)> {
    let mut rng = Rng(shape.seed);
    let mut files = Vec::new();
    let mut count = 0usize;
    let mut team = 0usize;
    while count < shape.objects {
        let t = format!("T{team}");
        let has_redis = shape.redis_every > 0 && team.is_multiple_of(shape.redis_every);
        let mut params = serde_json::Map::new();
        let mut resources = serde_json::Map::new();
        let mut outputs = serde_json::Map::new();
        params.insert(
            "VpcId".into(),
            serde_json::json!({"Type": "AWS::EC2::VPC::Id"}),
        );
        params.insert(
            "SubnetIds".into(),
            serde_json::json!({"Type": "List<AWS::EC2::Subnet::Id>"}),
        );
        resources.insert(
            format!("{t}Queue"),
            serde_json::json!({"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 60}}),
        );
        count += 3;
        if has_redis {
            params.insert(
                "CachePassword".into(),
                serde_json::json!({"Type": "String", "NoEcho": true, "Default": "canary-generated-password"}),
            );
            resources.insert(
                format!("{t}CacheSubnets"),
                serde_json::json!({"Type": "AWS::ElastiCache::SubnetGroup", "Properties": {"Description": "cache subnets", "SubnetIds": {"Ref": "SubnetIds"}}}),
            );
            resources.insert(
                format!("{t}CacheSg"),
                serde_json::json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "the cache", "VpcId": {"Ref": "VpcId"}}}),
            );
            resources.insert(
                format!("{t}AppSg"),
                serde_json::json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "the applications", "VpcId": {"Ref": "VpcId"}}}),
            );
            resources.insert(
                format!("{t}CacheIngress"),
                serde_json::json!({"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"GroupId": {"Ref": format!("{t}CacheSg")}, "IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379, "SourceSecurityGroupId": {"Ref": format!("{t}AppSg")}}}),
            );
            resources.insert(
                format!("{t}Cache"),
                serde_json::json!({"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {
                    "ReplicationGroupDescription": "the team's cache", "Engine": "redis",
                    "CacheNodeType": "cache.t4g.small", "NumCacheClusters": 2,
                    "TransitEncryptionEnabled": true, "AuthToken": {"Ref": "CachePassword"},
                    "CacheSubnetGroupName": {"Ref": format!("{t}CacheSubnets")},
                    "SecurityGroupIds": [{"Fn::GetAtt": [format!("{t}CacheSg"), "GroupId"]}]}}),
            );
            resources.insert(
                format!("{t}CacheAlarm"),
                serde_json::json!({"Type": "AWS::CloudWatch::Alarm", "Properties": {"Namespace": "AWS/ElastiCache", "MetricName": "CPUUtilization", "Dimensions": [{"Name": "ReplicationGroupId", "Value": {"Ref": format!("{t}Cache")}}], "Statistic": "Average", "Period": 300, "EvaluationPeriods": 2, "Threshold": 80, "ComparisonOperator": "GreaterThanThreshold"}}),
            );
            outputs.insert(
                "CacheAddress".into(),
                serde_json::json!({"Value": {"Fn::GetAtt": [format!("{t}Cache"), "PrimaryEndPoint.Address"]}}),
            );
            count += 7;
        }
        let apps = 3 + rng.below(6);
        for a in 0..apps {
            let form = match (has_redis, a) {
                (false, _) => 9,
                (true, 0) => 0,
                (true, _) => rng.below(6),
            };
            cloudformation_app(&t, a, form, &mut rng, &mut resources);
            count += 1;
        }
        let mut doc = serde_json::Map::new();
        doc.insert("AWSTemplateFormatVersion".into(), "2010-09-09".into());
        doc.insert(
            "Description".into(),
            format!("Team {team}'s services").into(),
        );
        doc.insert("Parameters".into(), params.into());
        doc.insert("Resources".into(), resources.into());
        if !outputs.is_empty() {
            doc.insert("Outputs".into(), outputs.into());
        }
        let doc = serde_json::Value::Object(doc);
        files.push(if team.is_multiple_of(2) {
            (
                format!("team-{team:05}.yaml"),
                short_forms(&crate::stack::edit::document(&doc)),
            )
        } else {
            (
                format!("team-{team:05}.json"),
                serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n",
            )
        });
        team += 1;
    }
    files.sort();
    files
}

/// A template written with long forms, with its one-line `Ref` and
/// `Fn::GetAtt` written in short form (`!Ref X`, `!GetAtt X.Y`).
fn short_forms(yaml: &str) -> String {
    let mut out = String::with_capacity(yaml.len());
    let mut lines = yaml.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_end();
        let next = lines.peek().map(|l| l.trim_start()).unwrap_or("");
        if let Some(key) = trimmed.strip_suffix(':')
            && let Some(name) = next.strip_prefix("Ref: ")
        {
            out.push_str(&format!("{key}: !Ref {name}\n"));
            lines.next();
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn cloudformation_app(
    t: &str,
    a: usize,
    form: usize,
    rng: &mut Rng,
    out: &mut serde_json::Map<String, serde_json::Value>,
) {
    use serde_json::json;
    let cache = format!("{t}Cache");
    let host = json!({"Fn::GetAtt": [cache, "PrimaryEndPoint.Address"]});
    let port = json!({"Fn::GetAtt": [cache, "PrimaryEndPoint.Port"]});
    let image = format!(
        "public.ecr.aws/example/{}-app-{a}:1.{}.0",
        t.to_lowercase(),
        rng.below(20)
    );
    let ecs = |env: serde_json::Value| {
        json!({"Type": "AWS::ECS::TaskDefinition", "Properties": {
            "Family": format!("{t}-app-{a}"), "Cpu": "256", "Memory": "512",
            "NetworkMode": "awsvpc", "RequiresCompatibilities": ["FARGATE"],
            "ContainerDefinitions": [{"Name": "app", "Image": image, "Essential": true, "Environment": env}]}})
    };
    let lambda = |vars: serde_json::Value| {
        json!({"Type": "AWS::Lambda::Function", "Properties": {
            "Runtime": "python3.12", "Handler": "index.handler",
            "Role": format!("arn:aws:iam::123456789012:role/{t}-app-{a}"),
            "Code": {"ZipFile": "def handler(event, context):\n    return 'ok'\n"},
            "Environment": {"Variables": vars}}})
    };
    let name = format!("{t}App{a}");
    let mut resource = match form {
        0 => ecs(json!([
            {"Name": "REDIS_HOST", "Value": host},
            {"Name": "REDIS_PORT", "Value": port},
            {"Name": "LOG_LEVEL", "Value": "info"}])),
        1 => lambda(json!({
            "CACHE_URL": {"Fn::Sub": format!("redis://${{{cache}.PrimaryEndPoint.Address}}:${{{cache}.PrimaryEndPoint.Port}}/0")},
            "QUEUE": {"Ref": format!("{t}Queue")}})),
        2 => lambda(json!({
            "CACHE_ADDR": {"Fn::Join": [":", [host, port]]}})),
        3 => {
            let mut r = ecs(json!([{"Name": "CACHE_HOST", "Value": host}]));
            r["DependsOn"] = json!(cache);
            r
        }
        4 => {
            // Starts after the cache but reads nothing of it.
            let mut r = ecs(json!([{"Name": "LOG_LEVEL", "Value": "info"}]));
            r["DependsOn"] = json!([format!("{t}Queue"), cache]);
            r
        }
        _ => ecs(json!([
            {"Name": "LOG_LEVEL", "Value": "info"},
            {"Name": "WORKERS", "Value": format!("{}", 1 + rng.below(8))}])),
    };
    if let Some(o) = resource.as_object_mut() {
        o.entry("Type").or_insert(json!("AWS::ECS::TaskDefinition"));
    }
    out.insert(name, resource);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn generated_stacks_are_deterministic_and_readable() {
        let shape = Shape {
            objects: 300,
            ..Shape::default()
        };
        let a = kubernetes(shape);
        assert_eq!(a, kubernetes(shape));
        let stack = crate::stack::kubernetes::read(a).unwrap();
        assert!(stack.resources.len() >= 300);
        assert!(stack.resources.iter().any(|r| r.kind == "StatefulSet"));
    }

    #[test]
    fn generated_cloudformation_is_deterministic_and_readable() {
        let shape = Shape {
            objects: 300,
            ..Shape::default()
        };
        let a = cloudformation(shape);
        assert_eq!(a, cloudformation(shape));
        assert!(
            a.iter()
                .any(|(p, t)| p.ends_with(".yaml") && t.contains("!Ref "))
        );
        let stack = crate::stack::cloudformation::read_copies(&a).unwrap();
        assert!(stack.resources.len() >= 300, "{}", stack.resources.len());
        assert!(
            stack
                .resources
                .iter()
                .any(|r| r.kind == "AWS::ElastiCache::ReplicationGroup")
        );
    }

    #[test]
    fn generated_terraform_is_deterministic_and_readable() {
        let shape = Shape {
            objects: 300,
            ..Shape::default()
        };
        let a = terraform(shape);
        assert_eq!(a, terraform(shape));
        let stack = crate::stack::terraform::read(a).unwrap();
        assert!(stack.resources.len() >= 300, "{}", stack.resources.len());
        assert!(
            stack
                .resources
                .iter()
                .any(|r| r.kind == "aws_elasticache_replication_group")
        );
        assert!(stack.resources.iter().any(|r| r.kind == "module"));
    }
}
