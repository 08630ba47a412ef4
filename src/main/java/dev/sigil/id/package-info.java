/**
 * Identifiers as types. Every id that comes from outside (a URL path, a token claim, a refresh token,
 * a Redis index entry) is parsed here, once, into a record whose format is checked; only these types
 * reach Redis key names. Depends on nothing else in Sigil, so every other package may use it.
 */
package dev.sigil.id;
