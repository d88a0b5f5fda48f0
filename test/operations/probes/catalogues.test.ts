/**
 * The probes that ask the recovery region what it still creates (EKS versions and add-ons, RDS
 * engine and classes, Amazon MQ engine and types, EC2 instance types, Service Quotas), against
 * recorded SDK answers: moto serves none of these but EC2's (lib/targets/emulator-target.ts).
 */
import { DescribeInstanceTypesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeAddonVersionsCommand, DescribeClusterVersionsCommand, EKSClient } from "@aws-sdk/client-eks";
import { DescribeBrokerEngineTypesCommand, DescribeBrokerInstanceOptionsCommand, MqClient } from "@aws-sdk/client-mq";
import { DescribeDBEngineVersionsCommand, DescribeOrderableDBInstanceOptionsCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { mockClient } from "aws-sdk-client-mock";
import { probeBrokerEngine } from "../../../lib/operations/probes/broker-engine";
import { probeDatabaseEngine } from "../../../lib/operations/probes/database-engine";
import { probeEksAddonVersions } from "../../../lib/operations/probes/eks-addon-versions";
import { probeEksClusterVersion } from "../../../lib/operations/probes/eks-cluster-version";
import { probeInstanceTypes } from "../../../lib/operations/probes/instance-types";
import { probeServiceQuotas } from "../../../lib/operations/probes/service-quotas";

const R = "us-east-2";
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const awsError = (name: string, httpStatusCode: number) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });

describe("probeEksClusterVersion", () => {
  it("reads the version's status and support dates, every page, only the version asked for", async () => {
    const eks = new EKSClient({ region: R, credentials });
    const mock = mockClient(eks)
      .on(DescribeClusterVersionsCommand, { clusterVersions: ["1.35"], includeAll: true, nextToken: undefined })
      .resolves({ clusterVersions: [{ clusterVersion: "1.34", versionStatus: "STANDARD_SUPPORT" as never }], nextToken: "p2" })
      .on(DescribeClusterVersionsCommand, { nextToken: "p2" })
      .resolves({
        clusterVersions: [
          {
            clusterVersion: "1.35",
            status: "standard-support",
            endOfStandardSupportDate: new Date("2027-03-27T00:00:00Z"),
            endOfExtendedSupportDate: new Date("2028-03-27T00:00:00Z"),
          },
        ],
      });
    expect(await probeEksClusterVersion(eks, "1.35", R)).toEqual({
      ok: true,
      value: {
        version: "1.35",
        status: "standard-support",
        endOfStandardSupport: new Date("2027-03-27T00:00:00Z"),
        endOfExtendedSupport: new Date("2028-03-27T00:00:00Z"),
      },
    });
    expect(mock.commandCalls(DescribeClusterVersionsCommand)).toHaveLength(2);
  });

  it("is undefined when EKS does not list the version, and a failure when EKS does not answer", async () => {
    const eks = new EKSClient({ region: R, credentials });
    mockClient(eks).on(DescribeClusterVersionsCommand).resolves({ clusterVersions: [] });
    expect(await probeEksClusterVersion(eks, "1.99", R)).toEqual({ ok: true, value: undefined });
    const dark = new EKSClient({ region: R, credentials });
    mockClient(dark).on(DescribeClusterVersionsCommand).rejects(awsError("TimeoutError", 500));
    expect(await probeEksClusterVersion(dark, "1.35", R)).toMatchObject({
      ok: false,
      failure: { kind: "unreachable", call: "EKS DescribeClusterVersions of 1.35", region: R },
    });
  });
});

describe("probeEksAddonVersions", () => {
  it("lists each add-on's versions compatible with the Kubernetes version, and its default", async () => {
    const eks = new EKSClient({ region: R, credentials });
    mockClient(eks)
      .on(DescribeAddonVersionsCommand, { addonName: "kube-proxy", kubernetesVersion: "1.35" })
      .resolves({
        addons: [
          {
            addonName: "kube-proxy",
            addonVersions: [
              { addonVersion: "v1.35.3-eksbuild.2", compatibilities: [{ clusterVersion: "1.35", defaultVersion: true }] },
              { addonVersion: "v1.35.0-eksbuild.1", compatibilities: [{ clusterVersion: "1.35", defaultVersion: false }] },
              { addonVersion: "v1.34.2-eksbuild.1", compatibilities: [{ clusterVersion: "1.34" }] },
            ],
          },
        ],
      })
      .on(DescribeAddonVersionsCommand, { addonName: "coredns", kubernetesVersion: "1.35" })
      .resolves({ addons: [] });
    expect(await probeEksAddonVersions(eks, "1.35", ["kube-proxy", "coredns"], R)).toEqual({
      ok: true,
      value: [
        { addon: "kube-proxy", versions: ["v1.35.3-eksbuild.2", "v1.35.0-eksbuild.1"], defaultVersion: "v1.35.3-eksbuild.2" },
        { addon: "coredns", versions: [], defaultVersion: undefined },
      ],
    });
  });
});

