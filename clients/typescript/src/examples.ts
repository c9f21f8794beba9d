// How the frontend calls the API through the typed client. `tsc --noEmit` checks this file against schema.d.ts in
// `make test`: a path, parameter or field used here that the OpenAPI document drops or renames fails the build, so a
// change of contract that breaks these calls shows before the frontend meets it.
import { type AgoraClient, type ApiError, type Schemas, createAgoraClient } from "./index";

export function client(baseUrl: string, idToken: () => string | undefined): AgoraClient {
  return createAgoraClient(baseUrl, { token: idToken });
}

/** The field-by-field reasons of a 422, as a form shows them next to each field. */
export function fieldErrors(error: ApiError): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const detail of error.error.details ?? []) byField[detail.field] = detail.message;
  return byField;
}

/** Every contact matching `q`, page after page (the one list shape: items and next_cursor). */
export async function allContacts(api: AgoraClient, q: string): Promise<Schemas["Contact"][]> {
  const found: Schemas["Contact"][] = [];
  let cursor: string | null = null;
  do {
    const query: { q: string; limit: number; cursor: string | null } = { q, limit: 100, cursor };
    const { data, error } = await api.GET("/contacts", { params: { query } });
    if (error) throw new Error(error.error.message);
    const page: Schemas["Page_Contact"] = data;
    found.push(...page.items);
    cursor = page.next_cursor ?? null;
  } while (cursor);
  return found;
}

/** A new contact; a refused one comes back with its reasons by field. */
export async function createContact(
  api: AgoraClient,
  body: Schemas["ContactCreate"],
): Promise<Schemas["Contact"] | Record<string, string>> {
  const { data, error } = await api.POST("/contacts", { body });
  if (error) return fieldErrors(error);
  return data;
}

/** A campaign's figures: rates and clicks per link for the report page (the same route answers an SVG chart or the
 * per-recipient CSV to another Accept header). */
export async function campaignReport(api: AgoraClient, campaignId: string): Promise<Schemas["CampaignReport"]> {
  const { data, error } = await api.GET("/campaigns/{campaign_id}/report", {
    params: { path: { campaign_id: campaignId } },
    headers: { Accept: "application/json" },
  });
  if (error) throw new Error(error.error.message);
  if (typeof data === "string") throw new Error("expected the JSON report");
  return data;
}
