resource "aws_security_group" "app" {
  name   = "${var.name}-app"
  vpc_id = var.vpc_id
}

locals {
  database_url = "postgres://${aws_db_instance.billing.username}:${random_password.billing_db.result}@${aws_db_instance.billing.endpoint}/${aws_db_instance.billing.db_name}?sslmode=require&application_name=billing-api"
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
      ]
    }
  ])
}

resource "aws_lambda_function" "invoice_mailer" {
  function_name = "${var.name}-invoice-mailer"
  role          = var.lambda_role_arn
  runtime       = "python3.12"
  handler       = "mailer.handler"
  filename      = "mailer.zip"

  environment {
    variables = {
      PGHOST     = aws_db_instance.billing.address
      PGPORT     = tostring(aws_db_instance.billing.port)
      PGDATABASE = aws_db_instance.billing.db_name
      PGUSER     = aws_db_instance.billing.username
    }
  }
}
