// Drives a running Platform api through a client generated from docs/api/openapi.json: search with a filter, page with
// cursors to the end, fetch one diamond and its price history, and read typed problem responses. Any surprise throws
// (non-zero exit); the last line is `RESULT {json}` for the C# test to compare with what it seeded.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/platform-api";

type Diamond = components["schemas"]["DiamondView"];
type Problem = components["schemas"]["Problem"];

const baseUrl = required("PLATFORM_API_URL");
const apiKey = required("PLATFORM_API_KEY");
const pageSize = Number(process.env.PLATFORM_PAGE_SIZE ?? "4");

const client = createClient<paths>({ baseUrl, headers: { "X-API-Key": apiKey } });

// 1. Search ROUND stones by price, following nextCursor to the last page.
const seen: Diamond[] = [];
let cursor: string | undefined;
let pages = 0;
let total = -1;
do {
  const { data, error, response } = await client.GET("/api/v1/diamonds", {
    params: { query: { shape: ["ROUND"], sort: "price", order: "asc", limit: pageSize, cursor } },
  });
  if (!data) throw new Error(`search page ${pages + 1}: ${response.status} ${describe(error)}`);
  pages++;
  total = data.total;
  check(!data.totalIsEstimate, "a small catalog's total is exact");
  for (const diamond of data.items) {
    check(diamond.shape === "ROUND", `${diamond.id} matches the shape filter`);
    check(!seen.some((other) => other.id === diamond.id), `${diamond.id} appears once`);
    const previous = seen.at(-1);
    check(!previous || previous.retailPrice <= diamond.retailPrice, `${diamond.id} comes in price order`);
    seen.push(diamond);
  }
  cursor = data.nextCursor ?? undefined;
} while (cursor !== undefined);
check(seen.length === total, `every match once: saw ${seen.length}, total ${total}`);

// 2. One diamond, by the path the document declares.
const first = seen[0];
if (!first) throw new Error("the search found nothing");
const one = await client.GET("/api/v1/diamonds/{id}", { params: { path: { id: first.id } } });
if (!one.data) throw new Error(`diamond ${first.id}: ${one.response.status} ${describe(one.error)}`);
check(one.data.id === first.id && one.data.retailPrice === first.retailPrice, "the diamond reads as the search showed it");

// 3. Its price history, newest first, two entries a page.
const history: components["schemas"]["PriceHistoryEntry"][] = [];
let historyCursor: string | undefined;
do {
  const { data, error, response } = await client.GET("/api/v1/diamonds/{id}/price-history", {
    params: { path: { id: first.id }, query: { limit: 2, cursor: historyCursor } },
  });
  if (!data) throw new Error(`price history: ${response.status} ${describe(error)}`);
  for (const entry of data.items) {
    const previous = history.at(-1);
    check(!previous || previous.changedAt >= entry.changedAt, `price change ${entry.id} comes newest first`);
    history.push(entry);
  }
  historyCursor = data.nextCursor ?? undefined;
} while (historyCursor !== undefined);

// 4. Errors arrive as typed problem+json with a code to switch on.
const tampered = await client.GET("/api/v1/diamonds", { params: { query: { shape: ["ROUND"], cursor: "not-a-cursor" } } });
check(tampered.response.status === 400 && tampered.error?.code === "INVALID_CURSOR", `a bad cursor is INVALID_CURSOR: ${describe(tampered.error)}`);
const anonymous = await createClient<paths>({ baseUrl }).GET("/api/v1/diamonds/{id}", { params: { path: { id: first.id } } });
check(anonymous.response.status === 401 && anonymous.error?.code === "UNAUTHORIZED", `no key is UNAUTHORIZED: ${describe(anonymous.error)}`);

console.log(`RESULT ${JSON.stringify({ ids: seen.map((d) => d.id), pages, total, diamondId: one.data.id, priceChanges: history.length })}`);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}.`);
  return value;
}

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`Check failed: ${what}`);
}

function describe(problem: Problem | undefined): string {
  return problem ? `${problem.code}: ${problem.title}${problem.detail ? ` (${problem.detail})` : ""} [trace ${problem.traceId}]` : "no problem body";
}
