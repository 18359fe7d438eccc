variable "redis_password" {
  type      = string
  sensitive = true
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id       = "cache"
  description                = "cache"
  engine                     = "redis"
  node_type                  = "cache.t4g.micro"
  transit_encryption_enabled = true
  auth_token                 = var.redis_password
}

resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([{
    name  = "app"
    image = "app:1"
    environment = [
      { name = "REDIS_HOST", value = aws_elasticache_replication_group.cache.primary_endpoint_address },
      { name = "REDIS_PASS", value = var.redis_password },
    ]
  }])
}
