import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CreateRepositoryCommand, GetAuthorizationTokenCommand, type ECRClient, type Repository } from "@aws-sdk/client-ecr";
import { reading, type Reading } from "./aws/errors";
import type { FromVaultPlan, FromVaultResult } from "./from-vault";
import { probeTagDigests } from "./probes/image-digests";
import { probeRepositoryDetails, probeTaggedImages } from "./probes/registry-repositories";

/**
 * `from-vault <region> images`: the tagged images of the vault registry's repositories (those under
 * `registry.replicatedPrefixes`, which the registry's replication rule copied into the vault) into
 * the new account's registry in the environment's region, each by digest under its tag. ECR
 * replication copies new pushes only, so an image is copied once by crane (go-containerregistry),
 * which this library does not ship: without it on PATH the command lists what it would copy and how
 * to get crane, and writes nothing. A missing repository is made with the vault's tag mutability,
 * scan on push and KMS encryption. The registry passwords go to crane on stdin,
 * never on a command line.
 */

export interface ImagesCopyClients {
  /** ECR of vault.region, vault role credentials. */
  readonly vault: ECRClient;
  /** ECR of the environment's region, the caller's (new account's) credentials. */
  readonly target: ECRClient;
}

/** How crane is run: its path (undefined: not on PATH) and a runner (spawnSync in the CLI). */
export interface Crane {
  readonly path: string | undefined;
  run(
    args: readonly string[],
    options: { readonly input?: string; readonly env: NodeJS.ProcessEnv },
  ): { readonly status: number | null; readonly output: string };
}

/** One tagged image of the vault's registry. */
export interface VaultImage {
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
}

/** Where crane is on PATH, or undefined. */
export function craneOnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, "crane");
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

const host = (registryId: string, region: string) => `${registryId}.dkr.ecr.${region}.amazonaws.com`;

/** The vault registry's repositories under the prefixes, and their tagged images. */
async function vaultImages(plan: FromVaultPlan, ecr: ECRClient): Promise<Reading<{ repositories: Repository[]; images: VaultImage[] }>> {
  const { source, prefixes } = plan.images;
  const all = await probeRepositoryDetails(ecr, source.region, source.registryId);
  if (!all.ok) return all;
  const repositories = all.value
    .filter((r) => prefixes.some((p) => r.repositoryName!.startsWith(p)))
    .sort((a, b) => a.repositoryName!.localeCompare(b.repositoryName!));
  const images: VaultImage[] = [];
  for (const repository of repositories) {
    const tagged = await probeTaggedImages(ecr, source.region, source.registryId, repository.repositoryName!);
    if (!tagged.ok) return tagged;
    images.push(...tagged.value.map((t) => ({ repository: repository.repositoryName!, ...t })));
  }
  images.sort((a, b) => `${a.repository}:${a.tag}`.localeCompare(`${b.repository}:${b.tag}`));
  return { ok: true, value: { repositories, images } };
}

/** A registry's password for crane (ECR's token is base64 of `AWS:<password>`). */
async function registryPassword(ecr: ECRClient, registryId: string, region: string): Promise<Reading<string>> {
  return reading(`ECR GetAuthorizationToken of registry ${registryId}`, region, async () => {
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    const token = authorizationData?.[0]?.authorizationToken;
    if (!token) throw new Error("ECR answered without an authorization token");
    return Buffer.from(token, "base64").toString("utf8").replace(/^AWS:/, "");
  });
}

