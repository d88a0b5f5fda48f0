import { accountLoss } from "./drill/account";
import { clusterRebuild } from "./drill/cluster";
import { databaseRestore } from "./drill/database";
import { failback } from "./drill/failback";
import { failbackAdopt } from "./drill/failback-adopt";
import { failoverSwitch } from "./drill/failover-switch";
import { peacetime } from "./drill/peacetime";
import { regionOutage } from "./drill/region-outage";
import { rehearsal } from "./drill/rehearsal";
import { useDrill } from "./drill/context";

/**
 * The DR drill as hard as the real day, with the real toolchain (cdktf, Terraform, the AWS
 * provider) against the local emulator behind a fault layer. One peacetime deployment
 * (test/e2e/drill/peacetime.ts), then each scenario of the company's DR documents on it, in the
 * order a game day runs them; each scenario asserts that nothing was lost, records its recovery
 * point and time in the drill's evidence (printed, and written to DR_DRILL_EVIDENCE or
 * dr-drill-evidence.txt in the temporary folder), and leaves the world as the next one expects.
 * A new scenario is a module in test/e2e/drill/ and one line here: it must not deploy the primary
 * again. The emulator's gaps (lib/targets/emulator-target.ts) are named in the README.
 */
jest.setTimeout(30 * 60_000);

const drill = useDrill();

describe("peacetime: the pair deployed once, data written and archived", () => peacetime(drill));
describe("Rehearsal drill: us-east-2 rehearsed with us-east-1 up, no traffic moved, torn down leaving nothing", () => rehearsal(drill));
describe("DR drill: us-east-1 dark, us-east-2 recovered through the fault layer", () => regionOutage(drill));
describe("Cluster drill: us-east-2's cluster rebuilt side by side, generation 1 retired", () => clusterRebuild(drill));
describe("Failback drill: us-east-1 returns, is fenced, and gets back everything written during the outage", () => failback(drill));
describe("Failback adopts: generation 2 restored on the primary's key, handed the identifier, imported, and the plan gate passes", () => failbackAdopt(drill));
describe("Failover switch: the site stays on us-east-2 until the operator's switch, flipped with no Route 53 write", () => failoverSwitch(drill));
describe("Database drill: us-east-1's database restored to a time as generation 2 beside generation 1, which is retired", () => databaseRestore(drill));
describe("Account drill: the workload account is lost, us-east-1 rebuilt from its vault in a new account with none of the lost account's keys", () =>
  accountLoss(drill));
