import { DescribeInstanceTypesCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { reading, type Reading } from "../aws/errors";

/** An EC2 instance type as a region offers it; `offered: false` when EC2 there does not know it. */
export type InstanceTypeOffer = { readonly type: string; readonly offered: false } | { readonly type: string; readonly offered: true; readonly vcpus: number };

/**
 * EC2 DescribeInstanceTypes in `region`, one call per type (EC2 refuses the whole call when one
 * type is not offered there: InvalidInstanceType, which is an answer, not a failure).
 */
export function probeInstanceTypes(ec2: EC2Client, types: readonly string[], region: string): Promise<Reading<readonly InstanceTypeOffer[]>> {
  return reading(`EC2 DescribeInstanceTypes of ${types.join(", ")}`, region, () =>
    Promise.all(
      [...new Set(types)].map(async (type): Promise<InstanceTypeOffer> => {
        try {
          const answer = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: [type as never] }));
          const info = answer.InstanceTypes?.find((t) => t.InstanceType === type);
          return info ? { type, offered: true, vcpus: info.VCpuInfo?.DefaultVCpus ?? 0 } : { type, offered: false };
        } catch (error) {
          if ((error as Error)?.name === "InvalidInstanceType") return { type, offered: false };
          throw error;
        }
      }),
    ),
  );
}
