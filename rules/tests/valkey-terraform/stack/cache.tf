# Sessions: ElastiCache for Valkey, cluster mode on.

resource "aws_elasticache_subnet_group" "sessions" {
  name       = "${var.name}-sessions"
  subnet_ids = var.private_subnet_ids
}

resource "aws_elasticache_parameter_group" "sessions" {
  name   = "${var.name}-sessions"
  family = "valkey8"

  parameter {
    name  = "cluster-enabled"
    value = "yes"
  }
}

resource "aws_security_group" "sessions" {
  name   = "${var.name}-sessions"
  vpc_id = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "sessions_from_app" {
  security_group_id            = aws_security_group.sessions.id
  referenced_security_group_id = aws_security_group.app.id
  from_port                    = 6379
  to_port                      = 6379
  ip_protocol                  = "tcp"
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "${var.name}-sessions"
  description                = "Session store"
  engine                     = "valkey"
  engine_version             = "8.0"
  node_type                  = "cache.r7g.large"
  num_node_groups            = 2
  replicas_per_node_group    = 1
  parameter_group_name       = aws_elasticache_parameter_group.sessions.name
  subnet_group_name          = aws_elasticache_subnet_group.sessions.name
  security_group_ids         = [aws_security_group.sessions.id]
  transit_encryption_enabled = true
  snapshot_retention_limit   = 7
  snapshot_window            = "03:00-05:00"
}
