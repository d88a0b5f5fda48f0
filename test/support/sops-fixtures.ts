import * as fs from "fs";
import * as path from "path";

/**
 * Files as sops 3.9 writes them (values and data keys are placeholders of the right shape), for
 * the SOPS-file checks: a Kubernetes Secret in YAML and a JSON document, each encrypted for the
 * given KMS key ARNs.
 */
/** Two age public keys (bech32, 32-byte payloads) for the break-glass tests; nobody holds their private keys. */
export const AGE_KEYS = [
  "age1r39ah5u9h8xhqs4kry20m379lyq9xxy80s60390f5k2mmutm0xrs0dq4qz",
  "age1ssmgpnw9xulvp7rt88f752kmlj95txknts5l58xlwen8h8y7ae5szpwze8",
] as const;

export function sopsSecretYaml(name: string, arns: readonly string[], ageRecipients: readonly string[] = []): string {
  return [
    "apiVersion: v1",
    "kind: Secret",
    "metadata:",
    `    name: ${name}`,
    "    namespace: apps",
    "type: Opaque",
    "stringData:",
    "    password: ENC[AES256_GCM,data:q7Nw5cP1,iv:0dpZ1m2CwP6m9yZ0rV2XxQ==,tag:mZ0cbVJkU1bWm3i1oQ3Y4g==,type:str]",
    "sops:",
    "    kms:",
    ...arns.flatMap((arn) => [
      `        - arn: ${arn}`,
      '          created_at: "2026-11-20T10:00:00Z"',
      "          enc: AQICAHhVZ3N1cmVseW5vdGFyZWFsa2V5YnV0c2hhcGVkbGlrZW9uZQ==",
      '          aws_profile: ""',
    ]),
    ...(ageRecipients.length === 0
      ? []
      : [
          "    age:",
          ...ageRecipients.flatMap((recipient) => [
            `        - recipient: ${recipient}`,
            "          enc: |",
            "            -----BEGIN AGE ENCRYPTED FILE-----",
            "            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBwbGFjZWhvbGRlcgo=",
            "            -----END AGE ENCRYPTED FILE-----",
          ]),
        ]),
    '    lastmodified: "2026-11-20T10:00:00Z"',
    "    mac: ENC[AES256_GCM,data:Qm9ndXNNYWM=,iv:c2l4dGVlbmJ5dGVzaXY=,tag:dGFnMTZieXRlcw==,type:str]",
    "    encrypted_regex: ^(data|stringData)$",
    "    version: 3.9.4",
    "",
  ].join("\n");
}

export function sopsJson(arns: readonly string[]): string {
  return `${JSON.stringify(
    {
      token: "ENC[AES256_GCM,data:dG9rZW4=,iv:aXY=,tag:dGFn,type:str]",
      sops: {
        kms: arns.map((arn) => ({ arn, created_at: "2026-11-20T10:00:00Z", enc: "AQICAHhVZ3N1cmVseQ==", aws_profile: "" })),
        lastmodified: "2026-11-20T10:00:00Z",
        mac: "ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]",
        version: "3.9.4",
      },
    },
    null,
    2,
  )}\n`;
}

/** Writes `files` (relative path -> content) under `root`. */
export function writeTree(root: string, files: Record<string, string>): string {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), content);
  }
  return root;
}
