// The SASL mechanisms Satchel logs in with, by OfflineIMAP's auth_mechanisms names: the OAuth2
// ones (XOAUTH2, OAUTHBEARER) and the password ones (PLAIN = AUTHENTICATE PLAIN, LOGIN = the IMAP
// LOGIN command). Names only: shared by the configuration reader and the IMAP connection code.

export const OAUTH_MECHANISMS = ['XOAUTH2', 'OAUTHBEARER'];
export const PASSWORD_MECHANISMS = ['PLAIN', 'LOGIN'];
export const KNOWN_MECHANISMS = [...OAUTH_MECHANISMS, ...PASSWORD_MECHANISMS];
