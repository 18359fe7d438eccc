resource "aws_security_group" "app" {
  name   = "${var.name}-app"
  vpc_id = var.vpc_id
}

locals {
  sessions_endpoint = "clustercfg.sessions.xyz789.use1.cache.amazonaws.com:6379"
}

resource "aws_ecs_task_definition" "storefront" {
  family                   = "${var.name}-storefront"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = var.execution_role_arn

  container_definitions = jsonencode([
    {
      name      = "web"
      image     = "example/storefront:4.2.0"
      essential = true
      environment = [
        { name = "SESSION_STORE", value = local.sessions_endpoint },
        { name = "LOG_LEVEL", value = "info" },
        { name = "REDIS_TLS", value = "true" },
        { name = "REDIS_CLUSTER", value = "true" },
      ]
      secrets = [{ name = "REDIS_PASSWORD", valueFrom = "arn:aws:secretsmanager:us-east-1:210987654321:secret:valkey-auth-Ab12Cd" }]
    }
  ])
  tags = {
    "graft.dev/valkey-auth" = "arn:aws:secretsmanager:us-east-1:210987654321:secret:valkey-auth-Ab12Cd"
  }
}

resource "aws_lambda_function" "session_sweeper" {
  function_name = "${var.name}-session-sweeper"
  role          = var.lambda_role_arn
  runtime       = "python3.12"
  handler       = "sweeper.handler"
  filename      = "sweeper.zip"

  environment {
    variables = {
      VALKEY_HOST = "clustercfg.sessions.xyz789.use1.cache.amazonaws.com"
      REDIS_TLS = "true"
      REDIS_CLUSTER = "true"
      REDIS_PASSWORD = data.aws_secretsmanager_secret_version.graft_valkey_auth.secret_string
    }
  }
  tags = {
    "graft.dev/valkey-auth" = "arn:aws:secretsmanager:us-east-1:210987654321:secret:valkey-auth-Ab12Cd"
  }
}

output "sessions_endpoint" {
  value = local.sessions_endpoint
}

resource "aws_vpc_security_group_egress_rule" "app_to_https" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

data "aws_secretsmanager_secret_version" "graft_valkey_auth" {
  secret_id = "arn:aws:secretsmanager:us-east-1:210987654321:secret:valkey-auth-Ab12Cd"
}
