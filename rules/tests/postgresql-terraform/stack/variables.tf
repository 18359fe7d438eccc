variable "name" {
  type    = string
  default = "acme"
}

variable "vpc_id" {
  type = string
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "execution_role_arn" {
  type = string
}

variable "lambda_role_arn" {
  type = string
}

variable "alerts_topic_arn" {
  type = string
}
