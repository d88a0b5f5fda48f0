import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Route53HostedZoneDnssec } from "@cdktf/provider-aws/lib/route53-hosted-zone-dnssec";
import { Route53KeySigningKey } from "@cdktf/provider-aws/lib/route53-key-signing-key";
import { accountAdministersStatement, policyDocument } from "./private/iam";

export interface ZoneDnssecProps {
  /** The zone to sign. */
  readonly zoneId: string;
  /** Its domain (for descriptions). */
  readonly domain: string;
  readonly accountId: string;
  /** Alias of the signing key, e.g. `alias/acme-dnssec-us-east-1`. */
  readonly keyAliasName: string;
  /** Provider of us-east-1: Route 53 accepts a key-signing key backed by a KMS key there only. */
  readonly usEast1Provider: TerraformProvider;
}

/**
 * DNSSEC signing of a public zone: an asymmetric ECC_NIST_P256 SIGN_VERIFY key in us-east-1
 * (Route 53's requirement), a key-signing key (KSK) backed by it, and signing turned on. Route 53
 * signs with zone-signing keys it manages itself, so answers stay signed while us-east-1 is
 * unavailable; only KSK changes need it. The chain of trust is complete once the DS record
 * (`dsRecord`) is added at the parent zone or registrar: a manual step, done once.
 */
export class ZoneDnssec extends Construct {
  public readonly key: KmsKey;
  public readonly keySigningKey: Route53KeySigningKey;
  public readonly resource: Route53HostedZoneDnssec;
  /** The DS record to give the parent zone or registrar. */
  public readonly dsRecord: string;

  constructor(scope: Construct, id: string, props: ZoneDnssecProps) {
    super(scope, id);
    const provider = props.usEast1Provider;
    this.key = new KmsKey(this, "key", {
      provider,
      description: `DNSSEC key-signing key of ${props.domain}`,
      customerMasterKeySpec: "ECC_NIST_P256",
      keyUsage: "SIGN_VERIFY",
      // KMS cannot rotate asymmetric keys; a KSK is rotated by adding a second KSK (Route 53 docs).
      enableKeyRotation: false,
      deletionWindowInDays: 30,
      policy: dnssecKeyPolicy(props.accountId, props.zoneId),
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, "alias", { provider, name: props.keyAliasName, targetKeyId: this.key.keyId });
    this.keySigningKey = new Route53KeySigningKey(this, "ksk", {
      hostedZoneId: props.zoneId,
      keyManagementServiceArn: this.key.arn,
      name: "ksk1",
      status: "ACTIVE",
    });
    this.resource = new Route53HostedZoneDnssec(this, "resource", {
      hostedZoneId: props.zoneId,
      signingStatus: "SIGNING",
      dependsOn: [this.keySigningKey],
    });
    this.dsRecord = this.keySigningKey.dsRecord;
  }
}

/**
 * The key policy AWS documents for a DNSSEC KSK ("Working with customer managed keys for DNSSEC"),
 * narrowed to this account and this zone; the account administers the key.
 */
export function dnssecKeyPolicy(accountId: string, zoneId: string): string {
  return policyDocument(
    accountAdministersStatement(accountId),
    {
      Sid: "Route53DnssecSigns",
      Effect: "Allow",
      Principal: { Service: "dnssec-route53.amazonaws.com" },
      Action: ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": `arn:aws:route53:::hostedzone/${zoneId}` } },
    },
    {
      Sid: "Route53DnssecCreatesGrant",
      Effect: "Allow",
      Principal: { Service: "dnssec-route53.amazonaws.com" },
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    },
  );
}
