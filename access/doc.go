// Package access is who may do what in Pishkhan: accounts, departments and
// groups, sessions, API keys, and the authorisation policy.
//
// A tour:
//
//   - Users (users.go) log in with a password (argon2id). Repeated failures
//     lock the account for a while that doubles with each lock, so guessing
//     is slow even across many processes: the counter is on the user's
//     document. The first start creates the user "admin".
//   - A login opens a session (sessions.go): a random token that works as a
//     bearer token for API clients and as an HttpOnly cookie for the
//     browser. Cookie-authenticated writes must also carry the session's
//     CSRF token. Only SHA-256 hashes of tokens are stored.
//   - API keys (apikeys.go) identify systems and bots: hashed at rest, scoped
//     to the actions they may take, revocable.
//   - The policy (policy.go) is a casbin model with domains: roles (admin,
//     process-owner, supervisor, agent, requester, system) are assigned to a
//     user in a domain ("category:it" for a process owner, "*" for a global
//     role), and permission rules grant roles actions on objects. Policies
//     live in MongoDB (casbin's mongodb-adapter); a change made through the
//     API on any process is loaded by every process within one poll
//     interval. Attribute checks that roles cannot express (a requester sees
//     only their own requests) are made by the caller with the facts at
//     hand, after Can has answered for the role.
//
// Everything here is single-document reads and writes by _id, so it works
// the same on the embedded store and on MongoDB.
package access