describe("probeDatabaseEngine", () => {
  const database = { engineVersion: "16", instanceClass: "db.r6g.large", multiAz: true };

  it("lists the major's available versions, its default, and whether the class is orderable with it (Multi-AZ)", async () => {
    const rds = new RDSClient({ region: R, credentials });
    // The later matcher wins where both match: the DefaultOnly call is the narrower one.
    const mock = mockClient(rds)
      .on(DescribeDBEngineVersionsCommand, { Engine: "postgres", DBParameterGroupFamily: "postgres16" })
      .resolves({
        DBEngineVersions: [{ EngineVersion: "16.6", Status: "deprecated" }, { EngineVersion: "16.8", Status: "available" }, { EngineVersion: "16.9" }],
      })
      .on(DescribeDBEngineVersionsCommand, { Engine: "postgres", DBParameterGroupFamily: "postgres16", DefaultOnly: true })
      .resolves({ DBEngineVersions: [{ EngineVersion: "16.8" }] })
      .on(DescribeOrderableDBInstanceOptionsCommand, { Engine: "postgres", EngineVersion: "16.8", DBInstanceClass: "db.r6g.large" })
      .resolves({ OrderableDBInstanceOptions: [{ DBInstanceClass: "db.r6g.large", MultiAZCapable: true }] });
    expect(await probeDatabaseEngine(rds, database, R)).toEqual({
      ok: true,
      value: { major: "16", instanceClass: "db.r6g.large", versions: ["16.8", "16.9"], defaultVersion: "16.8", orderable: true },
    });
    expect(mock.commandCalls(DescribeOrderableDBInstanceOptionsCommand)).toHaveLength(1);
  });

  it("a class only single-AZ capable is not orderable Multi-AZ; without a default nothing is orderable", async () => {
    const rds = new RDSClient({ region: R, credentials });
    mockClient(rds)
      .on(DescribeDBEngineVersionsCommand)
      .resolves({ DBEngineVersions: [{ EngineVersion: "16.8" }] })
      .on(DescribeOrderableDBInstanceOptionsCommand)
      .resolves({ OrderableDBInstanceOptions: [{ DBInstanceClass: "db.r6g.large", MultiAZCapable: false }] });
    expect((await probeDatabaseEngine(rds, database, R)) as any).toMatchObject({ value: { orderable: false } });
    expect((await probeDatabaseEngine(rds, { ...database, multiAz: false }, R)) as any).toMatchObject({ value: { orderable: true } });
    const empty = new RDSClient({ region: R, credentials });
    const none = mockClient(empty).on(DescribeDBEngineVersionsCommand).resolves({ DBEngineVersions: [] });
    expect(await probeDatabaseEngine(empty, database, R)).toEqual({
      ok: true,
      value: { major: "16", instanceClass: "db.r6g.large", versions: [], defaultVersion: undefined, orderable: false },
    });
    expect(none.commandCalls(DescribeOrderableDBInstanceOptionsCommand)).toHaveLength(0);
  });
});

