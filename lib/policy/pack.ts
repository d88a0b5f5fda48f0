import type { PolicyRule } from "./rule";
import { ControlPlaneLogged } from "./rules/eks/control-plane-logged";
import { EndpointNotOpen } from "./rules/eks/endpoint-not-open";
import { SecretsEncrypted } from "./rules/eks/secrets-encrypted";
import { NoOpenIngress } from "./rules/ec2/no-open-ingress";
import { LoadBalancerAccessLogged } from "./rules/elb/load-balancer-access-logged";
import { NoAdminPolicy } from "./rules/iam/no-admin-policy";
import { NoConsoleLogin } from "./rules/iam/no-console-login";
import { NoWildcardPermissions } from "./rules/iam/no-wildcard-permissions";
import { KeyRotation } from "./rules/kms/key-rotation";
import { ImagesFromRegionalRegistry } from "./rules/kubernetes/images-from-regional-registry";
import { NamespaceRestricted } from "./rules/kubernetes/namespace-restricted";
import { PodSecurityRestricted } from "./rules/kubernetes/pod-security-restricted";
import { BrokerAdminRotated } from "./rules/mq/broker-admin-rotated";
import { BrokerEncrypted } from "./rules/mq/broker-encrypted";
import { BrokerPrivate } from "./rules/mq/broker-private";
import { BrokerUsersRotated } from "./rules/mq/broker-users-rotated";
import { BackupsReplicated } from "./rules/rds/backups-replicated";
import { BackupsRetained } from "./rules/rds/backups-retained";
import { DeletionProtected } from "./rules/rds/deletion-protected";
import { InstanceEncrypted } from "./rules/rds/instance-encrypted";
import { NotPublic } from "./rules/rds/not-public";
import { ArchivesCustomerKey } from "./rules/s3/archives-customer-key";
import { ArchivesObjectLocked } from "./rules/s3/archives-object-locked";
import { BucketAccessLogged } from "./rules/s3/bucket-access-logged";
import { BucketEncrypted } from "./rules/s3/bucket-encrypted";
import { BucketOwnerEnforced } from "./rules/s3/bucket-owner-enforced";
import { BucketPublicAccessBlocked } from "./rules/s3/bucket-public-access-blocked";
import { BucketTlsOnly } from "./rules/s3/bucket-tls-only";
import { BucketVersioned } from "./rules/s3/bucket-versioned";
import { PreventDestroy } from "./rules/stateful/prevent-destroy";
import { ProviderTags } from "./rules/tags/provider-tags";
import { LogGroupCustomerKey } from "./rules/logs/log-group-customer-key";
import { LogGroupRetention } from "./rules/logs/log-group-retention";
import { EnhancedMonitoring } from "./rules/rds/enhanced-monitoring";
import { PerformanceInsightsCustomerKey } from "./rules/rds/performance-insights-customer-key";
import { ZoneQueryLogged } from "./rules/route53/zone-query-logged";
import { ZoneSigned } from "./rules/route53/zone-signed";
import { NoSecretValueInKubernetes } from "./rules/secretsmanager/no-value-in-kubernetes";
import { SecretCustomerKey } from "./rules/secretsmanager/secret-customer-key";
import { LoadBalancerProtected } from "./rules/wafv2/load-balancer-protected";
import { WebAclManagedRules } from "./rules/wafv2/web-acl-managed-rules";

export type Severity = "error" | "warning";

/** Which rules apply and how severe a violation is. */
export interface PolicyPack {
  readonly name: string;
  readonly rules: readonly { readonly rule: PolicyRule; readonly severity: Severity }[];
}

const ALL_RULES: readonly PolicyRule[] = [
  BucketPublicAccessBlocked,
  BucketEncrypted,
  BucketVersioned,
  BucketTlsOnly,
  BucketOwnerEnforced,
  BucketAccessLogged,
  ArchivesObjectLocked,
  ArchivesCustomerKey,
  NoWildcardPermissions,
  NoConsoleLogin,
  NoAdminPolicy,
  InstanceEncrypted,
  DeletionProtected,
  BackupsRetained,
  NotPublic,
  BackupsReplicated,
  EnhancedMonitoring,
  PerformanceInsightsCustomerKey,
  BrokerPrivate,
  BrokerEncrypted,
  BrokerUsersRotated,
  BrokerAdminRotated,
  SecretCustomerKey,
  NoSecretValueInKubernetes,
  LogGroupCustomerKey,
  LogGroupRetention,
  ZoneSigned,
  ZoneQueryLogged,
  SecretsEncrypted,
  ControlPlaneLogged,
  EndpointNotOpen,
  KeyRotation,
  NoOpenIngress,
  LoadBalancerAccessLogged,
  LoadBalancerProtected,
  WebAclManagedRules,
  PodSecurityRestricted,
  NamespaceRestricted,
  ImagesFromRegionalRegistry,
  PreventDestroy,
  ProviderTags,
];

/**
 * The DR pack: every rule is an error. A misconfiguration of the only copy of production data
 * must stop synth, not scroll past as a warning.
 */
export const DR_POLICY_PACK: PolicyPack = {
  name: "dr-platform",
  rules: ALL_RULES.map((rule) => ({ rule, severity: "error" as const })),
};
