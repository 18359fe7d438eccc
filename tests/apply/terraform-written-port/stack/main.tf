resource "aws_elasticache_cluster" "cache" {
  cluster_id      = "cache"
  engine          = "redis"
  node_type       = "cache.t4g.micro"
  num_cache_nodes = 1
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "api.zip"
  environment {
    variables = {
      REDIS_ADDR = "${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379"
      REDIS_ADDR2 = "${aws_elasticache_cluster.cache.cache_nodes[0].address}:${aws_elasticache_cluster.cache.port}"
      # Predis' form keeps its scheme, `tls` for a TLS endpoint.
      PREDIS_DSN = "tcp://${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379"
    }
  }
}
