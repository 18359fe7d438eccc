# Billing's database: RDS for PostgreSQL, with its groups, its generated
# master password and cross-region replication of its automated backups.

