# One generated secret serves the cache's auth token, the database's master
# password and a signing key: only what connects to Redis may get the
# customer's Redis password.
resource "random_password" "internal" {
  length  = 48
  special = false
}

resource "aws_db_instance" "pg" {
  identifier        = "acme"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
  username          = "acme"
  password          = random_password.internal.result
}

resource "aws_elasticache_replication_group" "redis" {
  replication_group_id       = "acme"
  description                = "acme"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  transit_encryption_enabled = true
  auth_token                 = random_password.internal.result
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
  environment {
    variables = {
      REDIS_HOST      = aws_elasticache_replication_group.redis.primary_endpoint_address
      REDIS_AUTH      = random_password.internal.result
      PGHOST          = aws_db_instance.pg.address
      PGPASSWORD      = random_password.internal.result
      SESSION_SIGNING = sha256(random_password.internal.result)
    }
  }
}

resource "aws_lambda_function" "reporting" {
  function_name = "reporting"
  role          = "arn:aws:iam::123456789012:role/reporting"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
  environment {
    variables = {
      HMAC_KEY = random_password.internal.result
    }
  }
}
