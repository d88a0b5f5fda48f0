import { DescribeKeyCommand, type KMSClient } from "@aws-sdk/client-kms";
import type { PrimaryEnvironment } from "../../environment";
import { regionalNames } from "../../naming";
import { reading, type Reading } from "../aws/errors";

/** The key the SOPS alias names in one region, as KMS DescribeKey describes it. */
export interface SopsKeyMetadata {
  readonly arn?: string;
  /** `Enabled`, `Disabled`, `PendingDeletion`... */
  readonly state?: string;
  /** `REPLICA`, `PRIMARY`, or undefined for a single-Region key. */
  readonly multiRegionType?: string;
  /** For a replica: its primary key's ARN and region. */
  readonly primaryKeyArn?: string;
  readonly primaryKeyRegion?: string;
}

export interface SopsKey {
  /** The primary's SOPS alias (the same in both regions). */
  readonly alias: string;
  /** The region read. */
  readonly region: string;
  /** The key the alias names there; undefined when no key has the alias. */
  readonly key?: SopsKeyMetadata;
}

/**
 * The SOPS key's alias in `region` (the recovery's: never the primary's, which may be dark): one
 * KMS DescribeKey, which for a replica also names its primary key.
 */
export async function probeSopsKey(kms: KMSClient, primary: PrimaryEnvironment, region: string): Promise<Reading<SopsKey>> {
  const alias = regionalNames(primary.project, primary.region).sopsKeyAlias;
  const read = await reading(`KMS DescribeKey of ${alias}`, region, () => kms.send(new DescribeKeyCommand({ KeyId: alias })));
  if (!read.ok) return read.failure.name === "NotFoundException" ? { ok: true, value: { alias, region } } : read;
  const metadata = read.value.KeyMetadata;
  const config = metadata?.MultiRegionConfiguration;
  return {
    ok: true,
    value: {
      alias,
      region,
      key: {
        arn: metadata?.Arn,
        state: metadata?.KeyState,
        multiRegionType: config?.MultiRegionKeyType,
        primaryKeyArn: config?.PrimaryKey?.Arn,
        primaryKeyRegion: config?.PrimaryKey?.Region,
      },
    },
  };
}
