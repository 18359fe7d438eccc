//! The CloudFormation resource types graft knows: the ElastiCache, MemoryDB and
//! RDS services a customer may replace with their own, the workloads that consume
//! them (ECS task definitions, Lambda functions, EC2 user data), and the
//! supporting resources that only exist for the service's sake.
//!
//! Properties carry their CloudFormation names (`CacheNodeType`, `Tags`); the
//! attributes `Fn::GetAtt` returns are computed, under their dotted names
//! (`PrimaryEndPoint.Address`). In a list of objects, a field is listed under
//! the list's name (`ContainerDefinitions.Image` is the image of any container).
use super::{AttrType::*, Attribute, Format, ResourceType, TypeKind, attr, out};

/// The resource tags, as a list of `Key`/`Value` pairs, shared by every type
/// below whose `Tags` is a list.
const TAGS: &[Attribute] = &[attr(
    "Tags",
    List,
    "the resource tags, as a list of `Key`/`Value` pairs",
)];

/// The engine version and node type of an ElastiCache cluster, shared by
/// `AWS::ElastiCache::ReplicationGroup` and `AWS::ElastiCache::CacheCluster`.
const ELASTICACHE_VERSION: &[Attribute] = &[
    attr("EngineVersion", String, "the engine version"),
    attr("CacheNodeType", String, "the cache node instance type"),
];

/// The port, parameter group and subnet group of ElastiCache nodes, shared by
/// `AWS::ElastiCache::ReplicationGroup` and `AWS::ElastiCache::CacheCluster`.
const ELASTICACHE_NETWORK: &[Attribute] = &[
    attr("Port", Int, "the port the nodes accept connections on"),
    attr(
        "CacheParameterGroupName",
        String,
        "the name of the cache parameter group",
    ),
    attr(
        "CacheSubnetGroupName",
        String,
        "the name of the cache subnet group",
    ),
];

/// The automatic snapshot retention and window, shared by
/// `AWS::ElastiCache::ReplicationGroup`, `AWS::ElastiCache::CacheCluster` and
/// `AWS::MemoryDB::Cluster`.
const SNAPSHOT_SCHEDULE: &[Attribute] = &[
    attr(
        "SnapshotRetentionLimit",
        Int,
        "how many days automatic snapshots are kept, 0 to disable them",
    ),
    attr(
        "SnapshotWindow",
        String,
        "the daily time range for automatic snapshots",
    ),
];

/// The snapshots a new cluster is seeded from, shared by
/// `AWS::ElastiCache::CacheCluster` and `AWS::MemoryDB::Cluster`.
const SNAPSHOT_RESTORE: &[Attribute] = &[
    attr(
        "SnapshotName",
        String,
        "a snapshot to restore into the new cluster",
    ),
    attr(
        "SnapshotArns",
        List,
        "the RDB files in S3 that seed the new cluster",
    ),
];

/// The maintenance window, notification topic and minor upgrades of an
/// ElastiCache cluster, shared by `AWS::ElastiCache::ReplicationGroup` and
/// `AWS::ElastiCache::CacheCluster`.
const ELASTICACHE_MAINTENANCE: &[Attribute] = &[
    attr(
        "PreferredMaintenanceWindow",
        String,
        "the weekly maintenance window",
    ),
    attr(
        "NotificationTopicArn",
        String,
        "the SNS topic for notifications",
    ),
    attr(
        "AutoMinorVersionUpgrade",
        Bool,
        "whether minor engine upgrades are applied automatically",
    ),
];

/// The IP version, network type and log delivery of ElastiCache nodes, shared
/// by `AWS::ElastiCache::ReplicationGroup` and
/// `AWS::ElastiCache::CacheCluster`.
const ELASTICACHE_IP_AND_LOGS: &[Attribute] = &[
    attr(
        "IpDiscovery",
        String,
        "the IP version nodes advertise, `ipv4` or `ipv6`",
    ),
    attr(
        "NetworkType",
        String,
        "the network type, `ipv4`, `ipv6` or `dual_stack`",
    ),
    attr(
        "LogDeliveryConfigurations",
        List,
        "slow log and engine log delivery settings",
    ),
];

/// The storage encryption of an RDS database, shared by `AWS::RDS::DBInstance`
/// and `AWS::RDS::DBCluster`.
const RDS_STORAGE_ENCRYPTION: &[Attribute] = &[
    attr("StorageEncrypted", Bool, "whether storage is encrypted"),
    attr("KmsKeyId", String, "the KMS key for storage encryption"),
];

/// The master user, its password, the port and the subnet group of an RDS
/// database, shared by `AWS::RDS::DBInstance` and `AWS::RDS::DBCluster`.
const RDS_MASTER_USER: &[Attribute] = &[
    attr("MasterUsername", String, "the master user name"),
    attr("MasterUserPassword", String, "the master password"),
    attr(
        "ManageMasterUserPassword",
        Bool,
        "whether RDS keeps the master password in Secrets Manager",
    ),
    attr(
        "MasterUserSecret",
        Object,
        "the Secrets Manager secret settings for the master password",
    ),
    attr(
        "MasterUserSecret.KmsKeyId",
        String,
        "the KMS key of that secret",
    ),
    attr("Port", Int, "the port the database accepts connections on"),
    attr(
        "DBSubnetGroupName",
        String,
        "the name of the DB subnet group",
    ),
];

/// The backup and maintenance windows of an RDS database, shared by
/// `AWS::RDS::DBInstance` and `AWS::RDS::DBCluster`.
const RDS_WINDOWS: &[Attribute] = &[
    attr(
        "PreferredBackupWindow",
        String,
        "the daily time range for automated backups",
    ),
    attr(
        "PreferredMaintenanceWindow",
        String,
        "the weekly maintenance window",
    ),
];

/// The description and subnets of a cache subnet group, shared by
/// `AWS::ElastiCache::SubnetGroup` and `AWS::MemoryDB::SubnetGroup`.
const CACHE_SUBNET_GROUP: &[Attribute] = &[
    attr("Description", String, "the subnet group description"),
    attr("SubnetIds", List, "the VPC subnet ids"),
];

