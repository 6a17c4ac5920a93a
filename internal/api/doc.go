// Package api is the clearinghouse's HTTP JSON API: routes, request
// decoding, responses, RFC 9457 problem details, cursor pagination,
// idempotency keys and the OpenAPI 3.1 document served at /openapi.json.
// It holds no business rules: every operation is a call to package
// service with the caller's principal.
package api
