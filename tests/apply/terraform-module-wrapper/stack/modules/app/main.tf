variable "name" {
  type = string
}

variable "redis_host" {
  type = string
}

variable "redis_url" {
  type = string
}

resource "aws_lambda_function" "worker" {
  function_name = "${var.name}-worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "worker.zip"

  environment {
    variables = {
      REDIS_HOST = var.redis_host
      REDIS_URL  = var.redis_url
    }
  }
}
