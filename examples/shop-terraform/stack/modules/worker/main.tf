variable "name" {
  type = string
}

variable "redis_host" {
  description = "The cache's host name."
  type        = string
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = aws_iam_role.this.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "${path.module}/worker.zip"

  environment {
    variables = {
      REDIS_HOST = var.redis_host
      REDIS_PORT = "6379"
    }
  }
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}
