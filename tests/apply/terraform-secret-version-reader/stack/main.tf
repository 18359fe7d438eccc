resource "random_password" "redis_auth" {
  length  = 32
  special = false
}

resource "aws_secretsmanager_secret" "redis_auth" {
  name = "acme-redis-auth"
}

resource "aws_secretsmanager_secret_version" "redis_auth" {
  secret_id     = aws_secretsmanager_secret.redis_auth.id
  secret_string = random_password.redis_auth.result
}

resource "aws_elasticache_replication_group" "redis" {
  replication_group_id       = "acme"
  description                = "acme"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  transit_encryption_enabled = true
  auth_token                 = random_password.redis_auth.result
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([{
    name  = "api"
    image = "acme/api:1"
    environment = [
      { name = "REDIS_HOST", value = aws_elasticache_replication_group.redis.primary_endpoint_address },
    ]
    secrets = [
      { name = "REDIS_AUTH_TOKEN", valueFrom = aws_secretsmanager_secret.redis_auth.arn },
    ]
  }])
}
