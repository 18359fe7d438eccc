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
  name  = "app"
  chart = "./charts/app"

  set {
    name  = "redis.host"
    value = aws_elasticache_replication_group.cache.primary_endpoint_address
  }

  set_sensitive {
    name  = "redis.password"
    value = random_password.redis.result
  }
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "api.zip"
  environment {
    variables = {
      CACHE_HOST = aws_elasticache_replication_group.cache.primary_endpoint_address
      CACHE_PASS = aws_elasticache_replication_group.cache.auth_token
    }
  }
}

output "redis_password" {
  value     = random_password.redis.result
  sensitive = true
}

output "redis_auth" {
  value     = aws_elasticache_replication_group.cache.auth_token
  sensitive = true
}
