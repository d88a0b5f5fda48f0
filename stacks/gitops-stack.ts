import { Construct } from "constructs";
import { Fn, TerraformOutput } from "cdktf";
import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import { FluxBootstrap } from "../lib/constructs/flux-bootstrap";
import { LoadBalancerController } from "../lib/constructs/load-balancer-controller";
import { RabbitMqUsers } from "../lib/constructs/rabbitmq-users";
import type { Environment } from "../lib/environment";
import { regionalNames } from "../lib/naming";
import type { ApplicationStack } from "./application-stack";
import { EnvironmentStack } from "./environment-stack";
import type { KubernetesStack } from "./kubernetes-stack";
import type { NetworkingStack } from "./networking-stack";

export interface GitOpsStackProps {
  readonly environment: Environment;
  readonly application: ApplicationStack;
  readonly kubernetes: KubernetesStack;
  /** The region's networking stack: the site's target group (DNS failover block below). */
  readonly networking?: NetworkingStack;
}

/**
 * `gitops-<region>`: Flux, bootstrapped into the cluster of `kubernetes-<region>`. The helm and
 * kubernetes providers are configured here from the cluster looked up by name, with a token from
 * `aws eks get-token` at each run: no token crosses stacks or lands in state.
 */
export class GitOpsStack extends EnvironmentStack {
  public readonly flux: FluxBootstrap;

  /** Also creates the RabbitMQ application users (RabbitMqUsers) from inside the cluster. */
  constructor(scope: Construct, props: GitOpsStackProps) {
    const { environment: env, application, kubernetes } = props;
    super(scope, "gitops", env);
    this.addDependency(kubernetes);
    const clusterName = regionalNames(env.project, env.region).cluster;

    const cluster = new DataAwsEksCluster(this, "cluster", { name: clusterName });
    const connection = {
      host: cluster.endpoint,
      clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
      exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: ["eks", "get-token", "--cluster-name", clusterName, "--region", env.region],
      },
    };
    new KubernetesProvider(this, "kubernetes", { ...connection, exec: [connection.exec] });
    new HelmProvider(this, "helm", { kubernetes: connection });

    this.flux = new FluxBootstrap(this, "flux", {
      repository: {
        url: env.flux.repositoryUrl,
        branch: env.flux.branch,
        path: env.flux.path,
        intervalMinutes: env.flux.intervalMinutes,
        prune: env.flux.prune,
      },
      gitCredentialsSecretName: env.flux.gitCredentialsSecretName,
      clusterVars: {
        AWS_REGION: env.region,
        DR_REGION: env.drRegion,
        ENVIRONMENT_ROLE: env.role,
        DOMAIN: env.dns.domain,
        DATABASE_HOST: application.database.address,
        DATABASE_PORT: String(application.database.port),
        DATABASE_SECRET_ARN: application.database.masterUserSecretArn,
        BROKER_ENDPOINT: Fn.element(application.broker.amqpEndpoints, 0),
        ASSETS_BUCKET: application.assetsBucketName,
        HOSTING_SERVICES_BUCKET: application.hostingServices.bucketName,
        SOPS_KEY_ARN: kubernetes.sopsKeyArn,
        WORKLOAD_ROLE_ARN: kubernetes.workloadRoleArn,
      },
    });

    const secretName = regionalNames(env.project, env.region).brokerUserSecret;
    if (env.broker.users.length > 0) {
      new RabbitMqUsers(this, "rabbitmq-users", {
        namespace: this.flux.namespaceName,
        managementUrl: application.broker.managementUrl,
        adminUsername: env.broker.adminUsername,
        adminSecretName: secretName(env.broker.adminUsername),
        users: env.broker.users.map((username) => ({ username, secretName: secretName(username) })),
      });
    }

    // ---- DNS failover (issue 15, owned by the dns-failover branch): the AWS Load Balancer Controller
    // and the TargetGroupBinding that fills the site's target group with the site's pods.
    if (props.networking) {
      new LoadBalancerController(this, "lb-controller", {
        clusterName,
        region: env.region,
        vpcId: props.networking.vpc.vpcId,
        targetGroupArn: props.networking.site.targetGroupArn,
        loadBalancerSecurityGroupId: props.networking.site.securityGroup.id,
        service: env.dns.siteService,
      });
    }
    // ---- end DNS failover

    new TerraformOutput(this, "flux_verify_command", { value: this.flux.verifyCommand, description: "Waits until Flux has applied the repository" });
  }
}
