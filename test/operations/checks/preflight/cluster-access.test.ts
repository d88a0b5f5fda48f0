import { clusterAccessCheck } from "../../../../lib/operations/checks/preflight/cluster-access";
import { recovery } from "../../../support/facts";

describe("clusterAccessCheck", () => {
  const access = (publicAccessCidrs: string[], privateAccessCidrs: string[]) =>
    clusterAccessCheck({ ...recovery, kubernetes: { ...recovery.kubernetes, publicAccessCidrs, privateAccessCidrs } });

  it("passes a public or a private way in, naming each", () => {
    expect(access(["203.0.113.0/24"], [])).toEqual({
      id: "cluster-access",
      title: "Cluster API access declared",
      status: "pass",
      detail: "public endpoint from 203.0.113.0/24",
      fix: "",
    });
    expect(access(["203.0.113.0/24"], ["10.0.0.0/8"]).detail).toBe(
      "public endpoint from 203.0.113.0/24; private endpoint from 10.0.0.0/8 (apply the gitops stack from there)",
    );
  });

  it("fails an environment that declares no way in (the schema refuses one; the check does not rely on it)", () => {
    expect(access([], [])).toEqual({
      id: "cluster-access",
      title: "Cluster API access declared",
      status: "fail",
      detail: "environments/us-east-2.ts declares no way to reach the cluster API: neither kubernetes.publicAccessCidrs nor kubernetes.privateAccessCidrs",
      fix: 'in environments/us-east-2.ts add kubernetes.publicAccessCidrs: ["<operators\' network>/32"] (break-glass) or kubernetes.privateAccessCidrs: ["<in-VPC or peered runner network>"]',
    });
  });
});
