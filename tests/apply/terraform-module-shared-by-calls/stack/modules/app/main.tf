variable "cache_host" { type = string }

resource "aws_lambda_function" "this" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "${path.module}/fn.zip"
  environment {
    variables = {
      CACHE_URL = "redis://${var.cache_host}:6379/0"
    }
  }
}
