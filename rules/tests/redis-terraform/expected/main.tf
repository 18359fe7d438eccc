locals {
  redis_host = "master.customer.abc123.use1.cache.amazonaws.com"
  app_name   = "shop"
}

resource "aws_ecs_task_definition" "app" {
  family = local.app_name
  container_definitions = jsonencode([{
    name  = "app"
    image = "shop/app:1.4"
    environment = [
      { name = "REDIS_HOST", value = local.redis_host },
      { name = "REDIS_URL", value = "rediss://master.customer.abc123.use1.cache.amazonaws.com:6380/2" },
      { name = "REDIS_DB", value = "2" },
      { name = "REDIS_TLS", value = "true" },
      { name = "REDIS_CLUSTER", value = "false" },
    ]
    secrets = [{ name = "REDIS_PASSWORD", valueFrom = "arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-auth" }]
  }])
  tags = {
    "graft.dev/redis-auth" = "arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-auth"
  }
}

output "redis_endpoint" {
  value = "master.customer.abc123.use1.cache.amazonaws.com"
}

# An internal name for the cache: it keeps working, pointed at the customer's.
resource "aws_route53_record" "cache" {
  zone_id = var.zone_id
  name    = "cache.shop.internal"
  type    = "CNAME"
  ttl     = 300
  records = ["master.customer.abc123.use1.cache.amazonaws.com"]
}

resource "aws_lambda_function" "worker" {
  function_name = "shop-worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "worker.zip"

  environment {
    variables = {
      CACHE_URL = "rediss://master.customer.abc123.use1.cache.amazonaws.com:6380/2"
      REDIS_DB = "2"
      REDIS_TLS = "true"
      REDIS_CLUSTER = "false"
      REDIS_PASSWORD = data.aws_secretsmanager_secret_version.graft_redis_auth.secret_string
    }
  }
  tags = {
    "graft.dev/redis-auth" = "arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-auth"
  }
}

data "aws_secretsmanager_secret_version" "graft_redis_auth" {
  secret_id = "arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-auth"
}
