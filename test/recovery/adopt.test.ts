import * as fs from "fs";
import * as path from "path";
import { adoptDatabases } from "../../lib/recovery/adopt";
import { tempDir } from "../support/temp";

/** A synthesized stack folder holding one RDS instance. */
function stackDir(): string {
  const dir = tempDir("adopt-");
  fs.writeFileSync(
    path.join(dir, "cdk.tf.json"),
    JSON.stringify({ resource: { aws_db_instance: { database_resource_2718567D: { identifier: "acme-us-east-2" } } } }),
  );
  return dir;
}

/** A command runner that records what it was asked and answers `terraform state pull` with `state`. */
function runner(state: unknown, failing?: string) {
  const commands: string[] = [];
  return {
    commands,
    run: async (line: string) => {
      const command = line.replace(/^cd "[^"]+" && /, "");
      commands.push(command);
      if (failing && command.startsWith(failing)) return { status: 1, output: "Error" };
      return { status: 0, output: command === "terraform state pull" ? (state === "" ? "" : JSON.stringify(state)) : "" };
    },
  };
}

const resource = (status?: string) => ({
  resources: [{ mode: "managed", type: "aws_db_instance", name: "database_resource_2718567D", instances: [{ status }] }],
});

describe("adoptDatabases", () => {
  it("imports an instance AWS has and the state lacks", async () => {
    const r = runner({ resources: [] });
    expect(await adoptDatabases({ stackDir: stackDir(), instanceExists: async () => true, run: r.run })).toEqual({
      adopted: "acme-us-east-2: imported (AWS has it, the state did not: a restore that outlived Terraform's wait)",
    });
    expect(r.commands).toEqual([
      "terraform init -input=false -no-color",
      "terraform state pull",
      "terraform import -input=false -no-color aws_db_instance.database_resource_2718567D acme-us-east-2",
    ]);
  });

  it("imports into a stack that has no state yet", async () => {
    const r = runner("");
    expect((await adoptDatabases({ stackDir: stackDir(), instanceExists: async () => true, run: r.run }))?.adopted).toMatch(/imported/);
  });

  it("untaints an instance the state holds as tainted", async () => {
    const r = runner(resource("tainted"));
    expect(await adoptDatabases({ stackDir: stackDir(), instanceExists: async () => true, run: r.run })).toEqual({
      adopted: "acme-us-east-2: untainted (the state marked it for replacement after Terraform's wait ran out)",
    });
    expect(r.commands[2]).toBe("terraform untaint -no-color aws_db_instance.database_resource_2718567D");
  });

  it("does nothing when the state holds the instance, or AWS has none (the deploy creates it)", async () => {
    const held = runner(resource());
    expect(await adoptDatabases({ stackDir: stackDir(), instanceExists: async () => true, run: held.run })).toBeUndefined();
    expect(held.commands).toEqual(["terraform init -input=false -no-color", "terraform state pull"]);
    const none = runner(resource());
    expect(await adoptDatabases({ stackDir: stackDir(), instanceExists: async () => false, run: none.run })).toBeUndefined();
    expect(none.commands).toEqual([]);
  });

  it("fails the step, naming the command, when Terraform refuses", async () => {
    const r = runner({ resources: [] }, "terraform import");
    await expect(adoptDatabases({ stackDir: stackDir(), instanceExists: async () => true, run: r.run })).rejects.toThrow(
      "adopting the database: terraform import -input=false -no-color aws_db_instance.database_resource_2718567D acme-us-east-2 exited 1",
    );
  });
});