/// The description and parameters of a parameter group, shared by
/// `AWS::MemoryDB::ParameterGroup`, `AWS::RDS::DBParameterGroup` and
/// `AWS::RDS::DBClusterParameterGroup`.
const PARAMETER_GROUP: &[Attribute] = &[
    attr("Description", String, "the parameter group description"),
    attr("Parameters", Map, "the parameters, by name"),
];

/// The `Fn::GetAtt` attributes of a cache user, shared by
/// `AWS::ElastiCache::User` and `AWS::MemoryDB::User`.
const USER_OUTPUTS: &[Attribute] = &[
    out("Arn", String, "the user's ARN"),
    out("Status", String, "the user status"),
];

/// The protocol and port range of a security group rule, shared by
/// `AWS::EC2::SecurityGroupIngress` and `AWS::EC2::SecurityGroupEgress`.
const SG_RULE_PORTS: &[Attribute] = &[
    attr("IpProtocol", String, "the protocol, or `-1` for all"),
    attr("FromPort", Int, "the start of the port range"),
    attr("ToPort", Int, "the end of the port range"),
];

/// The CloudFormation resource types graft knows.
pub(super) static TYPES: &[ResourceType] = &[
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::ElastiCache::ReplicationGroup",
        kind: TypeKind::Service,
        doc: "an ElastiCache replication group of Redis OSS or Valkey, cluster mode on or off",
        attributes: &[
            &[
                attr(
                    "ReplicationGroupId",
                    String,
                    "the replication group identifier",
                ),
                attr(
                    "ReplicationGroupDescription",
                    String,
                    "the replication group description",
                ),
                attr("Engine", String, "the cache engine, `redis` or `valkey`"),
            ],
            ELASTICACHE_VERSION,
            &[
                attr(
                    "NumCacheClusters",
                    Int,
                    "the number of nodes (primary and replicas) when cluster mode is off",
                ),
                attr(
                    "NumNodeGroups",
                    Int,
                    "the number of shards when cluster mode is on",
                ),
                attr(
                    "ReplicasPerNodeGroup",
                    Int,
                    "the number of replicas in each shard",
                ),
                attr("NodeGroupConfiguration", List, "the per-shard settings"),
                attr(
                    "ClusterMode",
                    String,
                    "the cluster mode, `enabled`, `disabled` or `compatible`",
                ),
            ],
            ELASTICACHE_NETWORK,
            &[
                attr("SecurityGroupIds", List, "the VPC security group ids"),
                attr(
                    "CacheSecurityGroupNames",
                    List,
                    "the cache security group names (EC2-Classic)",
                ),
                attr(
                    "PreferredCacheClusterAZs",
                    List,
                    "the availability zones to place nodes in",
                ),
                attr(
                    "PrimaryClusterId",
                    String,
                    "an existing cache cluster to become the primary",
                ),
                attr(
                    "AutomaticFailoverEnabled",
                    Bool,
                    "whether a replica is promoted when the primary fails",
                ),
                attr("MultiAZEnabled", Bool, "whether Multi-AZ is enabled"),
                attr(
                    "AtRestEncryptionEnabled",
                    Bool,
                    "whether data is encrypted at rest",
                ),
                attr("KmsKeyId", String, "the KMS key for encryption at rest"),
                attr("TransitEncryptionEnabled", Bool, "whether TLS is enabled"),
                attr(
                    "TransitEncryptionMode",
                    String,
                    "the TLS mode while migrating, `preferred` or `required`",
                ),
                attr("AuthToken", String, "the AUTH password"),
                attr(
                    "UserGroupIds",
                    List,
                    "the user groups for RBAC access control",
                ),
            ],
            SNAPSHOT_SCHEDULE,
            &[
                attr(
                    "SnapshottingClusterId",
                    String,
                    "the node snapshots are taken from",
                ),
                attr(
                    "SnapshotName",
                    String,
                    "a snapshot to restore into the new group",
                ),
                attr(
                    "SnapshotArns",
                    List,
                    "the RDB files in S3 that seed the new group",
                ),
            ],
            ELASTICACHE_MAINTENANCE,
            &[
                attr(
                    "DataTieringEnabled",
                    Bool,
                    "whether data tiering to SSD is enabled (r6gd nodes)",
                ),
                attr(
                    "GlobalReplicationGroupId",
                    String,
                    "the global datastore this group is a secondary of",
                ),
            ],
            ELASTICACHE_IP_AND_LOGS,
            TAGS,
            &[
                out(
                    "PrimaryEndPoint.Address",
                    String,
                    "the primary endpoint address when cluster mode is off",
                ),
                out(
                    "PrimaryEndPoint.Port",
                    Int,
                    "the primary endpoint port when cluster mode is off",
                ),
                out(
                    "ReaderEndPoint.Address",
                    String,
                    "the reader endpoint address when cluster mode is off",
                ),
                out(
                    "ReaderEndPoint.Port",
                    Int,
                    "the reader endpoint port when cluster mode is off",
                ),
                out(
                    "ConfigurationEndPoint.Address",
                    String,
                    "the configuration endpoint address when cluster mode is on",
                ),
                out(
                    "ConfigurationEndPoint.Port",
                    Int,
                    "the configuration endpoint port when cluster mode is on",
                ),
                out(
                    "ReadEndPoint.Addresses",
                    String,
                    "the read replica addresses, comma-separated",
                ),
                out(
                    "ReadEndPoint.Addresses.List",
                    List,
                    "the read replica addresses",
                ),
                out(
                    "ReadEndPoint.Ports",
                    String,
                    "the read replica ports, comma-separated",
                ),
                out("ReadEndPoint.Ports.List", List, "the read replica ports"),
            ],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::ElastiCache::CacheCluster",
        kind: TypeKind::Service,
        doc: "an ElastiCache cache cluster: Memcached, or a single Redis OSS or Valkey node",
        attributes: &[
            &[
                attr("ClusterName", String, "the cluster name"),
                attr(
                    "Engine",
                    String,
                    "the cache engine, `memcached`, `redis` or `valkey`",
                ),
            ],
            ELASTICACHE_VERSION,
            &[attr("NumCacheNodes", Int, "the number of cache nodes")],
            ELASTICACHE_NETWORK,
            &[
                attr("VpcSecurityGroupIds", List, "the VPC security group ids"),
                attr(
                    "CacheSecurityGroupNames",
                    List,
                    "the cache security group names (EC2-Classic)",
                ),
                attr(
                    "AZMode",
                    String,
                    "whether Memcached nodes span zones, `single-az` or `cross-az`",
                ),
                attr(
                    "PreferredAvailabilityZone",
                    String,
                    "the availability zone of a single-node cluster",
                ),
                attr(
                    "PreferredAvailabilityZones",
                    List,
                    "the availability zones of the nodes",
                ),
                attr("TransitEncryptionEnabled", Bool, "whether TLS is enabled"),
            ],
            SNAPSHOT_SCHEDULE,
            SNAPSHOT_RESTORE,
            ELASTICACHE_MAINTENANCE,
            ELASTICACHE_IP_AND_LOGS,
            TAGS,
            &[
                out(
                    "RedisEndpoint.Address",
                    String,
                    "the address of a Redis OSS or Valkey node",
                ),
                out(
                    "RedisEndpoint.Port",
                    Int,
                    "the port of a Redis OSS or Valkey node",
                ),
                out(
                    "ConfigurationEndpoint.Address",
                    String,
                    "the configuration endpoint address (memcached)",
                ),
                out(
                    "ConfigurationEndpoint.Port",
                    Int,
                    "the configuration endpoint port (memcached)",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::ElastiCache::ServerlessCache",
        kind: TypeKind::Service,
        doc: "an ElastiCache Serverless cache running Redis OSS, Valkey or Memcached",
        attributes: &[
            &[
                attr("ServerlessCacheName", String, "the serverless cache name"),
                attr(
                    "Engine",
                    String,
                    "the cache engine, `redis`, `valkey` or `memcached`",
                ),
                attr("MajorEngineVersion", String, "the major engine version"),
                attr("Description", String, "the cache description"),
                attr("CacheUsageLimits", Object, "the storage and ECPU limits"),
                attr(
                    "CacheUsageLimits.DataStorage",
                    Object,
                    "the data storage limits",
                ),
                attr(
                    "CacheUsageLimits.DataStorage.Maximum",
                    Int,
                    "the maximum data storage",
                ),
                attr(
                    "CacheUsageLimits.DataStorage.Minimum",
                    Int,
                    "the minimum data storage",
                ),
                attr(
                    "CacheUsageLimits.DataStorage.Unit",
                    String,
                    "the unit of the storage limits, `GB`",
                ),
                attr(
                    "CacheUsageLimits.ECPUPerSecond",
                    Object,
                    "the ECPU rate limits",
                ),
                attr(
                    "CacheUsageLimits.ECPUPerSecond.Maximum",
                    Int,
                    "the maximum ECPUs per second",
                ),
                attr(
                    "CacheUsageLimits.ECPUPerSecond.Minimum",
                    Int,
                    "the minimum ECPUs per second",
                ),
                attr(
                    "SubnetIds",
                    List,
                    "the subnets the VPC endpoint is placed in",
                ),
                attr("SecurityGroupIds", List, "the VPC security group ids"),
                attr(
                    "UserGroupId",
                    String,
                    "the user group for RBAC access control",
                ),
                attr("KmsKeyId", String, "the KMS key for encryption at rest"),
                attr(
                    "DailySnapshotTime",
                    String,
                    "the daily time automatic snapshots are taken",
                ),
                attr(
                    "SnapshotRetentionLimit",
                    Int,
                    "how many automatic snapshots are kept",
                ),
                attr(
                    "SnapshotArnsToRestore",
                    List,
                    "snapshots to restore into the new cache",
                ),
                attr(
                    "FinalSnapshotName",
                    String,
                    "the name of the snapshot taken when the cache is deleted",
                ),
            ],
            TAGS,
            &[
                out("ARN", String, "the serverless cache's ARN"),
                out("Status", String, "the cache status"),
                out("CreateTime", String, "when the cache was created"),
                out("FullEngineVersion", String, "the full engine version"),
                out("Endpoint.Address", String, "the DNS name of the endpoint"),
                out("Endpoint.Port", Int, "the port of the endpoint"),
                out(
                    "ReaderEndpoint.Address",
                    String,
                    "the DNS name of the reader endpoint",
                ),
                out(
                    "ReaderEndpoint.Port",
                    Int,
                    "the port of the reader endpoint",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::ElastiCache::GlobalReplicationGroup",
        kind: TypeKind::Service,
        doc: "an ElastiCache global datastore: a replication group replicated to other regions",
        attributes: &[&[
            attr(
                "GlobalReplicationGroupIdSuffix",
                String,
                "the suffix of the global datastore name",
            ),
            attr(
                "GlobalReplicationGroupDescription",
                String,
                "the global datastore description",
            ),
            attr("Members", List, "the member replication groups"),
            attr(
                "Members.ReplicationGroupId",
                String,
                "the id of a member replication group",
            ),
            attr(
                "Members.ReplicationGroupRegion",
                String,
                "the region of a member replication group",
            ),
            attr(
                "Members.Role",
                String,
                "the role of a member, `PRIMARY` or `SECONDARY`",
            ),
            attr("Engine", String, "the cache engine, `redis` or `valkey`"),
            attr(
                "EngineVersion",
                String,
                "the engine version of all member groups",
            ),
            attr(
                "CacheNodeType",
                String,
                "the cache node instance type of the members",
            ),
            attr(
                "CacheParameterGroupName",
                String,
                "the parameter group used for a major version upgrade",
            ),
            attr(
                "AutomaticFailoverEnabled",
                Bool,
                "whether a replica is promoted when a primary fails",
            ),
            attr("GlobalNodeGroupCount", Int, "the number of shards"),
            attr(
                "RegionalConfigurations",
                List,
                "the per-region resharding settings",
            ),
            out(
                "GlobalReplicationGroupId",
                String,
                "the full global replication group id",
            ),
            out("Status", String, "the global datastore status"),
        ]],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::MemoryDB::Cluster",
        kind: TypeKind::Service,
        doc: "a MemoryDB cluster: a durable Redis OSS or Valkey cluster",
        attributes: &[
            &[
                attr("ClusterName", String, "the cluster name"),
                attr("Description", String, "the cluster description"),
                attr("Engine", String, "the engine, `redis` or `valkey`"),
                attr("EngineVersion", String, "the engine version"),
                attr("NodeType", String, "the node instance type"),
                attr("NumShards", Int, "the number of shards"),
                attr(
                    "NumReplicasPerShard",
                    Int,
                    "the number of replicas in each shard",
                ),
                attr("Port", Int, "the port the nodes accept connections on"),
                attr(
                    "ACLName",
                    String,
                    "the access control list, `open-access` for none",
                ),
                attr(
                    "SubnetGroupName",
                    String,
                    "the name of the MemoryDB subnet group",
                ),
                attr("SecurityGroupIds", List, "the VPC security group ids"),
                attr(
                    "ParameterGroupName",
                    String,
                    "the name of the MemoryDB parameter group",
                ),
                attr("TLSEnabled", Bool, "whether TLS is enabled"),
                attr("KmsKeyId", String, "the KMS key for encryption at rest"),
                attr(
                    "DataTiering",
                    String,
                    "whether data tiering to SSD is enabled, `true` or `false`",
                ),
            ],
            SNAPSHOT_SCHEDULE,
            SNAPSHOT_RESTORE,
            &[
                attr(
                    "FinalSnapshotName",
                    String,
                    "the name of the snapshot taken when the cluster is deleted",
                ),
                attr("MaintenanceWindow", String, "the weekly maintenance window"),
                attr("SnsTopicArn", String, "the SNS topic for notifications"),
                attr(
                    "AutoMinorVersionUpgrade",
                    Bool,
                    "whether minor engine upgrades are applied automatically",
                ),
                attr(
                    "NetworkType",
                    String,
                    "the network type, `ipv4`, `ipv6` or `dual_stack`",
                ),
                attr(
                    "IpDiscovery",
                    String,
                    "the IP version nodes advertise, `ipv4` or `ipv6`",
                ),
            ],
            TAGS,
            &[
                out("ARN", String, "the cluster's ARN"),
                out("Status", String, "the cluster status"),
                out(
                    "ClusterEndpoint.Address",
                    String,
                    "the DNS name of the cluster endpoint",
                ),
                out(
                    "ClusterEndpoint.Port",
                    Int,
                    "the port of the cluster endpoint",
                ),
                out(
                    "ParameterGroupStatus",
                    String,
                    "the status of the parameter group",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::RDS::DBInstance",
        kind: TypeKind::Service,
        doc: "an RDS database instance, such as PostgreSQL or MySQL",
        attributes: &[
            &[
                attr("DBInstanceIdentifier", String, "the instance identifier"),
                attr(
                    "Engine",
                    String,
                    "the database engine, such as `postgres` or `mysql`",
                ),
                attr("EngineVersion", String, "the engine version"),
                attr(
                    "DBInstanceClass",
                    String,
                    "the instance class, such as `db.t4g.micro`",
                ),
                attr("AllocatedStorage", Int, "the allocated storage in GiB"),
                attr(
                    "MaxAllocatedStorage",
                    Int,
                    "the storage autoscaling limit in GiB",
                ),
                attr("StorageType", String, "the storage type, such as `gp3`"),
            ],
            RDS_STORAGE_ENCRYPTION,
            &[attr(
                "DBName",
                String,
                "the name of the database created with the instance",
            )],
            RDS_MASTER_USER,
            &[
                attr(
                    "DBParameterGroupName",
                    String,
                    "the name of the DB parameter group",
                ),
                attr("OptionGroupName", String, "the name of the option group"),
                attr("VPCSecurityGroups", List, "the VPC security group ids"),
                attr(
                    "DBSecurityGroups",
                    List,
                    "the DB security groups (EC2-Classic)",
                ),
                attr(
                    "DBClusterIdentifier",
                    String,
                    "the cluster the instance belongs to",
                ),
                attr(
                    "PubliclyAccessible",
                    Bool,
                    "whether the instance has a public address",
                ),
                attr("MultiAZ", Bool, "whether a standby runs in another zone"),
                attr("AvailabilityZone", String, "the availability zone"),
                attr(
                    "CACertificateIdentifier",
                    String,
                    "the CA certificate of the server",
                ),
                attr(
                    "EnableIAMDatabaseAuthentication",
                    Bool,
                    "whether IAM authentication is enabled",
                ),
                attr(
                    "BackupRetentionPeriod",
                    Int,
                    "how many days automated backups are kept, 0 to disable them",
                ),
            ],
            RDS_WINDOWS,
            &[
                attr(
                    "DBSnapshotIdentifier",
                    String,
                    "a snapshot to restore into the new instance",
                ),
                attr(
                    "SourceDBInstanceIdentifier",
                    String,
                    "the instance this is a read replica of",
                ),
                attr(
                    "CopyTagsToSnapshot",
                    Bool,
                    "whether tags are copied to snapshots",
                ),
                attr(
                    "DeleteAutomatedBackups",
                    Bool,
                    "whether automated backups are removed with the instance",
                ),
                attr("DeletionProtection", Bool, "whether deletion is refused"),
                attr(
                    "EnablePerformanceInsights",
                    Bool,
                    "whether Performance Insights is enabled",
                ),
                attr(
                    "MonitoringInterval",
                    Int,
                    "the enhanced monitoring interval in seconds",
                ),
                attr(
                    "AutoMinorVersionUpgrade",
                    Bool,
                    "whether minor engine upgrades are applied automatically",
                ),
            ],
            TAGS,
            &[
                out("Endpoint.Address", String, "the DNS name of the instance"),
                out("Endpoint.Port", Int, "the port of the instance"),
                out(
                    "Endpoint.HostedZoneId",
                    String,
                    "the Route 53 zone of the endpoint",
                ),
                out("DBInstanceArn", String, "the instance's ARN"),
                out("DbiResourceId", String, "the RDS resource id"),
                out(
                    "MasterUserSecret.SecretArn",
                    String,
                    "the ARN of the secret holding the master password",
                ),
                out(
                    "CertificateDetails.CAIdentifier",
                    String,
                    "the CA of the server certificate",
                ),
                out(
                    "CertificateDetails.ValidTill",
                    String,
                    "when the server certificate expires",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::RDS::DBCluster",
        kind: TypeKind::Service,
        doc: "an Aurora or Multi-AZ DB cluster",
        attributes: &[
            &[
                attr("DBClusterIdentifier", String, "the cluster identifier"),
                attr(
                    "Engine",
                    String,
                    "the database engine, such as `aurora-postgresql` or `postgres`",
                ),
                attr("EngineVersion", String, "the engine version"),
                attr(
                    "EngineMode",
                    String,
                    "the engine mode, such as `provisioned` or `serverless`",
                ),
                attr(
                    "DatabaseName",
                    String,
                    "the name of the database created with the cluster",
                ),
            ],
            RDS_MASTER_USER,
            &[
                attr(
                    "DBClusterParameterGroupName",
                    String,
                    "the name of the cluster parameter group",
                ),
                attr("VpcSecurityGroupIds", List, "the VPC security group ids"),
                attr("AvailabilityZones", List, "the availability zones"),
                attr(
                    "DBClusterInstanceClass",
                    String,
                    "the instance class of a Multi-AZ DB cluster",
                ),
                attr(
                    "AllocatedStorage",
                    Int,
                    "the allocated storage in GiB of a Multi-AZ DB cluster",
                ),
                attr("StorageType", String, "the storage type"),
            ],
            RDS_STORAGE_ENCRYPTION,
            &[
                attr(
                    "EnableIAMDatabaseAuthentication",
                    Bool,
                    "whether IAM authentication is enabled",
                ),
                attr(
                    "ServerlessV2ScalingConfiguration",
                    Object,
                    "the Aurora Serverless v2 capacity range",
                ),
                attr(
                    "GlobalClusterIdentifier",
                    String,
                    "the global database this cluster belongs to",
                ),
                attr(
                    "BackupRetentionPeriod",
                    Int,
                    "how many days automated backups are kept",
                ),
            ],
            RDS_WINDOWS,
            &[
                attr(
                    "SnapshotIdentifier",
                    String,
                    "a snapshot to restore into the new cluster",
                ),
                attr(
                    "CopyTagsToSnapshot",
                    Bool,
                    "whether tags are copied to snapshots",
                ),
                attr("DeletionProtection", Bool, "whether deletion is refused"),
            ],
            TAGS,
            &[
                out(
                    "Endpoint.Address",
                    String,
                    "the DNS name of the writer endpoint",
                ),
                out("Endpoint.Port", Int, "the port of the writer endpoint"),
                out(
                    "ReadEndpoint.Address",
                    String,
                    "the DNS name of the load-balanced reader endpoint",
                ),
                out("DBClusterArn", String, "the cluster's ARN"),
                out("DBClusterResourceId", String, "the RDS resource id"),
                out(
                    "MasterUserSecret.SecretArn",
                    String,
                    "the ARN of the secret holding the master password",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::ECS::TaskDefinition",
        kind: TypeKind::Workload,
        doc: "an ECS task definition, whose containers may consume a backing service",
        attributes: &[
            &[
                attr("Family", String, "the task definition family"),
                attr("ContainerDefinitions", List, "the container definitions"),
                attr(
                    "ContainerDefinitions.Name",
                    String,
                    "the name of a container",
                ),
                attr(
                    "ContainerDefinitions.Image",
                    String,
                    "the image of a container",
                ),
                attr(
                    "ContainerDefinitions.Environment",
                    List,
                    "the environment of a container, as `Name`/`Value` pairs",
                ),
                attr(
                    "ContainerDefinitions.Secrets",
                    List,
                    "the secrets of a container, as `Name`/`ValueFrom` pairs",
                ),
                attr(
                    "ContainerDefinitions.EnvironmentFiles",
                    List,
                    "the environment files of a container in S3",
                ),
                attr(
                    "ContainerDefinitions.PortMappings",
                    List,
                    "the port mappings of a container",
                ),
                attr(
                    "ContainerDefinitions.Command",
                    List,
                    "the command of a container",
                ),
                attr(
                    "ContainerDefinitions.EntryPoint",
                    List,
                    "the entry point of a container",
                ),
                attr(
                    "ContainerDefinitions.MountPoints",
                    List,
                    "the volume mounts of a container",
                ),
                attr(
                    "ContainerDefinitions.DependsOn",
                    List,
                    "the containers a container waits for",
                ),
                attr(
                    "ContainerDefinitions.Essential",
                    Bool,
                    "whether the task stops when a container stops",
                ),
                attr("TaskRoleArn", String, "the IAM role the containers assume"),
                attr(
                    "ExecutionRoleArn",
                    String,
                    "the IAM role ECS uses to pull images and read secrets",
                ),
                attr("NetworkMode", String, "the network mode, such as `awsvpc`"),
                attr(
                    "RequiresCompatibilities",
                    List,
                    "the launch types, such as `FARGATE`",
                ),
                attr("Cpu", String, "the task CPU units"),
                attr("Memory", String, "the task memory in MiB"),
                attr("Volumes", List, "the volumes containers can mount"),
                attr("Volumes.Name", String, "the name of a volume"),
                attr(
                    "RuntimePlatform",
                    Object,
                    "the operating system and CPU architecture",
                ),
            ],
            TAGS,
            &[out(
                "TaskDefinitionArn",
                String,
                "the task definition's ARN",
            )],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::Lambda::Function",
        kind: TypeKind::Workload,
        doc: "a Lambda function, which may consume a backing service",
        attributes: &[
            &[
                attr("FunctionName", String, "the function name"),
                attr("Role", String, "the IAM role the function assumes"),
                attr("Runtime", String, "the runtime, such as `python3.12`"),
                attr("Handler", String, "the entry point in the code"),
                attr("PackageType", String, "`Zip` or `Image`"),
                attr("Code", Object, "the deployment package"),
                attr("Code.ZipFile", String, "the inline source code"),
                attr(
                    "Code.S3Bucket",
                    String,
                    "the S3 bucket of the deployment package",
                ),
                attr("Code.S3Key", String, "the S3 key of the deployment package"),
                attr(
                    "Code.ImageUri",
                    String,
                    "the container image of an `Image` function",
                ),
                attr("Environment", Object, "the environment block"),
                attr("Environment.Variables", Map, "the environment variables"),
                attr("MemorySize", Int, "the memory in MB"),
                attr("Timeout", Int, "the timeout in seconds"),
                attr("Layers", List, "the layer ARNs"),
                attr(
                    "Architectures",
                    List,
                    "the instruction set, `x86_64` or `arm64`",
                ),
                attr("VpcConfig", Object, "the VPC settings"),
                attr(
                    "VpcConfig.SubnetIds",
                    List,
                    "the subnets the function runs in",
                ),
                attr(
                    "VpcConfig.SecurityGroupIds",
                    List,
                    "the security groups of the function",
                ),
                attr(
                    "KmsKeyArn",
                    String,
                    "the KMS key for the environment variables",
                ),
            ],
            TAGS,
            &[out("Arn", String, "the function's ARN")],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::EC2::Instance",
        kind: TypeKind::Workload,
        doc: "an EC2 instance, whose user data may configure a backing service",
        attributes: &[
            &[
                attr("ImageId", String, "the AMI"),
                attr("InstanceType", String, "the instance type"),
                attr("UserData", String, "the base64-encoded user data script"),
                attr("SubnetId", String, "the subnet"),
                attr("SecurityGroupIds", List, "the VPC security group ids"),
                attr(
                    "SecurityGroups",
                    List,
                    "the security group names (default VPC)",
                ),
                attr("IamInstanceProfile", String, "the instance profile"),
                attr("KeyName", String, "the key pair"),
                attr(
                    "LaunchTemplate",
                    Object,
                    "the launch template the instance is created from",
                ),
            ],
            TAGS,
            &[
                out("InstanceId", String, "the instance id"),
                out("PrivateIp", String, "the private IP address"),
                out("PrivateDnsName", String, "the private DNS name"),
                out("PublicIp", String, "the public IP address"),
                out("PublicDnsName", String, "the public DNS name"),
                out("AvailabilityZone", String, "the availability zone"),
            ],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::EC2::LaunchTemplate",
        kind: TypeKind::Workload,
        doc: "an EC2 launch template, whose user data may configure a backing service",
        attributes: &[&[
            attr("LaunchTemplateName", String, "the launch template name"),
            attr(
                "VersionDescription",
                String,
                "the description of the version",
            ),
            attr("LaunchTemplateData", Object, "the instance settings"),
            attr(
                "LaunchTemplateData.UserData",
                String,
                "the base64-encoded user data script",
            ),
            attr("LaunchTemplateData.ImageId", String, "the AMI"),
            attr(
                "LaunchTemplateData.InstanceType",
                String,
                "the instance type",
            ),
            attr(
                "LaunchTemplateData.SecurityGroupIds",
                List,
                "the VPC security group ids",
            ),
            attr(
                "LaunchTemplateData.IamInstanceProfile",
                Object,
                "the instance profile",
            ),
            attr(
                "LaunchTemplateData.NetworkInterfaces",
                List,
                "the network interfaces",
            ),
            attr(
                "LaunchTemplateData.TagSpecifications",
                List,
                "the tags applied to launched resources",
            ),
            attr("TagSpecifications", List, "the tags of the launch template"),
            out("LaunchTemplateId", String, "the launch template id"),
            out("LatestVersionNumber", String, "the latest version number"),
            out("DefaultVersionNumber", String, "the default version number"),
        ]],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::ElastiCache::SubnetGroup",
        kind: TypeKind::Supporting,
        doc: "an ElastiCache subnet group",
        attributes: &[
            &[attr(
                "CacheSubnetGroupName",
                String,
                "the subnet group name",
            )],
            CACHE_SUBNET_GROUP,
            TAGS,
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::ElastiCache::ParameterGroup",
        kind: TypeKind::Supporting,
        doc: "an ElastiCache parameter group",
        attributes: &[
            &[
                attr(
                    "CacheParameterGroupFamily",
                    String,
                    "the parameter group family, such as `redis7` or `valkey8`",
                ),
                attr("Description", String, "the parameter group description"),
                attr("Properties", Map, "the parameters, by name"),
            ],
            TAGS,
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::ElastiCache::SecurityGroup",
        kind: TypeKind::Supporting,
        doc: "an ElastiCache cache security group (EC2-Classic)",
        attributes: &[
            &[attr(
                "Description",
                String,
                "the security group description",
            )],
            TAGS,
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::ElastiCache::User",
        kind: TypeKind::Supporting,
        doc: "an ElastiCache RBAC user",
        attributes: &[
            &[
                attr("UserId", String, "the user id"),
                attr("UserName", String, "the user name clients authenticate as"),
                attr("Engine", String, "the engine, `redis` or `valkey`"),
                attr(
                    "AccessString",
                    String,
                    "the access string granting commands and keys",
                ),
                attr("Passwords", List, "the user's passwords"),
                attr(
                    "NoPasswordRequired",
                    Bool,
                    "whether the user needs no password",
                ),
                attr("AuthenticationMode", Object, "the authentication settings"),
                attr(
                    "AuthenticationMode.Type",
                    String,
                    "`password`, `no-password-required` or `iam`",
                ),
                attr("AuthenticationMode.Passwords", List, "the user's passwords"),
            ],
            TAGS,
            USER_OUTPUTS,
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::ElastiCache::UserGroup",
        kind: TypeKind::Supporting,
        doc: "an ElastiCache RBAC user group",
        attributes: &[
            &[
                attr("UserGroupId", String, "the user group id"),
                attr("Engine", String, "the engine, `redis` or `valkey`"),
                attr("UserIds", List, "the users in the group"),
            ],
            TAGS,
            &[
                out("Arn", String, "the user group's ARN"),
                out("Status", String, "the user group status"),
            ],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::MemoryDB::SubnetGroup",
        kind: TypeKind::Supporting,
        doc: "a MemoryDB subnet group",
        attributes: &[
            &[attr("SubnetGroupName", String, "the subnet group name")],
            CACHE_SUBNET_GROUP,
            TAGS,
            &[out("ARN", String, "the subnet group's ARN")],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::MemoryDB::ParameterGroup",
        kind: TypeKind::Supporting,
        doc: "a MemoryDB parameter group",
        attributes: &[
            &[
                attr("ParameterGroupName", String, "the parameter group name"),
                attr(
                    "Family",
                    String,
                    "the parameter group family, such as `memorydb_redis7`",
                ),
            ],
            PARAMETER_GROUP,
            TAGS,
            &[out("ARN", String, "the parameter group's ARN")],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::MemoryDB::ACL",
        kind: TypeKind::Supporting,
        doc: "a MemoryDB access control list",
        attributes: &[
            &[
                attr("ACLName", String, "the ACL name"),
                attr("UserNames", List, "the users in the ACL"),
            ],
            TAGS,
            &[
                out("Arn", String, "the ACL's ARN"),
                out("Status", String, "the ACL status"),
            ],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::MemoryDB::User",
        kind: TypeKind::Supporting,
        doc: "a MemoryDB user",
        attributes: &[
            &[
                attr("UserName", String, "the user name clients authenticate as"),
                attr(
                    "AccessString",
                    String,
                    "the access string granting commands and keys",
                ),
                attr("AuthenticationMode", Object, "the authentication settings"),
                attr("AuthenticationMode.Type", String, "`password` or `iam`"),
                attr("AuthenticationMode.Passwords", List, "the user's passwords"),
            ],
            TAGS,
            USER_OUTPUTS,
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::EC2::SecurityGroup",
        kind: TypeKind::Supporting,
        doc: "a VPC security group",
        attributes: &[
            &[
                attr("GroupName", String, "the security group name"),
                attr("GroupDescription", String, "the security group description"),
                attr("VpcId", String, "the VPC of the security group"),
                attr("SecurityGroupIngress", List, "the inline inbound rules"),
                attr(
                    "SecurityGroupIngress.IpProtocol",
                    String,
                    "the protocol, or `-1` for all",
                ),
                attr(
                    "SecurityGroupIngress.FromPort",
                    Int,
                    "the start of the port range",
                ),
                attr(
                    "SecurityGroupIngress.ToPort",
                    Int,
                    "the end of the port range",
                ),
                attr(
                    "SecurityGroupIngress.CidrIp",
                    String,
                    "the source IPv4 CIDR range",
                ),
                attr(
                    "SecurityGroupIngress.CidrIpv6",
                    String,
                    "the source IPv6 CIDR range",
                ),
                attr(
                    "SecurityGroupIngress.Description",
                    String,
                    "the rule description",
                ),
                attr(
                    "SecurityGroupIngress.SourceSecurityGroupId",
                    String,
                    "the source security group",
                ),
                attr(
                    "SecurityGroupIngress.SourcePrefixListId",
                    String,
                    "the source prefix list",
                ),
                attr("SecurityGroupEgress", List, "the inline outbound rules"),
                attr(
                    "SecurityGroupEgress.IpProtocol",
                    String,
                    "the protocol, or `-1` for all",
                ),
                attr(
                    "SecurityGroupEgress.FromPort",
                    Int,
                    "the start of the port range",
                ),
                attr(
                    "SecurityGroupEgress.ToPort",
                    Int,
                    "the end of the port range",
                ),
                attr(
                    "SecurityGroupEgress.CidrIp",
                    String,
                    "the destination IPv4 CIDR range",
                ),
                attr(
                    "SecurityGroupEgress.CidrIpv6",
                    String,
                    "the destination IPv6 CIDR range",
                ),
                attr(
                    "SecurityGroupEgress.Description",
                    String,
                    "the rule description",
                ),
                attr(
                    "SecurityGroupEgress.DestinationSecurityGroupId",
                    String,
                    "the destination security group",
                ),
                attr(
                    "SecurityGroupEgress.DestinationPrefixListId",
                    String,
                    "the destination prefix list",
                ),
            ],
            TAGS,
            &[out("GroupId", String, "the security group id")],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::EC2::SecurityGroupIngress",
        kind: TypeKind::Supporting,
        doc: "an inbound rule of a VPC security group",
        attributes: &[
            &[
                attr("GroupId", String, "the security group the rule belongs to"),
                attr(
                    "GroupName",
                    String,
                    "the name of that security group (default VPC)",
                ),
            ],
            SG_RULE_PORTS,
            &[
                attr("CidrIp", String, "the source IPv4 CIDR range"),
                attr("CidrIpv6", String, "the source IPv6 CIDR range"),
                attr("Description", String, "the rule description"),
                attr("SourceSecurityGroupId", String, "the source security group"),
                attr("SourcePrefixListId", String, "the source prefix list"),
            ],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::EC2::SecurityGroupEgress",
        kind: TypeKind::Supporting,
        doc: "an outbound rule of a VPC security group",
        attributes: &[
            &[attr(
                "GroupId",
                String,
                "the security group the rule belongs to",
            )],
            SG_RULE_PORTS,
            &[
                attr("CidrIp", String, "the destination IPv4 CIDR range"),
                attr("CidrIpv6", String, "the destination IPv6 CIDR range"),
                attr("Description", String, "the rule description"),
                attr(
                    "DestinationSecurityGroupId",
                    String,
                    "the destination security group",
                ),
                attr(
                    "DestinationPrefixListId",
                    String,
                    "the destination prefix list",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::CloudWatch::Alarm",
        kind: TypeKind::Supporting,
        doc: "a CloudWatch alarm",
        attributes: &[
            &[
                attr("AlarmName", String, "the alarm name"),
                attr("AlarmDescription", String, "the alarm description"),
                attr(
                    "Namespace",
                    String,
                    "the metric namespace, such as `AWS/ElastiCache`",
                ),
                attr("MetricName", String, "the metric name"),
                attr(
                    "Dimensions",
                    List,
                    "the metric dimensions, as `Name`/`Value` pairs",
                ),
                attr(
                    "Dimensions.Name",
                    String,
                    "the name of a dimension, such as `CacheClusterId`",
                ),
                attr("Dimensions.Value", String, "the value of a dimension"),
                attr("Statistic", String, "the statistic, such as `Average`"),
                attr("Period", Int, "the period in seconds"),
                attr(
                    "EvaluationPeriods",
                    Int,
                    "the number of periods compared to the threshold",
                ),
                attr(
                    "Threshold",
                    Int,
                    "the threshold the statistic is compared to",
                ),
                attr(
                    "ComparisonOperator",
                    String,
                    "the comparison, such as `GreaterThanThreshold`",
                ),
                attr("TreatMissingData", String, "how missing data is treated"),
                attr("AlarmActions", List, "the actions when the alarm fires"),
                attr("OKActions", List, "the actions when the alarm clears"),
                attr(
                    "InsufficientDataActions",
                    List,
                    "the actions when data is insufficient",
                ),
                attr("Metrics", List, "the metric math queries"),
            ],
            TAGS,
            &[out("Arn", String, "the alarm's ARN")],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::Events::Rule",
        kind: TypeKind::Supporting,
        doc: "an EventBridge rule, such as a schedule or an event pattern on a service",
        attributes: &[&[
            attr("Name", String, "the rule name"),
            attr("Description", String, "the rule description"),
            attr("EventBusName", String, "the event bus"),
            attr("EventPattern", Map, "the event pattern"),
            attr(
                "ScheduleExpression",
                String,
                "the schedule, `rate(...)` or `cron(...)`",
            ),
            attr("State", String, "`ENABLED` or `DISABLED`"),
            attr("RoleArn", String, "the IAM role used to invoke targets"),
            attr("Targets", List, "the targets"),
            attr("Targets.Arn", String, "the ARN of a target"),
            attr("Targets.Id", String, "the id of a target"),
            attr("Targets.Input", String, "the JSON input passed to a target"),
            out("Arn", String, "the rule's ARN"),
        ]],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::Lambda::Permission",
        kind: TypeKind::Supporting,
        doc: "a permission for a service to invoke a Lambda function",
        attributes: &[&[
            attr("FunctionName", String, "the function"),
            attr(
                "Action",
                String,
                "the action allowed, such as `lambda:InvokeFunction`",
            ),
            attr(
                "Principal",
                String,
                "the principal allowed, such as `events.amazonaws.com`",
            ),
            attr("SourceArn", String, "the resource allowed to invoke"),
            attr("SourceAccount", String, "the account allowed to invoke"),
        ]],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::IAM::Role",
        kind: TypeKind::Supporting,
        doc: "an IAM role",
        attributes: &[
            &[
                attr("RoleName", String, "the role name"),
                attr("Description", String, "the role description"),
                attr("Path", String, "the role path"),
                attr("AssumeRolePolicyDocument", Map, "the trust policy"),
                attr("Policies", List, "the inline policies"),
                attr(
                    "Policies.PolicyName",
                    String,
                    "the name of an inline policy",
                ),
                attr(
                    "Policies.PolicyDocument",
                    Map,
                    "the document of an inline policy",
                ),
                attr("ManagedPolicyArns", List, "the attached managed policies"),
                attr(
                    "PermissionsBoundary",
                    String,
                    "the permissions boundary policy",
                ),
            ],
            TAGS,
            &[
                out("Arn", String, "the role's ARN"),
                out("RoleId", String, "the role id"),
            ],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::SecretsManager::Secret",
        kind: TypeKind::Supporting,
        doc: "a Secrets Manager secret",
        attributes: &[
            &[
                attr("Name", String, "the secret name"),
                attr("Description", String, "the secret description"),
                attr("SecretString", String, "the secret value"),
                attr(
                    "GenerateSecretString",
                    Object,
                    "the settings for a generated value",
                ),
                attr(
                    "GenerateSecretString.SecretStringTemplate",
                    String,
                    "the JSON the generated value is inserted into",
                ),
                attr(
                    "GenerateSecretString.GenerateStringKey",
                    String,
                    "the JSON key the generated value is stored under",
                ),
                attr(
                    "GenerateSecretString.PasswordLength",
                    Int,
                    "the length of the generated value",
                ),
                attr(
                    "GenerateSecretString.ExcludeCharacters",
                    String,
                    "the characters the generated value leaves out",
                ),
                attr(
                    "GenerateSecretString.ExcludePunctuation",
                    Bool,
                    "whether the generated value leaves out punctuation",
                ),
                attr("KmsKeyId", String, "the KMS key for encryption"),
                attr(
                    "ReplicaRegions",
                    List,
                    "the regions the secret is replicated to",
                ),
            ],
            TAGS,
            &[out("Id", String, "the secret's ARN")],
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::SSM::Parameter",
        kind: TypeKind::Supporting,
        doc: "an SSM Parameter Store parameter",
        attributes: &[&[
            attr("Name", String, "the parameter name"),
            attr("Type", String, "`String` or `StringList`"),
            attr("Value", String, "the parameter value"),
            attr("Description", String, "the parameter description"),
            attr(
                "Tier",
                String,
                "`Standard`, `Advanced` or `Intelligent-Tiering`",
            ),
            attr(
                "AllowedPattern",
                String,
                "a regular expression the value must match",
            ),
            attr("DataType", String, "the data type, such as `text`"),
            attr("Policies", String, "the parameter policies, a JSON string"),
            attr("Tags", Map, "the resource tags, as a map"),
        ]],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::RDS::DBSubnetGroup",
        kind: TypeKind::Supporting,
        doc: "an RDS DB subnet group",
        attributes: &[
            &[
                attr("DBSubnetGroupName", String, "the subnet group name"),
                attr(
                    "DBSubnetGroupDescription",
                    String,
                    "the subnet group description",
                ),
                attr("SubnetIds", List, "the VPC subnet ids"),
            ],
            TAGS,
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::RDS::DBParameterGroup",
        kind: TypeKind::Supporting,
        doc: "an RDS DB parameter group",
        attributes: &[
            &[
                attr("DBParameterGroupName", String, "the parameter group name"),
                attr(
                    "Family",
                    String,
                    "the parameter group family, such as `postgres16`",
                ),
            ],
            PARAMETER_GROUP,
            TAGS,
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::RDS::DBClusterParameterGroup",
        kind: TypeKind::Supporting,
        doc: "an RDS DB cluster parameter group",
        attributes: &[
            &[
                attr(
                    "DBClusterParameterGroupName",
                    String,
                    "the parameter group name",
                ),
                attr(
                    "Family",
                    String,
                    "the parameter group family, such as `aurora-postgresql16`",
                ),
            ],
            PARAMETER_GROUP,
            TAGS,
        ],
    },
    ResourceType {
        format: Format::CloudFormation,
        name: "AWS::Logs::LogGroup",
        kind: TypeKind::Supporting,
        doc: "a CloudWatch Logs log group",
        attributes: &[
            &[
                attr("LogGroupName", String, "the log group name"),
                attr("RetentionInDays", Int, "how many days log events are kept"),
                attr("KmsKeyId", String, "the KMS key for encryption"),
                attr("LogGroupClass", String, "`STANDARD` or `INFREQUENT_ACCESS`"),
                attr("DataProtectionPolicy", Map, "the data protection policy"),
            ],
            TAGS,
            &[out("Arn", String, "the log group's ARN")],
        ],
    },
];
