# Example Terraform variables for prod environment using ECS/Fargate

# Basic Configuration
project_name = "entropy-playground"
environment  = "prod"
aws_region   = "us-east-1"

# VPC Configuration
vpc_cidr           = "10.100.0.0/16"
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
private_subnets    = ["10.100.1.0/24", "10.100.2.0/24", "10.100.3.0/24"]
public_subnets     = ["10.100.101.0/24", "10.100.102.0/24", "10.100.103.0/24"]
enable_nat_gateway = true
single_nat_gateway = false  # Use multiple NAT gateways for HA

# ECS/Fargate Configuration
use_fargate = true

# Container Configuration
agent_container_image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/entropy-playground:v1.0.0"
agent_task_cpu        = "1024"
agent_task_memory     = "2048"
agent_desired_count   = 3

# Application Configuration
log_level = "WARN"

# ECS Secrets from Parameter Store
ecs_secrets = [
  {
    name      = "GITHUB_TOKEN"
    valueFrom = "arn:aws:ssm:us-east-1:123456789012:parameter/entropy-playground/prod/github-token"
  },
  {
    name      = "OPENAI_API_KEY"
    valueFrom = "arn:aws:ssm:us-east-1:123456789012:parameter/entropy-playground/prod/openai-api-key"
  }
]

# ECS Features
enable_ecs_health_check      = true
enable_ecs_load_balancer     = true
enable_ecs_service_discovery = true
enable_ecs_autoscaling       = true

# Auto-scaling Configuration
ecs_min_capacity    = 3
ecs_max_capacity    = 20
ecs_cpu_target      = 60
ecs_memory_target   = 70

# Redis Configuration
enable_redis         = true
redis_node_type      = "cache.r6g.large"
redis_num_nodes      = 2  # Multi-AZ for HA
redis_engine_version = "7.0"

# S3 Configuration
s3_force_destroy   = false
s3_lifecycle_days  = 30

# Tags
additional_tags = {
  Owner       = "Platform Team"
  CostCenter  = "Engineering"
  Environment = "Production"
  Compliance  = "SOC2"
  Terraform   = "true"
}
