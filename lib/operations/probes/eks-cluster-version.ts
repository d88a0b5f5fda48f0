import { DescribeClusterVersionsCommand, type EKSClient } from "@aws-sdk/client-eks";
import { reading, type Reading } from "../aws/errors";
import { paginate } from "../aws/paginate";

/** A Kubernetes version as EKS in a region offers it to CreateCluster. */
export interface EksClusterVersion {
  readonly version: string;
  /** `standard-support`, `extended-support` or `unsupported`. */
  readonly status?: string;
  readonly endOfStandardSupport?: Date;
  readonly endOfExtendedSupport?: Date;
}

/**
 * EKS DescribeClusterVersions in `region` for one version (every page): undefined when EKS there
 * does not list it, which is what CreateCluster refuses.
 */
export function probeEksClusterVersion(eks: EKSClient, version: string, region: string): Promise<Reading<EksClusterVersion | undefined>> {
  return reading(`EKS DescribeClusterVersions of ${version}`, region, async () => {
    const versions = await paginate(
      (token) => eks.send(new DescribeClusterVersionsCommand({ clusterVersions: [version], includeAll: true, nextToken: token })),
      (page) => page.clusterVersions,
      (page) => page.nextToken,
    );
    const found = versions.find((v) => v.clusterVersion === version);
    return found
      ? {
          version,
          status: found.versionStatus ?? found.status,
          endOfStandardSupport: found.endOfStandardSupportDate,
          endOfExtendedSupport: found.endOfExtendedSupportDate,
        }
      : undefined;
  });
}
