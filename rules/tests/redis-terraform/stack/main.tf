# The shop's cache.
resource "aws_elasticache_replication_group" "redis" {
  replication_group_id       = "shop"
  description                = "shop cache"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  port                       = 6379
  subnet_group_name          = aws_elasticache_subnet_group.redis.name
  parameter_group_name       = aws_elasticache_parameter_group.redis.name
  security_group_ids         = [aws_security_group.redis.id]
  transit_encryption_enabled = true
  auth_token                 = random_password.redis.result
}

resource "aws_elasticache_subnet_group" "redis" {
  name       = "shop-cache"
  subnet_ids = var.subnet_ids
}

resource "aws_elasticache_parameter_group" "redis" {
  name   = "shop-cache"
  family = "redis7"
}

resource "aws_security_group" "redis" {
  name   = "shop-cache"
  vpc_id = var.vpc_id
}

resource "aws_security_group_rule" "redis_in" {
  type              = "ingress"
  from_port         = 6379
  to_port           = 6379
  protocol          = "tcp"
  security_group_id = aws_security_group.redis.id
  cidr_blocks       = ["10.0.0.0/16"]
}

resource "random_password" "redis" {
  length  = 32
  special = false
}

resource "aws_cloudwatch_metric_alarm" "redis_cpu" {
  alarm_name          = "shop-cache-cpu"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 2
  metric_name         = "CPUUtilization"
  namespace           = "AWS/ElastiCache"
  period              = 300
  statistic           = "Average"
  threshold           = 80
  dimensions = {
    ReplicationGroupId = aws_elasticache_replication_group.redis.id
  }
}

locals {
  redis_host = aws_elasticache_replication_group.redis.primary_endpoint_address
  app_name   = "shop"
}

resource "aws_ecs_task_definition" "app" {
  family = local.app_name
  container_definitions = jsonencode([{
    name  = "app"
    image = "shop/app:1.4"
    environment = [
      { name = "REDIS_HOST", value = local.redis_host },
      { name = "REDIS_URL", value = "rediss://:${random_password.redis.result}@${aws_elasticache_replication_group.redis.primary_endpoint_address}:6379/0" },
    ]
  }])
  depends_on = [aws_elasticache_replication_group.redis, aws_security_group.redis]
}

output "redis_endpoint" {
  value = aws_elasticache_replication_group.redis.primary_endpoint_address
}

output "redis_arn" {
  value = aws_elasticache_replication_group.redis.arn
}

# An internal name for the cache: it keeps working, pointed at the customer's.
resource "aws_route53_record" "cache" {
  zone_id = var.zone_id
  name    = "cache.shop.internal"
  type    = "CNAME"
  ttl     = 300
  records = [aws_elasticache_replication_group.redis.primary_endpoint_address]
}

resource "aws_lambda_function" "worker" {
  function_name = "shop-worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "worker.zip"

  environment {
    variables = {
      CACHE_URL = format("redis://%s:%d/0", aws_elasticache_replication_group.redis.primary_endpoint_address, aws_elasticache_replication_group.redis.port)
    }
  }
}
