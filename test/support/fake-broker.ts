import { spawn } from "child_process";
import * as http from "http";
import type { AddressInfo } from "net";

/**
 * The peers of the broker scripts (backup/rotate-broker-passwords.sh, backup/broker-users.sh) in
 * their e2e tests: a local HTTP server speaking the RabbitMQ management API's users, permissions
 * and whoami, and an EKS Pod Identity agent. The peers, not the code under test; Secrets Manager
 * is the emulator's.
 */

export const ADMIN = "admin";
export const ADMIN_PASSWORD = "AdminPasswordForTests1";
export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** Users with passwords; PUT /api/users/<name> (as the admin, with its current password) sets one, GET /api/whoami checks one. */
export class FakeBroker {
  readonly passwords = new Map<string, string>([[ADMIN, ADMIN_PASSWORD]]);
  readonly tags = new Map<string, string>([[ADMIN, "administrator"]]);
  readonly puts: string[] = [];
  /** Permissions on vhost "/" by user, as PUT /api/permissions/%2F/<user> set them. */
  readonly permissions = new Map<string, unknown>();
  /** Users whose new password the broker refuses at /api/whoami (a broker that lost the update). */
  readonly refuseWhoami = new Set<string>();
  private server = http.createServer((request, response) => this.handle(request, response));
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    return new Promise((resolve) => this.server.close(resolve));
  }
  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const user = /^\/api\/users\/([^/]+)$/.exec(request.url ?? "");
      const permission = /^\/api\/permissions\/%2F\/([^/]+)$/.exec(request.url ?? "");
      if (request.method === "GET" && request.url === "/api/whoami") {
        const who = [...this.passwords].find(([name, password]) => request.headers.authorization === basic(name, password));
        if (!who || this.refuseWhoami.has(who[0])) return void response.writeHead(401).end('{"error":"not_authorised"}');
        return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ name: who[0], tags: [] }));
      }
      if (request.headers.authorization !== basic(ADMIN, this.passwords.get(ADMIN)!)) return void response.writeHead(401).end();
      if (request.method === "PUT" && user && request.headers["content-type"] === "application/json") {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        this.passwords.set(decodeURIComponent(user[1]), body.password);
        this.tags.set(decodeURIComponent(user[1]), body.tags);
        this.puts.push(decodeURIComponent(user[1]));
        return void response.writeHead(204).end();
      }
      if (request.method === "PUT" && permission && request.headers["content-type"] === "application/json") {
        this.permissions.set(decodeURIComponent(permission[1]), JSON.parse(Buffer.concat(chunks).toString("utf8")));
        return void response.writeHead(201).end();
      }
      response.writeHead(404).end();
    });
  }
}

/** An EKS Pod Identity agent: credentials for the token the pod's file holds. */
export async function podIdentityAgent(token: string): Promise<{ url: string; stop: () => void; calls: () => number }> {
  let calls = 0;
  const server = http.createServer((request, response) => {
    calls++;
    if (request.headers.authorization !== token) return void response.writeHead(403).end();
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({ AccessKeyId: "ASIAPODIDENTITY", SecretAccessKey: "pod-secret", Token: "pod-session-token", Expiration: "2099-01-01T00:00:00Z" }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/credentials`, stop: () => server.close(), calls: () => calls };
}

export function runScript(script: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", [script], { env: { PATH: process.env.PATH, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output: stdout + stderr, stderr }));
  });
}
