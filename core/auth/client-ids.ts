// The OAuth2 client registrations Satchel is built with, one per provider: a distributor who has
// registered Satchel with Google (verified for the restricted https://mail.google.com/ scope) and
// Microsoft (a multi-tenant public client) writes the ids here before `npm run build`. Left empty,
// the wizard says so and offers "use your own client ID". Never copy another application's ids.
// A settings or config-file override (oauth2_client_id) wins over these.

export interface BuiltInClient {
  clientId?: string;
  /** Google's desktop-app clients come with a "secret" that is not secret (RFC 8252 §8.5); Microsoft's public clients have none. */
  clientSecret?: string;
}

export const BUILT_IN_CLIENTS: Record<'google' | 'microsoft', BuiltInClient> = {
  google: {},
  microsoft: {},
};
