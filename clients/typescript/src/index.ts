// The typed client of the Agora API for the hosted frontend: every path, parameter, body and answer comes from
// schema.d.ts, which openapi-typescript generates from openapi.json (python -m infra.typescript_client).
import createClient, { type Client, type ClientOptions, type Middleware } from "openapi-fetch";

import type { components, paths } from "./schema";

export type { components, paths };
export type Schemas = components["schemas"];
/** The error body of every 4xx and 5xx: `{"error": {"code", "message", "details"}}`. */
export type ApiError = Schemas["ErrorResponse"];
export type AgoraClient = Client<paths>;

export interface AgoraClientOptions extends ClientOptions {
  /** The Cognito ID token of the signed-in user, read before each request (undefined for public pages). */
  token?: () => string | undefined | Promise<string | undefined>;
}

/** A client for one stage's base URL (the `servers` URL of its document), signing requests with the user's token. */
export function createAgoraClient(baseUrl: string, options: AgoraClientOptions = {}): AgoraClient {
  const { token, ...rest } = options;
  const client = createClient<paths>({ baseUrl, ...rest });
  if (token) {
    const signing: Middleware = {
      async onRequest({ request }) {
        const value = await token();
        if (value) request.headers.set("Authorization", `Bearer ${value}`);
        return request;
      },
    };
    client.use(signing);
  }
  return client;
}