describe("probeBrokerEngine", () => {
  it("lists the RabbitMQ versions, and the versions and deployment modes of the type", async () => {
    const mq = new MqClient({ region: R, credentials });
    mockClient(mq)
      .on(DescribeBrokerEngineTypesCommand, { EngineType: "RABBITMQ" })
      .resolves({ BrokerEngineTypes: [{ EngineType: "RABBITMQ", EngineVersions: [{ Name: "3.13" }, { Name: "4.2" }] }] })
      .on(DescribeBrokerInstanceOptionsCommand, { EngineType: "RABBITMQ", HostInstanceType: "mq.m5.large" })
      .resolves({
        BrokerInstanceOptions: [
          { HostInstanceType: "mq.m5.large", SupportedEngineVersions: ["3.13"], SupportedDeploymentModes: ["SINGLE_INSTANCE", "CLUSTER_MULTI_AZ"] },
          { HostInstanceType: "mq.m5.large", SupportedEngineVersions: ["3.13", "4.2"], SupportedDeploymentModes: ["CLUSTER_MULTI_AZ"] },
          { HostInstanceType: "mq.m7g.large", SupportedEngineVersions: ["4.2"], SupportedDeploymentModes: ["SINGLE_INSTANCE"] },
        ],
      });
    expect(await probeBrokerEngine(mq, "mq.m5.large", R)).toEqual({
      ok: true,
      value: {
        instanceType: "mq.m5.large",
        engineVersions: ["3.13", "4.2"],
        instanceVersions: ["3.13", "4.2"],
        deploymentModes: ["SINGLE_INSTANCE", "CLUSTER_MULTI_AZ"],
      },
    });
  });
});

describe("probeInstanceTypes", () => {
  it("reads each type's vCPUs; a type EC2 does not offer there is an answer (InvalidInstanceType), not a failure", async () => {
    const ec2 = new EC2Client({ region: R, credentials });
    mockClient(ec2)
      .on(DescribeInstanceTypesCommand, { InstanceTypes: ["m6i.large"] as never })
      .resolves({ InstanceTypes: [{ InstanceType: "m6i.large", VCpuInfo: { DefaultVCpus: 2 } }] })
      .on(DescribeInstanceTypesCommand, { InstanceTypes: ["m9z.large"] as never })
      .rejects(awsError("InvalidInstanceType", 400))
      .on(DescribeInstanceTypesCommand, { InstanceTypes: ["m7i.large"] as never })
      .resolves({ InstanceTypes: [] });
    expect(await probeInstanceTypes(ec2, ["m6i.large", "m9z.large", "m6i.large", "m7i.large"], R)).toEqual({
      ok: true,
      value: [
        { type: "m6i.large", offered: true, vcpus: 2 },
        { type: "m9z.large", offered: false },
        { type: "m7i.large", offered: false },
      ],
    });
  });

  it("any other error fails the read", async () => {
    const ec2 = new EC2Client({ region: R, credentials });
    mockClient(ec2).on(DescribeInstanceTypesCommand).rejects(awsError("UnauthorizedOperation", 403));
    expect(await probeInstanceTypes(ec2, ["m6i.large"], R)).toMatchObject({
      ok: false,
      failure: { kind: "refused", call: "EC2 DescribeInstanceTypes of m6i.large" },
    });
  });
});

describe("probeServiceQuotas", () => {
  it("reads the applied value, and AWS's default where none was applied (NoSuchResourceException)", async () => {
    const quotas = new ServiceQuotasClient({ region: R, credentials });
    mockClient(quotas)
      .on(GetServiceQuotaCommand, { ServiceCode: "ec2", QuotaCode: "L-1216C47A" })
      .resolves({ Quota: { QuotaName: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances", Value: 256 } })
      .on(GetServiceQuotaCommand, { ServiceCode: "eks", QuotaCode: "L-1194D53C" })
      .rejects(awsError("NoSuchResourceException", 400))
      .on(GetAWSDefaultServiceQuotaCommand, { ServiceCode: "eks", QuotaCode: "L-1194D53C" })
      .resolves({ Quota: { QuotaName: "Clusters", Value: 100 } });
    expect(
      await probeServiceQuotas(
        quotas,
        [
          { serviceCode: "ec2", quotaCode: "L-1216C47A" },
          { serviceCode: "eks", quotaCode: "L-1194D53C" },
        ],
        R,
      ),
    ).toEqual({
      ok: true,
      value: [
        {
          serviceCode: "ec2",
          quotaCode: "L-1216C47A",
          name: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
          value: 256,
          source: "applied",
        },
        { serviceCode: "eks", quotaCode: "L-1194D53C", name: "Clusters", value: 100, source: "default" },
      ],
    });
  });

  it("any other error fails the read", async () => {
    const quotas = new ServiceQuotasClient({ region: R, credentials });
    mockClient(quotas).on(GetServiceQuotaCommand).rejects(awsError("AccessDeniedException", 403));
    expect(await probeServiceQuotas(quotas, [{ serviceCode: "ec2", quotaCode: "L-1216C47A" }], R)).toMatchObject({ ok: false, failure: { kind: "refused" } });
  });
});
