//! The Compose types graft knows: services, which may be a backing service (a
//! `redis` or `postgres` image) or consume one, and the top-level volumes,
//! networks, secrets and configs they use.
//!
//! Compose accepts several spellings of some keys; attributes describe the
//! value as graft reads it (a list-form `environment` is read as a map).
use super::{AttrType::*, Format, ResourceType, TypeKind, attr};

/// The Compose resource types graft knows.
pub(super) static TYPES: &[ResourceType] = &[
    ResourceType {
        format: Format::Compose,
        name: "service",
        kind: TypeKind::Workload,
        doc: "a Compose service: both a possible backing service and a consumer of one",
        attributes: &[&[
            attr(
                "name",
                String,
                "the service's key under `services`, also its host name on the Compose network",
            ),
            attr("image", String, "the image"),
            attr("build", Object, "the build settings"),
            attr("build.context", String, "the build context"),
            attr("build.dockerfile", String, "the Dockerfile"),
            attr("build.args", Map, "the build arguments"),
            attr("build.target", String, "the build stage"),
            attr(
                "command",
                String,
                "the command, overriding the image's, in string or list form",
            ),
            attr(
                "entrypoint",
                String,
                "the entry point, overriding the image's, in string or list form",
            ),
            attr(
                "environment",
                Map,
                "the environment variables; the list form is read as a map too",
            ),
            attr(
                "env_file",
                List,
                "the files environment variables are read from",
            ),
            attr("ports", List, "the ports published to the host"),
            attr("expose", List, "the ports exposed to other services only"),
            attr(
                "depends_on",
                List,
                "the services this one starts after; the map form is read as a list of names",
            ),
            attr("links", List, "the legacy links to other services"),
            attr(
                "networks",
                Map,
                "the networks the service joins; the list form is read as a map too",
            ),
            attr(
                "network_mode",
                String,
                "the network mode, such as `host` or `service:name`",
            ),
            attr("extra_hosts", List, "the extra host name mappings"),
            attr("volumes", List, "the volume and bind mounts"),
            attr("secrets", List, "the secrets mounted into the service"),
            attr("configs", List, "the configs mounted into the service"),
            attr("labels", Map, "the container labels"),
            attr("healthcheck", Object, "the health check"),
            attr("healthcheck.test", String, "the health check command"),
            attr("healthcheck.interval", String, "the time between checks"),
            attr("healthcheck.timeout", String, "the time a check may take"),
            attr(
                "healthcheck.retries",
                Int,
                "the failures before the service is unhealthy",
            ),
            attr(
                "healthcheck.start_period",
                String,
                "the grace period after start",
            ),
            attr(
                "healthcheck.disable",
                Bool,
                "whether the image's health check is turned off",
            ),
            attr(
                "restart",
                String,
                "the restart policy, such as `unless-stopped`",
            ),
            attr("container_name", String, "a fixed container name"),
            attr("hostname", String, "the container's host name"),
            attr("user", String, "the user the process runs as"),
            attr("working_dir", String, "the working directory"),
            attr("profiles", List, "the profiles the service is enabled in"),
            attr("deploy", Object, "the deployment settings"),
            attr("deploy.replicas", Int, "the number of containers"),
            attr(
                "deploy.resources",
                Object,
                "the resource limits and reservations",
            ),
            attr("deploy.labels", Map, "the service labels"),
            attr("deploy.mode", String, "`replicated` or `global`"),
            attr("scale", Int, "the number of containers"),
            attr(
                "platform",
                String,
                "the target platform, such as `linux/amd64`",
            ),
            attr(
                "pull_policy",
                String,
                "when the image is pulled, such as `always` or `missing`",
            ),
            attr("extends", Object, "the service this one extends"),
        ]],
    },
    ResourceType {
        format: Format::Compose,
        name: "volume",
        kind: TypeKind::Supporting,
        doc: "a top-level Compose named volume",
        attributes: &[&[
            attr("name", String, "the volume name"),
            attr("driver", String, "the volume driver"),
            attr("driver_opts", Map, "the driver options"),
            attr(
                "external",
                Bool,
                "whether the volume is created outside Compose",
            ),
            attr("labels", Map, "the volume labels"),
        ]],
    },
    ResourceType {
        format: Format::Compose,
        name: "network",
        kind: TypeKind::Supporting,
        doc: "a top-level Compose network",
        attributes: &[&[
            attr("name", String, "the network name"),
            attr("driver", String, "the network driver, such as `bridge`"),
            attr("driver_opts", Map, "the driver options"),
            attr(
                "external",
                Bool,
                "whether the network is created outside Compose",
            ),
            attr(
                "internal",
                Bool,
                "whether the network is cut off from the outside",
            ),
            attr(
                "attachable",
                Bool,
                "whether standalone containers may attach",
            ),
            attr("ipam", Object, "the IP address management settings"),
            attr("labels", Map, "the network labels"),
        ]],
    },
    ResourceType {
        format: Format::Compose,
        name: "secret",
        kind: TypeKind::Supporting,
        doc: "a top-level Compose secret",
        attributes: &[&[
            attr("name", String, "the secret name"),
            attr("file", String, "the file the secret is read from"),
            attr(
                "environment",
                String,
                "the environment variable the secret is read from",
            ),
            attr(
                "external",
                Bool,
                "whether the secret is created outside Compose",
            ),
        ]],
    },
    ResourceType {
        format: Format::Compose,
        name: "config",
        kind: TypeKind::Supporting,
        doc: "a top-level Compose config",
        attributes: &[&[
            attr("name", String, "the config name"),
            attr("file", String, "the file the config is read from"),
            attr("content", String, "the inline content of the config"),
            attr(
                "environment",
                String,
                "the environment variable the config is read from",
            ),
            attr(
                "external",
                Bool,
                "whether the config is created outside Compose",
            ),
        ]],
    },
];
