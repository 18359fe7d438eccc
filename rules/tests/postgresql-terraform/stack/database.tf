# Billing's database: RDS for PostgreSQL, with its groups, its generated
# master password and cross-region replication of its automated backups.

resource "aws_db_subnet_group" "billing" {
  name       = "${var.name}-billing"
  subnet_ids = var.private_subnet_ids
}

resource "aws_db_parameter_group" "billing" {
  name   = "${var.name}-billing"
  family = "postgres16"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_security_group" "billing_db" {
  name   = "${var.name}-billing-db"
  vpc_id = var.vpc_id

  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "random_password" "billing_db" {
  length  = 32
  special = false
}

resource "aws_db_instance" "billing" {
  identifier              = "${var.name}-billing"
  engine                  = "postgres"
  engine_version          = "16.4"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 50
  db_name                 = "billing"
  username                = "billing"
  password                = random_password.billing_db.result
  db_subnet_group_name    = aws_db_subnet_group.billing.name
  parameter_group_name    = aws_db_parameter_group.billing.name
  vpc_security_group_ids  = [aws_security_group.billing_db.id]
  backup_retention_period = 14
  backup_window           = "03:00-04:00"
  skip_final_snapshot     = false
  final_snapshot_identifier = "${var.name}-billing-final"
}

resource "aws_db_instance_automated_backups_replication" "billing" {
  source_db_instance_arn = aws_db_instance.billing.arn
  retention_period       = 14
  provider               = aws.backup_region
}

resource "aws_cloudwatch_metric_alarm" "billing_db_cpu" {
  alarm_name          = "${var.name}-billing-db-cpu"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = 80
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    DBInstanceIdentifier = aws_db_instance.billing.identifier
  }
  alarm_actions = [var.alerts_topic_arn]
}
