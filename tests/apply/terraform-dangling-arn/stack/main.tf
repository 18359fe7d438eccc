resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = "cache"
  description          = "cache"
  engine               = "redis"
}

resource "aws_iam_policy" "app" {
  name = "app-cache"
  policy = jsonencode({
    Statement = [{
      Effect   = "Allow"
      Action   = ["elasticache:Connect"]
      Resource = [aws_elasticache_replication_group.cache.arn]
    }]
  })
}

resource "aws_iam_role_policy_attachment" "app" {
  role       = "app"
  policy_arn = aws_iam_policy.app.arn
}

resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([{
    name  = "app"
    image = "app:1"
    environment = [
      { name = "CACHE_HOST", value = aws_elasticache_replication_group.cache.primary_endpoint_address },
      { name = "CACHE_ARN", value = aws_elasticache_replication_group.cache.arn },
    ]
  }])
}
