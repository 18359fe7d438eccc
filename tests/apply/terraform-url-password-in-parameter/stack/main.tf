resource "random_password" "redis" {
  length  = 40
  special = false
}

resource "aws_elasticache_replication_group" "redis" {
  replication_group_id       = "acme"
  description                = "acme"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  transit_encryption_enabled = true
  auth_token                 = random_password.redis.result
}

# The app reads one URL, password included, from SSM.
resource "aws_ssm_parameter" "redis_url" {
  name  = "/acme/redis/url"
  type  = "SecureString"
  value = "rediss://:${random_password.redis.result}@${aws_elasticache_replication_group.redis.primary_endpoint_address}:6379/0"
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([{
    name  = "api"
    image = "acme/api:1"
    secrets = [
      { name = "REDIS_URL", valueFrom = aws_ssm_parameter.redis_url.arn },
    ]
  }])
}
