resource "aws_security_group" "app" {
  name   = "${var.name}-app"
  vpc_id = var.vpc_id
}

locals {
  database_url = "postgresql://billing_app@billing.cluster-abc123xyz.us-east-2.rds.amazonaws.com:5432/billing?sslmode=verify-full&application_name=billing-api"
}

resource "aws_ecs_task_definition" "billing_api" {
  family                   = "${var.name}-billing-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 2048
  execution_role_arn       = var.execution_role_arn

  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "example/billing-api:5.0.2"
      essential = true
      environment = [
        { name = "DATABASE_URL", value = local.database_url },
        { name = "PORT", value = "8080" },
        { name = "PG_IDENTITY", value = "arn:aws:iam::444455556666:role/billing-db-connect" },
        { name = "PGHOST", value = "billing.cluster-abc123xyz.us-east-2.rds.amazonaws.com" },
        { name = "PGPORT", value = "5432" },
        { name = "PGDATABASE", value = "billing" },
        { name = "PGUSER", value = "billing_app" },
        { name = "PGSSLMODE", value = "verify-full" },
      ]
    }
  ])
  tags = {
    "graft.dev/postgresql-auth" = "arn:aws:iam::444455556666:role/billing-db-connect"
  }
}

resource "aws_lambda_function" "invoice_mailer" {
  function_name = "${var.name}-invoice-mailer"
  role          = var.lambda_role_arn
  runtime       = "python3.12"
  handler       = "mailer.handler"
  filename      = "mailer.zip"

  environment {
    variables = {
      PGHOST     = "billing.cluster-abc123xyz.us-east-2.rds.amazonaws.com"
      PGPORT     = "5432"
      PGDATABASE = "billing"
      PGUSER     = "billing_app"
      PG_IDENTITY = "arn:aws:iam::444455556666:role/billing-db-connect"
      PGSSLMODE = "verify-full"
    }
  }
  tags = {
    "graft.dev/postgresql-auth" = "arn:aws:iam::444455556666:role/billing-db-connect"
  }
}
