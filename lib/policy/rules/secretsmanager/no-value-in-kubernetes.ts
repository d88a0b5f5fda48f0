import { isKubernetesResource } from "../../../kubernetes/from-terraform";
import type { PolicyRule } from "../../rule";

/** How a Secrets Manager value is read into Terraform: the data source, referenced anywhere in an expression. */
const SECRET_VALUE = /\$\{[^}]*\bdata\.aws_secretsmanager_secret_version\./;

/**
 * A Kubernetes object that Terraform fills with a Secrets Manager value (a secret's data, an
 * environment variable, a ConfigMap) puts that value into the stack's state, and into a copy that
 * lags every rotation. The library's pods read their secrets when they run, with their pod
 * identity; the copies it still makes are suppressed with their reasons.
 */
export const NoSecretValueInKubernetes: PolicyRule = {
  id: "DR-SM-2",
  description:
    "No Kubernetes object is filled with a Secrets Manager value (data.aws_secretsmanager_secret_version): pods read their secrets when they run, so no copy sits in Terraform's state or lags a rotation.",
  fix: "Give the pod a pod identity role that may secretsmanager:GetSecretValue the secret and read it when it runs (as backup/broker-users.sh and archive-database.sh do); where a controller can only read a Kubernetes secret, suppress with the reason.",
  counterparts: {},
  evaluate(resource) {
    if (!isKubernetesResource(resource.type)) return "not-applicable";
    return SECRET_VALUE.test(JSON.stringify(resource.config)) ? "non-compliant" : "compliant";
  },
};
