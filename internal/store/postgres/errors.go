package postgres

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aicc-dev/aicc/internal/aicc"
)

// dbError gives err from the server or the driver a kind, when it has one a
// caller can act on: a unique violation is a conflict, a foreign-key, check
// or not-null violation or a bad value is invalid input, and a server that
// cannot be reached is unavailable. what names the object concerned. Other
// errors are returned as they are.
func dbError(err error, what string) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "23505": // unique_violation
			return &aicc.Error{Kind: aicc.KindConflict, Message: what + " already exists", Err: err}
		case pe.Code == "23503": // foreign_key_violation
			return &aicc.Error{Kind: aicc.KindInvalid, Message: what + " refers to an object that does not exist", Err: err}
		case pe.Code == "23514", pe.Code == "23502": // check_violation, not_null_violation
			return &aicc.Error{Kind: aicc.KindInvalid, Message: what + " has a value out of range", Err: err}
		case strings.HasPrefix(pe.Code, "22"): // data exception: bad encoding, number out of range…
			return &aicc.Error{Kind: aicc.KindInvalid, Message: what + " has a value the database cannot store", Err: err}
		case strings.HasPrefix(pe.Code, "08"), // connection exception
			pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03", // shutting down, starting up
			pe.Code == "53300": // too_many_connections
			return &aicc.Error{Kind: aicc.KindUnavailable, Message: "database unavailable; try again", Err: err}
		}
		return err
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return &aicc.Error{Kind: aicc.KindUnavailable, Message: "cannot connect to the database server; is it running and reachable?", Err: err}
	}
	return err
}

// notFound is the not-found error for a kind of object.
func notFound(kind, id string) error {
	return &aicc.Error{Kind: aicc.KindNotFound, Message: kind + " " + id + " not found"}
}
