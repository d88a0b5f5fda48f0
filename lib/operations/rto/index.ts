/** The modelled recovery time of a region (model.ts), read from a synthesized app (synthesized.ts), printed (format.ts). */
export { formatRto } from "./format";
export { DEFAULT_PARALLELISM, modelRegionRto, modelRto, stacksOfRegion, stacksToServe } from "./model";
export type { RtoInput, RtoResult, StackTiming } from "./model";
export { readStackResources, readSynthesizedApp } from "./synthesized";
export type { SynthesizedResource, SynthesizedStackJson } from "./synthesized";
export { dayActionsMarkdown, modelDayActions, modelTierRto, WARM_STANDBY_DAY } from "./tiers";
export type { DayAction } from "./tiers";
