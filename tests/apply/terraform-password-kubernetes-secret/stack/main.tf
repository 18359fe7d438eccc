resource "random_password" "redis" {
  length  = 32
  special = false
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id       = "cache"
  description                = "cache"
  engine                     = "redis"
  node_type                  = "cache.t4g.micro"
  transit_encryption_enabled = true
  auth_token                 = random_password.redis.result
}

resource "helm_release" "app" {
  name      = "app"
  chart     = "./charts/app"
  namespace = "shop"

  set {
    name  = "redis.host"
    value = aws_elasticache_replication_group.cache.primary_endpoint_address
  }

  set_sensitive {
    name  = "redis.password"
    value = random_password.redis.result
  }
}
