resource "aws_security_group" "app" {
  name   = "${var.name}-app"
  vpc_id = var.vpc_id
}

locals {
  sessions_endpoint = "${aws_elasticache_replication_group.sessions.configuration_endpoint_address}:${aws_elasticache_replication_group.sessions.port}"
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
      ]
    }
  ])
}

resource "aws_lambda_function" "session_sweeper" {
  function_name = "${var.name}-session-sweeper"
  role          = var.lambda_role_arn
  runtime       = "python3.12"
  handler       = "sweeper.handler"
  filename      = "sweeper.zip"

  environment {
    variables = {
      VALKEY_HOST = aws_elasticache_replication_group.sessions.configuration_endpoint_address
    }
  }
}

output "sessions_endpoint" {
  value = local.sessions_endpoint
}

resource "aws_vpc_security_group_egress_rule" "app_to_sessions" {
  security_group_id            = aws_security_group.app.id
  referenced_security_group_id = aws_security_group.sessions.id
  from_port                    = 6379
  to_port                      = 6379
  ip_protocol                  = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "app_to_https" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}
