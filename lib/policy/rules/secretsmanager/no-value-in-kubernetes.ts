import { isKubernetesResource } from "../../../kubernetes/from-terraform";
import type { PolicyRule } from "../../rule";

/** How a Secrets Manager value is read into Terraform: the data source, referenced anywhere in an expression. */
const SECRET_VALUE = /\$\{[^}]*\bdata\.aws_secretsmanager_secret_version\./;

/**
 * A Kubernetes object that Terraform fills with a Secrets Manager value (a secret's data, an
 * environment variable, a ConfigMap) puts that value into the stack's state, and into a copy that
 * lags every rotation. The library's pods read their secrets when they run, with their pod
 * identity; where a controller reads only a Kubernetes secret (Flux's source-controller), a job in
 * the cluster writes it when it runs (FluxGitCredentials).
 */
export const NoSecretValueInKubernetes: PolicyRule = {
  id: "DR-SM-2",
  description:
    "No Kubernetes object is filled with a Secrets Manager value (data.aws_secretsmanager_secret_version): pods read their secrets when they run, so no copy sits in Terraform's state or lags a rotation.",
  fix: "Give the pod a pod identity role that may secretsmanager:GetSecretValue the secret and read it when it runs (as backup/broker-users.sh and archive-database.sh do); where a controller can only read a Kubernetes secret, have a job in the cluster write it from Secrets Manager when it runs (as FluxGitCredentials does for Flux's Git credentials).",
  counterparts: {},
  evaluate(resource) {
    if (!isKubernetesResource(resource.type)) return "not-applicable";
    return SECRET_VALUE.test(JSON.stringify(resource.config)) ? "non-compliant" : "compliant";
  },
};
