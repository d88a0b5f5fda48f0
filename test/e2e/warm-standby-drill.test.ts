import { useDrill } from "./drill/context";
import { peacetime } from "./drill/peacetime";
import { warmStandbyEnvironments, warmStandbyRecovery, warmStandbyStandIn } from "./drill/warm-standby";
import { warmStandbyFailback } from "./drill/warm-standby-failback";

/**
 * The warm standby's drill (issue 27, item 5): the shipped pair with us-east-2 choosing the warm
 * standby tier, its own peacetime deployment (the same module as the DR drill's, which deploys every
 * peacetime layer the tier names), then the region outage recovered by the tier's day. Its own world
 * and emulator, beside the DR drill: a warm standby stands the database, cluster and stacks under
 * the names the pilot light's recovery creates on its day, so the two tiers cannot share one
 * deployment of us-east-2 without destroying protected resources in between.
 */
jest.setTimeout(30 * 60_000);

const environments = warmStandbyEnvironments();
afterAll(() => environments.remove());
const drill = useDrill({ firstPort: 6900, environmentsDir: environments.dir, name: "Warm standby drill" });
const standIn = warmStandbyStandIn();
afterAll(() => standIn.stop());

describe("peacetime: the pair deployed once, us-east-2 a warm standby, data written and archived", () => peacetime(drill));
describe("Warm standby drill: us-east-1 dark, us-east-2's replica promoted and its node groups scaled by the tier's day", () =>
  warmStandbyRecovery(drill, standIn));
describe("Warm standby failback: us-east-1 rebuilt as a replica of the promoted database, handed its identifier, and the warm standby armed again", () =>
  warmStandbyFailback(drill, standIn));
