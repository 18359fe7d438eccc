resource "aws_elasticache_serverless_cache" "jobs" {
  name   = "jobs"
  engine = "redis"
}

resource "helm_release" "queue" {
  name       = "queue"
  repository = "https://charts.example.com"
  chart      = "queue-worker"
  version    = "4.2.0"

  set {
    name  = "redis.host"
    value = aws_elasticache_serverless_cache.jobs.endpoint[0].address
  }

  set {
    name  = "redis.port"
    value = aws_elasticache_serverless_cache.jobs.endpoint[0].port
  }

  values = [
    yamlencode({
      worker = {
        concurrency = 8
        brokerUrl   = "rediss://${aws_elasticache_serverless_cache.jobs.endpoint[0].address}:${aws_elasticache_serverless_cache.jobs.endpoint[0].port}"
      }
    })
  ]
}
