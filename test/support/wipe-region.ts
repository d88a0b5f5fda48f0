import {
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  ReleaseAddressCommand,
} from "@aws-sdk/client-ec2";
import { DeleteClusterCommand, DeleteNodegroupCommand, ListClustersCommand, ListNodegroupsCommand } from "@aws-sdk/client-eks";
import { ListKeysCommand, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { DeleteBrokerCommand, ListBrokersCommand } from "@aws-sdk/client-mq";
import { DeleteDBInstanceCommand, DescribeDBInstancesCommand, ModifyDBInstanceCommand } from "@aws-sdk/client-rds";
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
} from "@aws-sdk/client-s3";
import { DeleteSecretCommand, ListSecretsCommand } from "@aws-sdk/client-secrets-manager";
import type { AwsClients } from "./aws";

/**
 * Simulates losing a region in the emulator: deletes every regional resource there (databases
 * with their deletion protection lifted, brokers, clusters, buckets located there, secrets, keys,
 * VPCs and their parts). Global services (IAM, Route53) and other regions are left alone, as in
 * a real regional outage.
 */
export async function wipeRegion(aws: AwsClients, region: string): Promise<void> {
  for (const db of (await aws.rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []) {
    const id = db.DBInstanceIdentifier!;
    await aws.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DeletionProtection: false, ApplyImmediately: true }));
    await aws.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }));
  }
  for (const broker of (await aws.mq.send(new ListBrokersCommand({}))).BrokerSummaries ?? []) {
    await aws.mq.send(new DeleteBrokerCommand({ BrokerId: broker.BrokerId! }));
  }
  for (const name of (await aws.eks.send(new ListClustersCommand({}))).clusters ?? []) {
    for (const nodegroup of (await aws.eks.send(new ListNodegroupsCommand({ clusterName: name }))).nodegroups ?? []) {
      await aws.eks.send(new DeleteNodegroupCommand({ clusterName: name, nodegroupName: nodegroup }));
    }
    await aws.eks.send(new DeleteClusterCommand({ name }));
  }
  for (const bucket of (await aws.s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
    const location = (await aws.s3.send(new GetBucketLocationCommand({ Bucket: bucket.Name! }))).LocationConstraint || "us-east-1";
    if (location !== region) continue;
    const versions = await aws.s3.send(new ListObjectVersionsCommand({ Bucket: bucket.Name! }));
    for (const v of [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])]) {
      await aws.s3.send(new DeleteObjectCommand({ Bucket: bucket.Name!, Key: v.Key!, VersionId: v.VersionId }));
    }
    await aws.s3.send(new DeleteBucketCommand({ Bucket: bucket.Name! }));
  }
  for (const secret of (await aws.secrets.send(new ListSecretsCommand({}))).SecretList ?? []) {
    await aws.secrets.send(new DeleteSecretCommand({ SecretId: secret.ARN!, ForceDeleteWithoutRecovery: true }));
  }
  for (const key of (await aws.kms.send(new ListKeysCommand({}))).Keys ?? []) {
    await aws.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId!, PendingWindowInDays: 7 })).catch(() => undefined);
  }

  const vpcs = ((await aws.ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? []).filter((v) => !v.IsDefault).map((v) => v.VpcId!);
  const inVpcs = [{ Name: "vpc-id", Values: vpcs }];
  if (vpcs.length === 0) return;
  for (const nat of (await aws.ec2.send(new DescribeNatGatewaysCommand({ Filter: inVpcs }))).NatGateways ?? []) {
    await aws.ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: nat.NatGatewayId! }));
  }
  for (const address of (await aws.ec2.send(new DescribeAddressesCommand({}))).Addresses ?? []) {
    await aws.ec2.send(new ReleaseAddressCommand({ AllocationId: address.AllocationId! }));
  }
  for (const igw of (await aws.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: vpcs }] }))).InternetGateways ?? []) {
    for (const attachment of igw.Attachments ?? []) {
      await aws.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId!, VpcId: attachment.VpcId! }));
    }
    await aws.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId! }));
  }
  for (const subnet of (await aws.ec2.send(new DescribeSubnetsCommand({ Filters: inVpcs }))).Subnets ?? []) {
    await aws.ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! }));
  }
  for (const table of (await aws.ec2.send(new DescribeRouteTablesCommand({ Filters: inVpcs }))).RouteTables ?? []) {
    if ((table.Associations ?? []).some((a) => a.Main)) continue;
    for (const association of table.Associations ?? []) {
      await aws.ec2.send(new DisassociateRouteTableCommand({ AssociationId: association.RouteTableAssociationId! }));
    }
    await aws.ec2.send(new DeleteRouteTableCommand({ RouteTableId: table.RouteTableId! }));
  }
  for (const group of (await aws.ec2.send(new DescribeSecurityGroupsCommand({ Filters: inVpcs }))).SecurityGroups ?? []) {
    if (group.GroupName !== "default") await aws.ec2.send(new DeleteSecurityGroupCommand({ GroupId: group.GroupId! }));
  }
  for (const vpc of vpcs) await aws.ec2.send(new DeleteVpcCommand({ VpcId: vpc }));
}
