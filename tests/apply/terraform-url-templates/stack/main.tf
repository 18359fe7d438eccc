# Connection URLs written in templates the whole-string rewrite does not
# take: directives, heredocs, text around the URL, a scheme from a variable.
# No vendor password stays in any of them.
resource "aws_elasticache_cluster" "cache" {
  cluster_id      = "cache"
  engine          = "redis"
  node_type       = "cache.t4g.micro"
  num_cache_nodes = 1
}

variable "tls" {
  default = false
}

variable "scheme" {
  default = "redis"
}

variable "user" {
  default = "app"
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "api.zip"
  environment {
    variables = {
      # A scheme a directive chooses: the URL is the customer's, whole.
      DIRECTIVE = "%{ if var.tls }rediss%{ else }redis%{ endif }://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0"
      OPTION_DIRECTIVE = "redis://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0%{ if var.tls }?tls=true%{ endif }"
      # A URL in a directive's body, in a heredoc, after other text: the
      # URL is rewritten where it is written.
      BODY = "%{ if var.tls }redis://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0%{ endif }"
      HEREDOC = <<-EOT
        redis://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0
      EOT
      PREFIXED = "Redis at redis://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0 for sessions"
      HEREDOC_PREDIS = <<EOT
tcp://${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379
EOT
      HEREDOC_OPTION = <<-EOT
        tcp://${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379?auth=vendor-pw
        EOT
      # The URL ends where no URL goes on: the text around it stays.
      PARENTHESES = "(redis://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0)"
      QUOTED = "export REDIS_URL='redis://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0'; run"
      FLAGS = "redis://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0 --timeout 5"
      DIRECTIVE_FLAGS = "%{ if var.tls }rediss%{ else }redis%{ endif }://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0 --timeout 5"
      # Text the whole-string rewrite leaves after the URL: the URL is
      # rewritten where it is written.
      FLAGS_VARIABLE = "redis://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0 ${var.user}"
      ESCAPED_FLAGS = "redis://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0\t--timeout 5"
      REPLICAS = "redis://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0,redis://replica:6379/0"
      # A port a directive writes stays, and is a warning.
      DIRECTIVE_PORT = "x redis://${aws_elasticache_cluster.cache.cache_nodes[0].address}%{ if var.tls }:6379%{ endif }/0"
      # A password a format() string writes among escapes or verbs: a
      # warning where it cannot be taken out.
      FORMAT_PERCENT = format("tcp://app:vendor%%pw@%s:%d", aws_elasticache_cluster.cache.cache_nodes[0].address, 6379)
      FORMAT_ESCAPED = format("tcp://app:vendor\\pw@%s:%d", aws_elasticache_cluster.cache.cache_nodes[0].address, 6379)
      # A user a variable gives stays; the password goes.
      USER = "Redis at redis://${var.user}:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0"
      # A database a variable gives: the host and scheme are rewritten, and
      # a warning names the variable.
      DATABASE_VARIABLE = "Redis at redis://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/${var.user}"
      # A scheme from a variable stays, and is a warning; the password goes.
      DYNAMIC = "${var.scheme}://:vendor-pw@${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379/0"
    }
  }
}