export async function copyImagesFromVault(plan: FromVaultPlan, clients: ImagesCopyClients, crane: Crane): Promise<FromVaultResult> {
  const { source, target, prefixes } = plan.images;
  const nothing = "nothing was written";
  const found = await vaultImages(plan, clients.vault);
  if (!found.ok) return { exitCode: 1, lines: [`${found.failure.call} in ${source.region}: ${found.failure.description}`, nothing] };
  const { repositories, images } = found.value;
  const where = `the vault's registry ${host(source.registryId, source.region)}`;
  if (images.length === 0) return { exitCode: 0, lines: [`images: no tagged image under ${prefixes.join(", ")} in ${where}; nothing to copy`] };
  const present = await probeTagDigests(
    clients.target,
    target.region,
    target.registryId,
    repositories.map((r) => r.repositoryName!),
  );
  if (!present.ok) return { exitCode: 1, lines: [`${present.failure.call} in ${target.region}: ${present.failure.description}`, nothing] };
  const from = (i: VaultImage) => `${host(source.registryId, source.region)}/${i.repository}@${i.digest}`;
  const to = (i: VaultImage) => `${host(target.registryId, target.region)}/${i.repository}:${i.tag}`;
  const todo = images.filter((i) => present.value.get(`${i.repository}:${i.tag}`) !== i.digest);
  const inPlace = images.length - todo.length;
  if (todo.length === 0) return { exitCode: 0, lines: [`images: all ${images.length} images of ${where} are in ${target.registryId}'s registry already`] };
  if (crane.path === undefined) {
    return {
      exitCode: 1,
      lines: [
        `images: ${todo.length} of ${images.length} images of ${where} to copy, and crane is not on PATH:`,
        ...todo.map((i) => `  would copy ${from(i)} -> ${to(i)}`),
        "  fix: install crane (https://github.com/google/go-containerregistry, cmd/crane; this library does not ship it), then run again",
        nothing,
      ],
    };
  }

  const lines = [`images: ${todo.length} of ${images.length} images of ${where} to copy (${inPlace} already in place)`];
  for (const repository of repositories.filter((r) => todo.some((i) => i.repository === r.repositoryName))) {
    const made = await reading(`ECR CreateRepository of ${repository.repositoryName}`, target.region, () =>
      clients.target.send(
        new CreateRepositoryCommand({
          repositoryName: repository.repositoryName,
          imageTagMutability: repository.imageTagMutability,
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfiguration: { encryptionType: "KMS" },
        }),
      ),
    );
    if (made.ok)
      lines.push(
        `  made repository ${repository.repositoryName} in ${target.region} (tag mutability ${repository.imageTagMutability ?? "MUTABLE"} as the vault's; scan on push; KMS)`,
      );
    else if (made.failure.name !== "RepositoryAlreadyExistsException")
      return { exitCode: 1, lines: [...lines, `${made.failure.call} in ${target.region}: ${made.failure.description}`] };
  }

  // crane's logins in a folder of its own, removed afterwards: the passwords go on stdin.
  const config = fs.mkdtempSync(path.join(os.tmpdir(), "dr-platform-crane-"));
  const env = { ...process.env, DOCKER_CONFIG: config };
  try {
    for (const [registry, ecr, side] of [
      [source, clients.vault, "vault"],
      [target, clients.target, "new account"],
    ] as const) {
      const password = await registryPassword(ecr, registry.registryId, registry.region);
      if (!password.ok) return { exitCode: 1, lines: [...lines, `${password.failure.call} in ${registry.region}: ${password.failure.description}`] };
      const login = crane.run(["auth", "login", host(registry.registryId, registry.region), "--username", "AWS", "--password-stdin"], {
        input: password.value,
        env,
      });
      if (login.status !== 0) return { exitCode: 1, lines: [...lines, `crane auth login to the ${side}'s registry failed: ${login.output.trim()}`] };
    }
    for (const image of todo) {
      const copied = crane.run(["copy", from(image), to(image)], { env });
      if (copied.status !== 0) {
        return {
          exitCode: 1,
          lines: [...lines, `crane copy ${from(image)} ${to(image)} failed: ${copied.output.trim()}`, "run again: images already copied are skipped"],
        };
      }
      lines.push(`  copied ${from(image)} -> ${to(image)}`);
    }
  } finally {
    fs.rmSync(config, { recursive: true, force: true });
  }
  return { exitCode: 0, lines };
}
