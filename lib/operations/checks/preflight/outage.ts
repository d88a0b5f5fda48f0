import { ROUTE53_CONTROL_REGION } from "../../../naming";
import type { CheckId, PreflightCheck } from "./check";

/** The rows that read Route 53, a global control plane served from ROUTE53_CONTROL_REGION. */
export const ROUTE53_ROWS: readonly { readonly id: CheckId; readonly title: string }[] = [
  { id: "health-checks", title: "Route 53 health checks of the site" },
  { id: "site-region", title: "Region the site host resolves to" },
];

/** Whether an outage of `lostRegion` takes Route 53's control plane with it: the recovery then does not call it at all. */
export function route53IsLost(lostRegion: string): boolean {
  return lostRegion === ROUTE53_CONTROL_REGION;
}

/** The rows of a control plane the recovery does not call on the day, said so (advisory, not a failure). */
export function notReadOnTheDay(lostRegion: string): PreflightCheck[] {
  return ROUTE53_ROWS.map(({ id, title }) => ({
    id,
    title,
    status: "advisory",
    detail: `not read: Route 53's API is served from ${ROUTE53_CONTROL_REGION}, the lost region ${lostRegion}; the failover records move by the health checks made in peacetime, without a call from here`,
    fix: "",
  }));
}

/**
 * During an outage a global control plane's answer informs and never stops the recovery: a row of
 * it that did not pass becomes advisory, its detail and fix kept.
 */
export function advisoryOnTheDay(check: PreflightCheck): PreflightCheck {
  return check.status === "pass" ? check : { ...check, status: "advisory", detail: `${check.detail}\n(advisory during the outage: was ${check.status})` };
}
