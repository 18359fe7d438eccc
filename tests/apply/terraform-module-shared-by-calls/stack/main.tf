resource "aws_elasticache_replication_group" "redis" {
  replication_group_id = "acme"
  description          = "acme"
  engine               = "redis"
  node_type            = "cache.t4g.small"
}

module "api" {
  source     = "./modules/app"
  cache_host = aws_elasticache_replication_group.redis.primary_endpoint_address
}

module "worker" {
  source     = "./modules/app"
  cache_host = "memcached.internal"
}
