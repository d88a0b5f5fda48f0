import * as net from "net";
import { KMSClient, ListKeysCommand } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { assertClientRegions, awsClient } from "../../../lib/operations/aws/clients";
import { failureKind } from "../../../lib/operations/aws/errors";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

describe("awsClient", () => {
  it("binds the client to its region and tries each call at most twice", async () => {
    const kms = awsClient(KMSClient, "us-east-2", { credentials });
    expect(await kms.config.region()).toBe("us-east-2");
    expect(await kms.config.maxAttempts()).toBe(2);
  });

  it("takes a custom endpoint path-style (the emulator serves no bucket subdomains), and AWS's virtual-hosted style otherwise", async () => {
    const custom = awsClient(S3Client, "us-east-1", { endpoint: "https://127.0.0.1:5000", credentials });
    expect(custom.config.forcePathStyle).toBe(true);
    expect((await custom.config.endpoint!()).hostname).toBe("127.0.0.1");
    expect(awsClient(S3Client, "us-east-1", { credentials }).config.forcePathStyle).toBe(false);
  });

  it("reports an endpoint that accepts connections and never answers as unreachable within the request timeout", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket)).listen(0, "127.0.0.1");
    await new Promise((r) => silent.once("listening", r));
    try {
      const endpoint = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
      const kms = awsClient(KMSClient, "us-east-2", { endpoint, credentials, requestTimeoutMs: 300, maxAttempts: 1 });
      const started = Date.now();
      const error = await kms.send(new ListKeysCommand({})).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(3000);
      expect((error as Error).name).toBe("TimeoutError");
      expect(failureKind(error)).toBe("unreachable");
    } finally {
      sockets.forEach((s) => s.destroy());
      silent.close();
    }
  });
});

describe("assertClientRegions", () => {
  it("names every client bound to another region, and every missing one", async () => {
    await expect(
      assertClientRegions("runX", [
        ["a", awsClient(KMSClient, "us-east-1", { credentials }), "us-east-1"],
        ["b", awsClient(KMSClient, "eu-west-1", { credentials }), "us-east-2"],
        ["c", undefined, "us-east-1", " with peacetime"],
      ]),
    ).rejects.toThrow("runX: clients.b must be bound to us-east-2 (got eu-west-1); clients.c is required with peacetime");
    await expect(assertClientRegions("runX", [["a", awsClient(KMSClient, "us-east-1", { credentials }), "us-east-1"]])).resolves.toBeUndefined();
  });
});
