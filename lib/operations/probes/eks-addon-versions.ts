import { DescribeAddonVersionsCommand, type EKSClient } from "@aws-sdk/client-eks";
import { reading, type Reading } from "../aws/errors";
import { paginate } from "../aws/paginate";

/** The versions of one add-on EKS in a region offers for one Kubernetes version. */
export interface EksAddonVersions {
  readonly addon: string;
  /** Every `addonVersion` listed as compatible with the Kubernetes version, in EKS's order. */
  readonly versions: readonly string[];
  /** The one EKS installs by default for that Kubernetes version. */
  readonly defaultVersion?: string;
}

/** EKS DescribeAddonVersions of each add-on for `kubernetesVersion` in `region` (every page), in the order given. */
export function probeEksAddonVersions(
  eks: EKSClient,
  kubernetesVersion: string,
  addons: readonly string[],
  region: string,
): Promise<Reading<readonly EksAddonVersions[]>> {
  return reading(`EKS DescribeAddonVersions for Kubernetes ${kubernetesVersion}`, region, () =>
    Promise.all(
      addons.map(async (addon) => {
        const infos = await paginate(
          (token) => eks.send(new DescribeAddonVersionsCommand({ addonName: addon, kubernetesVersion, nextToken: token })),
          (page) => page.addons,
          (page) => page.nextToken,
        );
        const versions = infos
          .filter((info) => info.addonName === addon)
          .flatMap((info) => info.addonVersions ?? [])
          .filter((v) => (v.compatibilities ?? []).some((c) => c.clusterVersion === kubernetesVersion));
        return {
          addon,
          versions: versions.map((v) => v.addonVersion ?? "").filter((v) => v !== ""),
          defaultVersion: versions.find((v) => (v.compatibilities ?? []).some((c) => c.clusterVersion === kubernetesVersion && c.defaultVersion))?.addonVersion,
        };
      }),
    ),
  );
}
