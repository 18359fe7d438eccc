//! The customer hand-off: a Markdown document saying, per provided service,
//! what the customer now owns, what stays the vendor's, and exactly which
//! secret to create with which key. It names secrets; it never holds a value.

use super::plan::{ChangeKind, Plan};
use crate::bindings::{Bindings, Input, SecretRef};
use crate::check::program::Program;
use crate::check::services::RESPONSIBILITIES;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The hand-off for `bindings` after `plan`.
pub fn handoff(program: &Program, bindings: &Bindings, plan: &Plan) -> String {
    let mut out = String::from("# Hand-off: the services you now bring\n");
    let _ = writeln!(
        out,
        "\nThis deployment uses backing services that you provide. It names secrets and never holds their values.\n"
    );
    for (name, provided) in &bindings.services {
        let Some(service) = program.services.get(name) else {
            continue;
        };
        let _ = writeln!(out, "## {name}\n");
        if !service.docs.trim().is_empty() {
            let _ = writeln!(out, "{}\n", service.docs.replace('\n', " ").trim());
        }
        let consumers: BTreeSet<&str> = plan
            .services
            .iter()
            .filter(|s| s.name == *name)
            .flat_map(|s| s.consumers.iter().map(String::as_str))
            .collect();
        // A CloudFormation template parameter that went is no deployment
        // of the vendor's: the deployer must stop passing it.
        let (gone_parameters, dropped): (Vec<&str>, Vec<&str>) = plan
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Drop && c.service == *name)
            .map(|c| c.resource.as_str())
            .partition(|r| r.starts_with("Parameters."));
        let _ = writeln!(out, "### What you provide\n");
        for field in &service.fields {
            let Some((input, _, given)) = provided.inputs.get(&field.name) else {
                continue;
            };
            let value = match input {
                Input::Null => continue,
                Input::Bool(b) => b.to_string(),
                Input::Int(i) => i.to_string(),
                Input::Str(s) => format!("`{s}`"),
                Input::Endpoint { host, port } => match port {
                    Some(p) => format!("`{host}:{p}`"),
                    None => format!("`{host}`"),
                },
                Input::Secret(s) => format!("a reference to `{}`", s.describe()),
                Input::IamRole { kind, id, user } => match user {
                    Some(u) => format!("{} `{id}`, user `{u}`", kind.noun()),
                    None => format!("{} `{id}`", kind.noun()),
                },
                Input::Certificate { path, .. } => {
                    format!("the certificate `{path}` (public; mounted into the consumers)")
                }
            };
            let default = if *given { "" } else { " (default)" };
            let doc = field.docs.replace('\n', " ");
            let doc = doc.trim();
            let doc = if doc.is_empty() {
                String::new()
            } else {
                format!(": {doc}")
            };
            let _ = writeln!(out, "- **{}** = {value}{default}{doc}", field.name);
        }
        let secrets: Vec<&SecretRef> = provided
            .inputs
            .values()
            .filter_map(|(v, _, _)| match v {
                Input::Secret(s) => Some(s),
                _ => None,
            })
            .collect();
        let roles: Vec<(crate::bindings::Identity, &str, Option<&str>)> = provided
            .inputs
            .values()
            .filter_map(|(v, _, _)| match v {
                Input::IamRole { kind, id, user } => Some((*kind, id.as_str(), user.as_deref())),
                _ => None,
            })
            .collect();
        // CloudFormation: the parameters graft added, and who reads the
        // credential when.
        let mut parameters: Vec<&str> = plan
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Create && c.service == *name)
            .filter_map(|c| c.resource.strip_prefix("Parameters."))
            .collect();
        parameters.sort_unstable();
        parameters.dedup();
        let injected = |prefix: &str| {
            plan.changes.iter().any(|c| {
                c.kind == ChangeKind::Inject
                    && c.service == *name
                    && c.path.as_deref().is_some_and(|p| p.starts_with(prefix))
            })
        };
        let (ecs, lambda) = (
            injected("ContainerDefinitions.Secrets."),
            injected("Environment.Variables."),
        );
        if !secrets.is_empty()
            || !roles.is_empty()
            || !parameters.is_empty()
            || !gone_parameters.is_empty()
        {
            let _ = writeln!(out, "\n### Before you deploy\n");
        }
        if !gone_parameters.is_empty() {
            let _ = writeln!(
                out,
                "- The templates no longer take {}: stop passing {} when you deploy (`--parameter-overrides`, parameter files), since CloudFormation refuses a parameter its template does not declare.",
                list(
                    gone_parameters
                        .iter()
                        .map(|p| p.trim_start_matches("Parameters."))
                ),
                if gone_parameters.len() == 1 {
                    "it"
                } else {
                    "them"
                }
            );
        }
        if !parameters.is_empty() {
            let _ = writeln!(
                out,
                "- The templates take your {name}'s values as parameters ({}), defaulting to what you provided: to change them, override them when you deploy (`--parameter-overrides`) rather than editing the templates.",
                list(parameters.iter().copied())
            );
        }
        if let (true, Some(s)) = (ecs, secrets.first()) {
            let _ = writeln!(
                out,
                "- Let each ECS task definition's execution role read `{}` (`secretsmanager:GetSecretValue`, or `ssm:GetParameters` for a parameter): ECS reads it when a task starts.",
                s.describe()
            );
        }
        if let (true, Some(s)) = (lambda, secrets.first()) {
            let _ = writeln!(
                out,
                "- CloudFormation resolves `{}` for the Lambda functions when it deploys them: the role that deploys the stack must be able to read it, and the value is part of each function's configuration, visible to whoever may read that.",
                s.describe()
            );
        }
        let namespaces: BTreeSet<&str> =
            consumers.iter().filter_map(|a| kube_namespace(a)).collect();
        for s in &secrets {
            match s.store.as_str() {
                "kubernetes" => {
                    let name = s.get("name").unwrap_or("");
                    let key = s.get("key").unwrap_or("");
                    let spaces: Vec<&str> = match s.get("namespace") {
                        Some(ns) => vec![ns],
                        None => namespaces.iter().copied().collect(),
                    };
                    for ns in spaces {
                        let _ = writeln!(
                            out,
                            "- Create the Kubernetes Secret `{name}` in namespace `{ns}` with the key `{key}` holding the password, for example:\n\n  ```sh\n  kubectl -n {ns} create secret generic {name} --from-literal={key}=\"$PASSWORD\"\n  ```"
                        );
                    }
                }
                other => {
                    let _ = writeln!(
                        out,
                        "- Keep the password in `{}` ({other}) and let the deployment read it.",
                        s.describe()
                    );
                }
            }
        }
        // A Compose project reads the credential from the environment it is
        // deployed from (`${NAME}`), which someone must fill.
        let deploy_vars: BTreeSet<&str> = plan
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Inject && c.service == *name)
            .filter_map(|c| c.new.as_deref())
            .filter_map(|v| v.strip_prefix("${")?.strip_suffix('}'))
            .collect();
        if let (false, Some(s)) = (deploy_vars.is_empty(), secrets.first()) {
            let vars = list(deploy_vars.iter().copied());
            let _ = writeln!(
                out,
                "- Set {vars} in the environment `docker compose up` runs in (or the project's `.env` file, kept out of version control) to the password kept in `{}`: the Compose file reads it from there and refuses to start without it.",
                s.describe()
            );
        }
        for (kind, id, user) in &roles {
            use crate::bindings::Identity;
            let who = user
                .map(|u| format!(" as the user `{u}`"))
                .unwrap_or_default();
            let line = match kind {
                Identity::AwsRole => format!(
                    "- Allow the IAM role `{id}` to connect{who} (ElastiCache and MemoryDB: `elasticache:Connect` or `memorydb:Connect`; RDS and Aurora: `rds-db:connect`), and let the workloads' ServiceAccounts assume it (IRSA). Tokens last 15 minutes; the clients refresh them."
                ),
                Identity::AzureManagedIdentity => format!(
                    "- Give the managed identity `{id}` access to the service{who} (a Microsoft Entra principal of the server or cache), and run the workloads as it (Azure workload identity: their ServiceAccount carries `azure.workload.identity/client-id`, and their pods the label `azure.workload.identity/use: \"true\"`). Tokens expire; the clients refresh them."
                ),
                Identity::GcpServiceAccount => format!(
                    "- Give the service account `{id}` access to the service{who} (Cloud SQL: an IAM database user and `roles/cloudsql.instanceUser`), and run the workloads as it (GKE workload identity: their ServiceAccount carries `iam.gke.io/gcp-service-account`). Tokens expire; the clients refresh them."
                ),
            };
            let _ = writeln!(out, "{line}");
        }
        if !consumers.is_empty() {
            let _ = writeln!(
                out,
                "\nThese workloads connect to it: {}.",
                list(consumers.iter().copied())
            );
        }
        if !service.customer_owns.is_empty() {
            let _ = writeln!(out, "\n### What you now own\n");
            for r in &service.customer_owns {
                let what = RESPONSIBILITIES
                    .iter()
                    .find(|(n, _)| n == r)
                    .map_or("", |(_, d)| *d);
                let _ = writeln!(out, "- **{}**: {what}", r.replace('_', " "));
            }
        }
        let _ = writeln!(out, "\n### What stays with the vendor\n");
        let _ = writeln!(
            out,
            "- The application and its configuration: how it connects, which database and TLS settings it uses, its upgrades."
        );
        if !dropped.is_empty() {
            let _ = writeln!(
                out,
                "- The default {name} the vendor ships is not deployed for you: {}. Its data is not migrated; start from an empty {name} or restore your own backup.",
                list(dropped.iter().copied())
            );
        }
        out.push('\n');
    }
    out
}

fn kube_namespace(address: &str) -> Option<&str> {
    // apps/v1/Deployment/NS/NAME or v1/Service/NS/NAME
    let parts: Vec<&str> = address.split('/').collect();
    match parts.len() {
        5 => Some(parts[3]),
        4 if !parts[0].contains('.') && parts[0].starts_with('v') => Some(parts[2]),
        _ => None,
    }
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
