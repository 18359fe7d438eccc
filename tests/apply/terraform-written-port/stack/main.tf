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
      # Built with format(): the customer's host and port.
      REDIS_ADDR_FORMAT = format("%s:6379", aws_elasticache_cluster.cache.cache_nodes[0].address)
      REDIS_ADDR2 = "${aws_elasticache_cluster.cache.cache_nodes[0].address}:${aws_elasticache_cluster.cache.port}"
      # Predis' form keeps its scheme, `tls` for a TLS endpoint.
      PREDIS_DSN = "tcp://${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379"
      # Without a port (Predis' default, 6379), or built with format(): the
      # customer's port is written out.
      PREDIS_DEFAULT_PORT = "tcp://${aws_elasticache_cluster.cache.cache_nodes[0].address}"
      PREDIS_FORMAT = format("tcp://%s:6379", aws_elasticache_cluster.cache.cache_nodes[0].address)
      # With more arguments than the host: the password goes from the
      # format string, and the port given beside it is a warning.
      PREDIS_FORMAT_PORT = format("tcp://app:vendor-pw@%s:%d", aws_elasticache_cluster.cache.cache_nodes[0].address, 6379)
      # The vendor's password written in one, as the user information or an
      # option: it goes, and the plan masks it.
      PREDIS_USER = "tcp://app:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379"
      PREDIS_AUTH = "tcp://${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379?timeout=2&auth=vendor-pw"
      # Beside an interpolation the rewrite leaves, or a port read from the
      # dropped resource.
      PREDIS_PREFIX = "tcp://${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379?auth=vendor-pw&prefix=${var.prefix}"
      PREDIS_PORT = "tcp://app:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:${aws_elasticache_cluster.cache.port}"
      PREDIS_OPTIONS = "tcp://${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379?auth=vendor-pw&password=vendor-pw&prefix=${var.prefix}"
      PREDIS_QUOTED = "Redis «tcp://${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379»"
      # An option written with a quote cannot be cut where it is written:
      # a warning, and the string is left whole.
      PREDIS_QUOTE = "tcp://${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379?auth=pa'ss"
      REDIS_URL = "redis://${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0?password=vendor-pw"
    }
  }
}

variable "prefix" {
  default = "api"
}
